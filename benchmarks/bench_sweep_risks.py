"""Benchmark: the empty-desk sweep at 91k desks with risk labels on 10 % of them, against the
same sweep without labels, alternating in one sitting.

The set-up is ``bench_sweep``'s (every desk on duty 00:00-24:00, a shift open at 90 % of the
kelurahan/desa, a supervisor at every kecamatan). The labelled rounds then give 10 % of the
desks, chosen at random with a fixed seed, one or two of ``perbatasan``, ``banjir``,
``konflik`` and ``psu``, under the default rules plus ``banjir:min_staff=2`` (so a flood desk
with one officer is short too) and ``konflik:grace=10m``. A labelled desk is read by the
sweep when it is short of the staff its labels ask for, which may be more than its own.

Times per round: the first sweep (opens every alert), a quiet sweep (nothing changes, the one
that runs every minute) and the sweep that resolves them all.

Usage (from the repository root):
    python -m benchmarks.bench_sweep_risks PATH/TO/wilayah.csv [SIZE] [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from benchmarks.bench_sweep import prepare
from benchmarks.common import peak_rss_mb
from bot.config import parse_duration
from scheduler.sweep import SweepConfig, sweep
from storage.importer import DeskRow, parse_desk_csv
from storage.models import utcnow
from storage.rules.risk import DEFAULT_RULES, parse_rules
from storage.sqlite.engine import Database
from storage.tables import read_table

STEPS = (timedelta(minutes=15), timedelta(minutes=30))
RULES = parse_rules(f"{DEFAULT_RULES};banjir:min_staff=2;konflik:grace=10m", parse_duration)
LABELS = ("perbatasan", "banjir", "konflik", "psu")
SHARE = 0.10


async def label(db: Database, share: float) -> int:
    """Give ``share`` of the desks one or two labels; return how many desks got any."""
    rng = random.Random(11)
    async with db.transaction() as tx:
        ids = [row[0] for row in await tx.execute_fetchall("SELECT id FROM desks")]
        chosen = rng.sample(ids, round(len(ids) * share))
        rows = [(desk_id, name) for desk_id in chosen
                for name in rng.sample(LABELS, 1 if rng.random() < 0.8 else 2)]
        await tx.executemany("INSERT INTO desk_risks (desk_id, label) VALUES (?, ?)", rows)
    return len(chosen)


async def one_round(rows: list[DeskRow], size: int, labelled: bool) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.db")
        try:
            await prepare(db, rows, size)
            count = await label(db, SHARE) if labelled else 0
            config = SweepConfig(timedelta(minutes=15), STEPS, RULES if labelled else {})
            now = utcnow()
            t0 = time.perf_counter()
            opened = await sweep(db, now, config)
            t1 = time.perf_counter()
            quiet = await sweep(db, now + timedelta(seconds=60), config)
            t2 = time.perf_counter()
            async with db.transaction() as tx:
                await tx.execute("UPDATE desks SET duty_hours = '-'")
            resolved = await sweep(db, now + timedelta(seconds=120), config)
            t3 = time.perf_counter()
            assert quiet.opened == quiet.resolved == 0 and resolved.resolved == opened.opened
            return (f"{'labels' if labelled else 'none':>7} {count:>8} {opened.examined:>9} "
                    f"{opened.opened:>7} {t1 - t0:>10.3f}s {t2 - t1:>11.3f}s "
                    f"{t3 - t2:>13.3f}s")
        finally:
            await db.close()


async def run(path: str, size: int, rounds: int) -> None:
    rows = parse_desk_csv(read_table(path))
    print(f"{'round':>7} {'labelled':>8} {'examined':>9} {'alerts':>7} {'open sweep':>11} "
          f"{'quiet sweep':>12} {'resolve sweep':>14}")
    for _ in range(rounds):
        for labelled in (False, True):
            print(await one_round(rows, size, labelled), flush=True)
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("size", nargs="?", type=int, default=91_599)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(run(args.path, args.size, args.rounds))
