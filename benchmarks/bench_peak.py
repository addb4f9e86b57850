"""Benchmark: a national shift change — check-ins through ``posko-bot run`` at a steady rate.

The national desks are imported (duty hours off, so this measures check-ins, not alerts), one
officer is registered per kelurahan/desa with coordinates (more at some desks to reach the
count), and ``posko-bot run`` is started as a subprocess against the stand-in Bot API server
on 127.0.0.1. Each officer then sends their location once, spread evenly over the period, and
the time from the update entering the Bot API to the bot's reply arriving there is measured.

With ``--limit`` the stand-in refuses, with 429 as Telegram does, any message beyond 30 in a
second overall. The bot keeps its replies within that count (``bot.outbox.pacing``), so an
input faster than 30 check-ins a second queues and the latency grows with the backlog; the
benchmark then also reports how many 429s the stand-in returned and the busiest second.

With ``--dashboards N``, N camat keep the situation room open meanwhile
(``benchmarks/dashboard_watchers.py``: each polls its kecamatan's state every 4 s, as the
page does), and the time of their polls is reported too.

Usage (from the repository root):
    python -m benchmarks.bench_peak PATH/TO/wilayah.csv [COUNT] [SECONDS] [--limit]
        [--dashboards N]
(defaults: 84 000 check-ins over 300 s, i.e. 280 per second).
"""

from __future__ import annotations

import asyncio
import math
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.dashboard_watchers import add_camat, watch
from tests.support.botapi_stub import StubBotAPI
from tests.support.e2e import BotProcess, bot_env, free_port

FIRST_USER = 10_000_000
BOT = (sys.executable, "-m", "bot")  # how to start posko-bot (bench_knee may start another)

Officer = tuple[int, float, float]  # (telegram id, latitude, longitude)


def prepare(db_file: Path, csv_path: str, env: dict[str, str], count: int,
            command: Sequence[str] = BOT) -> list[Officer]:
    """Import the desks (no duty hours) and register ``count`` officers; their locations."""
    quiet = db_file.parent / "desks.csv"
    with open(csv_path, encoding="utf-8") as source, quiet.open("w", encoding="utf-8") as out:
        header = source.readline().rstrip("\n")
        out.write(header + ",duty_hours\n")
        for line in source:
            out.write(line.rstrip("\n") + ",-\n")
    done = subprocess.run([*command, "import-desks", str(quiet)], env=env,
                          cwd=db_file.parent, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    with sqlite3.connect(db_file) as conn:
        desks = conn.execute("SELECT id, latitude, longitude FROM desks WHERE level = "
                             "'kelurahan_desa' AND latitude IS NOT NULL ORDER BY id").fetchall()
        officers = [(FIRST_USER + i, *desks[i % len(desks)]) for i in range(count)]
        conn.executemany(
            "INSERT INTO members (telegram_id, full_name, desk_id, role, created_at, updated_at) "
            "VALUES (?, ?, ?, 'officer', '2026-01-01T00:00:00.000000Z', "
            "'2026-01-01T00:00:00.000000Z')",
            [(uid, f"Petugas {uid}", desk_id) for uid, desk_id, _, _ in officers])
    conn.close()
    return [(uid, lat, lon) for uid, _, lat, lon in officers]


@dataclass
class Result:
    """What one steady run measured."""

    sent: int
    injected_s: float  # how long sending took (the planned period, unless the sender lagged)
    latencies: list[float]  # ms from update to "Check-in tercatat", sorted
    others: dict[str, int] = field(default_factory=dict)  # other answers, by first line
    refused_429: int = 0
    busiest: int = 0
    bot_cpu_s: float = math.nan  # CPU time the bot process used while the check-ins came
    dashboard_ms: list[float] = field(default_factory=list)  # open dashboards' polls

    @property
    def cpu_ms_per_checkin(self) -> float:
        return 1000 * self.bot_cpu_s / self.sent

    @property
    def rate(self) -> float:
        return self.sent / self.injected_s

    def quantile(self, q: float) -> float:
        """The q-quantile (nearest rank) of every check-in sent, one not recorded counting as
        infinitely late: a run that loses one check-in in a hundred has no finite p99."""
        rank = max(1, math.ceil(q * self.sent))
        return self.latencies[rank - 1] if rank <= len(self.latencies) else math.inf


async def drive(stub: StubBotAPI, officers: Sequence[Officer], seconds: float,
                wait_s: float) -> Result:
    """Send every officer's location once, evenly over ``seconds``; collect the replies for
    at most ``wait_s`` after the last one was sent."""
    users = {uid: stub.user(uid, f"Petugas {uid}") for uid, _, _ in officers}
    count = len(officers)
    sent_at: dict[int, float] = {}
    start = time.monotonic()
    for i, (uid, lat, lon) in enumerate(officers):
        delay = start + i * seconds / count - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        sent_at[uid] = time.time()
        users[uid].send_location(lat, lon)
    injected = time.monotonic() - start
    replies: dict[int, float] = {}
    others: dict[str, int] = {}
    deadline = time.monotonic() + wait_s
    scanned = 0
    while len(replies) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        for call in stub.calls[scanned:]:
            if call.status == 0:  # still unanswered: look again next time
                break
            scanned += 1
            chat = int(call.params.get("chat_id", 0) or 0)
            if (call.method != "sendMessage" or call.status != 200
                    or chat not in sent_at or chat in replies):
                continue
            text = str(call.params.get("text"))
            if "Check-in tercatat" in text:
                replies[chat] = call.time
            else:  # refused (a location answered too late is too old)
                first_line = text.split("\n", 1)[0][:60]
                others[first_line] = others.get(first_line, 0) + 1
                replies[chat] = math.nan
    latencies = sorted((replies[u] - sent_at[u]) * 1000 for u in replies
                       if not math.isnan(replies[u]))
    return Result(count, injected, latencies, others, stub.limit_violations,
                  stub.busiest_second())


async def run_bot(env: dict[str, str], workdir: Path, stub: StubBotAPI,
                  officers: Sequence[Officer], seconds: float, wait_s: float,
                  command: Sequence[str] = BOT,
                  on_ready: Callable[[int], object] | None = None,
                  dashboards: tuple[str, list[str]] | None = None) -> Result:
    """Start ``posko-bot run`` on the prepared database in ``workdir``, drive it, stop it.
    ``on_ready`` gets the bot's process id once it is ready (to attach a profiler);
    ``dashboards``: the dashboard's address and the login tokens of the pages kept open."""
    bot = BotProcess(env, workdir, command=list(command))
    bot.start()
    try:
        await stub.wait_for_call("setMyCommands", timeout=60)
        assert bot.proc is not None
        if on_ready is not None:
            on_ready(bot.proc.pid)
        stop = asyncio.Event()
        watching = (asyncio.create_task(watch(*dashboards, stop)) if dashboards
                    else None)
        if watching is not None:
            await asyncio.sleep(5)  # every page signed in and polling
        cpu_before = cpu_seconds(bot.proc.pid)
        result = await drive(stub, officers, seconds, wait_s)
        result.bot_cpu_s = cpu_seconds(bot.proc.pid) - cpu_before
        stop.set()
        if watching is not None:
            result.dashboard_ms = sorted(await watching)
        return result
    finally:
        await bot.stop()
        bot.kill()


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used (Linux ``/proc``; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report(result: Result, limit: bool) -> None:
    """Print one run's figures."""
    lat = result.latencies
    print(f"check-ins sent {result.sent} in {result.injected_s:.1f} s ({result.rate:.0f}/s); "
          f"check-ins recorded {len(lat)}")
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else lat * 99
    if lat:
        print(f"update -> reply: p50 {q[49]:.0f} ms, p95 {q[94]:.0f} ms, p99 {q[98]:.0f} ms, "
              f"max {lat[-1]:.0f} ms")
    print(f"bot CPU {result.bot_cpu_s:.1f} s, {result.cpu_ms_per_checkin:.2f} ms per check-in")
    for first_line, n in result.others.items():
        print(f"other answers: {n} x {first_line!r}")
    print(f"stand-in: {result.refused_429} sends refused with 429 (limit "
          f"{'on' if limit else 'off'}); busiest second {result.busiest} sends")
    polls = result.dashboard_ms
    if len(polls) > 1:
        d = statistics.quantiles(polls, n=100)
        print(f"open dashboards: {len(polls)} polls of /api/state, p50 {d[49]:.0f} ms, "
              f"p99 {d[98]:.0f} ms, max {polls[-1]:.0f} ms")


async def run(csv_path: str, count: int, seconds: float, limit: bool,
              dashboards: int = 0) -> None:
    async with StubBotAPI() as stub:
        stub.enforce_overall = limit
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            port = free_port() if dashboards else 0
            env = bot_env(stub, workdir, POSKO_LOG_LEVEL="WARNING",
                          POSKO_DASHBOARD_PORT=str(port))
            officers = prepare(workdir / "posko.db", csv_path, env, count)
            pages = ((f"http://127.0.0.1:{port}", add_camat(workdir / "posko.db", dashboards))
                     if dashboards else None)
            # At 30 replies a second a backlog takes count / 30 s to answer.
            result = await run_bot(env, workdir, stub, officers, seconds,
                                   120 + (count / 30 if limit else 0), dashboards=pages)
    report(result, limit)


if __name__ == "__main__":
    argv = sys.argv[1:]
    watchers = 0
    if "--dashboards" in argv:
        at = argv.index("--dashboards")
        watchers = int(argv[at + 1])
        del argv[at:at + 2]
    args = [a for a in argv if a != "--limit"]
    if not args:
        raise SystemExit(__doc__)
    n = int(args[1]) if len(args) > 1 else 84_000
    period = float(args[2]) if len(args) > 2 else 300.0
    asyncio.run(run(args[0], n, period, "--limit" in argv, watchers))
