"""The one simulated clock of a rehearsal.

Everything in the program asks :func:`storage.models.utcnow` for the time: handlers, jobs,
renderers. While a rehearsal runs, that answers with this clock, which only moves when the
rehearsal's loop moves it, so a whole day is played in seconds and the same inputs give the
same times to the microsecond. The flood guard (``bot.handlers.throttle``) counts monotonic
seconds; :meth:`SimClock.seconds` gives it the simulated ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from storage.models import set_clock


class SimClock:
    """Simulated time, aware UTC, starting at ``start``."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("naive start")
        self.start = start.astimezone(UTC)
        self._now = self.start

    def now(self) -> datetime:
        """The simulated moment."""
        return self._now

    def set(self, moment: datetime) -> None:
        """Move to ``moment`` (never backwards: the store's records assume time goes on)."""
        if moment < self._now:
            raise ValueError("a simulated clock does not go back")
        self._now = moment.astimezone(UTC)

    def advance(self, span: timedelta) -> None:
        """Move forward by ``span``."""
        self.set(self._now + span)

    def seconds(self) -> float:
        """Simulated seconds since the start (a monotonic clock for the flood guard)."""
        return (self._now - self.start).total_seconds()

    def epoch(self) -> int:
        """Unix time of the simulated moment, as Telegram dates its messages."""
        return int(self._now.timestamp())

    @contextmanager
    def installed(self) -> Iterator[SimClock]:
        """Make ``utcnow()`` answer with this clock until the block ends."""
        set_clock(self.now)
        try:
            yield self
        finally:
            set_clock(None)
