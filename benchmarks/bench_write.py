"""Benchmark: what one lone write transaction costs through the store.

A write with no other writer around (most of a rehearsed day, and every quiet moment of the
live bot): ``storage.meta.put`` in a loop, on a database without fsync so that the store's
own work is what is timed, not the disk. Reports the microseconds a write and how many turns
of the event loop it took, and a scan's hop to the scanner's thread beside it.

Usage (from the repository root):
    python -m benchmarks.bench_write [WRITES]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from storage import meta
from storage.sqlite.engine import Database


async def run(writes: int) -> None:
    loop = asyncio.get_running_loop()
    turns = 0
    run_once = loop._run_once  # type: ignore[attr-defined]

    def counted() -> None:
        nonlocal turns
        turns += 1
        run_once()

    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.db")
        await db.skip_fsync()
        try:
            for i in range(200):  # warm up
                await meta.put(db, "k", str(i))
            loop._run_once = counted  # type: ignore[attr-defined]
            started = time.perf_counter()
            for i in range(writes):
                await meta.put(db, "k", str(i))
            wall = time.perf_counter() - started
            loop._run_once = run_once  # type: ignore[attr-defined]
            started = time.perf_counter()
            for _ in range(writes):
                await db.scan("SELECT 1")
            hop = time.perf_counter() - started
        finally:
            await db.close()
    print(f"{writes:,} lone writes: {wall / writes * 1e6:.0f} us a write, "
          f"{turns / writes:.1f} turns of the event loop; a scan's hop {hop / writes * 1e6:.0f} us")


if __name__ == "__main__":
    asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else 5_000))
