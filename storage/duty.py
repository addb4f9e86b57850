"""Duty windows: parsing ``duty_hours`` specs and deciding whether a desk is on duty.

This is the one duty-window evaluator. A window is a span of local wall-clock time starting on
some day: ``08:00-14:00``, ``20:00-08:00`` (ends the next morning) or ``00:00-24:00``. Several
windows are joined by ``;``; ``-`` means no duty at all. Evaluation takes an aware datetime and
the desk's zone, so WIB, WITA and WIT desks are each read in their own local time.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

DAY_MIN = 24 * 60
_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True, slots=True, order=True)
class Window:
    """Minutes after local midnight; ``end`` may exceed a day when the window crosses midnight."""

    start: int
    end: int

    def __str__(self) -> str:
        end = self.end if self.end <= DAY_MIN else self.end - DAY_MIN
        return f"{_hhmm(self.start)}-{_hhmm(end)}"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(hours: str, minutes: str, *, is_end: bool) -> int:
    h, m = int(hours), int(minutes)
    if m > 59 or h > 24 or (h == 24 and (m != 0 or not is_end)):
        raise ValueError(f"invalid time {hours}:{minutes}")
    return h * 60 + m


@lru_cache(maxsize=4096)
def parse_duty_hours(spec: str) -> tuple[Window, ...]:
    """Parse ``"08:00-14:00;20:00-08:00"`` into sorted windows; ``ValueError`` says what is wrong.

    Cached: a national import has a handful of distinct specs for 91k desks.
    """
    text = spec.strip()
    if text == "-":
        return ()
    if not text:
        raise ValueError("duty hours are empty (use '-' for a desk with no duty)")
    windows = []
    for part in text.split(";"):
        match = _WINDOW.match(part)
        if not match:
            raise ValueError(f"'{part.strip()}' is not HH:MM-HH:MM")
        start = _minutes(match[1], match[2], is_end=False)
        end = _minutes(match[3], match[4], is_end=True)
        if end == start:
            raise ValueError(f"'{part.strip()}' is empty (for all day use 00:00-24:00)")
        if end < start:  # crosses midnight: ends on the next day
            end += DAY_MIN
        windows.append(Window(start, end))
    windows.sort()
    for earlier, later in itertools.pairwise(windows):
        if later.start < earlier.end:
            raise ValueError(f"windows {earlier} and {later} overlap")
    if windows and windows[-1].end > windows[0].start + DAY_MIN:
        raise ValueError(f"windows {windows[-1]} and {windows[0]} overlap across midnight")
    return tuple(windows)


def format_duty_hours(windows: tuple[Window, ...]) -> str:
    """Canonical text of windows (what is stored, so re-imports compare equal)."""
    return ";".join(str(w) for w in windows) if windows else "-"


@dataclass(frozen=True, slots=True)
class DutySpan:
    """One concrete occurrence of a window, in the desk's local time."""

    start: datetime
    end: datetime


def current_span(windows: tuple[Window, ...], moment: datetime, tz: ZoneInfo) -> DutySpan | None:
    """The duty span covering ``moment`` at a desk in ``tz``, or None when off duty.

    1. Convert the moment to the desk's local wall-clock time.
    2. For today's and yesterday's occurrence of each window (yesterday's may run past
       midnight into today), build the concrete local span.
    3. Return the span that contains the moment.
    """
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    local = moment.astimezone(tz)
    today = local.date()
    for back in (0, 1):
        day = today - timedelta(days=back)
        midnight = datetime.combine(day, time(0), tzinfo=tz)
        for window in windows:
            start = midnight + timedelta(minutes=window.start)
            end = midnight + timedelta(minutes=window.end)
            if start <= local < end:
                return DutySpan(start, end)
    return None


def on_duty(windows: tuple[Window, ...], moment: datetime, tz: ZoneInfo) -> bool:
    """Whether any window covers ``moment`` at a desk in ``tz``."""
    return current_span(windows, moment, tz) is not None


@dataclass(frozen=True, slots=True)
class DeskState:
    """Duty state of a desk at one moment."""

    span: DutySpan | None
    open_shifts: int
    min_staff: int

    @property
    def on_duty(self) -> bool:
        """A duty window covers the moment."""
        return self.span is not None

    @property
    def short(self) -> bool:
        """On duty with fewer open shifts than required."""
        return self.span is not None and self.open_shifts < self.min_staff


def desk_state(duty_hours: str, tz: ZoneInfo, min_staff: int, open_shifts: int,
               moment: datetime) -> DeskState:
    """Whether a desk is on duty and short of staff at ``moment``."""
    return DeskState(current_span(parse_duty_hours(duty_hours), moment, tz), open_shifts,
                     min_staff)
