"""Benchmark: an alert storm (10,000 desks short at once) delivered within Telegram's limits.

Imports the national wilayah file, puts every desk on duty (00:00-24:00), and makes the first
10,000 kelurahan/desa (by code, so whole kecamatan) short: ``min_staff`` 1 and nobody on
duty, every other desk ``min_staff`` 0. Supervisors are registered so that the grouping gives
a known number of messages:

* ``--layout kecamatan`` (default): one supervisor per kecamatan of those desks, each gets one
  message listing that kecamatan's empty desks;
* ``--layout desk``: one supervisor per short desk, 10,000 messages (about 5.7 minutes).

One sweep (``scheduler.sweep.sweep``, grace 0 so every desk is due) opens the alerts with their
grouped intents; then the real outbox sender (``bot.outbox.sender.Sender`` with the real renderer)
drains them through ``telegram.Bot`` against the stand-in Bot API server
(``tests/support/botapi_stub.py``) enforcing Telegram's limits (30 messages/s overall, 1/s per
private chat, 20/min per group). The time the limits allow for N messages to N distinct
private chats is N / 30 s (a burst of 30 at the start could shave one second off that). Reports
the sweep and drain times, the rate, the ratio to N / 30, limit violations and 429 answers
(both must be 0), and the peak RSS of the whole run, national import included.

Usage (from the repository root):
    python -m benchmarks.bench_storm PATH/TO/wilayah.csv [--layout kecamatan|desk]
        [--desks 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("PTB_TIMEDELTA", "1")

import telegram
from telegram.request import HTTPXRequest

from benchmarks.common import add_members, peak_rss_mb
from bot.config import Settings
from bot.outbox.render import OutboxRenderer
from bot.outbox.sender import Sender
from scheduler.sweep import SweepConfig, sweep
from storage.importer import import_desks, parse_desk_csv
from storage.models import to_db, utcnow
from storage.sqlite.engine import Database
from storage.tables import read_table
from tests.support.botapi_stub import StubBotAPI

TOKEN = "123456:STORM-token-0123456789abcdefghij"
GLOBAL_PER_S = 30.0
SUPERVISOR_BASE = 50_000_000
# Grace 0: every short desk is due at once (a storm after the grace ran out everywhere).
CONFIG = SweepConfig(timedelta(0), (timedelta(minutes=15), timedelta(minutes=30)))


async def prepare(db: Database, csv_path: str, n_desks: int, layout: str) -> list[int]:
    """Import, make ``n_desks`` kelurahan short, register supervisors; return their ids."""
    await import_desks(db, parse_desk_csv(read_table(csv_path)), "Asia/Jakarta")
    stamp = to_db(utcnow())
    async with db.transaction() as tx:
        await tx.execute("UPDATE desks SET duty_hours = '00:00-24:00', min_staff = 0")
        cursor = await tx.execute(
            "SELECT id, parent_id FROM desks WHERE level = 'kelurahan_desa' ORDER BY code "
            "LIMIT ?", (n_desks,))
        chosen = [(int(r[0]), int(r[1])) for r in await cursor.fetchall()]
        await tx.executemany("UPDATE desks SET min_staff = 1 WHERE id = ?",
                             [(desk_id,) for desk_id, _ in chosen])
        posts = (sorted({parent for _, parent in chosen}) if layout == "kecamatan"
                 else [desk_id for desk_id, _ in chosen])
        await add_members(tx, [(SUPERVISOR_BASE + desk_id, f"Pengawas {desk_id}", desk_id,
                                "supervisor", stamp, stamp) for desk_id in posts])
    return [SUPERVISOR_BASE + desk_id for desk_id in posts]


def row(name: str, value: str) -> None:
    print(f"  {name:<34} {value}")


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "storm.db"
        db = await Database.open(db_path)
        t0 = time.perf_counter()
        supervisors = await prepare(db, args.csv, args.desks, args.layout)
        prepared = time.perf_counter() - t0
        settings = Settings(_env_file=None, TELEGRAM_BOT_TOKEN=TOKEN,  # type: ignore[call-arg]
                            POSKO_DB_PATH=str(db_path))

        t0 = time.perf_counter()
        report = await sweep(db, utcnow(), CONFIG)
        swept = time.perf_counter() - t0
        assert report.opened == args.desks, report
        assert report.messages == len(supervisors), (report.messages, len(supervisors))

        async with StubBotAPI(token=TOKEN) as stub:
            stub.enforce_limits = True
            for chat in supervisors:
                stub.user(chat, f"Pengawas {chat}")
            # The application's bot gets a pool of 256 connections (ApplicationBuilder's
            # default); a bare telegram.Bot would have one.
            bot = telegram.Bot(stub.token, base_url=stub.base_url,
                               request=HTTPXRequest(connection_pool_size=256))
            async with bot:
                sender = Sender(bot, db, OutboxRenderer(db, settings),
                                global_per_second=GLOBAL_PER_S)
                load = os.getloadavg()[0]
                t0 = time.perf_counter()
                settled = await sender.drain()
                drained = time.perf_counter() - t0
            sends = [c for c in stub.calls if c.method == "sendMessage"]
            too_many = sum(1 for c in stub.calls if c.status == 429)
            violations = stub.limit_violations
            per_chat = Counter(m.chat_id for m in stub.sent())
        pending = await db.fetchval(
            "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")
        await db.close()

    n = len(supervisors)
    allowed = n / GLOBAL_PER_S
    spread = sends[-1].time - sends[0].time if len(sends) > 1 else 0.0
    print(f"alert storm: {args.desks} desks short, layout {args.layout}")
    row("prepare (national import + setup)", f"{prepared:.1f} s")
    row("sweep (alerts + grouped intents)", f"{swept:.2f} s: {report.opened} alerts, "
        f"{report.messages} messages")
    row("drain until every message is out", f"{drained:.1f} s ({settled} rows settled)")
    row("first to last send", f"{spread:.1f} s")
    row("rate", f"{n / drained:.2f} messages/s (limit {GLOBAL_PER_S:.0f}/s)")
    row("time the limits allow (N / 30)", f"{allowed:.1f} s")
    row("drain / allowed", f"{drained / allowed:.3f}")
    row("limit violations / 429 answers", f"{violations} / {too_many}")
    row("every supervisor exactly one", str(len(per_chat) == n
                                             and set(per_chat.values()) == {1}))
    row("still pending", str(pending))
    row("load at drain start", f"{load:.2f}")
    row("peak RSS", f"{peak_rss_mb():.0f} MB")
    assert pending == 0 and settled == n and len(sends) == n, (pending, settled, len(sends))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("csv", help="the national wilayah.csv")
    parser.add_argument("--layout", choices=("kecamatan", "desk"), default="kecamatan")
    parser.add_argument("--desks", type=int, default=10_000)
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(run(parse_args()))
