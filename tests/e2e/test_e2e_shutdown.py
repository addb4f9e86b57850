"""A clean stop: ``posko-bot run`` sent SIGTERM in the middle of a burst of check-ins exits with
code 0 within ``CLEAN_STOP_S``, as a service manager expects (systemd's ``TimeoutStopSec``,
Docker's stop timeout), having handled and committed every update it had fetched and confirmed
to Telegram none it had not handled; what was not fetched, or handled but not confirmed on the
way out, comes again after the restart and is handled once (the recorded handled prefix).

SIGKILL, the unclean stop, is ``test_e2e_crash.py``'s."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from tests.support.botapi_stub import SimUser, StubBotAPI
from tests.support.e2e import (
    CLEAN_STOP_S,
    BotProcess,
    bot_env,
    cli,
    insert_members,
    kelurahan_file,
)
from tests.support.waiting import until

OFFICERS = 60
FIRST_ID = 7000
SAVED = "Check-in tercatat"


async def _burst(users: list[SimUser], desks: list[dict[str, str]]) -> dict[int, int]:
    """Every officer sends their location at their desk, 50 a second; {update_id: officer}."""
    sent = {}
    for user, desk in zip(users, desks, strict=True):
        sent[user.send_location(float(desk["latitude"]), float(desk["longitude"]))] = user.id
        await asyncio.sleep(0.02)
    return sent


async def _stop_timed(bot: BotProcess) -> tuple[int, float]:
    """SIGTERM; (exit code, seconds until the process was gone)."""
    start = time.monotonic()
    code = await bot.stop(signal.SIGTERM, wait_s=60)  # generous: the bound is asserted apart
    return code, time.monotonic() - start


def _shifts(db_file: Path) -> dict[int, list[tuple[int, int | None]]]:
    """{officer: [(update_id, ended_at is null)]} of every shift in the database."""
    found: dict[int, list[tuple[int, int | None]]] = {}
    with closing(sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)) as conn:
        for member, update_id, open_ in conn.execute(
                "SELECT member_id, update_id, ended_at IS NULL FROM shifts"):
            found.setdefault(member, []).append((update_id, open_))
    return found


def _saved_replies(stub: StubBotAPI, user: SimUser) -> int:
    return sum(SAVED in (m.text or "") for m in stub.sent(user.id))


async def test_sigterm_during_a_burst_of_checkins_stops_within_bound_losing_nothing(
        stub: StubBotAPI, tmp_path: Path) -> None:
    # Locations wait at Telegram across the restart: their age must not refuse them.
    env = bot_env(stub, tmp_path, POSKO_LOCATION_MAX_AGE="10m")
    desk_file = tmp_path / "quiet.csv"
    desks = kelurahan_file(desk_file, OFFICERS)
    assert (await cli(env, tmp_path, "import-desks", str(desk_file))).returncode == 0
    db_file = tmp_path / "posko.db"
    insert_members(db_file, desks, FIRST_ID, "officer", "Petugas")
    users = [stub.user(FIRST_ID + i, f"Petugas {i}") for i in range(OFFICERS)]
    by_id = {u.id: u for u in users}
    bot = BotProcess(env, tmp_path)
    bot.start()
    try:
        await stub.wait_for_call("setMyCommands", timeout=60)
        burst = asyncio.create_task(_burst(users, desks))
        await stub.wait_for_message(users[0].id, contains=SAVED, timeout=60)
        code, took = await _stop_timed(bot)  # while the burst is still being handled
        answered = sum(_saved_replies(stub, u) for u in users)
        sent = await burst
        assert code == 0, bot.log_text()
        assert took < CLEAN_STOP_S, f"SIGTERM took {took:.1f} s"
        assert answered < OFFICERS  # the stop came during the burst, not after it

        # Nothing lost: what the bot confirmed to Telegram it had handled, committed and
        # answered once. (It may have handled more than it managed to confirm on the way out:
        # those come again and are skipped by the recorded handled prefix, checked below.)
        confirmed = set(sent) - {u["update_id"] for u in stub.updates}
        handled = {uid for rows in _shifts(db_file).values() for uid, _ in rows}
        assert confirmed <= handled
        for update_id in handled:
            assert _saved_replies(stub, by_id[sent[update_id]]) == 1

        bot.start()
        for user in users:
            await stub.wait_for_message(user.id, contains=SAVED, timeout=60)
        await until(lambda: stub.pending_updates() == 0)  # the next poll confirms the last
        code, took = await _stop_timed(bot)
        assert code == 0, bot.log_text()
        assert took < CLEAN_STOP_S, f"SIGTERM took {took:.1f} s"
    finally:
        bot.kill()
    assert stub.pending_updates() == 0  # every update was handled and confirmed
    shifts = _shifts(db_file)
    for user in users:  # one shift each, still open, and one answer: nothing twice
        assert [open_ for _, open_ in shifts.get(user.id, [])] == [1], user.id
        assert _saved_replies(stub, user) == 1, user.id
    log = bot.log_text()
    assert "Traceback" not in log and stub.token not in log
