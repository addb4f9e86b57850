"""The outbox sender against the stand-in Bot API over HTTP, on a real SQLite file: faults,
limits, edits, obsolete and unreadable rows, stopping and restarting."""

from __future__ import annotations

import asyncio
import logging
import os
import time

os.environ.setdefault("PTB_TIMEDELTA", "1")

from bot.outbox.message import Rendered
from bot.outbox.render import OutboxRenderer
from bot.outbox.sender import Sender
from storage import outbox
from storage.models import to_db, utcnow
from storage.outbox import OutboxRow
from tests.support.sender import (
    FAST,
    FakeRenderer,
    add_desk,
    enqueue,
    row,
    sends_to,
    store,
    texts,
)
from tests.support.settings import make_settings


async def test_faults_deliver_everything_once_in_order(stub, db, bot) -> None:
    chats = [1001, 1002, 1003, 1004, 1005, 1006]
    for chat in chats:
        stub.user(chat, f"U{chat}")
    await enqueue(db, *[(c, {"text": f"{c}-{i}"}) for i in range(3) for c in chats])
    for chat, kind in zip(chats, ["429", "500", "502", "drop", "timeout"], strict=False):
        stub.fail_next("sendMessage", kind, chat_id=chat)
    sender = Sender(bot, db, FakeRenderer(db), **FAST)
    assert await sender.drain(timeout=15) == 18
    for chat in chats:
        # Exactly once: the stub applies a fault before it records the message, so a
        # timed-out send was never delivered here. Against Telegram a timeout may hide a
        # delivered message and the retry would repeat it: the sender is at-least-once.
        assert texts(stub, chat) == [f"{chat}-{i}" for i in range(3)]
    for chat in chats[:5]:  # one failure each, then the retry went through
        assert len(sends_to(stub, chat)) == 4
    assert await outbox.pending_count(db) == 0
    rows = await db.fetchall("SELECT chat_id, attempts, message_id FROM outbox ORDER BY id")
    assert all(r["message_id"] is not None for r in rows)
    assert sorted(r["attempts"] for r in rows if r["attempts"] > 1) == [2] * 5

    t429 = sends_to(stub, 1001)
    assert t429[1] - t429[0] >= 0.95  # retry_after honoured for that chat ...
    others = [c.time for c in stub.calls if c.method == "sendMessage"]
    assert not [t for t in others if t429[0] + 0.15 < t < t429[0] + 0.9]  # ... and for all
    for chat in (1002, 1003, 1004):  # back-off: the first retry waits about a second
        first, second = sends_to(stub, chat)[:2]
        assert 0.95 <= second - first < 1.6


async def test_blocked_user_is_deactivated_not_retried(stub, db, bot) -> None:
    desk = await add_desk(db)
    now = to_db(utcnow())
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO members (telegram_id, full_name, desk_id, role, created_at, updated_at)"
            " VALUES (2001, 'Budi', ?, 'officer', ?, ?), (2002, 'Sari', ?, 'officer', ?, ?)",
            (desk, now, now, desk, now, now))
    stub.user(2001, "Budi")
    stub.user(2002, "Sari")
    stub.block(2001)
    ids = await enqueue(db, (2001, {"text": "a"}), (2002, {"text": "b"}),
                        (2001, {"text": "c"}), (2001, {"text": "d"}))
    assert await Sender(bot, db, FakeRenderer(db), **FAST).drain(timeout=5) == 4
    assert len(sends_to(stub, 2001)) == 1  # the later rows failed without a call
    for i in (0, 2, 3):
        r = await row(db, ids[i])
        assert r["failed_at"] is not None and r["sent_at"] is None
        assert "blocked" in r["error"]
    assert texts(stub, 2002) == ["b"]
    active = dict(await db.fetchall("SELECT telegram_id, active FROM members"))
    assert active == {2001: 0, 2002: 1}


async def test_migrated_group_follows_new_id(stub, db, bot) -> None:
    desk = await add_desk(db)
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO subscriptions (chat_id, desk_id, created_at) "
                         "VALUES (-500, ?, ?)", (desk, to_db(utcnow())))
    stub.group(-500, "Posko DKI")
    stub.migrate(-500, -100500)
    ids = await enqueue(db, (-500, {"text": "satu"}), (-500, {"text": "dua"}))
    assert await Sender(bot, db, FakeRenderer(db), **FAST).drain(timeout=5) == 2
    assert texts(stub, -100500) == ["satu", "dua"]
    assert len(sends_to(stub, -500)) == 1 and texts(stub, -500) == []
    assert await db.fetchval("SELECT chat_id FROM subscriptions") == -100500
    for row_id in ids:
        r = await row(db, row_id)
        assert r["chat_id"] == -100500 and r["sent_at"] is not None


async def test_rate_limits_close_and_never_over(stub, db, bot) -> None:
    stub.enforce_limits = True
    many = list(range(3001, 3041))
    for chat in [*many, 3100]:
        stub.user(chat, f"U{chat}")
    stub.group(-3200, "Posko")
    await enqueue(db, *[(-3200, {"text": f"g{i}"}) for i in range(3)],
                  *[(3100, {"text": f"p{i}"}) for i in range(3)],
                  *[(c, {"text": f"m{c}"}) for c in many])
    start = time.time()
    assert await Sender(bot, db, FakeRenderer(db)).drain(timeout=12) == 46
    assert stub.limit_violations == 0
    distinct = [t for c in many for t in sends_to(stub, c)]
    private, group = sends_to(stub, 3100), sends_to(stub, -3200)
    assert len(distinct) == 40 and len(private) == 3 and len(group) == 3
    # 44 first messages at 30 per second: 30 at once, the rest a second later.
    assert max(distinct) - start < 1.6
    first_second = [c for c in stub.calls if c.method == "sendMessage" and c.time < start + 1]
    assert len(first_second) >= 28
    assert 2.0 <= private[-1] - private[0] < 2.6  # 1 per second per private chat
    assert 6.0 <= group[-1] - group[0] < 6.6  # 20 per minute per group


async def test_edits(stub, db, bot) -> None:
    stub.user(4001, "Budi")
    [first] = await enqueue(db, (4001, {"text": "Alert <b>open</b>"}))
    sender = Sender(bot, db, FakeRenderer(db), **FAST)
    assert await sender.drain(timeout=5) == 1
    edit, same, lost = await enqueue(
        db, (4001, {"edit_of": first, "text": "Alert <i>acked</i>"}),
        (4001, {"edit_of": first, "text": "Alert <i>acked</i>"}),  # not modified
        (4001, {"edit_message": 999, "text": "x"}))
    assert await sender.drain(timeout=5) == 3
    [message] = stub.sent(4001)
    assert message.text == "Alert acked" and message.history == ["Alert open"]
    assert [c.status for c in stub.calls if c.method == "editMessageText"] == [200, 400, 400]
    for row_id in (edit, same):
        r = await row(db, row_id)
        assert r["sent_at"] is not None and r["message_id"] == message.message_id
    r = await row(db, lost)
    assert r["failed_at"] is not None and "not found" in r["error"] and r["attempts"] == 1


async def test_obsolete_renderer_error_and_bad_html(stub, db, bot, caplog) -> None:
    stub.user(5001, "Budi")
    render = FakeRenderer(db)
    obsolete, explode, bad = await enqueue(
        db, (5001, {"obsolete": True}), (5001, {"explode": True, "text": "ok"}),
        (5001, {"text": "<b>unclosed"}))
    with caplog.at_level(logging.INFO, logger="bot.outbox.sender"):
        assert await Sender(bot, db, render, **FAST).drain(timeout=5) == 3
    r = await row(db, obsolete)
    assert r["failed_at"] is not None and r["error"] == "obsolete"
    r = await row(db, explode)  # rendered twice: the exception only delayed it
    assert r["sent_at"] is not None and r["attempts"] == 2 and render.seen.count(explode) == 2
    r = await row(db, bad)
    assert r["failed_at"] is not None and "parse entities" in r["error"]
    assert [m.text for m in stub.sent(5001)] == ["ok"]
    assert len(sends_to(stub, 5001)) == 2  # nothing for the obsolete row
    assert any(rec.levelno == logging.ERROR and "rejected" in rec.getMessage()
               for rec in caplog.records)
    assert await db.fetchval("SELECT count(*) FROM outbox WHERE failed_at IS NULL "
                             "AND sent_at IS NULL") == 0


async def test_unreadable_rows_are_retried(stub, db, bot, tmp_path, caplog) -> None:
    """A row of a kind this version does not know (a newer version wrote it) or with a damaged
    payload fails its render: logged, retried with back-off, other chats unaffected."""
    stub.user(7001, "Budi")
    real, fake = OutboxRenderer(db, make_settings(tmp_path / "posko.db")), FakeRenderer(db)

    async def render(row: OutboxRow) -> Rendered | None:
        return await (fake if row.stored_kind == "test" else real)(row)

    await enqueue(db, (7001, {"text": "still here"}))
    newer, damaged = await store(db, (7002, "broadcast", '{"text":"x"}'),
                                 (7003, "incident", '{"incident":"4"}'))
    with caplog.at_level(logging.ERROR, logger="bot.outbox.sender"):
        assert await Sender(bot, db, render, **FAST).drain(until_empty=False, timeout=5) == 1
    assert texts(stub, 7001) == ["still here"]
    for row_id, error in ((newer, "unknown outbox kind 'broadcast'"),
                          (damaged, "IncidentPayload.incident: expected int, got '4'")):
        r = await row(db, row_id)
        assert r["sent_at"] is None and r["failed_at"] is None and r["attempts"] == 1
        assert r["error"] == f"OutboxFormatError: {error}"
        assert r["not_before"] > r["created_at"]
    assert sum("failed unexpectedly" in rec.getMessage() for rec in caplog.records) == 2


async def test_wake_stop_and_restart(stub, db, bot) -> None:
    stub.user(6001, "Budi")
    stub.user(6002, "Sari")
    sender = Sender(bot, db, FakeRenderer(db))
    runner = asyncio.create_task(sender.run())
    await asyncio.sleep(0.1)  # the loop is idle, polling
    await enqueue(db, (6002, {"text": "now"}))
    sender.wake()
    begin = time.monotonic()
    await stub.wait_for_message(6002, timeout=2)
    assert time.monotonic() - begin < 0.5  # woken, not polled

    await enqueue(db, *[(6001, {"text": f"n{i}"}) for i in range(8)])
    sender.wake()
    await stub.wait_for_message(6001, contains="n1", timeout=3)
    begin = time.monotonic()
    await sender.stop()
    assert time.monotonic() - begin < 0.5
    await asyncio.wait_for(runner, 1)
    delivered = len(stub.sent(6001))
    assert 2 <= delivered < 8
    assert await outbox.pending_count(db) == 8 - delivered

    again = Sender(bot, db, FakeRenderer(db), **FAST)
    assert await again.drain(timeout=5) == 8 - delivered
    assert texts(stub, 6001) == [f"n{i}" for i in range(8)]  # nothing twice
    assert len(sends_to(stub, 6001)) == 8
