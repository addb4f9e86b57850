"""Benchmark: import the national desk file, re-import it, and summarise scopes at that size.

Usage (from the repository root):
    python -m benchmarks.bench_import PATH/TO/wilayah.csv
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import peak_rss_mb
from storage import desks as desks_store
from storage.importer import import_desks, parse_desk_csv
from storage.models import utcnow
from storage.sqlite.engine import Database
from storage.tables import read_table


async def main(csv_path: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.db")
        started = time.perf_counter()
        rows = parse_desk_csv(read_table(csv_path))
        parsed = time.perf_counter()
        first = await import_desks(db, rows, "Asia/Jakarta")
        imported = time.perf_counter()
        again = await import_desks(db, parse_desk_csv(read_table(csv_path)), "Asia/Jakarta")
        reimported = time.perf_counter()
        print(f"parse+validate {len(rows)} rows: {parsed - started:.2f} s")
        print(f"first import: {imported - started:.2f} s ({first.inserted} new)")
        print(f"re-import: {reimported - imported:.2f} s ({again.unchanged} unchanged, "
              f"{again.updated} updated)")
        now = utcnow()
        for label, code in (("national (admin)", None), ("province 32 Jawa Barat", "32"),
                            ("kecamatan 31.73.01", "31.73.01")):
            path = None
            if code is not None:
                desk = await desks_store.by_code(db, code)
                assert desk is not None
                path = desk.path
            t0 = time.perf_counter()
            summary = await desks_store.summarize(db, path, now)
            print(f"/status summary, {label}: {summary.total} desks in "
                  f"{(time.perf_counter() - t0) * 1000:.1f} ms")
        await db.close()
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    asyncio.run(main(sys.argv[1]))
