"""Schedule history: the duty hours, staff and rules a desk had before each change.

A past day is judged by the rules in force that day, so changing a desk's schedule today must
not rewrite yesterday's digest. The ``desks`` row and its ``duty_rules`` hold the schedule in
force now; every change first keeps the schedule it replaces, in the transaction of the
change, as a row valid until that moment (:func:`keep`). A desk's schedules over time
(:func:`timeline`) are then:

1. from its creation (``desks.created_at``) to the first kept row's ``valid_until``: that
   row's schedule;
2. from each kept row's ``valid_until`` to the next one's: the next one's;
3. from the last kept row's ``valid_until`` on: the current schedule.

A database from before this history has no rows: its current schedules count as valid since
each desk's creation. A desk that never changed has no rows either, so the national digest
looks up history only for the few desks that have some.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from storage.models import from_db, to_db
from storage.rules.duty import Schedule
from storage.sqlite.engine import Database, Tx

Version = tuple[datetime, Schedule]  # a schedule and the moment it stopped being in force


async def keep(tx: Tx, desk_ids: Iterable[int], now: datetime) -> None:
    """Keep the current schedules of ``desk_ids`` as valid until ``now``; call it in the
    transaction that changes them, before the change. Several changes at the same moment (one
    import touching a desk's hours and rules) keep the schedule from before the first."""
    ids = sorted(set(desk_ids))
    if not ids:  # most imports change no schedule
        return
    stamp = to_db(now)
    await tx.executemany(
        "INSERT INTO schedule_history (desk_id, duty_hours, min_staff, rules, valid_until) "
        "SELECT d.id, d.duty_hours, d.min_staff, (SELECT json_group_array(json_array("
        "r.day, r.duty_hours, r.min_staff)) FROM duty_rules r WHERE r.desk_id = d.id), ? "
        "FROM desks d WHERE d.id = ? AND NOT EXISTS (SELECT 1 FROM schedule_history h "
        "WHERE h.desk_id = d.id AND h.valid_until >= ?)",
        [(stamp, desk_id, stamp) for desk_id in ids])


async def versions_after(db: Database, desk_ids: list[int],
                         moment: datetime) -> dict[int, list[Version]]:
    """The kept schedules of ``desk_ids`` still in force after ``moment``, oldest first."""
    found: dict[int, list[Version]] = {}
    after = to_db(moment)  # fixed-width UTC text: text order is time order
    for row in await db.fetch_in(
            "SELECT desk_id, duty_hours, min_staff, rules, valid_until FROM schedule_history "
            "WHERE desk_id IN ({keys}) ORDER BY desk_id, valid_until, id", desk_ids):
        if row[4] <= after:
            continue
        rules = tuple((str(day), str(hours), staff) for day, hours, staff in json.loads(row[3]))
        found.setdefault(row[0], []).append(
            (from_db(row[4]), Schedule(row[1], int(row[2]), rules)))
    return found


def timeline(current: Schedule, kept: list[Version], begin: datetime,
             end: datetime) -> list[tuple[datetime, datetime, Schedule]]:
    """The schedules in force between ``begin`` (no earlier than the desk's creation) and
    ``end``, as ``(from, until, schedule)`` pieces (steps 1–3 of the module docstring)."""
    pieces: list[tuple[datetime, datetime, Schedule]] = []
    since = begin
    for until, schedule in kept:
        if until > since:
            pieces.append((since, min(until, end), schedule))
            since = until
        if since >= end:
            return [p for p in pieces if p[0] < p[1]]
    pieces.append((since, end, current))
    return [p for p in pieces if p[0] < p[1]]
