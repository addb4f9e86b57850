"""Benchmark: the knee, the highest steady rate of check-ins ``posko-bot run`` keeps up with.

The knee is the highest rate at which the p99 from a check-in entering the Bot API to its
reply arriving there stays under 250 ms, in every repeat of a step. It reuses
``bench_peak``: one database is prepared (the national desks off duty, one officer per
kelurahan/desa), then for each step

1. the database is copied, a fresh stand-in Bot API started and ``posko-bot run`` started on
   the copy (through ``benchmarks/knee_bot.py``, which opens the reply gate to 1,000 sends a
   second: at Telegram's ordinary 30 every rate above 30 would only measure the gate);
2. distinct officers send their location once, evenly over ``--seconds`` (60) at the step's
   rate; replies are collected for at most ``--wait`` s after the last one was sent;
3. p50 and p99 are taken over every check-in sent, one not recorded in time (refused as too
   old, or unanswered) counting as infinitely late; beside them the bot's CPU per check-in,
   errors in its log, and this process's CPU (the stand-in and the senders: near a whole
   core, the harness would be what limits the rate).

Rates (``--rates``, default 150,200,250,300,350 per second) go up; each is repeated
``--repeats`` (2) times in a row, and climbing stops after a rate that failed in every repeat.
The machine's speed that hour is given beside it: ``bench_throughput``'s bare PTB application
(handlers that only reply) fed 20,000 updates in polling batches, before the first step and
after the last.

``--bot-root DIR`` measures the bot of another checkout (``DIR/.venv/bin/python``,
``PYTHONPATH=DIR``) under the same load, stand-in and bare figure: a before/after in one
sitting. ``--profile DIR`` samples the bot process with ``py-spy`` (100 Hz, raw stacks, one
file per step) while the check-ins are sent.

Usage (from the repository root):
    python -m benchmarks.bench_knee PATH/TO/wilayah.csv [--rates 150,200,250,300,350]
        [--repeats 2] [--seconds 60] [--wait 30] [--bot-root DIR] [--profile DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_peak import Result, prepare, run_bot
from benchmarks.bench_throughput import bare_pass, scripted, split
from tests.support.botapi_stub import StubBotAPI
from tests.support.e2e import ROOT, bot_env

P99_LIMIT_MS = 250.0
BARE_UPDATES = 20_000
LAUNCHER = Path(__file__).resolve().parent / "knee_bot.py"


async def bare_figure(people: list[tuple[int, float, float]]) -> float:
    """Bare PTB's updates/s in ``bench_throughput``'s polling pass: the machine's speed now."""
    n_officers, n_reporters = split(BARE_UPDATES)
    run = await bare_pass(scripted(people[:n_officers], n_reporters), "polling", BARE_UPDATES)
    return run.rate


def fmt(ms: float) -> str:
    return "lost" if math.isinf(ms) else f"{ms:,.0f}"


async def step(args: argparse.Namespace, base_db: Path, tmp: Path, command: list[str],
               people: list[tuple[int, float, float]], rate: int, repeat: int) -> Result:
    """One step: a fresh bot on a copy of the database, ``rate`` check-ins a second."""
    workdir = tmp / f"step-{rate}-{repeat}"
    workdir.mkdir()
    shutil.copy(base_db, workdir / "posko.db")
    count = round(rate * args.seconds)
    sampler: list[subprocess.Popen[bytes]] = []

    def profile(pid: int) -> None:
        out = Path(args.profile) / f"bot-{rate}-{repeat}.txt"
        sampler.append(subprocess.Popen(
            [str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid),
             "--duration", str(math.ceil(args.seconds)), "--rate", "100", "--format", "raw",
             "--threads", "--output", str(out)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    harness_cpu = time.process_time()
    async with StubBotAPI() as stub:
        env = bot_env(stub, workdir, POSKO_LOG_LEVEL="WARNING", PYTHONPATH=str(args.bot_root),
                      BENCH_SENDS_PER_SECOND=str(args.sends_per_second),
                      BENCH_GC_FILE=str(workdir / "gc.json"))
        result = await run_bot(env, workdir, stub, people[:count], args.seconds, args.wait,
                               command, on_ready=profile if args.profile else None)
    # The stand-in and the senders share this process: busy near a whole core, they would be
    # what limits the rate, not the bot.
    harness = (time.process_time() - harness_cpu) / (result.injected_s + 1e-9)
    for proc in sampler:
        await asyncio.to_thread(proc.wait, 60)
    log = "\n".join(p.read_text(errors="replace") for p in workdir.glob("bot-*.log"))
    errors = log.count("Traceback") + log.count(" ERROR ")
    gc_file = workdir / "gc.json"  # written by the launcher as the bot exits
    collected = json.loads(gc_file.read_text()) if gc_file.exists() else {}
    pauses = (f"gc {sum(collected['collections'])} collections ({collected['collections'][2]}"
              f" full), longest {collected['max_ms']:.0f} ms, {collected['total_ms']:.0f} ms"
              if collected else "gc not timed")
    print(f"{rate:>5} {repeat:>6} {result.sent:>7} {len(result.latencies):>9} "
          f"{fmt(result.quantile(0.5)):>8} {fmt(result.quantile(0.99)):>8} "
          f"{result.rate:>7.0f} {result.cpu_ms_per_checkin:>6.2f} {errors:>6}  "
          f"load {os.getloadavg()[0]:.2f}, stand-in CPU {harness:.0%}; {pauses}", flush=True)
    shutil.rmtree(workdir)
    return result


async def main(args: argparse.Namespace) -> None:
    rates = [int(r) for r in args.rates.split(",")]
    root, command = args.bot_root, args.command
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "base").mkdir()
        unstarted = StubBotAPI()  # only its token, for the import's settings
        env = bot_env(unstarted, tmp / "base", PYTHONPATH=str(root))
        t0 = time.perf_counter()
        people = prepare(tmp / "base" / "posko.db", args.csv, env,
                         round(max(rates) * args.seconds), command)
        print(f"bot {root}; {len(people)} officers prepared in {time.perf_counter() - t0:.1f} s")
        bare_before = await bare_figure(people)
        print(f"bare PTB {bare_before:,.0f} updates/s", flush=True)
        print(f"{'rate':>5} {'repeat':>6} {'sent':>7} {'recorded':>9} {'p50 ms':>8} "
              f"{'p99 ms':>8} {'sent/s':>7} {'CPU ms':>6} {'errors':>6}")
        knee: int | None = None
        for rate in rates:
            p99s = [(await step(args, tmp / "base" / "posko.db", tmp, command, people, rate,
                                r)).quantile(0.99) for r in range(1, args.repeats + 1)]
            if all(p < P99_LIMIT_MS for p in p99s):
                knee = rate
            if all(p >= P99_LIMIT_MS for p in p99s):
                break
        bare_after = await bare_figure(people)
    print(f"knee: {f'{knee}/s' if knee else 'below the lowest rate'} (p99 < "
          f"{P99_LIMIT_MS:.0f} ms in each of {args.repeats} repeats); bare PTB "
          f"{bare_before:,.0f} updates/s before the steps, {bare_after:,.0f} after")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("csv", help="the national wilayah.csv")
    parser.add_argument("--rates", default="150,200,250,300,350",
                        help="check-ins per second, comma-separated, rising")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--wait", type=float, default=30.0,
                        help="how long after the last check-in its replies are awaited")
    parser.add_argument("--sends-per-second", type=float, default=1000.0,
                        help="the reply gate's rate in the bot under test")
    parser.add_argument("--bot-root", default=str(ROOT),
                        help="the checkout whose bot is measured (default: this one)")
    parser.add_argument("--profile", metavar="DIR",
                        help="sample the bot with py-spy, one raw stack file per step")
    args = parser.parse_args()
    # The bot under test: that checkout's own virtualenv, if it has one.
    args.bot_root = Path(args.bot_root).resolve()
    python = args.bot_root / ".venv" / "bin" / "python"
    args.command = [str(python if python.exists() else sys.executable), str(LAUNCHER)]
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    return args


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
