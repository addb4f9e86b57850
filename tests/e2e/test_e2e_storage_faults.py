"""End to end: ``posko-bot run`` rides out another process holding the database's write lock
for longer than its busy timeout (the CLI importing a large desk file): officers are told the
problem is temporary, the bot keeps running, logs one line for the outage and none of its
tracebacks, and once the lock is released it checks officers in again by itself."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.support.botapi_stub import StubBotAPI
from tests.support.data import JAKARTA_CSV
from tests.support.e2e import BotProcess, bot_env, cli, register
from tests.support.faults import held_lock

LURAH = "31.73.01.1001"
OFFICER = 6101


def _coordinates(code: str) -> tuple[float, float]:
    with JAKARTA_CSV.open(encoding="utf-8") as handle:
        row = next(row for row in csv.DictReader(handle) if row["code"] == code)
    return float(row["latitude"]), float(row["longitude"])


async def test_the_bot_outlives_a_held_lock(stub: StubBotAPI, tmp_path: Path) -> None:
    env = bot_env(stub, tmp_path, POSKO_DB_BUSY_TIMEOUT="0.5")
    assert (await cli(env, tmp_path, "import-desks", str(JAKARTA_CSV))).returncode == 0
    lat, lon = _coordinates(LURAH)
    bot = BotProcess(env, tmp_path)
    bot.start()
    try:
        await stub.wait_for_call("setMyCommands", timeout=30)
        budi = stub.user(OFFICER, "Budi", "Santoso")
        await register(stub, env, tmp_path, budi, LURAH, "officer")
        async with held_lock(tmp_path / "posko.db"):
            seen = len(stub.sent(OFFICER))
            budi.send_location(lat, lon)
            await stub.wait_for_message(OFFICER, contains="untuk sementara terganggu", after=seen,
                                        timeout=30)
            budi.send_text("/bantuan")  # still polling and answering
            await stub.wait_for_message(OFFICER, contains="/checkin", after=seen + 1,
                                        timeout=30)
            assert bot.proc is not None and bot.proc.poll() is None
        seen = len(stub.sent(OFFICER))
        budi.send_location(lat, lon)
        await stub.wait_for_message(OFFICER, contains="Check-in tercatat", after=seen,
                                    timeout=30)
        assert bot.proc.poll() is None
    finally:
        assert await bot.stop() == 0
        bot.kill()
    log = bot.log_text()
    assert log.count("store failing") == 1, log
    assert "database is locked" in log
    assert log.count("store works again") == 1, log
    assert "Traceback" not in log and "terjadi kesalahan" not in str(stub.sent(OFFICER))
