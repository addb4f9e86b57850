"""Benchmark: a point read on the event loop against the same read through a thread hop.

Imports the national wilayah file, then reads desks by random id (``SELECT * FROM desks
WHERE id = ?``) in two ways:

* **on the loop**: ``Database.fetchone``, the plain ``sqlite3`` connection the store keeps on
  the event loop thread for point reads;
* **hop**: the same statement through the scanner, an ``aiosqlite`` connection on a thread of
  its own (``Database.scan``), which is what a point read would cost on aiosqlite.

Each way runs twice: with the loop idle, and with the loop busy (20 tasks that each work
0.2 ms and yield, as handlers of other chats do during a burst; a tenth as many reads).
Prints the mean and median time per read as the reading coroutine sees it.

Usage (from the repository root):
    python -m benchmarks.bench_reads PATH/TO/wilayah.csv [READS]
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from benchmarks.common import peak_rss_mb
from storage.importer import import_desks, parse_desk_csv
from storage.sqlite.engine import Database
from storage.tables import read_table

SQL = "SELECT * FROM desks WHERE id = ?"


async def busy(stop: asyncio.Event) -> None:
    """Work 0.2 ms, yield, again: the loop never idles while it runs."""
    while not stop.is_set():
        end = time.perf_counter() + 0.0002
        while time.perf_counter() < end:
            pass
        await asyncio.sleep(0)


async def timed(read: Callable[[int], Awaitable[Any]], ids: list[int]) -> list[float]:
    times = []
    for desk_id in ids:
        t0 = time.perf_counter()
        await read(desk_id)
        times.append(time.perf_counter() - t0)
    return times


async def main(path: str, reads: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "reads.db")
        try:
            await import_desks(db, parse_desk_csv(read_table(path)), "Asia/Jakarta")
            top = int(await db.fetchval("SELECT max(id) FROM desks"))
            rng = random.Random(7)
            ways: dict[str, Callable[[int], Awaitable[Any]]] = {
                "on the loop": lambda i: db.fetchone(SQL, (i,)),
                "hop (aiosqlite)": lambda i: db.scan(SQL, (i,)),
            }
            print(f"{top} desks; {reads} reads each way with the loop idle, {reads // 10} busy")
            print(f"{'loop':5} {'way':16} {'mean µs':>8} {'median µs':>10}")
            for loop_state in ("idle", "busy"):
                for name, read in ways.items():
                    count = reads if loop_state == "idle" else reads // 10  # slow when busy
                    ids = [rng.randint(1, top) for _ in range(count)]
                    stop = asyncio.Event()
                    workers = ([asyncio.create_task(busy(stop)) for _ in range(20)]
                               if loop_state == "busy" else [])
                    times = await timed(read, ids)
                    stop.set()
                    await asyncio.gather(*workers)
                    print(f"{loop_state:5} {name:16} {1e6 * statistics.fmean(times):8.0f} "
                          f"{1e6 * statistics.median(times):10.0f}")
        finally:
            await db.close()
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10_000))
