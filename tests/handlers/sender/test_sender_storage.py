"""The sender while the store cannot write (another process holds the write lock, as a desk
import does): the loop goes on, nothing is lost, nothing Telegram accepted is sent twice."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from contextlib import closing

os.environ.setdefault("PTB_TIMEDELTA", "1")

from bot.outbox.sender import Sender
from storage import outbox
from tests.support.sender import FAST, FakeRenderer, enqueue, texts

CHATS = (7101, 7102, 7103)


async def test_a_locked_store_delays_the_marks_and_repeats_nothing(stub, db, bot,
                                                                   caplog) -> None:
    for chat in CHATS:
        stub.user(chat, f"U{chat}")
    await enqueue(db, *[(c, {"text": f"{c}-{i}"}) for i in range(2) for c in CHATS])
    await db._writer.execute("PRAGMA busy_timeout = 50")  # "locked" at once, not in 10 s
    sender = Sender(bot, db, FakeRenderer(db), max_backoff=0.5, **FAST)
    caplog.set_level(logging.INFO, "bot.outbox.sender")
    with closing(sqlite3.connect(db.path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        runner = asyncio.create_task(sender.run())
        for chat in CHATS:  # reading works: the first messages go out
            await stub.wait_for_message(chat, contains=f"{chat}-0", timeout=10)
        await asyncio.sleep(2)  # the outage lasts a while; the sender keeps trying
        assert not runner.done()
        other.execute("ROLLBACK")
    for chat in CHATS:
        await stub.wait_for_message(chat, contains=f"{chat}-1", timeout=10)
    while await outbox.pending_count(db):
        assert not runner.done()
        await asyncio.sleep(0.05)
    await sender.stop()
    await asyncio.wait_for(runner, 5)
    for chat in CHATS:  # each once, in order: the mark was retried, not the message
        assert texts(stub, chat) == [f"{chat}-0", f"{chat}-1"]
    marked = await db.fetchall("SELECT message_id FROM outbox WHERE sent_at IS NOT NULL")
    assert len(marked) == 2 * len(CHATS) and all(r["message_id"] for r in marked)
    assert sum("cannot be marked yet" in r.getMessage() for r in caplog.records) == len(CHATS)
