"""Direct replies within Telegram's flood limits, through the real application, its polling
loop and the stand-in Bot API: a reply refused with 429 is sent again after ``retry_after``,
and a burst of officers checking in at once is answered within 30 messages a second overall,
counted together with the outbox (``bot.outbox.pacing``)."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bot.updates import polling
from scheduler.sweep import SweepConfig, sweep
from storage.models import utcnow
from storage.sqlite.engine import Database
from tests.handlers.test_polling import running
from tests.support.botapi_stub import StubBotAPI

USER = 7001
OFFICERS = 100  # check in at once at the first kelurahan desks
SUPERVISORS = 60  # at the next ones, empty round the clock: alerted through the outbox


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(polling, "POLL_TIMEOUT", 0.2)  # stopping does not wait for a poll


def _sends(stub: StubBotAPI, chat_id: int, method: str = "sendMessage") -> list[tuple[float, int]]:
    return [(c.time, c.status) for c in stub.calls
            if c.method == method and c.params.get("chat_id") == chat_id]


async def test_a_reply_refused_with_429_is_sent_after_retry_after(stub: StubBotAPI,
                                                                  db_path: Path) -> None:
    user = stub.user(USER, "Budi")
    stub.fail_next("sendMessage", "429", retry_after=1, chat_id=USER)
    async with running(stub, db_path):
        user.send_text("/bantuan")
        await stub.wait_for_message(USER, timeout=20)
    (refused, first), (sent, status) = _sends(stub, USER)
    assert (first, status) == (429, 200)
    assert sent - refused >= 0.95  # after the pause Telegram asked for


async def test_a_popup_refused_with_429_is_answered_after_retry_after(stub: StubBotAPI,
                                                                      db_path: Path) -> None:
    user = stub.user(USER, "Budi")
    async with running(stub, db_path):
        user.send_text("/bantuan")
        message = await stub.wait_for_message(USER, timeout=20)
        stub.fail_next("answerCallbackQuery", "429", retry_after=1)
        user.press(message, "no-such-button", strict=False)
        await stub.wait_for_call("answerCallbackQuery", lambda c: c.status == 200, timeout=20)
    statuses = [c.status for c in stub.calls if c.method == "answerCallbackQuery"]
    assert statuses == [429, 200]


def _members(db_path: Path) -> tuple[list[tuple[int, float, float]], list[int]]:
    """OFFICERS officers, then SUPERVISORS supervisors of desks on duty without anybody, one
    per kelurahan desk: ([(telegram id, latitude, longitude)], [telegram id])."""
    with sqlite3.connect(db_path) as conn:
        desks = conn.execute(
            "SELECT id, latitude, longitude FROM desks WHERE level = 'kelurahan_desa' "
            "ORDER BY code LIMIT ?", (OFFICERS + SUPERVISORS,)).fetchall()
        for i, (desk_id, _, _) in enumerate(desks):
            role = "officer" if i < OFFICERS else "supervisor"
            conn.execute(
                "INSERT INTO members (telegram_id, full_name, desk_id, role, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, '2026-01-01T00:00:00.000000Z', "
                "'2026-01-01T00:00:00.000000Z')", (8000 + i, f"Anggota {i}", desk_id, role))
            if role == "supervisor":
                conn.execute("UPDATE desks SET duty_hours = '00:00-24:00' WHERE id = ?",
                             (desk_id,))
    officers = [(8000 + i, lat, lon) for i, (_, lat, lon) in enumerate(desks[:OFFICERS])]
    return officers, [8000 + i for i in range(OFFICERS, len(desks))]


async def test_replies_and_the_outbox_share_30_messages_a_second(stub: StubBotAPI,
                                                                 db_path: Path) -> None:
    """100 officers check in at once while the outbox alerts 60 supervisors: everybody
    gets their message, and the stand-in (refusing with 429 beyond 30 messages in any second,
    as Telegram does) never saw more than 30 in a second."""
    officers, supervisors = _members(db_path)
    users = {user_id: stub.user(user_id, f"Petugas {user_id}") for user_id, _, _ in officers}
    for user_id in supervisors:
        stub.user(user_id, f"Lurah {user_id}")
    db = await Database.open(db_path)
    try:  # the sweep opens an alert for each empty desk; the sender starts with them
        opened = await sweep(db, utcnow(), SweepConfig(timedelta(minutes=15),
                                                       (timedelta(hours=6),)))
        assert opened.messages == SUPERVISORS
    finally:
        await db.close()
    stub.enforce_overall = True
    async with running(stub, db_path):
        await stub.wait_for_message(supervisors[0], timeout=60)  # the outbox is sending
        for user_id, lat, lon in officers:
            users[user_id].send_location(lat, lon)
        await asyncio.gather(
            *(stub.wait_for_message(user_id, contains="Check-in tercatat", timeout=60)
              for user_id in users),
            *(stub.wait_for_message(user_id, timeout=60) for user_id in supervisors))
    assert stub.busiest_second() <= 30
    assert stub.limit_violations == 0
