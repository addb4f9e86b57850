"""Benchmark: the outbox sender draining a wave, as a rehearsed 20:00 does.

A wave of pending rows, two to a chat (a digest's text and chart, each chat's second behind
its first), is drained by the real sender (``bot.outbox.sender``) through the real Bot API
call (``bot.outbox.message.deliver``) and python-telegram-bot, against the rehearsal's
simulated Telegram, as fast as it goes: the bot's gate (``bot.outbox.pacing``) unbounded,
100 in flight, no chat interval (the rehearsal's settings). Rendering is a fixed text, so
what is timed is the sender, the store and the call. Reports the wall time, the time per
message and how often the sender looked for due rows (``storage.outbox.due``: each look
walks past the chats in flight).

Usage (from the repository root):
    python -m benchmarks.bench_drain [CHATS]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telegram.ext import ExtBot

from benchmarks.common import peak_rss_mb
from bot.outbox.message import Rendered
from bot.outbox.pacing import PacedRequests, Pacing
from bot.outbox.sender import Sender
from bot.rehearsal.telegram import SimulatedTelegram
from storage import outbox
from storage.models import to_db
from storage.outbox import OutboxRow
from storage.sqlite.engine import Database

NOW = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)
TEXT = "📊 <b>Rekap harian Kelurahan Contoh</b>\nTerisi 97% dari 6 jam tugas."


async def fill(db: Database, chats: int) -> None:
    """Two pending rows a chat, in the order the digest job queues them."""
    stamp = to_db(NOW)
    rows = [(1_000_000 + n, stamp) for n in range(chats) for _ in range(2)]
    async with db.transaction() as tx:
        await tx.executemany("INSERT INTO outbox (chat_id, kind, payload, created_at, "
                             "not_before) VALUES (?1, 'digest', '{}', ?2, ?2)", rows)


async def render(_row: OutboxRow) -> Rendered:
    """The same text for every row."""
    return Rendered(TEXT)


async def run(chats: int) -> None:
    looks = 0
    due = outbox.due

    async def counted(*args: Any, **kwargs: Any) -> list[OutboxRow]:
        nonlocal looks
        looks += 1
        return await due(*args, **kwargs)

    outbox.due = counted  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.db")
        await db.skip_fsync()  # as the rehearsal's copy
        try:
            await fill(db, chats)
            telegram = SimulatedTelegram(lambda: NOW, keep=False)
            pacing = Pacing(1e6)  # the bot's gate, as the rehearsal's: it never waits
            async with ExtBot("1:BENCH", request=telegram, get_updates_request=telegram,
                              rate_limiter=PacedRequests(pacing)) as bot:
                sender = Sender(bot, db, render, pacing=pacing, private_interval=0,
                                group_interval=0, max_in_flight=100)
                started = time.perf_counter()
                sent = await sender.drain(until_empty=False)
                wall = time.perf_counter() - started
        finally:
            await db.close()
    assert sent == 2 * chats, sent
    print(f"{chats:,} chats, {sent:,} messages: {wall:.1f} s, "
          f"{wall / sent * 1000:.2f} ms a message, {looks:,} looks for due rows "
          f"({looks / sent:.2f} a message); peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000))
