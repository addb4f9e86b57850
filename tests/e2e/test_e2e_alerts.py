"""End to end: an empty desk alerts its lurah, escalates to the camat, is taken and resolved —
also across a SIGKILL of the bot between the alert and the escalation."""

from __future__ import annotations

import asyncio
import csv
import io
import signal
import sqlite3
from pathlib import Path

from tests.support.botapi_stub import SentMessage, SimUser, StubBotAPI
from tests.support.data import JAKARTA_CSV
from tests.support.e2e import BotProcess, bot_env, cli, register

KEL, KEC = "31.73.01.1001", "31.73.01"
LURAH, CAMAT, OFFICER, BABINSA = 5001, 5002, 5003, 5004
FAST = {"POSKO_SWEEP_INTERVAL": "1", "POSKO_UNATTENDED_GRACE": "2",
        "POSKO_ESCALATION_STEPS": "4,4"}


def _desks_csv(path: Path, on_duty: set[str]) -> tuple[float, float]:
    """The Jakarta desks with no duty except ``on_duty`` (round the clock); KEL's location."""
    with JAKARTA_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    out = io.StringIO()
    writer = csv.DictWriter(out, [*rows[0].keys(), "duty_hours"])
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "duty_hours": "00:00-24:00" if row["code"] in on_duty else "-"})
    path.write_text(out.getvalue(), encoding="utf-8")
    kel = next(r for r in rows if r["code"] == KEL)
    return float(kel["latitude"]), float(kel["longitude"])


async def _setup(stub: StubBotAPI, tmp_path: Path) -> tuple[BotProcess, dict[str, SimUser],
                                                            tuple[float, float]]:
    env = bot_env(stub, tmp_path, **FAST)
    quiet = tmp_path / "quiet.csv"
    where = _desks_csv(quiet, set())
    assert (await cli(env, tmp_path, "import-desks", str(quiet))).returncode == 0
    bot = BotProcess(env, tmp_path)
    bot.start()
    await stub.wait_for_call("setMyCommands", timeout=30)
    users = {"lurah": stub.user(LURAH, "Lurah", "Cengkareng"),
             "camat": stub.user(CAMAT, "Camat", "Cengkareng"),
             "officer": stub.user(OFFICER, "Budi", "Santoso"),
             "babinsa": stub.user(BABINSA, "Babinsa", "Cengkareng")}
    await register(stub, env, tmp_path, users["lurah"], KEL, "supervisor")
    await register(stub, env, tmp_path, users["camat"], KEC, "supervisor")
    await register(stub, env, tmp_path, users["officer"], KEL, "officer")
    # A partner liaison hears of reports, never of empty desks (see the test below).
    await register(stub, env, tmp_path, users["babinsa"], KEL, "partner", "--agency", "tni")
    users["officer"].send_location(*where)
    await stub.wait_for_message(OFFICER, contains="Check-in tercatat")
    # Duty starts now for the kelurahan (the CLI writes while the bot runs).
    duty = tmp_path / "duty.csv"
    _desks_csv(duty, {KEL})
    done = await cli(env, tmp_path, "import-desks", str(duty))
    assert "1 updated" in done.stdout, done.stdout + done.stderr
    users["officer"].send_text("/checkout")
    question = await stub.wait_for_message(OFFICER, contains="Tetap check-out?")
    users["officer"].press(question, question.buttons()[0][1])
    await stub.wait_for_message(OFFICER, contains="Check-out tercatat")
    return bot, users, where


async def _recorded_as_sent(db_file: Path, chat: int, wait_s: float = 10) -> None:
    """Wait until the bot's database says a message to ``chat`` was accepted by Telegram."""
    deadline = asyncio.get_running_loop().time() + wait_s
    while True:
        with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True) as conn:
            sent = conn.execute("SELECT count(*) FROM outbox WHERE chat_id = ? AND sent_at IS "
                                "NOT NULL", (chat,)).fetchone()[0]
        if sent:
            return
        assert asyncio.get_running_loop().time() < deadline, "delivery never recorded"
        await asyncio.sleep(0.05)


def _alerts(stub: StubBotAPI, chat: int) -> list[SentMessage]:
    return [m for m in stub.sent(chat) if "Posko kosong" in (m.text or "")]


async def _take_and_resolve(stub: StubBotAPI, users: dict[str, SimUser],
                            where: tuple[float, float]) -> None:
    lurah_alert = _alerts(stub, LURAH)[0]
    ack = next(data for text, data in lurah_alert.buttons() if data.startswith("ack:"))
    users["lurah"].press(lurah_alert, ack)
    for chat in (LURAH, CAMAT):
        taken = await stub.wait_for_message(
            chat, predicate=lambda m: "Ditangani oleh Lurah Cengkareng" in (m.text or ""))
        assert not any(d.startswith("ack:") for _, d in taken.buttons())
    users["officer"].send_location(*where)
    await stub.wait_for_message(OFFICER, contains="Check-in tercatat")
    for chat in (LURAH, CAMAT):
        over = await stub.wait_for_message(chat, contains="Peringatan selesai")
        assert "Cengkareng Barat: kosong" in (over.text or "")


async def test_alert_escalation_ack_resolve(stub: StubBotAPI, tmp_path: Path) -> None:
    bot, users, where = await _setup(stub, tmp_path)
    try:
        alert = await stub.wait_for_message(LURAH, contains="Posko kosong", timeout=15)
        assert "Cengkareng Barat" in (alert.text or "") and "Budi Santoso" in (alert.text or "")
        assert [t for t, _ in alert.buttons()] == ["🙋 Saya tangani", "👁 Lihat posko"]
        assert _alerts(stub, CAMAT) == []  # not yet: the camat hears after the first step
        escalated = await stub.wait_for_message(CAMAT, contains="Posko kosong", timeout=15)
        assert "diteruskan ke atasan" in (escalated.text or "")
        await _take_and_resolve(stub, users, where)
        assert len(_alerts(stub, LURAH)) == 1 and len(_alerts(stub, CAMAT)) == 1
        assert _alerts(stub, BABINSA) == [] and not [
            m for m in stub.sent(BABINSA) if "Peringatan selesai" in (m.text or "")]
        assert await bot.stop() == 0
    finally:
        bot.kill()
    assert stub.token not in bot.log_text()


async def test_killed_between_alert_and_escalation(stub: StubBotAPI, tmp_path: Path) -> None:
    bot, users, where = await _setup(stub, tmp_path)
    try:
        await stub.wait_for_message(LURAH, contains="Posko kosong", timeout=15)
        # Kill once the bot has recorded the delivery. (Killed between Telegram's "ok" and
        # that commit, the bot would send the alert again after the restart: the Bot API has
        # no idempotency key, so that one window is at-least-once, as the README says.)
        await _recorded_as_sent(tmp_path / "posko.db", LURAH)
        assert await bot.stop(signal.SIGKILL) == -signal.SIGKILL
        await asyncio.sleep(5)  # the escalation falls due while the bot is down
        assert _alerts(stub, CAMAT) == []
        bot.start()
        await stub.wait_for_message(CAMAT, contains="Posko kosong", timeout=20)
        await _take_and_resolve(stub, users, where)
        # Nothing was sent twice: one alert each, one resolution each.
        assert len(_alerts(stub, LURAH)) == 1 and len(_alerts(stub, CAMAT)) == 1
        for chat in (LURAH, CAMAT):
            assert len([m for m in stub.sent(chat)
                        if "Peringatan selesai" in (m.text or "")]) == 1
        assert await bot.stop() == 0
    finally:
        bot.kill()
