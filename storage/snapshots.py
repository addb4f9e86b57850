"""The sweep's snapshot: the desks whose empty-desk alert could open, escalate or resolve now,
with what the duty rule needs to decide (:mod:`scheduler.sweep`), read in one query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from storage.desks import HAS_RULES, OPEN_SHIFTS, Rule, rules_for, schedule_pairs
from storage.models import StoredTime, to_db
from storage.records import Flag, RowRecord
from storage.risks import HAS_RISKS, floor_sql, labels_for
from storage.sqlite.engine import Database


@dataclass(frozen=True, slots=True)
class OpenAlert(RowRecord):
    """The unresolved alert of a desk."""

    id: int
    short_since: StoredTime
    opened_at: StoredTime
    level: int
    step: int
    next_escalation_at: StoredTime | None
    acked: Flag


@dataclass(frozen=True, slots=True)
class DeskSnapshot(RowRecord):
    """What the sweep needs to know about one desk."""

    desk_id: int
    path: str
    timezone: str
    duty_hours: str
    min_staff: int
    rules: tuple[Rule, ...]
    open_shifts: int
    last_end: StoredTime | None
    alert: OpenAlert | None
    risks: tuple[str, ...] = ()  # risk labels (storage.risks), sorted


# Whether a desk without day rules is short now: its (zone, hours) pair on duty (the CTE
# ``live``), with fewer open shifts than its min_staff or than its risk labels need ({floor}).
_SHORT = (f"((d.timezone, d.duty_hours) IN live "
          f"AND {OPEN_SHIFTS} < max(d.min_staff, coalesce({{floor}}, 0)))")
# The desks that can pass the filter below when some pairs are off duty, found by index
# rather than by reading every desk: those of the pairs on duty, and the others that have day
# rules or an open alert. At night that is next to nothing; at 06:00 WIB, the WIT desks.
_CANDIDATES = """(
    SELECT x.id FROM live JOIN desks x ON x.timezone = live.tz AND x.duty_hours = live.hours
    UNION ALL
    SELECT y.id FROM desks y WHERE y.id IN (SELECT r.desk_id FROM duty_rules r
                                            UNION SELECT o.desk_id FROM alerts o
                                            WHERE o.resolved_at IS NULL)
    AND (y.timezone, y.duty_hours) NOT IN live
) w JOIN desks d ON d.id = w.id"""
# The desk's open alert, if any, is read from the same row: its columns are prefixed alert_.
_SNAPSHOT = f"""
WITH live(tz, hours) AS ({{on_duty}})
SELECT d.id AS desk_id, d.path, d.timezone, d.duty_hours, d.min_staff,
       {OPEN_SHIFTS} AS open_shifts,
       a.id AS alert_id, a.short_since AS alert_short_since, a.opened_at AS alert_opened_at,
       a.level AS alert_level, a.step AS alert_step,
       a.next_escalation_at AS alert_next_escalation_at, a.acked_at IS NOT NULL AS alert_acked,
       (SELECT max(ended_at) FROM shifts e WHERE e.desk_id = d.id) AS last_end,
       {HAS_RULES} AS has_rules,
       {{has_risks}} AS has_risks
FROM {{desks}}
LEFT JOIN alerts a ON a.desk_id = d.id AND a.resolved_at IS NULL
WHERE CASE WHEN {HAS_RULES} THEN 1
           WHEN a.id IS NULL THEN {_SHORT}
           ELSE NOT {_SHORT} OR (a.acked_at IS NULL AND a.next_escalation_at <= ?) END
ORDER BY d.id
"""


async def snapshots(db: Database, moment: datetime,
                    floors: Mapping[str, int] | None = None) -> list[DeskSnapshot]:
    """Every desk whose alert could open, escalate or resolve at ``moment``, in one query.

    Which desks those are is decided in SQL for every desk without day rules (a desk with
    rules is always read, its rules are judged in Python), from its daily hours only:

    1. Work out the (zone, hours) pairs on duty at ``moment`` with the one duty-window
       evaluator (a handful for the whole country). Unless all are on duty, only the desks
       of those pairs and the desks with day rules or an open alert are read, by index: at
       night the sweep reads almost nothing.
    2. A desk is *short* when its pair is on duty and it has fewer open shifts than its
       ``min_staff`` or than its risk labels need (``floors``: label -> staff).
    3. Read a desk without an alert when it is short (it may open one), and a desk with an
       alert when it is no longer short (it resolves) or when its escalation is due and
       nobody has acknowledged it. A short desk whose alert is not due is left alone: the
       rule would do nothing with it, and on voting day those are the thousands that stay
       empty for hours.
    """
    pairs = await schedule_pairs(db, moment)
    floor, floor_params = floor_sql(floors or {})
    sql = _SNAPSHOT.format(on_duty=pairs.sql, desks="desks d" if pairs.every else _CANDIDATES,
                           has_risks=HAS_RISKS, floor=floor)
    rows = await db.scan(sql, [*pairs.params, *floor_params, *floor_params, to_db(moment)])
    desk = DeskSnapshot.reader(rows, given=("rules", "alert", "risks"),
                               other=("has_rules", "has_risks", *OpenAlert.columns("alert_")))
    alert = OpenAlert.reader(rows, prefix="alert_")
    desk_id, has_rules, alert_id = (desk.column("desk_id"), desk.column("has_rules"),
                                    desk.column("alert_id"))
    has_risks = desk.column("has_risks")
    rules = await rules_for(db, [desk_id(r) for r in rows if has_rules(r)])
    risks = await labels_for(db, [desk_id(r) for r in rows if has_risks(r)])
    return [desk.build(r, rules=rules.get(desk_id(r), ()), risks=risks.get(desk_id(r), ()),
                       alert=alert.build(r) if alert_id(r) is not None else None)
            for r in rows]
