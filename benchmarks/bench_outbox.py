"""Benchmark: the sender's two questions with a national wave queued.

A database with a day's history (300,000 messages sent to 200,000 chats) and then a wave of
100,000 pending rows, one per officer (a presence question each, as at 11:00 of voting day).
The sender asks, after every send, for the first pending row of each chat that is due
(``storage.outbox.due``, 200 at a time) and when the next one is due
(``storage.outbox.next_due_at``). Each is timed through the store, against the same
questions asked the way they were before migration 18 (every pending row grouped by chat),
in the same run on the same file; the answers are checked equal.

Usage (from the repository root):
    python -m benchmarks.bench_outbox [PENDING]
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.common import peak_rss_mb
from storage import outbox
from storage.models import to_db
from storage.sqlite.engine import Database

HISTORY = 300_000
NOW = datetime(2026, 11, 27, 4, 0, tzinfo=UTC)
# The questions as they were asked before: every pending row grouped by chat, each call.
GROUPED_DUE = ("SELECT o.id FROM outbox o JOIN (SELECT chat_id, min(id) AS first FROM outbox "
               "WHERE sent_at IS NULL AND failed_at IS NULL GROUP BY chat_id) f "
               "ON f.first = o.id WHERE o.not_before <= ? ORDER BY o.id LIMIT ?")
GROUPED_NEXT = ("SELECT min(o.not_before) FROM outbox o JOIN (SELECT min(id) AS first "
                "FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL GROUP BY chat_id) f "
                "ON f.first = o.id")


async def fill(db: Database, pending: int) -> None:
    """The day's history, then the wave."""
    rng = random.Random(3)
    stamp = to_db(NOW)
    rows: list[tuple[Any, ...]] = [(rng.randrange(200_000), stamp) for _ in range(HISTORY)]
    async with db.transaction() as tx:
        await tx.executemany("INSERT INTO outbox (chat_id, kind, payload, created_at, "
                             "not_before, sent_at) VALUES (?1, 'alerts', '{\"alerts\":[1]}', "
                             "?2, ?2, ?2)", rows)
        await tx.executemany("INSERT INTO outbox (chat_id, kind, payload, created_at, "
                             "not_before) VALUES (?, 'presence_check', '{}', ?, ?)",
                             [(1_000_000 + n, stamp, stamp) for n in range(pending)])


async def timed(call: Callable[[], Awaitable[Any]], rounds: int = 7) -> tuple[float, Any]:
    """Median seconds of ``rounds`` calls, and the last answer."""
    times, answer = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        answer = await call()
        times.append(time.perf_counter() - started)
    return statistics.median(times), answer


async def run(pending: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.db")
        try:
            await fill(db, pending)
            due_s, due = await timed(lambda: outbox.due(db, NOW))
            old_due_s, old_due = await timed(lambda: db.scan(GROUPED_DUE, (to_db(NOW), 200)))
            next_s, nxt = await timed(lambda: outbox.next_due_at(db))
            old_next_s, old_next = await timed(lambda: db.scanval(GROUPED_NEXT))
        finally:
            await db.close()
    assert [row.id for row in due] == [row[0] for row in old_due]
    assert nxt is not None and to_db(nxt) == old_next
    print(f"{HISTORY:,} sent, {pending:,} pending (medians of 7 calls)")
    print(f"  due (200 rows):  {due_s * 1000:8.2f} ms walked, "
          f"{old_due_s * 1000:8.2f} ms grouped ({old_due_s / due_s:,.0f}x)")
    print(f"  next due time:   {next_s * 1000:8.2f} ms walked, "
          f"{old_next_s * 1000:8.2f} ms grouped ({old_next_s / next_s:,.0f}x)")
    print(f"  peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
