"""Benchmark: a rehearsed duty day (``posko-bot rehearse``) of one or more scopes.

Each scope is imported alone from the desk file (with its ancestors) into a temporary
database, then a day is rehearsed on it with the default synthetic actors and settings: the
real handlers, jobs (a sweep every simulated minute), renderers and store, against the
simulated Telegram. Reports the wall and CPU time, the cost per desk-day (to size larger runs),
the messages and the peak memory of the process.

Usage (from the repository root):
    python -m benchmarks.bench_rehearse tests/data/wilayah_31_jakarta.csv 31
    python -m benchmarks.bench_rehearse PATH/TO/wilayah.csv 51 72
    python -m benchmarks.bench_rehearse PATH/TO/wilayah.csv all --progress

``all`` rehearses every desk of the file (the national day). ``--progress`` prints each
simulated hour as it is reached, with the wall time and memory so far.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from benchmarks.common import peak_rss_mb
from bot.config import load_settings
from bot.rehearsal.report import summary
from bot.rehearsal.runner import Plan, Rehearsal
from storage.importer import import_desks, parse_desk_csv, within_scope
from storage.sqlite.engine import Database
from storage.tables import read_table


def _hourly(started: float) -> Callable[[str], None]:
    """A rehearsal log that prints only the hour marks, with the wall time and memory."""
    def log(line: str) -> None:
        if line.startswith("──"):
            print(f"  {line} after {time.perf_counter() - started:7.1f} s, "
                  f"peak RSS {peak_rss_mb():.0f} MB", flush=True)
    return log


async def one(csv_path: str, scope: str, day: date, progress: bool) -> None:
    rows = parse_desk_csv(read_table(csv_path))
    if scope != "all":
        rows = within_scope(rows, scope)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        db = await Database.open(path)
        await import_desks(db, rows, "Asia/Jakarta")
        await db.close()
        del rows  # the rehearsal reads the desks from its database, as the command does
        settings = load_settings(POSKO_DB_PATH=str(path))
        started, cpu = time.perf_counter(), time.process_time()
        # No timeline kept: the numbers only, as a national run would be made.
        plan = Plan(None if scope == "all" else scope, day, keep=False,
                    log=_hourly(started) if progress else None)
        outcome = await Rehearsal(settings, plan).run(path)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
    numbers = summary(outcome)
    desks = numbers["desks"]
    print(f"scope {scope} ({numbers['scope_name']}): {desks} desks, {numbers['officers']} "
          f"officers, {numbers['supervisors']} supervisors")
    # The CPU time (every thread of the process) varies less than the wall time on a
    # machine shared with other work.
    print(f"  day rehearsed in {took:.1f} s = {took / desks * 1000:.1f} ms per desk-day "
          f"(CPU {cpu:.1f} s = {cpu / desks * 1000:.1f} ms per desk-day); "
          f"{numbers['messages']['total']} messages, {numbers['alerts']['opened']} alerts, "
          f"busiest minute {numbers['busiest_minute']['messages']} messages")
    print(f"  peak RSS so far {peak_rss_mb():.0f} MB")


async def main(csv_path: str, scopes: list[str], progress: bool) -> None:
    day = date.today() + timedelta(days=1)  # after the import: the digest counts the whole day
    for scope in scopes:
        await one(csv_path, scope, day, progress)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--progress"]
    if len(args) < 2:
        raise SystemExit(__doc__)
    asyncio.run(main(args[0], args[1:], "--progress" in sys.argv))
