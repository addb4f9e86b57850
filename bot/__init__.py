"""The Telegram face of the Posko Bersama duty bot."""

import os

# Opt in to python-telegram-bot's timedelta-valued durations (live_period, retry_after) before
# telegram is imported anywhere, so the library does not warn about the old int form.
os.environ.setdefault("PTB_TIMEDELTA", "1")
