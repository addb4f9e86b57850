"""Empty-desk alerts: the transitions the sweep applies, acknowledgement, the views of them.

What the sweep reads to decide them is :mod:`storage.snapshots`.

Every transition is a conditional UPDATE (or an INSERT guarded by the one-open-alert-per-desk
index), and the outbox intents it causes are written in the same transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from storage.desks import chain, in_scope
from storage.models import StoredTime, to_db
from storage.outbox import Intent, enqueue
from storage.outbox_kinds import AlertsPayload, EditPayload, OutboxKind
from storage.records import Flag, RowRecord
from storage.sqlite.engine import Database, Tx


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
    # The thousands of alerts opened at once share a handful of times (the start of a
    # window, the first escalation): each is formatted once.
    stored: dict[datetime, str] = {}

    def stamp(moment: datetime | None) -> str | None:
        if moment is None:
            return None
        found = stored.get(moment)
        if found is None:
            found = stored[moment] = to_db(moment)
        return found

    await tx.executemany(
        "INSERT INTO alerts (id, desk_id, short_since, opened_at, level, first_level, "
        "next_escalation_at, last_member_id) VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT member_id "
        "FROM shifts WHERE desk_id = ? AND ended_at IS NOT NULL ORDER BY ended_at DESC LIMIT 1))",
        [(alert_id, a.desk_id, stamp(a.short_since), stamp(now), a.level, a.level,
          stamp(a.next_escalation_at), a.desk_id)
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
        [(stamp, resolution, alert_id) for stamp in (to_db(now),)
         for alert_id, resolution in done])
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
