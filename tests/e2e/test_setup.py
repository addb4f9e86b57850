"""``posko-bot setup`` as a newcomer meets it: a token pasted (badly, then right), checked with
the stand-in Bot API, written to ``.env``; admins added; and the quick start's next step, the
bot answering ``/start`` with the Telegram ID to make oneself an admin."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

from dotenv import dotenv_values

from tests.support.botapi_stub import StubBotAPI
from tests.support.e2e import ROOT, BotProcess, bot_env, cli


def newcomer(stub: StubBotAPI, workdir: Path) -> dict[str, str]:
    """A fresh folder with ``.env.example`` and no token anywhere."""
    shutil.copy(ROOT / ".env.example", workdir / ".env.example")
    env = bot_env(stub, workdir)
    del env["TELEGRAM_BOT_TOKEN"]
    return env


async def test_a_pasted_token_is_checked_and_saved(stub: StubBotAPI, tmp_path: Path) -> None:
    env = newcomer(stub, tmp_path)
    typed = f"not a token\n123456:made-up-token\n  {stub.token}  \n"
    done = await cli(env, tmp_path, "setup", stdin=typed)
    assert done.returncode == 0, done.stderr
    assert "that is not a bot token" in done.stderr  # the first line, said and asked again
    assert "Telegram refuses TELEGRAM_BOT_TOKEN" in done.stderr  # the second
    assert "your bot is @posko_test_bot" in done.stdout
    assert "send /start" in done.stdout and "setup --admin" in done.stdout
    saved = tmp_path / ".env"
    assert dotenv_values(saved)["TELEGRAM_BOT_TOKEN"] == stub.token  # without the spaces
    # Every other line of the template is kept, comments too.
    assert dotenv_values(saved)["POSKO_TIMEZONE"] == "Asia/Jakarta"
    assert "# Required for `posko-bot run`" in saved.read_text()
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600  # the token is a secret
    assert [c.method for c in stub.calls].count("getMe") == 1  # a refused token is not recorded

    # Run again (the README's line does, every time): the saved token is checked, nothing asked.
    before = saved.read_text()
    again = await cli(env, tmp_path, "setup")
    assert again.returncode == 0, again.stderr
    assert saved.read_text() == before


async def test_without_anyone_to_ask_it_stops_with_one_line(stub: StubBotAPI,
                                                            tmp_path: Path) -> None:
    env = newcomer(stub, tmp_path)
    done = await cli(env, tmp_path, "setup")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "posko-bot: no token: run `posko-bot setup` in a terminal and paste it, or "
        "`posko-bot setup --token 123456789:AAH…`"]
    assert not (tmp_path / ".env").exists()
    wrong = "\n".join(["123456:made-up-token"] * 3) + "\n"
    done = await cli(env, tmp_path, "setup", stdin=wrong)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith(
        "posko-bot: Telegram refuses TELEGRAM_BOT_TOKEN")
    assert not (tmp_path / ".env").exists()  # a refused token is never saved
    # Telegram out of reach: said once, and no other token asked for (it would not help).
    offline = newcomer(stub, tmp_path) | {"TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot"}
    done = await cli(offline, tmp_path, "setup", stdin=f"{stub.token}\n{stub.token}\n")
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("posko-bot: could not ask Telegram about the token")
    assert not (tmp_path / ".env").exists()
    offline["TELEGRAM_BOT_TOKEN"] = stub.token  # check-config can skip the question
    done = await cli(offline, tmp_path, "check-config")
    assert done.returncode == 1 and done.stderr.strip().endswith(", or use --offline")


async def test_admins_are_added_and_the_bot_reads_them(stub: StubBotAPI,
                                                       tmp_path: Path) -> None:
    env = newcomer(stub, tmp_path)
    done = await cli(env, tmp_path, "setup", "--token", stub.token, "--admin", "777")
    assert done.returncode == 0, done.stderr
    done = await cli(env, tmp_path, "setup", "--admin", "888", "--admin", "777")
    assert done.returncode == 0, done.stderr
    assert "Admins: 777,888." in done.stdout
    assert dotenv_values(tmp_path / ".env")["POSKO_ADMIN_IDS"] == "777,888"
    bad = await cli(env, tmp_path, "setup", "--admin", "@budi")
    assert bad.returncode == 2
    assert "a Telegram user id is a number" in bad.stderr
    assert dotenv_values(tmp_path / ".env")["POSKO_ADMIN_IDS"] == "777,888"


async def test_the_quick_start_from_setup_to_becoming_an_admin(stub: StubBotAPI,
                                                               tmp_path: Path) -> None:
    """The README's steps: setup, run, /start shows the ID, setup --admin, run: an admin."""
    env = newcomer(stub, tmp_path)
    assert (await cli(env, tmp_path, "setup", stdin=stub.token + "\n")).returncode == 0
    bot = BotProcess(env, tmp_path)  # no token in the environment: .env holds it
    bot.start()
    try:
        await stub.wait_for_call("setMyCommands", timeout=30)
        sekretariat = stub.user(5150, "Sekretariat", "Desk")
        sekretariat.send_text("/start")
        shown = await stub.wait_for_message(5150, contains="ID Telegram Anda")
        assert (shown.text or "").endswith("ID Telegram Anda: 5150")  # as the user sees it
        assert await bot.stop() == 0
        done = await cli(env, tmp_path, "setup", "--admin", "5150")
        assert done.returncode == 0, done.stderr
        bot.start()  # the bot fetches what was sent while it was stopped
        seen = len(stub.sent(5150))
        sekretariat.send_text("/rekap")  # an admin's command: a stranger is refused it
        board = await stub.wait_for_message(5150, after=seen, timeout=30)
        assert "Seluruh wilayah" in (board.text or "")  # the admin's whole installation
    finally:
        bot.kill()
