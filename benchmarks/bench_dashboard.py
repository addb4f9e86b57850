"""Benchmark: the dashboard's first data for the national admin, a province, a kabupaten and a
kecamatan, on the national file staffed as ``bench_board`` staffs it (every desk on duty, 90 %
of kelurahan/desa with a shift, 200 desks with rules, 500 open alerts), plus 300 open reports.

The dashboard's own aiohttp application is served on 127.0.0.1 over the prepared store; an
admin signs in with a login link. For each scope it times ``GET /api/state`` (the first data
the page draws, median of several runs after a warm-up) as the client sees it, which on
loopback is the server's time, and counts the bytes of the whole first load: the page, its
script and style, Leaflet, and the state.

Usage (from the repository root):
    python -m benchmarks.bench_dashboard PATH/TO/wilayah.csv [RUNS]
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp
from aiohttp import web

from benchmarks.bench_board import prepare
from benchmarks.common import peak_rss_mb
from bot.config import Settings
from bot.context import BotData
from bot.dashboard import server
from storage import desks as desks_store
from storage import logins
from storage.members import Roster, ensure_admin
from storage.models import to_db, utcnow
from storage.sqlite.engine import Database

ADMIN = 9001
SCOPES = [("national admin", None), ("province 32 Jawa Barat", "32"),
          ("kabupaten 32.01 Bogor", "32.01"), ("kecamatan 32.01.01 Cibinong", "32.01.01")]
FIRST_LOAD = ["/", "/static/dashboard.js", "/static/dashboard.css",
              "/static/leaflet/leaflet.js", "/static/leaflet/leaflet.css"]
SEVERITIES = ("info", "sedang", "tinggi", "kritis")


async def add_reports(db: Database, count: int) -> None:
    """``count`` open reports at random kelurahan, from the officers there."""
    rng = random.Random(11)
    now = to_db(utcnow())
    rows = await db.fetchall("SELECT member_id, desk_id FROM shifts")
    async with db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO incidents (ref, desk_id, seq, draft_id, reporter_id, category, severity, "
            "description, status, created_at, updated_at) "
            "VALUES (?, ?, 1, ?, ?, 'kamtib', ?, ?, 'baru', ?, ?)",
            [(f"LP-BENCH-{i:04d}", desk, i, member, rng.choice(SEVERITIES),
              "Kericuhan kecil di dekat TPS, massa sudah dibubarkan petugas.", now, now)
             for i, (member, desk) in enumerate(rng.sample(list(rows), count))])


async def load(http: aiohttp.ClientSession, base: str, query: dict[str, str]
               ) -> tuple[float, int]:
    """Milliseconds of one ``/api/state`` and its bytes."""
    t0 = time.perf_counter()
    async with http.get(f"{base}/api/state", params=query) as answer:
        body = await answer.read()
        assert answer.status == 200, answer.status
    return (time.perf_counter() - t0) * 1000, len(body)


async def run(path: str, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        count, shifts = await prepare(db, path)
        await add_reports(db, 300)
        await ensure_admin(db, ADMIN, "Admin", None)
        print(f"{count} desks, {shifts} open shifts, 300 open reports, prepared in "
              f"{time.perf_counter() - t0:.1f} s; median of {runs} runs")
        data = BotData()
        data.settings = Settings(_env_file=None, TELEGRAM_BOT_TOKEN="1:x",  # type: ignore[call-arg]
                                 POSKO_ADMIN_IDS=str(ADMIN), POSKO_DASHBOARD_PORT="8080")
        data.db = db
        data.roster = Roster(db)
        runner = web.AppRunner(server.build(SimpleNamespace(bot_data=data)),  # type: ignore[arg-type]
                               access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        base = f"http://127.0.0.1:{port}"
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as http:
            token = await logins.create_link(db, ADMIN, utcnow())
            async with http.post(f"{base}/auth/link", json={"token": token}) as answer:
                assert answer.status == 200
            static = 0
            for url in FIRST_LOAD:
                async with http.get(base + url) as answer:
                    static += len(await answer.read())
            print(f"page, script, style and Leaflet: {static / 1024:.0f} KiB")
            print(f"{'scope':<30} {'markers':>8} {'state':>9} {'first load':>11} "
                  f"{'server':>9}")
            for label, code in SCOPES:
                scope = await desks_store.by_code(db, code) if code else None
                query = {"unit": str(scope.id)} if scope else {}
                timings: list[float] = []
                size = 0
                for _ in range(runs + 1):
                    ms, size = await load(http, base, query)
                    timings.append(ms)
                async with http.get(f"{base}/api/state", params=query) as answer:
                    body: dict[str, Any] = await answer.json()
                markers = len(body["map"]["markers"])
                print(f"{label:<30} {markers:>8} {size / 1024:>7.0f}KiB "
                      f"{(size + static) / 1024:>9.0f}KiB {statistics.median(timings[1:]):>7.0f}ms")
        await runner.cleanup()
        await db.close()
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    asyncio.run(run(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5))
