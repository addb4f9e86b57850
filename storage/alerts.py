"""Empty-desk alerts: the sweep's snapshot query, the alert transitions, acknowledgement.

Every transition is a conditional UPDATE (or an INSERT guarded by the one-open-alert-per-desk
index), and the outbox intents it causes are written in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from storage.desks import Rule, chain, in_scope, rules_for, schedule_pairs
from storage.models import StoredTime, to_db
from storage.outbox import Intent, enqueue
from storage.outbox_kinds import AlertsPayload, EditPayload, OutboxKind
from storage.records import Flag, RowRecord
from storage.risks import HAS_RISKS, floor_sql, labels_for
from storage.sqlite.engine import Database, Tx


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


# The desk's open alert, if any, is read from the same row: its columns are prefixed alert_.
_SNAPSHOT = """
SELECT d.id AS desk_id, d.path, d.timezone, d.duty_hours, d.min_staff,
       coalesce(s.n, 0) AS open_shifts,
       a.id AS alert_id, a.short_since AS alert_short_since, a.opened_at AS alert_opened_at,
       a.level AS alert_level, a.step AS alert_step,
       a.next_escalation_at AS alert_next_escalation_at, a.acked_at IS NOT NULL AS alert_acked,
       (SELECT max(ended_at) FROM shifts e WHERE e.desk_id = d.id) AS last_end,
       EXISTS (SELECT 1 FROM duty_rules r WHERE r.desk_id = d.id) AS has_rules,
       {has_risks} AS has_risks
FROM desks d
LEFT JOIN (SELECT desk_id, count(*) AS n FROM shifts WHERE ended_at IS NULL
           GROUP BY desk_id) s ON s.desk_id = d.id
LEFT JOIN alerts a ON a.desk_id = d.id AND a.resolved_at IS NULL
WHERE ((coalesce(s.n, 0) < d.min_staff OR coalesce(s.n, 0) < {floor})
       AND (d.timezone, d.duty_hours) IN ({on_duty}))
   OR a.id IS NOT NULL
   OR EXISTS (SELECT 1 FROM duty_rules r WHERE r.desk_id = d.id)
"""


async def snapshots(db: Database, moment: datetime,
                    floors: Mapping[str, int] | None = None) -> list[DeskSnapshot]:
    """Every desk that could be short or has an open alert, in one query.

    A desk with enough open shifts for its daily ``min_staff``, or whose daily hours are off
    duty now, with no alert and no rules, cannot be short, so it is not even read: the
    (zone, hours) pairs on duty are worked out first (a handful for the whole country), and
    at night the sweep reads almost nothing. ``floors`` (label -> the staff its rule needs)
    counts too: a desk whose risk labels need more staff than it has is read as well.
    """
    values, params = await schedule_pairs(db, moment)
    floor, floor_params = floor_sql(floors or {})
    rows = await db.scan(_SNAPSHOT.format(on_duty=values, has_risks=HAS_RISKS, floor=floor),
                         [*floor_params, *params])
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


@dataclass(frozen=True, slots=True)
class NewAlert:
    """An alert to open, announced at ``level`` (-1: no level has supervisors yet)."""

    desk_id: int
    short_since: datetime
    level: int
    next_escalation_at: datetime | None


@dataclass(frozen=True, slots=True)
class Escalation:
    """An alert to move up to ``level`` (from ``from_step``, a guard against double moves)."""

    alert_id: int
    from_step: int
    level: int
    next_escalation_at: datetime | None


@dataclass(frozen=True, slots=True)
class AlertState(RowRecord):
    """An open alert as it stands inside the sweep's transaction."""

    id: int
    step: int
    acked: Flag


async def open_states(tx: Tx) -> dict[int, AlertState]:
    """Desk id -> its open alert, read inside the writing transaction (so it is current)."""
    cursor = await tx.execute("SELECT desk_id, id, step, acked_at IS NOT NULL AS acked "
                              "FROM alerts WHERE resolved_at IS NULL")
    rows = await cursor.fetchall()
    read = AlertState.reader(rows, other=("desk_id",))
    desk_id = read.column("desk_id")
    return {desk_id(r): read.build(r) for r in rows}


async def open_many(tx: Tx, new: list[NewAlert], now: datetime) -> list[int]:
    """Insert alerts (the caller checked none is open for their desks); ids in order.

    ``last_member_id`` records who was on duty last, so the alert can say whom to call.
    """
    if not new:
        return []
    cursor = await tx.execute("SELECT coalesce(max(id), 0) FROM alerts")
    row = await cursor.fetchone()
    first = int(row[0]) + 1 if row else 1
    ids = list(range(first, first + len(new)))
    stamp = to_db(now)
    await tx.executemany(
        "INSERT INTO alerts (id, desk_id, short_since, opened_at, level, first_level, "
        "next_escalation_at, last_member_id) VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT member_id "
        "FROM shifts WHERE desk_id = ? AND ended_at IS NOT NULL ORDER BY ended_at DESC LIMIT 1))",
        [(alert_id, a.desk_id, to_db(a.short_since), stamp, a.level, a.level,
          to_db(a.next_escalation_at) if a.next_escalation_at else None, a.desk_id)
         for alert_id, a in zip(ids, new, strict=True)])
    return ids


async def escalate_many(tx: Tx, moves: list[Escalation]) -> None:
    """Move unacknowledged, unresolved alerts one step up (guarded by their current step)."""
    # An alert nobody was told of (first_level -1) is first told at the level it moves to.
    await tx.executemany(
        "UPDATE alerts SET level = ?, step = step + 1, next_escalation_at = ?, "
        "first_level = CASE WHEN first_level < 0 THEN ? ELSE first_level END "
        "WHERE id = ? AND step = ? AND acked_at IS NULL AND resolved_at IS NULL",
        [(m.level, to_db(m.next_escalation_at) if m.next_escalation_at else None, m.level,
          m.alert_id, m.from_step) for m in moves])


async def resolve_many(tx: Tx, done: list[tuple[int, str]],
                       now: datetime) -> dict[int, list[int]]:
    """Close alerts ``(id, resolution)``; returns, per alert, the chats that were told."""
    if not done:
        return {}
    await tx.executemany(
        "UPDATE alerts SET resolved_at = ?, resolution = ?, next_escalation_at = NULL "
        "WHERE id = ? AND resolved_at IS NULL",
        [(to_db(now), resolution, alert_id) for alert_id, resolution in done])
    cursor = await tx.execute(
        "SELECT DISTINCT m.alert_id, o.chat_id FROM alert_messages m "
        "JOIN outbox o ON o.id = m.outbox_id WHERE o.failed_at IS NULL "
        "AND m.alert_id IN (SELECT value FROM json_each(?)) ORDER BY o.chat_id",
        (json.dumps([alert_id for alert_id, _ in done]),))
    told: dict[int, list[int]] = {alert_id: [] for alert_id, _ in done}
    for alert_id, chat in await cursor.fetchall():
        told[alert_id].append(chat)
    return told


async def announce(tx: Tx, per_chat: dict[int, list[int]], kind: OutboxKind,
                   now: datetime) -> None:
    """One intent per chat listing its alerts, each linked so later edits can find it."""
    chats = sorted(per_chat)
    ids = await enqueue(tx, [Intent(c, kind, AlertsPayload(tuple(sorted(set(per_chat[c])))))
                             for c in chats], now)
    links = [(alert_id, outbox_id) for chat, outbox_id in zip(chats, ids, strict=True)
             for alert_id in set(per_chat[chat])]
    if kind is OutboxKind.ALERTS:
        await tx.executemany(
            "INSERT OR IGNORE INTO alert_messages (alert_id, outbox_id) VALUES (?, ?)", links)


async def tell_new_supervisor(tx: Tx, chat_id: int, desk_id: int, now: datetime) -> int:
    """Tell a supervisor who has just taken desk ``desk_id`` every open alert of its scope,
    in one message; returns how many.

    Without this, someone who registers while desks are already empty (every supervisor of a
    new installation) would hear of them only at the next escalation, if ever. Of the alerts
    nobody had been told of, they become the first told: escalation goes on from their level.
    """
    cursor = await tx.execute("SELECT path FROM desks WHERE id = ?", (desk_id,))
    row = await cursor.fetchone()
    if row is None:
        return 0
    where, params = in_scope(str(row[0]))
    cursor = await tx.execute(
        "SELECT a.id, d.path, a.first_level FROM alerts a JOIN desks d ON d.id = a.desk_id "
        f"WHERE a.resolved_at IS NULL{where} ORDER BY a.short_since", params)
    found = [(int(r[0]), str(r[1]), int(r[2])) for r in await cursor.fetchall()]
    if not found:
        return 0
    await tx.executemany(
        "UPDATE alerts SET level = ?, first_level = ? WHERE id = ? AND first_level < 0 "
        "AND resolved_at IS NULL",
        [(level, level, alert_id) for alert_id, path, first in found if first < 0
         for level in (chain(path).index(desk_id),)])
    await announce(tx, {chat_id: [alert_id for alert_id, _, _ in found]}, OutboxKind.ALERTS,
                   now)
    return len(found)


class AckOutcome(StrEnum):
    """Result of pressing *Saya tangani*."""

    ACKED = "acked"
    ALREADY = "already"
    RESOLVED = "resolved"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class AlertView(RowRecord):
    """An alert with its desk, for rendering and permission checks."""

    id: int
    desk_id: int
    short_since: StoredTime
    opened_at: StoredTime
    level: int
    first_level: int
    acked_by: int | None
    acked_at: StoredTime | None
    resolved_at: StoredTime | None
    resolution: str | None
    last_member_id: int | None


    @property
    def forwarded(self) -> bool:
        """Whether it went up past supervisors who were told and did not take it."""
        return 0 <= self.first_level < self.level


_VIEW = f"SELECT {', '.join('a.' + c for c in AlertView.columns())} FROM alerts a"


async def get_many(db: Database, alert_ids: list[int]) -> list[AlertView]:
    """Alerts by id, in the given order (unknown ids skipped)."""
    rows = await db.fetch_in(f"{_VIEW} WHERE a.id IN ({{keys}})", alert_ids)
    found = {view.id: view for view in AlertView.from_rows(rows)}
    return [found[i] for i in alert_ids if i in found]


async def open_in_scope(db: Database, scope_path: str | None, offset: int = 0,
                        limit: int = 50) -> tuple[int, list[AlertView]]:
    """How many alerts of the desks in a scope (all when None) are unresolved, and ``limit``
    of them from ``offset``, longest-empty first."""
    where, params = in_scope(scope_path)
    total = await db.scanval(
        f"SELECT count(*) FROM alerts a JOIN desks d ON d.id = a.desk_id "
        f"WHERE a.resolved_at IS NULL{where}", params)
    return int(total), AlertView.from_rows(await db.scan(
        f"{_VIEW} JOIN desks d ON d.id = a.desk_id WHERE a.resolved_at IS NULL{where} "
        "ORDER BY a.short_since, a.id LIMIT ? OFFSET ?", (*params, limit, offset)))


async def open_for_desk(db: Database, desk_id: int) -> AlertView | None:
    """The desk's unresolved alert, if any."""
    row = await db.fetchone(f"{_VIEW} WHERE a.desk_id = ? AND a.resolved_at IS NULL",
                            (desk_id,))
    return AlertView.from_row(row) if row else None


async def acknowledge(db: Database, alert_id: int, member_id: int,
                      now: datetime) -> AckOutcome:
    """Take an alert: stop its escalation and queue an edit of every message announcing it."""
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "UPDATE alerts SET acked_by = ?, acked_at = ?, next_escalation_at = NULL "
            "WHERE id = ? AND acked_at IS NULL AND resolved_at IS NULL",
            (member_id, to_db(now), alert_id),
        )
        if cursor.rowcount != 1:
            cursor = await tx.execute(
                "SELECT resolved_at IS NOT NULL FROM alerts WHERE id = ?", (alert_id,))
            row = await cursor.fetchone()
            if row is None:
                return AckOutcome.UNKNOWN
            return AckOutcome.RESOLVED if row[0] else AckOutcome.ALREADY
        cursor = await tx.execute(
            "SELECT o.id, o.chat_id FROM alert_messages m JOIN outbox o ON o.id = m.outbox_id "
            "WHERE m.alert_id = ? AND o.failed_at IS NULL ORDER BY o.id", (alert_id,))
        targets = list(await cursor.fetchall())
        await enqueue(tx, [Intent(int(chat), OutboxKind.ALERT_UPDATE, EditPayload(int(target)))
                           for target, chat in targets], now)
    return AckOutcome.ACKED
