"""The daily digest: what a scope's past duty day looked like, and sending it on time.

A digest covers the 24 hours before its time (``POSKO_DIGEST_TIME``, 20:00 desk-local): a
night window that began at 20:00 yesterday and the day windows of today. For every desk:

1. Its duty spans in the range (daily hours or the day's rule), with the staff they need.
2. Its shifts overlapping the range, turned into "how many were present" over time.
3. Within each span: staffed time (present ≥ needed), and short episodes (present < needed;
   each stretch of a minute or more counts once) with their minutes, as
   :mod:`storage.rules.coverage` counts them.

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
from zoneinfo import ZoneInfo

from storage import digests as digests_store
from storage.desks import chain
from storage.digests import DeskRow
from storage.models import Desk
from storage.rules.coverage import Coverage, Spans, Stretches, coverage_seconds, epoch_spans
from storage.rules.duty import Schedule, spans_between, zone
from storage.sqlite.engine import Database


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


async def build_digest(db: Database, scope: Desk | None, end: datetime, tz: ZoneInfo,
                everything: str = "") -> Digest:
    """The digest of ``scope`` (None: every desk) for the 24 hours before ``end``."""
    start, end = digest_range(end)
    scope_path = scope.path if scope else None
    digest = Digest(scope.name if scope else everything, scope.code if scope else None,
                    start, end, tz)
    desks = await digests_store.desks_in(db, scope_path)
    shifts: dict[int, Stretches] = defaultdict(list)
    for desk_id, began, ended in await digests_store.shifts_between(db, scope_path, start, end):
        shifts[desk_id].append((began.timestamp(), (ended or end).timestamp()))
    depth = len(chain(scope.path)) if scope else 0
    names = {d.id: d.name for d in desks}
    # Sums as plain lists, not Coverage objects: this loop runs once per desk of the country.
    units: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    total = [0.0, 0.0, 0.0, 0.0]
    per_desk: list[tuple[DeskRow, Coverage]] = []
    cache: dict[tuple[str, int, str], Spans] = {}
    for desk in desks:
        key = (desk.duty_hours, desk.min_staff, desk.timezone)
        if desk.rules or key not in cache:  # most desks share a handful of schedules
            found = epoch_spans(spans_between(
                Schedule(desk.duty_hours, desk.min_staff, desk.rules), zone(desk.timezone),
                start, end))
            if desk.rules:
                spans = found
            else:
                cache[key] = spans = found
        else:
            spans = cache[key]
        if not spans:
            continue
        cov = coverage_seconds(spans, shifts.get(desk.id, []))
        sums = (cov.duty, cov.staffed, cov.episodes, cov.empty)
        total = [x + y for x, y in zip(total, sums, strict=True)]
        if cov.empty:
            per_desk.append((desk, cov))
        ids = desk.path.strip("/").split("/")  # root first
        if len(ids) > depth:  # the scope's own desk is in the totals, not a unit of its own
            unit = units[ids[depth]]
            for i, value in enumerate(sums):
                unit[i] += value
        digest.desks += 1
    digest.total = Coverage(total[0], total[1], int(total[2]), total[3])
    digest.units = sorted(((names.get(int(unit), "?"),
                            Coverage(v[0], v[1], int(v[2]), v[3])) for unit, v in units.items()),
                          key=lambda item: (item[1].share or 0.0, item[0]))
    digest.worst = [(d.name, d.code, c) for d, c in sorted(
        per_desk, key=lambda item: (-item[1].empty, item[0].code))][:3]
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

    1. Every current recipient (a chat and a scope) has a schedule row; a new one gets the
       next digest time in its scope's zone, and rows that no longer qualify are dropped.
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
    zones = {(r.chat_id, r.desk_id): zone(r.timezone) if r.timezone else default_tz
             for r in people}
    for chat, desk_id, when in await digests_store.due(db, now):
        following = next_digest(max(now, when), at, zones.get((chat, desk_id), default_tz))
        run.queued += await digests_store.advance(db, chat, when, following, desk_id, now)
    return run
