"""Benchmark: one empty-desk sweep at 1k, 10k and the national 91k desks.

Imports the national wilayah file, keeps the first N desks (by code), puts every desk on duty
(00:00-24:00), opens a shift on 90 % of the kelurahan/desa and registers a supervisor at every
kecamatan, so 10 % of the desks are short. Then times: the first sweep (opens every alert with
its grouped intents), a quiet sweep (nothing changes), and the sweep that resolves them all.

Usage (from the repository root):
    python -m benchmarks.bench_sweep PATH/TO/wilayah.csv [SIZES...]
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from benchmarks.common import add_members, peak_rss_mb
from scheduler.sweep import SweepConfig, sweep
from storage.importer import DeskRow, import_desks, parse_desk_csv
from storage.models import to_db, utcnow
from storage.sqlite.engine import Database
from storage.tables import read_table

CONFIG = SweepConfig(timedelta(minutes=15), (timedelta(minutes=15), timedelta(minutes=30)))


async def prepare(db: Database, rows: list[DeskRow], size: int) -> int:
    """Import ``size`` desks, staff 90 % of the lowest level; return how many are short."""
    chosen = rows[:size]
    await import_desks(db, chosen, "Asia/Jakarta")
    start = to_db(utcnow() - timedelta(hours=2))
    rng = random.Random(7)
    async with db.transaction() as tx:
        await tx.execute("UPDATE desks SET duty_hours = '00:00-24:00'")
        desks = list(await (await tx.execute("SELECT id, level FROM desks")).fetchall())
        members, shifts = [], []
        for desk_id, level in desks:
            if level == "kecamatan":
                members.append((1_000_000 + desk_id, f"Camat {desk_id}", desk_id, "supervisor",
                                start, start))
            elif level == "kelurahan_desa" and rng.random() < 0.9:
                members.append((desk_id, f"Petugas {desk_id}", desk_id, "officer", start, start))
                shifts.append((desk_id, desk_id, start, 0.0, start))
        await add_members(tx, members)
        await tx.executemany("INSERT INTO shifts (member_id, desk_id, started_at, distance_m, "
                             "last_seen_at) VALUES (?, ?, ?, ?, ?)", shifts)
    return len(desks) - len(shifts)


async def run(path: str, sizes: list[int]) -> None:
    rows = parse_desk_csv(read_table(path))
    print(f"{'desks':>7} {'short':>6} {'open sweep':>11} {'quiet sweep':>12} "
          f"{'resolve sweep':>14} {'intents':>8}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            db = await Database.open(Path(tmp) / "bench.db")
            try:
                short = await prepare(db, rows, size)
                now = utcnow()
                t0 = time.perf_counter()
                opened = await sweep(db, now, CONFIG)
                t1 = time.perf_counter()
                await sweep(db, now + timedelta(seconds=60), CONFIG)
                t2 = time.perf_counter()
                async with db.transaction() as tx:
                    await tx.execute("UPDATE desks SET duty_hours = '-'")
                resolved = await sweep(db, now + timedelta(seconds=120), CONFIG)
                t3 = time.perf_counter()
                assert opened.opened == short and resolved.resolved == short, (opened, resolved)
                print(f"{size:>7} {short:>6} {t1 - t0:>10.3f}s {t2 - t1:>11.3f}s {t3 - t2:>13.3f}s "
                      f"{opened.messages:>8}")
            finally:
                await db.close()  # an open store's threads keep the process alive
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    sizes = [int(s) for s in sys.argv[2:]] or [1_000, 10_000, 91_599]
    asyncio.run(run(sys.argv[1], sizes))
