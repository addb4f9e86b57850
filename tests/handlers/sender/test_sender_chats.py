"""Chats that change under the sender: a group upgraded to a supergroup, a row that can never
be sent, which must not hold up its chat for ever, and a long queue of chats."""

from __future__ import annotations

import logging
import os

os.environ.setdefault("PTB_TIMEDELTA", "1")

from bot.outbox.sender import Sender
from storage import outbox
from storage.models import to_db, utcnow
from tests.support.sender import FAST, FakeRenderer, add_desk, enqueue, row, texts


async def subscribe(db, chat_id: int) -> None:
    desk = await add_desk(db)
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO subscriptions (chat_id, desk_id, created_at) "
                         "VALUES (?, ?, ?)", (chat_id, desk, to_db(utcnow())))


async def test_an_edit_queued_for_an_upgraded_group_is_sent_anew_there(stub, db, bot) -> None:
    """The alert reached the group; the group became a supergroup; someone took the alert.
    The edit of the old message cannot be made under the new id: its current state goes to
    the supergroup as a new message, later edits change that copy, and the subscription stays
    switched on (before, the migration was applied to the new id and switched it off)."""
    await subscribe(db, -600)
    stub.group(-600, "Posko Cengkareng")
    (alert,) = await enqueue(db, (-600, {"text": "🚨 kosong"}))
    assert await Sender(bot, db, FakeRenderer(db), **FAST).drain(timeout=5) == 1
    stub.migrate(-600, -100600)
    await enqueue(db, (-600, {"edit_of": alert, "text": "🚨 kosong — ditangani Budi"}))
    assert await Sender(bot, db, FakeRenderer(db), **FAST).drain(timeout=5) == 1
    assert texts(stub, -100600) == ["🚨 kosong — ditangani Budi"]
    assert [tuple(r) for r in await db.fetchall("SELECT chat_id, active FROM subscriptions")] \
        == [(-100600, 1)]
    moved = await row(db, alert)
    assert moved["chat_id"] == -100600  # the alert's message is now the copy

    await enqueue(db, (-100600, {"edit_of": alert, "text": "✅ selesai"}))
    assert await Sender(bot, db, FakeRenderer(db), **FAST).drain(timeout=5) == 1
    assert texts(stub, -100600) == ["✅ selesai"]  # edited in place, not sent again
    assert await db.fetchval("SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL") == 0


async def test_a_row_that_always_fails_is_given_up_and_the_chat_moves_on(
        stub, db, bot, caplog) -> None:
    """Each retry counts; after max_attempts the row fails with a log line, and the messages
    queued behind it for the same chat go out."""
    stub.user(7100, "Budi")
    broken, after = await enqueue(db, (7100, {"explode_always": True, "text": "x"}),
                                  (7100, {"text": "berikutnya"}))
    sender = Sender(bot, db, FakeRenderer(db), max_backoff=0.05, max_attempts=3, **FAST)
    with caplog.at_level(logging.ERROR, logger="bot.outbox.sender"):
        assert await sender.drain(timeout=10) == 2
    given_up = await row(db, broken)
    assert given_up["failed_at"] is not None and given_up["attempts"] == 3
    assert given_up["error"].startswith("given up after 3 attempts")
    assert sender.given_up == 1  # counted where a metrics page can read it
    assert any("given up after 3 attempts" in r.getMessage() for r in caplog.records)
    assert (await row(db, after))["sent_at"] is not None
    assert texts(stub, 7100) == ["berikutnya"]


async def test_a_long_queue_is_looked_up_a_quarter_of_the_places_at_a_time(
        stub, db, bot, monkeypatch) -> None:
    """While sends are in flight the sender looks for rows again only once a quarter of the
    places have come free: 200 rows with 40 in flight take about 20 looks, not one a send
    (each look walks past the chats in flight). Every row still goes, once."""
    chats = range(8001, 8201)
    for chat in chats:
        stub.user(chat, f"U{chat}")
    await enqueue(db, *[(c, {"text": f"{c}"}) for c in chats])
    looks = 0
    due = outbox.due

    async def counted(*args, **kwargs):
        nonlocal looks
        looks += 1
        return await due(*args, **kwargs)

    monkeypatch.setattr(outbox, "due", counted)
    sender = Sender(bot, db, FakeRenderer(db), global_per_second=200, max_in_flight=40,
                    private_interval=0)  # no chat slots to wake at: finished sends only
    assert await sender.drain(timeout=30) == 200
    assert all(texts(stub, chat) == [f"{chat}"] for chat in chats)
    assert looks <= 200 // 10 + 3
