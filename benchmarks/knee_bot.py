"""``posko-bot`` for the knee benchmark, with the reply gate opened to a paid-broadcast rate.

Every reply passes ``bot.outbox.pacing`` at Telegram's ordinary 30 messages a second. Held to
that, any input above 30 check-ins a second queues at the gate, and ``bench_knee`` would
measure the gate instead of the bot. Telegram lets a bot with paid broadcasts send up to 1,000
messages a second; this launcher starts the bot with the gate's default rate set to
``BENCH_SENDS_PER_SECOND`` (1,000 unless set), so the gate still does all its work per reply
and that work is measured.

With ``BENCH_GC_FILE`` set, it also times every collection of Python's garbage collector
and writes, on exit, how many there were per generation, their total and the longest pause
(JSON), so that a tail of latency can be told from a collection.

It is run by path (``python benchmarks/knee_bot.py run``) with ``PYTHONPATH`` naming the
checkout whose bot is measured, so it imports nothing from this directory.
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import sys
import time
from pathlib import Path

from bot.cli import main
from bot.outbox import pacing

pacing.Pacing.__init__.__defaults__ = (float(os.environ.get("BENCH_SENDS_PER_SECOND", "1000")),)


def _time_collections(path: str) -> None:
    """Step through every collection: count, total and longest pause, written at exit."""
    started = [0.0]
    stats = {"collections": [0, 0, 0], "total_ms": 0.0, "max_ms": 0.0}

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
            return
        ms = (time.perf_counter() - started[0]) * 1000
        stats["collections"][info["generation"]] += 1  # type: ignore[index]
        stats["total_ms"] += ms  # type: ignore[operator]
        stats["max_ms"] = max(stats["max_ms"], ms)  # type: ignore[call-overload]

    gc.callbacks.append(on_gc)
    atexit.register(lambda: Path(path).write_text(json.dumps(stats)))


if os.environ.get("BENCH_GC_FILE"):
    _time_collections(os.environ["BENCH_GC_FILE"])

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
