"""Benchmark: the presence pass with an officer on duty at every kelurahan/desa of the country.

Imports the national wilayah file, gives every desk the duty hours 08:00-14:00 (local time of
its zone) and opens a shift for one officer at every kelurahan/desa, started at 01:30 UTC
(08:30 WIB, 09:30 WITA, 10:30 WIT). Then times three passes of ``check_presence`` (asking every
3 h, 30 min to answer), each as ``posko-bot run`` schedules it, on the event loop:

1. 03:00 UTC, a quiet pass: every shift on duty, none due for a question;
2. 04:45 UTC: every officer unseen for 3 h 15 min is asked "Masih bertugas?";
3. on a second database prepared the same way, 07:01 UTC: duty has ended in every zone and
   every shift is closed as ``duty_end``.

While a pass runs, a ticker on the same loop sleeps 1 ms at a time and records how late it
wakes: the longest wait is how long an officer's update could wait behind the pass.

Usage (from the repository root):
    python -m benchmarks.bench_presence PATH/TO/wilayah.csv
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.common import add_members, peak_rss_mb
from scheduler.presence import PresenceConfig, PresenceReport, check_presence
from storage.importer import DeskRow, import_desks, parse_desk_csv
from storage.models import to_db
from storage.sqlite.engine import Database
from storage.tables import read_table

CONFIG = PresenceConfig(every=timedelta(hours=3), timeout=timedelta(minutes=30))
DAY = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday
STARTED = DAY + timedelta(hours=1, minutes=30)
TICK = 0.001


async def prepare(path: Path, rows: list[DeskRow]) -> tuple[Database, int]:
    """A database with the national desks and a shift open at every kelurahan/desa."""
    db = await Database.open(path)
    await import_desks(db, rows, "Asia/Jakarta")
    start = to_db(STARTED)
    async with db.transaction() as tx:
        await tx.execute("UPDATE desks SET duty_hours = '08:00-14:00'", bulk=True)
        cursor = await tx.execute("SELECT id FROM desks WHERE level = 'kelurahan_desa'")
        desks = [int(row[0]) for row in await cursor.fetchall()]
        await add_members(tx, [(desk_id, f"Petugas {desk_id}", desk_id, "officer", start, start)
                               for desk_id in desks])
        await tx.executemany(
            "INSERT INTO shifts (member_id, desk_id, started_at, distance_m, last_seen_at) "
            "VALUES (?, ?, ?, 0.0, ?)", [(desk_id, desk_id, start, start) for desk_id in desks])
    return db, len(desks)


async def timed(db: Database, now: datetime) -> tuple[PresenceReport, float, float]:
    """(report, seconds, longest loop stall in seconds) of one pass at ``now``."""
    stalls: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            t0 = time.perf_counter()
            await asyncio.sleep(TICK)
            stalls.append(time.perf_counter() - t0 - TICK)

    tick = asyncio.create_task(ticker())
    t0 = time.perf_counter()
    report = await check_presence(db, now, CONFIG)
    seconds = time.perf_counter() - t0
    done.set()
    await tick
    return report, seconds, max(stalls, default=0.0)


async def main(csv_path: str) -> None:
    rows = parse_desk_csv(read_table(csv_path))
    with tempfile.TemporaryDirectory() as tmp:
        db, shifts = await prepare(Path(tmp) / "a.db", rows)
        print(f"{shifts} open shifts")
        print(f"{'pass':<34} {'seconds':>8} {'longest stall':>14}  report")
        for name, now in (("03:00 UTC, quiet", DAY + timedelta(hours=3)),
                          ("04:45 UTC, everyone asked", DAY + timedelta(hours=4, minutes=45))):
            report, seconds, stall = await timed(db, now)
            print(f"{name:<34} {seconds:>8.2f} {stall * 1000:>11.0f} ms  {report}")
        asked = await db.scanval("SELECT count(*) FROM outbox WHERE kind = 'presence_check'")
        assert asked == shifts, (asked, shifts)
        await db.close()
        db, shifts = await prepare(Path(tmp) / "b.db", rows)
        report, seconds, stall = await timed(db, DAY + timedelta(hours=7, minutes=1))
        print(f"{'07:01 UTC, duty over everywhere':<34} {seconds:>8.2f} {stall * 1000:>11.0f} ms"
              f"  {report}")
        assert report.duty_ended == shifts, report
        await db.close()
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    asyncio.run(main(sys.argv[1]))
