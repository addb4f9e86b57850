"""Benchmark: the daily digest of a province and of the whole country.

Imports the national wilayah file, gives 90 % of the kelurahan/desa a day of two shifts with a
gap (08:00-11:00 and 11:20-14:00 WIB-equivalent local hours), opens an alert on every tenth
desk and files a report on every twentieth, then times building the digest (all numbers) and
drawing its chart, for a kecamatan, a province (32 Jawa Barat) and the country.

Usage (from the repository root):
    python -m benchmarks.bench_digest PATH/TO/wilayah.csv
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmarks.common import add_members, peak_rss_mb
from bot.reports.digest import digest_png, digest_text
from scheduler.digest import build_digest
from storage import desks as desks_store
from storage.importer import import_desks, parse_desk_csv
from storage.models import to_db
from storage.sqlite.engine import Database
from storage.tables import read_table

DAY = datetime(2026, 11, 23, tzinfo=ZoneInfo("Asia/Jakarta"))


async def prepare(db: Database, path: str) -> None:
    # The desks exist well before the day, so every one of them counts.
    await import_desks(db, parse_desk_csv(read_table(path)), "Asia/Jakarta",
                       now=DAY - timedelta(days=30))
    rng = random.Random(11)
    async with db.transaction() as tx:
        desks = list(await (await tx.execute(
            "SELECT id, timezone FROM desks WHERE level = 'kelurahan_desa'")).fetchall())
        members, shifts, alerts, incidents = [], [], [], []
        for desk_id, tz in desks:
            local = DAY.replace(tzinfo=ZoneInfo(tz))
            members.append((desk_id, f"P{desk_id}", desk_id, "officer", to_db(local),
                            to_db(local)))
            if rng.random() < 0.9:
                for a, b in ((8 * 60, 11 * 60), (11 * 60 + 20, 14 * 60)):
                    shifts.append((desk_id, desk_id, to_db(local + timedelta(minutes=a)),
                                   to_db(local + timedelta(minutes=b)), "manual", 0.0,
                                   to_db(local + timedelta(minutes=a))))
            if desk_id % 10 == 0:
                opened = to_db(local + timedelta(hours=11, minutes=15))
                acked = to_db(local + timedelta(hours=11, minutes=15 + desk_id % 30))
                alerts.append((desk_id, opened, opened, desk_id, acked, acked))
            if desk_id % 20 == 0:
                made = to_db(local + timedelta(hours=9))
                incidents.append((f"LP-{desk_id}", desk_id, 1, desk_id, desk_id,
                                  rng.choice(["kamtib", "logistik", "kondusif"]), made, made))
        await add_members(tx, members)
        await tx.executemany("INSERT INTO shifts (member_id, desk_id, started_at, ended_at, "
                             "end_reason, distance_m, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             shifts)
        await tx.executemany("INSERT INTO alerts (desk_id, short_since, opened_at, acked_by, "
                             "acked_at, resolved_at, resolution) VALUES (?, ?, ?, ?, ?, ?, "
                             "'staffed')", alerts)
        await tx.executemany("INSERT INTO incidents (ref, desk_id, seq, draft_id, reporter_id, "
                             "category, severity, description, created_at, updated_at) VALUES "
                             "(?, ?, ?, ?, ?, ?, 'sedang', 'x', ?, ?)", incidents)


async def run(path: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.db")
        await prepare(db, path)
        print(f"{'scope':<28} {'desks':>6} {'build':>8} {'text':>7} {'chart':>7}")
        for label, code in (("kecamatan 32.01.01", "32.01.01"), ("province 32 Jawa Barat", "32"),
                            ("national (admin)", None)):
            scope = await desks_store.by_code(db, code) if code else None
            tz = scope.tz if scope else ZoneInfo("Asia/Jakarta")
            end = DAY.replace(hour=20)
            t0 = time.perf_counter()
            digest = await build_digest(db, scope, end, tz, now=end)
            t1 = time.perf_counter()
            digest_text(digest, "id")
            t2 = time.perf_counter()
            await digest_png(digest, "id")
            t3 = time.perf_counter()
            print(f"{label:<28} {digest.desks:>6} {t1 - t0:>7.2f}s {t2 - t1:>6.3f}s "
                  f"{t3 - t2:>6.2f}s")
        await db.close()
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    asyncio.run(run(sys.argv[1]))
