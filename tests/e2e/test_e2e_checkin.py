"""End to end: the real CLI and ``posko-bot run`` against the stand-in Bot API on 127.0.0.1."""

from __future__ import annotations

import csv
import re
import signal
from pathlib import Path

from tests.support.botapi_stub import StubBotAPI
from tests.support.data import JAKARTA_CSV
from tests.support.e2e import BotProcess, bot_env, cli

LURAH = "31.73.01.1001"


def _desk_row(code: str) -> dict[str, str]:
    with JAKARTA_CSV.open(encoding="utf-8") as handle:
        return next(row for row in csv.DictReader(handle) if row["code"] == code)


async def test_invite_checkin_status_checkout(stub: StubBotAPI, tmp_path: Path) -> None:
    env = bot_env(stub, tmp_path)
    done = await cli(env, tmp_path, "import-desks", str(JAKARTA_CSV))
    assert done.returncode == 0, done.stderr
    assert "318 new" in done.stdout
    # Re-import with duty hours round the clock for one desk: exactly one desk changes.
    row = _desk_row(LURAH)
    override = tmp_path / "duty.csv"
    override.write_text("code,name,level,parent_code,latitude,longitude,duty_hours\n"
                        f"{LURAH},{row['name']},{row['level']},{row['parent_code']},"
                        f"{row['latitude']},{row['longitude']},00:00-24:00\n")
    done = await cli(env, tmp_path, "import-desks", str(override))
    assert "0 new, 1 updated" in done.stdout, done.stdout + done.stderr

    done = await cli(env, tmp_path, "invite", "--desk", LURAH, "--role", "officer")
    assert done.returncode == 0, done.stderr
    token = re.search(r"https://t\.me/posko_test_bot\?start=([\w-]+)", done.stdout)
    assert token, done.stdout

    bot = BotProcess(env, tmp_path)
    bot.start()
    try:
        await stub.wait_for_call("setMyCommands", timeout=30)
        budi = stub.user(4242, "Budi", "Santoso")
        budi.send_text(f"/start {token[1]}")
        confirm = await stub.wait_for_message(4242, contains="Daftar sekarang?")
        budi.press(confirm, f"reg:{token[1]}")
        await stub.wait_for_message(4242, contains="Terdaftar sebagai Petugas")

        budi.send_text("/checkin")
        ask = await stub.wait_for_message(4242, contains="kirim lokasi")
        assert ask.reply_keyboard and ask.reply_keyboard["keyboard"][0][0]["request_location"]
        lat, lon = float(row["latitude"]), float(row["longitude"])
        seen = len(stub.sent(4242))
        budi.send_location(lat + 0.018, lon)  # about 2 km north
        refused = await stub.wait_for_message(4242, contains="ditolak", after=seen)
        assert "2,0 km" in (refused.text or "")
        budi.send_location(lat, lon, forwarded=True)
        await stub.wait_for_message(4242, contains="diteruskan", after=seen)
        budi.send_location(lat + 0.0003, lon)  # about 33 m
        ok = await stub.wait_for_message(4242, contains="Check-in tercatat", after=seen)
        assert "33 m" in (ok.text or "")

        budi.send_text("/status")
        await stub.wait_for_message(4242, contains="Anda bertugas di Cengkareng Barat")
        budi.send_text("/checkout")
        question = await stub.wait_for_message(4242, contains="Tetap check-out?")
        budi.press(question, question.buttons()[0][1])
        await stub.wait_for_message(4242, contains="Check-out tercatat")

        assert await bot.stop(signal.SIGTERM) == 0
    finally:
        bot.kill()
    log = bot.log_text()
    assert stub.token not in log and "ready" in log
    assert stub.pending_updates() == 0  # every update was confirmed on the way out


async def test_run_without_token_or_with_bad_setting_says_one_line(tmp_path: Path,
                                                                   stub: StubBotAPI) -> None:
    env = bot_env(stub, tmp_path, TELEGRAM_BOT_TOKEN="")
    done = await cli(env, tmp_path, "run")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "posko-bot: configuration error: TELEGRAM_BOT_TOKEN is not set (put it in .env, "
        "see .env.example)"]
    env = bot_env(stub, tmp_path, POSKO_UNATTENDED_GRACE="soon")
    done = await cli(env, tmp_path, "run")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("posko-bot: configuration error: POSKO_UNATTENDED_GRACE")


async def test_import_reports_bad_line_and_writes_nothing(tmp_path: Path,
                                                          stub: StubBotAPI) -> None:
    env = bot_env(stub, tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,level,parent_code,latitude,longitude\n"
                   "31,DKI,provinsi,,-6.2,106.8\n"
                   "31.73,Jakarta Barat,kabupaten_kota,31,abc,106.7\n")
    done = await cli(env, tmp_path, "import-desks", str(bad))
    assert done.returncode == 1
    assert f"{bad}:3: latitude" in done.stderr and "nothing imported" in done.stderr
    done = await cli(env, tmp_path, "check-config")
    assert "has 0 desks" in done.stdout


async def test_check_config_asks_telegram_about_the_token(stub: StubBotAPI,
                                                          tmp_path: Path) -> None:
    env = bot_env(stub, tmp_path)
    done = await cli(env, tmp_path, "check-config")
    assert done.returncode == 0, done.stderr
    assert "Telegram accepts the token of @" in done.stdout
    assert any(call.method == "getMe" for call in stub.calls)
    wrong = bot_env(stub, tmp_path, TELEGRAM_BOT_TOKEN="123456:made-up-token")
    done = await cli(wrong, tmp_path, "check-config")
    assert done.returncode == 1
    assert done.stderr.strip() == ("posko-bot: Telegram refuses TELEGRAM_BOT_TOKEN (mistyped or "
                                   "revoked): copy it again from @BotFather")
    assert "configuration OK" not in done.stdout


async def test_an_invite_without_the_bots_name_says_how_to_get_a_link(stub: StubBotAPI,
                                                                    tmp_path: Path) -> None:
    env = bot_env(stub, tmp_path, TELEGRAM_BOT_TOKEN="")
    assert (await cli(env, tmp_path, "import-desks", str(JAKARTA_CSV))).returncode == 0
    done = await cli(env, tmp_path, "invite", "--desk", LURAH, "--role", "officer")
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"/start [\w-]+", done.stdout.splitlines()[-1])
    assert "Set TELEGRAM_BOT_TOKEN, or start the bot once" in done.stderr
