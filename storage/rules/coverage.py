"""Coverage: how well a desk's duty spans were staffed, given its shifts.

Within each span, time with at least the needed staff present is staffed; time with fewer is
empty, and each short stretch of a minute or more counts once as an episode. The daily digest
sums these per desk, per child unit and per scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.rules.duty import DutySpan

MIN_EPISODE = timedelta(minutes=1)  # a hand-over gap of seconds is not an empty desk


@dataclass(frozen=True, slots=True)
class Coverage:
    """Duty and staffing of one desk (or a sum of desks) over the range, in seconds."""

    duty: float = 0.0
    staffed: float = 0.0
    episodes: int = 0
    empty: float = 0.0

    @property
    def share(self) -> float | None:
        """Staffed share of duty time (None without duty)."""
        return self.staffed / self.duty if self.duty else None


Spans = list[tuple[float, float, int]]  # (start, end, min_staff), epoch seconds
Stretches = list[tuple[float, float]]  # shifts as (start, end), epoch seconds


def epoch_spans(spans: Iterable[DutySpan]) -> Spans:
    """Duty spans as epoch seconds, the form :func:`coverage_seconds` takes."""
    return [(s.start.timestamp(), s.end.timestamp(), s.min_staff) for s in spans]


def coverage(spans: list[DutySpan], shifts: list[tuple[datetime, datetime]]) -> Coverage:
    """Staffing of a desk within its (already clipped) duty spans, given its shifts."""
    return coverage_seconds(epoch_spans(spans), [(a.timestamp(), b.timestamp()) for a, b in shifts])


def coverage_seconds(spans: Spans, shifts: Stretches) -> Coverage:
    """:func:`coverage` on epoch seconds, as a sweep over arrivals and departures (the digest
    runs it for every desk of the country)."""
    duty = staffed = empty = 0.0
    episodes = 0
    shortest = MIN_EPISODE.total_seconds()
    for start, end, needed in spans:
        duty += end - start
        present = 0
        events: list[tuple[float, int]] = []
        for arrived, left in shifts:
            if left <= start or arrived >= end:
                continue
            if arrived <= start:
                present += 1
            else:
                events.append((arrived, 1))
            if left < end:
                events.append((left, -1))
        events.sort()  # a departure sorts before an arrival at the same instant: no gap
        events.append((end, 0))
        moment, run = start, 0.0  # run: length of the current short stretch
        for when, change in events:
            if when > moment:
                if present >= needed:
                    staffed += when - moment
                    episodes += run >= shortest
                    run = 0.0
                else:
                    empty += when - moment
                    run += when - moment
                moment = when
            present += change
        episodes += run >= shortest
    return Coverage(duty, staffed, episodes, empty)
