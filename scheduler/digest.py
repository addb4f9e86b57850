"""The daily digest: what a scope's past duty day looked like, and sending it on time.

A digest covers the 24 hours before its time (``POSKO_DIGEST_TIME``, 20:00 desk-local): a
night window that began at 20:00 yesterday and the day windows of today, but never time that
has not happened yet (a digest asked for at 13:55 ends at 13:55). For every desk:

1. The part of the range it existed in: from its creation on (a desk imported at 10:00 was
   not empty at 08:00).
2. Its duty spans in that part (daily hours or the day's rule), with the staff they need,
   each stretch judged by the schedule in force then (:mod:`storage.schedule_history`):
   hours changed today do not rewrite yesterday.
3. Its shifts overlapping the range, turned into "how many were present" over time.
4. Within each span: staffed time (present ≥ needed), and short episodes (present < needed;
   each stretch of a minute or more counts once) with their minutes, as
   :mod:`storage.rules.coverage` counts them.

Then per child unit (one level down: a camat's kelurahan, a kota's kecamatan) and for the
scope: staffed share of duty time, episodes, empty time; plus the scope's alerts opened in
the range (how many, how many acknowledged, median time to acknowledge), reports made in the
range by category and status (all-clear *kondusif* reports counted apart: they are not
incidents), what of those is still open, what opened earlier is still open, and the three
desks that were empty longest (risk-area desks first). Desks with risk labels
(:mod:`storage.risks`) are also summed apart: how many, and their empty time.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage import digests as digests_store
from storage import relocations
from storage.desks import chain
from storage.digests import DeskRow, Recipient
from storage.incidents import ALL_CLEAR
from storage.models import Desk
from storage.outbox_kinds import OutboxKind
from storage.relocations import MovedTps
from storage.rules.coverage import Coverage, Spans, Stretches, coverage_seconds, epoch_spans
from storage.rules.duty import Schedule, spans_between, zone
from storage.schedule_history import timeline
from storage.sqlite.engine import Database


@dataclass
class Digest:
    """One scope's day (``end`` is the digest's time, or now for a day still running)."""

    scope_name: str
    scope_code: str | None
    start: datetime
    end: datetime
    tz: ZoneInfo
    desks: int = 0
    total: Coverage = field(default_factory=Coverage)
    units: list[tuple[str, Coverage]] = field(default_factory=list)
    worst: list[tuple[str, str, Coverage]] = field(default_factory=list)  # rawan desks first
    risk_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)  # code -> labels
    rawan_desks: int = 0  # desks with risk labels and duty in the range
    rawan: Coverage = field(default_factory=Coverage)  # their duty and empty time
    alerts: int = 0  # opened in the range
    acked: int = 0
    median_ack: timedelta | None = None
    by_category: dict[str, int] = field(default_factory=dict)  # incidents, not calm reports
    by_status: dict[str, int] = field(default_factory=dict)
    calm: int = 0  # all-clear (kondusif) reports: not incidents
    open_alerts: int = 0  # opened in the range, not resolved now
    open_incidents: int = 0
    earlier_alerts: int = 0  # opened before the range, not resolved now
    earlier_incidents: int = 0
    counted_from: datetime | None = None  # every desk of the scope is newer than the range
    moved: list[MovedTps] = field(default_factory=list)  # TPS moved in the range


def digest_range(end: datetime, days: int = 1) -> tuple[datetime, datetime]:
    """The 24 hours (or ``days`` days) a digest due at ``end`` covers."""
    return end - timedelta(days=days), end


def next_digest(after: datetime, at: time, tz: ZoneInfo) -> datetime:
    """The first digest time ``at`` (local in ``tz``) strictly after ``after``."""
    local = after.astimezone(tz)
    candidate = datetime.combine(local.date(), at, tzinfo=tz)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=tz)
    return candidate


def _desk_spans(desk: DeskRow, start: datetime, end: datetime,
                cache: dict[tuple[str, int, str], Spans]) -> Spans:
    """A desk's duty spans within ``[start, end)``, from its creation on and each part by the
    schedule in force then (steps 1-2 of the module docstring)."""
    tz = zone(desk.timezone)
    current = Schedule(desk.duty_hours, desk.min_staff, desk.rules)
    if desk.kept:  # rescheduled since the range began: each schedule for its own part
        begin = max(start, desk.created_at) if desk.created_at else start
        return [span for since, until, schedule in timeline(current, desk.kept, begin, end)
                for span in epoch_spans(spans_between(schedule, tz, since, until))]
    if desk.rules:
        spans = epoch_spans(spans_between(current, tz, start, end))
    else:  # most desks share a handful of schedules
        key = (desk.duty_hours, desk.min_staff, desk.timezone)
        if key not in cache:
            cache[key] = epoch_spans(spans_between(current, tz, start, end))
        spans = cache[key]
    if desk.created_at is not None:  # created during the range: nothing counts before
        born = desk.created_at.timestamp()
        spans = [(max(a, born), b, staff) for a, b, staff in spans if b > born]
    return spans


async def build_digest(db: Database, scope: Desk | None, end: datetime, tz: ZoneInfo, *,
                       now: datetime, everything: str = "", days: int = 1) -> Digest:
    """The digest of ``scope`` (None: every desk) for the 24 hours (``days`` days: the
    weekly report's seven) before ``end``, counted up to ``now`` at the latest."""
    start, end = digest_range(end, days)
    end = max(start, min(end, now))  # time that has not happened yet is neither kept nor lost
    scope_path = scope.path if scope else None
    digest = Digest(scope.name if scope else everything, scope.code if scope else None,
                    start, end, tz)
    desks = await digests_store.desks_in(db, scope_path, start)
    shifts: dict[int, Stretches] = defaultdict(list)
    for desk_id, began, ended in await digests_store.shifts_between(db, scope_path, start, end):
        shifts[desk_id].append((began.timestamp(), (ended or end).timestamp()))
    depth = len(chain(scope.path)) if scope else 0
    names = {d.id: d.name for d in desks}
    # Sums as plain lists, not Coverage objects: this loop runs once per desk of the country.
    units: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    total = [0.0, 0.0, 0.0, 0.0]
    per_desk: list[tuple[DeskRow, Coverage]] = []
    rawan = [0.0, 0.0, 0.0, 0.0]
    cache: dict[tuple[str, int, str], Spans] = {}
    born = [desk.created_at for desk in desks if desk.created_at is not None]
    if desks and len(born) == len(desks):  # a new installation: say why its day is short
        digest.counted_from = min(born)
    for desk in desks:
        if desk.kept or desk.rules or desk.created_at is not None:
            spans = _desk_spans(desk, start, end, cache)
        else:  # the common case inline: this loop runs once per desk of the country
            found = cache.get((desk.duty_hours, desk.min_staff, desk.timezone))
            spans = _desk_spans(desk, start, end, cache) if found is None else found
        if not spans:
            continue
        cov = coverage_seconds(spans, shifts.get(desk.id, []))
        sums = (cov.duty, cov.staffed, cov.episodes, cov.empty)
        total = [x + y for x, y in zip(total, sums, strict=True)]
        if cov.empty:
            per_desk.append((desk, cov))
        if desk.risks:
            rawan = [x + y for x, y in zip(rawan, sums, strict=True)]
            digest.rawan_desks += 1
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
    digest.rawan = Coverage(rawan[0], rawan[1], int(rawan[2]), rawan[3])
    worst = sorted(per_desk, key=lambda item: (not item[0].risks, -item[1].empty,
                                               item[0].code))[:3]
    digest.worst = [(d.name, d.code, c) for d, c in worst]
    digest.risk_labels = {d.code: d.risks for d, _ in worst if d.risks}
    alerts = await digests_store.alerts_between(db, scope_path, start, end)
    digest.alerts = len(alerts)
    waits = [(acked - opened).total_seconds() for opened, acked in alerts if acked is not None]
    digest.acked = len(waits)
    digest.median_ack = timedelta(seconds=statistics.median(waits)) if waits else None
    categories: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for category, status, count in await digests_store.incidents_between(db, scope_path, start,
                                                                          end):
        if category == ALL_CLEAR:  # "all calm here" is a report, not an incident
            digest.calm += count
            continue
        categories[category] += count
        statuses[status] += count
    digest.by_category, digest.by_status = dict(categories), dict(statuses)
    (digest.open_alerts, digest.earlier_alerts, digest.open_incidents,
     digest.earlier_incidents) = await digests_store.still_open(db, scope_path, start, end)
    digest.moved = await relocations.moved_between(db, scope_path, start, end)
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
    people = await digests_store.recipients(db, admin_ids)
    return await queue_due(db, now, people, lambda after, tz: next_digest(after, at, tz),
                           default_tz=default_tz)


NextTime = Callable[[datetime, ZoneInfo], datetime]  # the first report time after a moment


async def queue_due(db: Database, now: datetime, people: list[Recipient], next_time: NextTime,
                    *, default_tz: ZoneInfo, table: str = digests_store.DAILY,
                    kinds: tuple[OutboxKind, ...] = digests_store.DAILY_KINDS) -> DigestRun:
    """Steps 1 and 2 of :func:`send_due` for any schedule: the daily digest's, or the weekly
    report's (its own ``table``, ``kinds`` of message and ``next_time``)."""
    run = DigestRun()
    planned = [(r, next_time(now, zone(r.timezone) if r.timezone else default_tz))
               for r in people]
    await digests_store.schedule(db, planned, table)
    run.scheduled = len(planned)
    zones = {(r.chat_id, r.desk_id): zone(r.timezone) if r.timezone else default_tz
             for r in people}
    due = [(chat, desk_id, when,
            next_time(max(now, when), zones.get((chat, desk_id), default_tz)))
           for chat, desk_id, when in await digests_store.due(db, now, table)]
    run.queued = await digests_store.advance(db, due, now, table=table, kinds=kinds)
    return run
