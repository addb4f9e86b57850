"""``posko-bot`` for the knee benchmark, with the reply gate opened to a paid-broadcast rate.

Every reply passes ``bot.outbox.pacing`` at Telegram's ordinary 30 messages a second. Held to
that, any input above 30 check-ins a second queues at the gate, and ``bench_knee`` would
measure the gate instead of the bot. Telegram lets a bot with paid broadcasts send up to 1,000
messages a second; this launcher starts the bot with the gate's default rate set to
``BENCH_SENDS_PER_SECOND`` (1,000 unless set), so the gate still does all its work per reply
and that work is measured.

It is run by path (``python benchmarks/knee_bot.py run``) with ``PYTHONPATH`` naming the
checkout whose bot is measured, so it imports nothing from this directory.
"""

from __future__ import annotations

import os
import sys

from bot.cli import main
from bot.outbox import pacing

pacing.Pacing.__init__.__defaults__ = (float(os.environ.get("BENCH_SENDS_PER_SECOND", "1000")),)

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
