"""What the dashboard reads beyond the ``/rekap`` board (``storage.board``): where desks are on
the map, and the timeline of a scope's day.

Only desks have coordinates here: the locations officers sent stay in their shifts and never
leave the store through this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.desks import in_scope
from storage.models import StoredTime, to_db
from storage.records import RowRecord
from storage.sqlite.engine import Database

TIMELINE = 40  # events of today shown, newest first


@dataclass(frozen=True, slots=True)
class Place(RowRecord):
    """Where a desk is and which zone its clock is in."""

    id: int
    latitude: float | None
    longitude: float | None
    timezone: str


async def places(db: Database, desk_ids: list[int]) -> dict[int, Place]:
    """The places of these desks, by id."""
    rows = await db.fetch_in(
        "SELECT id, latitude, longitude, timezone FROM desks WHERE id IN ({keys})", desk_ids)
    return {place.id: place for place in Place.from_rows(rows)}


class Event:
    """Kinds of timeline events."""

    CHECKIN = "checkin"
    CHECKOUT = "checkout"
    ALERT = "alert"
    ACK = "ack"
    RESOLVED = "resolved"
    REPORT = "report"


@dataclass(frozen=True, slots=True)
class TimelineEvent(RowRecord):
    """One change of the day: what, when, at which desk, by whom (a name, or a reference)."""

    kind: str
    at: StoredTime
    desk_id: int
    desk_name: str
    timezone: str
    who: str | None
    detail: str | None


# One SELECT per kind of change, each bounded by its own index-friendly time column; the
# union is ordered once. {w} is the scope condition on the desk alias d.
_PRESENCE = """
  SELECT 'checkin' AS kind, s.started_at AS at, d.id AS desk_id, d.name AS desk_name,
         d.timezone, m.full_name AS who, NULL AS detail
  FROM shifts s JOIN desks d ON d.id = s.desk_id JOIN members m ON m.telegram_id = s.member_id
  WHERE s.started_at >= ?{w}
  UNION ALL
  SELECT 'checkout', s.ended_at, d.id, d.name, d.timezone, m.full_name, s.end_reason
  FROM shifts s JOIN desks d ON d.id = s.desk_id JOIN members m ON m.telegram_id = s.member_id
  WHERE s.ended_at >= ?{w}
  UNION ALL"""
_TIMELINE = """
SELECT * FROM ({presence}
  SELECT 'alert' AS kind, a.opened_at AS at, d.id AS desk_id, d.name AS desk_name, d.timezone,
         NULL AS who, NULL AS detail
  FROM alerts a JOIN desks d ON d.id = a.desk_id WHERE a.opened_at >= ?{w}
  UNION ALL
  SELECT 'ack', a.acked_at, d.id, d.name, d.timezone, m.full_name, NULL
  FROM alerts a JOIN desks d ON d.id = a.desk_id LEFT JOIN members m ON m.telegram_id = a.acked_by
  WHERE a.acked_at >= ?{w}
  UNION ALL
  SELECT 'resolved', a.resolved_at, d.id, d.name, d.timezone, NULL, a.resolution
  FROM alerts a JOIN desks d ON d.id = a.desk_id WHERE a.resolved_at >= ?{w}
  UNION ALL
  SELECT 'report', i.created_at, d.id, d.name, d.timezone, i.ref, i.severity
  FROM incidents i JOIN desks d ON d.id = i.desk_id WHERE i.created_at >= ?{w}
) ORDER BY at DESC LIMIT ?
"""


async def timeline(db: Database, scope_path: str | None, since: datetime, *,
                   presence: bool = True, limit: int = TIMELINE) -> list[TimelineEvent]:
    """The newest changes in a scope (all when None) since ``since``, newest first:
    alerts opened, taken and over, and reports; with ``presence`` check-ins and check-outs
    too. (A province's or the country's check-ins are tens of thousands a day: there they
    would be noise, and reading them all costs more than the rest of the page.)"""
    where, params = in_scope(scope_path)
    per_kind = (to_db(since), *params)
    kinds = 6 if presence else 4
    sql = _TIMELINE.format(presence=_PRESENCE.format(w=where) if presence else "", w=where)
    rows = await db.scan(sql, (*(per_kind * kinds), limit))
    return TimelineEvent.from_rows(rows)
