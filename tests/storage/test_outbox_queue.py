"""The sender's queue: each chat's first pending row, in id order, when its time has come, and
at a cost of what is returned rather than of the whole queue."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import outbox
from storage.outbox import Intent
from storage.outbox_kinds import AlertsPayload, OutboxKind
from storage.sqlite.engine import Database

NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(db_path)
    yield database
    await database.close()


async def queue(db: Database, *chats: int) -> list[int]:
    async with db.transaction() as tx:
        return await outbox.enqueue(tx, [Intent(chat, OutboxKind.ALERTS, AlertsPayload((1,)))
                                         for chat in chats], NOW)


async def test_only_each_chats_first_pending_row_and_only_when_due(db: Database) -> None:
    waiting, behind, other, sent, after_sent = await queue(db, 11, 11, 22, 33, 33)
    await outbox.retry_later(db, waiting, NOW + timedelta(minutes=5), "429")
    assert await outbox.mark_sent(db, sent, 900, NOW)
    # Chat 11 waits for its retry, and its second row behind it; chat 33's sent row is past.
    assert [r.id for r in await outbox.due(db, NOW)] == [other, after_sent]
    assert await outbox.next_due_at(db) == NOW  # chat 22's and 33's rows
    assert [r.id for r in await outbox.due(db, NOW, exclude_chats=frozenset({22}))] == [
        after_sent]
    for row_id in (other, after_sent):
        assert await outbox.mark_sent(db, row_id, 901, NOW)
    assert await outbox.due(db, NOW) == []
    assert await outbox.next_due_at(db) == NOW + timedelta(minutes=5)  # not `behind`'s NOW
    assert [r.id for r in await outbox.due(db, NOW + timedelta(minutes=5))] == [waiting]
    assert await outbox.mark_sent(db, waiting, 902, NOW)
    assert [r.id for r in await outbox.due(db, NOW)] == [behind]


async def test_the_limit_takes_the_oldest_chats_first(db: Database) -> None:
    ids = await queue(db, *range(100, 130))
    found = await outbox.due(db, NOW, limit=5, exclude_chats=frozenset({101, 103}))
    assert [r.id for r in found] == [ids[0], ids[2], ids[4], ids[5], ids[6]]


async def test_both_questions_walk_the_pending_rows_of_one_chat_not_group_them_all(
        db: Database) -> None:
    """A wave of 100,000 questions grouped by chat cost 0.6 s a call; the plans must stay
    walks of the pending indexes that stop at the limit, with no sorting of the queue."""
    plans = []
    for sql in (f"SELECT o.id FROM outbox o WHERE {outbox._FIRST_OF_CHAT} "
                "AND o.not_before <= ? ORDER BY o.id LIMIT ?",
                f"SELECT o.not_before FROM outbox o WHERE {outbox._FIRST_OF_CHAT} "
                "ORDER BY o.not_before LIMIT 1"):
        rows = await db.fetchall(f"EXPLAIN QUERY PLAN {sql}", ("x", 1) if "?" in sql else ())
        plans.append(" / ".join(str(row[3]) for row in rows))
    assert "USING INDEX outbox_pending " in plans[0] + " "
    assert "outbox_pending_time" in plans[1]
    for plan in plans:
        assert "outbox_pending_chat (chat_id=? AND id<?)" in plan
        assert "TEMP B-TREE" not in plan and "GROUP BY" not in plan
