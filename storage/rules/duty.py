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
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

DAY_MIN = 24 * 60
_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@lru_cache(maxsize=128)
def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name`` (cached: sweeps look up the same few zones for 91k desks)."""
    return ZoneInfo(name)


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
class Schedule:
    """A desk's duty: daily ``duty_hours`` and ``min_staff``, with rules for some days.

    ``rules`` maps a day key to ``(duty_hours, min_staff or None)``: an ISO date
    (``2026-11-27``) for one local date, or ``1``…``7`` (Monday…Sunday) for a weekday. A
    date rule beats a weekday rule, which beats the daily hours. A rule's ``min_staff`` of
    None keeps the desk's own. ``floor`` is the least staff any window needs (a risk label's
    ``min_staff``, :mod:`storage.rules.risk`; 0: none).
    """

    duty_hours: str
    min_staff: int
    rules: tuple[tuple[str, str, int | None], ...] = ()
    floor: int = 0

    def day(self, day: date) -> tuple[tuple[Window, ...], int]:
        """The windows starting on local ``day`` and the staff they require."""
        if not self.rules:
            return parse_duty_hours(self.duty_hours), max(self.min_staff, self.floor)
        found = {key: (hours, staff) for key, hours, staff in self.rules}
        rule = found.get(day.isoformat()) or found.get(str(day.isoweekday()))
        if rule is None:
            return parse_duty_hours(self.duty_hours), max(self.min_staff, self.floor)
        hours, staff = rule
        return parse_duty_hours(hours), max(self.min_staff if staff is None else staff,
                                            self.floor)


def daily(windows: tuple[Window, ...] | str, min_staff: int = 1) -> Schedule:
    """A schedule with the same windows every day."""
    hours = windows if isinstance(windows, str) else format_duty_hours(windows)
    return Schedule(hours, min_staff)


@dataclass(frozen=True, slots=True)
class DutySpan:
    """One concrete occurrence of a window, in the desk's local time, with its staffing."""

    start: datetime
    end: datetime
    min_staff: int = 1


def _spans(schedule: Schedule, local: datetime, tz: ZoneInfo, back: int) -> list[DutySpan]:
    """Concrete spans of the windows starting on the ``back + 1`` local days up to today."""
    spans: list[DutySpan] = []
    for offset in range(back, -1, -1):
        day = local.date() - timedelta(days=offset)
        midnight = datetime.combine(day, time(0), tzinfo=tz)
        windows, staff = schedule.day(day)
        spans.extend(DutySpan(midnight + timedelta(minutes=w.start),
                              midnight + timedelta(minutes=w.end), staff) for w in windows)
    return spans


def spans_between(schedule: Schedule, tz: ZoneInfo, start: datetime,
                  end: datetime) -> list[DutySpan]:
    """The duty spans overlapping ``[start, end)``, clipped to it (for digests)."""
    local_end = end.astimezone(tz)
    days = (local_end.date() - start.astimezone(tz).date()).days + 1
    found = []
    for span in _spans(schedule, local_end, tz, back=days):
        clipped = DutySpan(max(span.start, start), min(span.end, end), span.min_staff)
        if clipped.start < clipped.end:
            found.append(clipped)
    return found


def current_span(schedule: Schedule | tuple[Window, ...], moment: datetime,
                 tz: ZoneInfo) -> DutySpan | None:
    """The duty span covering ``moment`` at a desk in ``tz``, or None when off duty.

    1. Convert the moment to the desk's local wall-clock time.
    2. Build the concrete spans of the windows starting yesterday and today (yesterday's
       may run past midnight into today), each with the rules of the day it starts on.
    3. Return the span that contains the moment.
    """
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    if not isinstance(schedule, Schedule):
        schedule = daily(schedule)
    local = moment.astimezone(tz)
    for span in _spans(schedule, local, tz, back=1):
        if span.start <= local < span.end:
            return span
    return None


class Spans:
    """The duty span (and the last end) of each distinct schedule and zone at one moment,
    evaluated once: a country's desks share a handful of schedules, and a board, a sweep or a
    presence pass asks for thousands."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment
        self._seen: dict[tuple[Schedule, str], DutySpan | None] = {}
        self._ends: dict[tuple[Schedule, str], datetime | None] = {}

    def __call__(self, schedule: Schedule, zone_name: str) -> DutySpan | None:
        key = (schedule, zone_name)
        if key not in self._seen:
            self._seen[key] = current_span(schedule, self.moment, zone(zone_name))
        return self._seen[key]

    def last_end(self, schedule: Schedule, zone_name: str) -> datetime | None:
        """:func:`last_end` at the moment."""
        key = (schedule, zone_name)
        if key not in self._ends:
            self._ends[key] = last_end(schedule, self.moment, zone(zone_name))
        return self._ends[key]


def last_end(schedule: Schedule, moment: datetime, tz: ZoneInfo) -> datetime | None:
    """End of the latest span that ended at or before ``moment`` (looking two days back)."""
    local = moment.astimezone(tz)
    ends = [span.end for span in _spans(schedule, local, tz, back=2) if span.end <= local]
    return max(ends) if ends else None


def on_duty(windows: tuple[Window, ...], moment: datetime, tz: ZoneInfo) -> bool:
    """Whether any window covers ``moment`` at a desk in ``tz``."""
    return current_span(windows, moment, tz) is not None


@dataclass(frozen=True, slots=True)
class DeskState:
    """Duty state of a desk at one moment."""

    span: DutySpan | None
    open_shifts: int

    @property
    def on_duty(self) -> bool:
        """A duty window covers the moment."""
        return self.span is not None

    @property
    def min_staff(self) -> int:
        """Staff required now (0 off duty)."""
        return self.span.min_staff if self.span is not None else 0

    @property
    def short(self) -> bool:
        """On duty with fewer open shifts than required."""
        return self.span is not None and self.open_shifts < self.span.min_staff


def desk_state(schedule: Schedule, tz: ZoneInfo, open_shifts: int,
               moment: datetime) -> DeskState:
    """Whether a desk is on duty and short of staff at ``moment``."""
    return DeskState(current_span(schedule, moment, tz), open_shifts)


def short_since(span: DutySpan, last_end: datetime | None) -> datetime:
    """Since when a short desk has been short: the later of its span's start and the last
    check-out there (a desk nobody came to at 08:00 is short from 08:00; one left at 10:12,
    from 10:12)."""
    return last_end if last_end is not None and last_end > span.start else span.start
