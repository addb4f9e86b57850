"""What ``/ekspor`` and ``posko-bot export`` put in a spreadsheet: shifts, alerts and incidents.

Each kind is one set-based query (JOINs with desks and members), restricted to a scope by the
desk path range and to a UTC half-open time range ``[start, end)`` on the row's own start
(a shift's check-in, an alert's opening, a report's creation). Alerts and reports of
risk-area desks (:mod:`storage.risks`) come first, with the desk's labels. Shift coordinates
are never read: they are personal data (UU PDP), and the distance to the desk says enough.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from storage.desks import chain, get_many, in_scope
from storage.models import Level, StoredTime, to_db
from storage.records import Convert, RowRecord
from storage.risks import LABELS_TEXT
from storage.sqlite.engine import Database

Scope = str | None  # a scope's desk path; None = everything


@dataclass(frozen=True, slots=True)
class ShiftRow(RowRecord):
    """One shift that started in the range."""

    desk_code: str
    desk_name: str
    officer: Annotated[str, Convert(str)]  # the member's id when the member is gone
    started_at: StoredTime
    ended_at: StoredTime | None
    end_reason: str | None
    distance_m: Annotated[float, Convert(float)]


@dataclass(frozen=True, slots=True)
class AlertRow(RowRecord):
    """One empty-desk alert opened in the range.

    ``reached_*`` describe the highest desk whose supervisors were told (the alert's level).
    """

    desk_code: str
    desk_name: str
    short_since: StoredTime
    opened_at: StoredTime
    reached_level: Level | None
    reached_code: str | None
    reached_name: str | None
    acked_by: str | None
    acked_at: StoredTime | None
    resolved_at: StoredTime | None
    resolution: str | None
    rawan: str | None = None  # the desk's risk labels, "banjir, psu" (None: not a risk area)


@dataclass(frozen=True, slots=True)
class IncidentRow(RowRecord):
    """One incident report created in the range."""

    ref: str
    desk_code: str
    desk_name: str
    category: str
    severity: str
    status: str
    reporter: str | None
    handler: str | None
    created_at: StoredTime
    description: str
    closed_at: StoredTime | None
    closing_note: str | None
    tps: str | None
    rawan: str | None = None  # the desk's risk labels, "banjir, psu" (None: not a risk area)


@dataclass(frozen=True, slots=True)
class ExportData:
    """Everything of one export, each list in time order."""

    shifts: list[ShiftRow]
    alerts: list[AlertRow]
    incidents: list[IncidentRow]

    @property
    def empty(self) -> bool:
        """Whether there is nothing at all to export."""
        return not (self.shifts or self.alerts or self.incidents)


def _where(column: str, scope: Scope, start: datetime, end: datetime
           ) -> tuple[str, list[object]]:
    within, scope_params = in_scope(scope)
    return (f"WHERE {column} >= ? AND {column} < ?{within}",
            [to_db(start), to_db(end), *scope_params])


async def shifts(db: Database, scope: Scope, start: datetime, end: datetime) -> list[ShiftRow]:
    """Shifts started in ``[start, end)`` at desks of the scope, oldest first."""
    where, params = _where("s.started_at", scope, start, end)
    rows = await db.scan(
        "SELECT d.code AS desk_code, d.name AS desk_name, "
        "coalesce(m.full_name, s.member_id) AS officer, s.started_at, s.ended_at, "
        "s.end_reason, s.distance_m FROM shifts s JOIN desks d ON d.id = s.desk_id "
        f"LEFT JOIN members m ON m.telegram_id = s.member_id {where} "
        "ORDER BY s.started_at, d.code, s.id", params)
    return ShiftRow.from_rows(rows)


async def alerts(db: Database, scope: Scope, start: datetime, end: datetime) -> list[AlertRow]:
    """Alerts opened in ``[start, end)`` at desks of the scope: those of risk-area desks
    first, each part oldest first."""
    where, params = _where("a.opened_at", scope, start, end)
    rows = await db.scan(
        "SELECT d.code AS desk_code, d.name AS desk_name, d.path, a.level, a.short_since, "
        "a.opened_at, m.full_name AS acked_by, a.acked_at, a.resolved_at, a.resolution, "
        f"{LABELS_TEXT} AS rawan FROM alerts a JOIN desks d ON d.id = a.desk_id "
        "LEFT JOIN members m ON m.telegram_id = a.acked_by "
        f"{where} ORDER BY rawan IS NULL, a.opened_at, d.code, a.id", params)
    read = AlertRow.reader(rows, given=("reached_level", "reached_code", "reached_name"),
                           other=("path", "level"))
    path, alert_level = read.column("path"), read.column("level")
    # The level is an index into the desk's ancestor chain; name those desks in one query
    # (they are few: the alerting desks' ancestors) instead of one lookup per alert.
    reached_ids: list[int | None] = []
    for r in rows:
        ids, index = chain(path(r)), alert_level(r)
        reached_ids.append(ids[index] if 0 <= index < len(ids) else None)
    reached = await get_many(db, sorted({i for i in reached_ids if i is not None}))
    found: list[AlertRow] = []
    for r, reached_id in zip(rows, reached_ids, strict=True):
        desk = reached.get(reached_id or 0)
        level, code, name = (Level(desk.level), desk.code, desk.name) if desk else (None,) * 3
        found.append(read.build(r, reached_level=level, reached_code=code, reached_name=name))
    return found


async def incidents(db: Database, scope: Scope, start: datetime, end: datetime
                    ) -> list[IncidentRow]:
    """Reports created in ``[start, end)`` at desks of the scope: those of risk-area desks
    first, each part oldest first."""
    where, params = _where("i.created_at", scope, start, end)
    rows = await db.scan(
        "SELECT i.ref, d.code AS desk_code, d.name AS desk_name, i.category, i.severity, "
        "i.status, r.full_name AS reporter, h.full_name AS handler, i.created_at, "
        "i.description, (SELECT max(at) FROM incident_history x WHERE x.incident_id = i.id "
        "AND x.status = 'selesai') AS closed_at, i.closing_note, i.tps, "
        f"{LABELS_TEXT} AS rawan FROM incidents i "
        "JOIN desks d ON d.id = i.desk_id "
        "LEFT JOIN members r ON r.telegram_id = i.reporter_id "
        f"LEFT JOIN members h ON h.telegram_id = i.handler_id {where} "
        "ORDER BY rawan IS NULL, i.created_at, i.id", params)
    return IncidentRow.from_rows(rows)


async def count(db: Database, scope: Scope, start: datetime, end: datetime) -> int:
    """How many rows :func:`collect` would return (without reading them)."""
    parts, params = [], []
    for table, column in (("shifts s", "s.started_at"), ("alerts a", "a.opened_at"),
                          ("incidents i", "i.created_at")):
        where, more = _where(column, scope, start, end)
        alias = table.split()[1]
        parts.append(f"(SELECT count(*) FROM {table} JOIN desks d ON d.id = {alias}.desk_id "
                     f"{where})")
        params += more
    return int(await db.scanval(f"SELECT {' + '.join(parts)}", params))


async def collect(db: Database, scope: Scope, start: datetime, end: datetime) -> ExportData:
    """Shifts, alerts and incidents of a scope in ``[start, end)``."""
    return ExportData(await shifts(db, scope, start, end), await alerts(db, scope, start, end),
                      await incidents(db, scope, start, end))
