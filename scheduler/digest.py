"""The daily digest: what a scope's past duty day looked like, and sending it on time.

A digest covers the 24 hours before its time (``POSKO_DIGEST_TIME``, 20:00 desk-local): a
night window that began at 20:00 yesterday and the day windows of today. For every desk:

1. Its duty spans in the range (daily hours or the day's rule), with the staff they need.
2. Its shifts overlapping the range, turned into "how many were present" over time.
3. Within each span: staffed time (present ≥ needed), and short episodes (present < needed;
   each stretch of a minute or more counts once) with their minutes.

Then per child unit (one level down: a camat's kelurahan, a kota's kecamatan) and for the
scope: staffed share of duty time, episodes, empty minutes; plus the scope's alerts (how many,
how many acknowledged, median time to acknowledge), reports by category and status, what is
still open, and the three desks that were empty longest.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from storage import digests as digests_store
from storage.db import Database
from storage.desks import chain
from storage.digests import DeskRow
from storage.duty import DutySpan, Schedule, spans_between, zone
from storage.models import Desk

MIN_EPISODE = timedelta(minutes=1)  # a hand-over gap of seconds is not an empty desk


@dataclass(frozen=True, slots=True)
class Coverage:
    """Duty and staffing of one desk (or a sum of desks) over the range, in seconds."""

    duty: float = 0.0
    staffed: float = 0.0
    episodes: int = 0
    empty: float = 0.0

    def __add__(self, other: Coverage) -> Coverage:
        return Coverage(self.duty + other.duty, self.staffed + other.staffed,
                        self.episodes + other.episodes, self.empty + other.empty)

    @property
    def share(self) -> float | None:
        """Staffed share of duty time (None without duty)."""
        return self.staffed / self.duty if self.duty else None


def coverage(spans: list[DutySpan], shifts: list[tuple[datetime, datetime]]) -> Coverage:
    """Staffing of a desk within its (already clipped) duty spans, given its shifts."""
    result = Coverage()
    for span in spans:
        # Every instant where the number present changes, inside the span.
        edges = sorted({span.start, span.end, *(t for s, e in shifts for t in (s, e)
                                               if span.start < t < span.end)})
        staffed = empty = 0.0
        episodes = 0
        run = 0.0  # length of the current short stretch
        for a, b in pairwise(edges):
            present = sum(1 for s, e in shifts if s <= a and e >= b)
            seconds = (b - a).total_seconds()
            if present >= span.min_staff:
                staffed += seconds
                episodes += run >= MIN_EPISODE.total_seconds()
                run = 0.0
            else:
                empty += seconds
                run += seconds
        episodes += run >= MIN_EPISODE.total_seconds()
        result += Coverage((span.end - span.start).total_seconds(), staffed, episodes, empty)
    return result


@dataclass
class Digest:
    """One scope's day."""

    scope_name: str
    scope_code: str | None
    start: datetime
    end: datetime
    tz: ZoneInfo
    desks: int = 0
    total: Coverage = field(default_factory=Coverage)
    units: list[tuple[str, Coverage]] = field(default_factory=list)
    worst: list[tuple[str, str, Coverage]] = field(default_factory=list)
    alerts: int = 0
    acked: int = 0
    median_ack: timedelta | None = None
    by_category: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    open_alerts: int = 0
    open_incidents: int = 0


def digest_range(end: datetime) -> tuple[datetime, datetime]:
    """The 24 hours a digest due at ``end`` covers."""
    return end - timedelta(days=1), end


def next_digest(after: datetime, at: time, tz: ZoneInfo) -> datetime:
    """The first digest time ``at`` (local in ``tz``) strictly after ``after``."""
    local = after.astimezone(tz)
    candidate = datetime.combine(local.date(), at, tzinfo=tz)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=tz)
    return candidate


async def build(db: Database, scope: Desk | None, end: datetime, tz: ZoneInfo,
                everything: str = "") -> Digest:
    """The digest of ``scope`` (None: every desk) for the 24 hours before ``end``."""
    start, end = digest_range(end)
    scope_path = scope.path if scope else None
    digest = Digest(scope.name if scope else everything, scope.code if scope else None,
                    start, end, tz)
    desks = await digests_store.desks_in(db, scope_path)
    shifts: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for desk_id, began, ended in await digests_store.shifts_between(db, scope_path, start, end):
        shifts[desk_id].append((began, ended or end))
    depth = len(chain(scope.path)) if scope else 0
    names = {d.id: d.name for d in desks}
    units: dict[int, Coverage] = defaultdict(Coverage)
    per_desk: list[tuple[DeskRow, Coverage]] = []
    cache: dict[tuple[str, int, str], list[DutySpan]] = {}
    for desk in desks:
        key = (desk.duty_hours, desk.min_staff, desk.timezone)
        if desk.rules:
            spans = spans_between(Schedule(desk.duty_hours, desk.min_staff, desk.rules),
                                  zone(desk.timezone), start, end)
        else:  # most desks share a handful of schedules: compute each once
            if key not in cache:
                cache[key] = spans_between(Schedule(desk.duty_hours, desk.min_staff),
                                           zone(desk.timezone), start, end)
            spans = cache[key]
        if not spans:
            continue
        cov = coverage(spans, shifts.get(desk.id, []))
        digest.desks += 1
        digest.total += cov
        per_desk.append((desk, cov))
        ids = list(reversed(chain(desk.path)))  # root first
        if len(ids) > depth:  # the scope's own desk is in the totals, not a unit of its own
            units[ids[depth]] += cov
    digest.units = sorted(((names.get(unit, "?"), cov) for unit, cov in units.items()),
                          key=lambda item: (item[1].share or 0.0, item[0]))
    digest.worst = [(d.name, d.code, c) for d, c in sorted(
        per_desk, key=lambda item: (-item[1].empty, item[0].code)) if c.empty > 0][:3]
    alerts = await digests_store.alerts_between(db, scope_path, start, end)
    digest.alerts = len(alerts)
    waits = [(acked - opened).total_seconds() for opened, acked in alerts if acked is not None]
    digest.acked = len(waits)
    digest.median_ack = timedelta(seconds=statistics.median(waits)) if waits else None
    categories: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for category, status, count in await digests_store.incidents_between(db, scope_path, start,
                                                                          end):
        categories[category] += count
        statuses[status] += count
    digest.by_category, digest.by_status = dict(categories), dict(statuses)
    digest.open_alerts, digest.open_incidents = await digests_store.still_open(db, scope_path)
    return digest


@dataclass
class DigestRun:
    """What one scheduling pass did."""

    scheduled: int = 0
    queued: int = 0


async def send_due(db: Database, now: datetime, *, at: time, default_tz: ZoneInfo,
                   admin_ids: list[int]) -> DigestRun:
    """Queue every digest whose time has come (Healthchecks' sendreports, as steps):

    1. Every current recipient has a schedule row; a new one gets the next digest time in its
       scope's zone, and rows of chats that no longer qualify are dropped.
    2. For each row due, one transaction moves ``next_at`` to the following digest time (a
       conditional UPDATE on the planned time) and queues the digest for the planned time.
       After downtime a missed digest goes out late, once; the next one is on time.
    """
    run = DigestRun()
    people = await digests_store.recipients(db, admin_ids)
    planned = [(r, next_digest(now, at, zone(r.timezone) if r.timezone else default_tz))
               for r in people]
    await digests_store.schedule(db, planned)
    run.scheduled = len(planned)
    zones = {r.chat_id: zone(r.timezone) if r.timezone else default_tz for r in people}
    for chat, desk_id, when in await digests_store.due(db, now):
        following = next_digest(max(now, when), at, zones.get(chat, default_tz))
        run.queued += await digests_store.advance(db, chat, when, following, desk_id, now)
    return run
