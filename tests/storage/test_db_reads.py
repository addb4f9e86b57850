"""Reads see every commit made before them, while other reads and scans run.

The polling loop handles different chats at the same time, so reads from many handlers
interleave on the shared reader connections. A statement left open between two of its steps
(executed, not yet fetched and closed) would hold that connection's snapshot, and a handler
reading right after its own commit could miss it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from storage.sqlite.engine import Database


async def test_a_read_after_a_commit_sees_it_while_other_reads_run(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "reads.db")
    async with db.transaction() as tx:
        await tx.executemany("INSERT INTO meta (key, value) VALUES (?, 'x')",
                             [(f"filler{i}",) for i in range(50)])
    running = True

    async def reader() -> None:
        while running:
            await db.fetchall("SELECT key, value FROM meta")
            await db.scan("SELECT key, value FROM meta")
            await db.fetchone("SELECT count(*) FROM meta")
            await asyncio.sleep(0)  # point reads do not suspend: let the writer in

    others = [asyncio.create_task(reader()) for _ in range(10)]
    try:
        missed = 0
        for i in range(100):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO meta (key, value) VALUES (?, 'v')", (f"k{i}",))
            if await db.fetchval("SELECT value FROM meta WHERE key = ?", (f"k{i}",)) != "v":
                missed += 1
            if await db.scanval("SELECT value FROM meta WHERE key = ?", (f"k{i}",)) != "v":
                missed += 1
        assert missed == 0, f"{missed} of 200 reads did not see the commit before them"
    finally:
        running = False
        await asyncio.gather(*others)
        await db.close()


async def test_fetch_in_reads_every_key_across_chunks(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "in.db")
    try:
        async with db.transaction() as tx:
            await tx.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                                 [(f"k{i}", str(i)) for i in range(2_500)])
        keys = [f"k{i}" for i in range(0, 2_500, 2)] + ["missing"]  # 1,251 keys: two chunks
        rows = await db.fetch_in("SELECT value FROM meta WHERE key IN ({keys})", keys)
        assert sorted(int(r[0]) for r in rows) == list(range(0, 2_500, 2))
        few = await db.fetch_in("SELECT value FROM meta WHERE key IN ({keys})", ["k1", "k2"])
        assert sorted(r[0] for r in few) == ["1", "2"]
        assert await db.fetch_in("SELECT value FROM meta WHERE key IN ({keys})", []) == []
    finally:
        await db.close()
