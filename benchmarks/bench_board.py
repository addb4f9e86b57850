"""Benchmark: the first ``/rekap`` page for the national admin, a province, a kota, a kecamatan.

Imports the national wilayah file into a temporary database, puts every desk on duty
(00:00-24:00), opens a shift on 90 % of the kelurahan/desa, gives 200 desks a weekday and a
date rule (the desks judged one by one) and opens an alert on 500 short desks. Then times,
for each scope, the storage call plus the rendering of the text and buttons (median of
several runs; the first run is a warm-up).

Usage (from the repository root):
    python -m benchmarks.bench_board PATH/TO/wilayah.csv [RUNS]
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from benchmarks.common import add_members, peak_rss_mb
from bot.handlers.board import render
from storage import board as board_store
from storage import desks as desks_store
from storage.importer import import_desks, parse_desk_csv
from storage.models import Desk, to_db, utcnow
from storage.rules.duty import zone
from storage.sqlite.engine import Database
from storage.tables import read_table

SCOPES = [("national admin", None), ("province 32 Jawa Barat", "32"),
          ("kota 32.01 Kab. Bogor", "32.01"), ("kecamatan 32.01.01 Cibinong", "32.01.01")]


async def prepare(db: Database, path: str) -> tuple[int, int]:
    """Import the national file and staff it; return (desks, open shifts)."""
    await import_desks(db, parse_desk_csv(read_table(path)), "Asia/Jakarta")
    now = utcnow()
    start = to_db(now - timedelta(hours=2))
    rng = random.Random(7)
    async with db.transaction() as tx:
        await tx.execute("UPDATE desks SET duty_hours = '00:00-24:00'")
        desks = list(await (await tx.execute("SELECT id, level FROM desks")).fetchall())
        members, shifts, short = [], [], []
        for desk_id, level in desks:
            if level == "kelurahan_desa" and rng.random() < 0.9:
                members.append((desk_id, f"Petugas {desk_id}", desk_id, "officer", start, start))
                shifts.append((desk_id, desk_id, start, 0.0, start))
            else:
                short.append(desk_id)
        await add_members(tx, members)
        await tx.executemany("INSERT INTO shifts (member_id, desk_id, started_at, distance_m, "
                             "last_seen_at) VALUES (?, ?, ?, ?, ?)", shifts)
        ruled = rng.sample([d for d, _ in desks], 200)
        today = (now + timedelta(hours=7)).date().isoformat()
        await tx.executemany(
            "INSERT INTO duty_rules (desk_id, day, duty_hours, min_staff, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [(d, day, "00:00-24:00", 2, start) for d in ruled for day in ("7", today)])
        await tx.executemany(
            "INSERT INTO alerts (desk_id, short_since, opened_at) VALUES (?, ?, ?)",
            [(d, start, start) for d in rng.sample(short, 500)])
    return len(desks), len(shifts)


async def time_scope(db: Database, scope: Desk | None, runs: int) -> tuple[float, int, int]:
    """Median milliseconds of board + render; the page's line count and the scope's desks."""
    timings = []
    text = ""
    total = 0
    for _ in range(runs + 1):
        t0 = time.perf_counter()
        now = utcnow()
        board = await board_store.load(db, scope, now, 0)
        text, _ = render(board, "id", now, scope.tz if scope else zone("Asia/Jakarta"))
        timings.append(time.perf_counter() - t0)
        total = board.counts.total
    return statistics.median(timings[1:]) * 1000, text.count("\n") + 1, total


async def run(path: str, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        count, shifts = await prepare(db, path)
        print(f"{count} desks, {shifts} open shifts, prepared in "
              f"{time.perf_counter() - t0:.1f} s; median of {runs} runs")
        print(f"{'scope':<30} {'desks':>7} {'lines':>6} {'first page':>11}")
        for label, code in SCOPES:
            scope = await desks_store.by_code(db, code) if code else None
            ms, lines, total = await time_scope(db, scope, runs)
            print(f"{label:<30} {total:>7} {lines:>6} {ms:>9.1f}ms")
        await db.close()
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    asyncio.run(run(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 7))
