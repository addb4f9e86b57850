"""The weekly report: every week, on ``POSKO_WEEKLY_REPORT_DAY`` in the recipient's zone, the
supervisors of kabupaten/kota and provinsi desks (and the admins) get the past seven days of
their scope, as the daily digest's steps schedule it (late once after downtime, never twice).

What it holds beyond a seven-day digest (``scheduler.digest.build_digest``): the reports by
partner agency, and the reports still open that are older than three days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduler.digest import Digest, DigestRun, build_digest, queue_due
from storage import digests as digests_store
from storage import incidents as incidents_store
from storage import partners
from storage.models import Desk
from storage.sqlite.engine import Database

DAYS = 7
STALE = timedelta(days=3)  # an open report older than this is listed as overdue
# Day names as an operator writes them (Indonesian or English), Monday first.
WEEKDAYS = {name: number for number, names in enumerate((
    ("senin", "monday", "mon"), ("selasa", "tuesday", "tue"), ("rabu", "wednesday", "wed"),
    ("kamis", "thursday", "thu"), ("jumat", "friday", "fri"), ("sabtu", "saturday", "sat"),
    ("minggu", "sunday", "sun"))) for name in names}
_SETTING = re.compile(r"^\s*([a-z']+)\s+(\d{1,2})[:.](\d{2})\s*$")


def parse_weekly(text: str) -> tuple[int, time] | None:
    """``senin 08:00`` / ``monday 8.00`` → (weekday, time), Monday 0; ``off`` or empty:
    None. ValueError for anything else."""
    text = text.strip().lower().replace("jum'at", "jumat")
    if text in ("", "off", "-"):
        return None
    match = _SETTING.match(text)
    if match is None or match[1] not in WEEKDAYS:
        raise ValueError(f"{text!r} is not a day and a time, like 'senin 08:00' or "
                         "'monday 08:00' (or 'off')")
    hour, minute = int(match[2]), int(match[3])
    if hour > 23 or minute > 59:
        raise ValueError(f"{match[2]}:{match[3]} is not a time of day")
    return WEEKDAYS[match[1]], time(hour, minute)


def next_weekly(after: datetime, weekday: int, at: time, tz: ZoneInfo) -> datetime:
    """The first ``weekday`` at ``at`` (local in ``tz``) strictly after ``after``."""
    local = after.astimezone(tz)
    day = local.date() + timedelta(days=(weekday - local.weekday()) % 7)
    candidate = datetime.combine(day, at, tzinfo=tz)
    if candidate <= local:
        candidate = datetime.combine(day + timedelta(days=7), at, tzinfo=tz)
    return candidate


async def send_due_weekly(db: Database, now: datetime, *, weekday: int, at: time,
                          default_tz: ZoneInfo, admin_ids: list[int]) -> DigestRun:
    """Queue every weekly report whose time has come (the daily digest's two steps)."""
    people = await digests_store.recipients(db, admin_ids, weekly=True)
    return await queue_due(db, now, people, lambda after, tz: next_weekly(after, weekday, at, tz),
                           default_tz=default_tz, table=digests_store.WEEKLY,
                           kinds=digests_store.WEEKLY_KINDS)


@dataclass
class Weekly:
    """A scope's week: its seven-day digest and what only the weekly report says."""

    digest: Digest
    by_agency: dict[str, int] = field(default_factory=dict)
    overdue: int = 0  # reports open at the end that were made more than STALE before it


async def build_weekly(db: Database, scope: Desk | None, end: datetime, tz: ZoneInfo, *,
                       now: datetime, everything: str = "") -> Weekly:
    """The weekly report of ``scope`` (None: every desk) for the seven days before ``end``."""
    digest = await build_digest(db, scope, end, tz, now=now, everything=everything, days=DAYS)
    path = scope.path if scope else None
    return Weekly(digest, await partners.counts_by_agency(db, path, digest.start, digest.end),
                  await incidents_store.open_before(db, path, digest.end - STALE))
