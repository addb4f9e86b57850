"""TPS moved: a report of category ``lokasi_tps`` records that its TPS moved, why, to where
and when (one move per report).

Recording is two questions (the reason, then the new place as a location or an address), and
the row is its state: ``reason`` → ``place`` → ``done``. Each step is one conditional UPDATE,
so a double tap or a redelivered answer changes nothing twice. The last step also queues the
news for the desk's supervisors and the KPU liaisons (``tps_moved``) and notes the move in the
report's history, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from storage import desks as desks_store
from storage.models import StoredTime, to_db
from storage.outbox import Intent, enqueue
from storage.outbox_kinds import IncidentPayload, OutboxKind
from storage.records import RowRecord
from storage.sqlite.engine import Database

REASONS = ("genangan", "akses", "konflik", "lainnya")
MOVABLE = "lokasi_tps"  # the report category that can record a move


@dataclass(frozen=True, slots=True)
class Move(RowRecord):
    """A TPS move, being recorded or recorded."""

    id: int
    incident_id: int
    desk_id: int
    tps: str
    recorded_by: int
    step: str
    reason: str | None
    new_latitude: float | None
    new_longitude: float | None
    new_address: str | None
    moved_at: StoredTime | None


_MOVE = f"SELECT {', '.join(Move.columns())} FROM tps_moves"


async def of_incident(db: Database, incident_id: int) -> Move | None:
    """The move a report records, if any."""
    row = await db.fetchone(f"{_MOVE} WHERE incident_id = ?", (incident_id,))
    return Move.from_row(row) if row else None


async def waiting_for_place(db: Database, member_id: int) -> Move | None:
    """The move whose new place ``member_id`` is asked for, if any."""
    row = await db.fetchone(f"{_MOVE} WHERE recorded_by = ? AND step = 'place' "
                            "ORDER BY id DESC LIMIT 1", (member_id,))
    return Move.from_row(row) if row else None


class Begun(StrEnum):
    """Result of starting to record a move."""

    ASKED = "asked"  # the reason is asked (again, if the recording had begun)
    RECORDED = "recorded"  # the move is recorded already
    NOT_MOVABLE = "not_movable"  # not a lokasi_tps report with a TPS number


async def begin(db: Database, incident_id: int, member_id: int, now: datetime) -> Begun:
    """Start (or restart) recording the move of a report's TPS, asking its reason."""
    async with db.transaction() as tx:
        cursor = await tx.execute("SELECT category, tps, desk_id FROM incidents WHERE id = ?",
                                  (incident_id,))
        report = await cursor.fetchone()
        if report is None or report[0] != MOVABLE or not report[1]:
            return Begun.NOT_MOVABLE
        cursor = await tx.execute(
            "INSERT INTO tps_moves (incident_id, desk_id, tps, recorded_by, step, created_at) "
            "VALUES (?, ?, ?, ?, 'reason', ?) ON CONFLICT (incident_id) DO UPDATE SET "
            "recorded_by = excluded.recorded_by, step = 'reason' WHERE step != 'done'",
            (incident_id, report[2], report[1], member_id, to_db(now)))
        return Begun.ASKED if cursor.rowcount == 1 else Begun.RECORDED


async def choose_reason(db: Database, incident_id: int, member_id: int, reason: str) -> bool:
    """The reason answered: the new place is asked next. False if not asked of this member
    (another recorder took over, or it is recorded already)."""
    if reason not in REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "UPDATE tps_moves SET reason = ?, step = 'place' WHERE incident_id = ? "
            "AND recorded_by = ? AND step IN ('reason', 'place')",
            (reason, incident_id, member_id))
        return cursor.rowcount == 1


async def place(db: Database, move: Move, *, latitude: float | None, longitude: float | None,
                address: str | None, chats: Sequence[int], now: datetime) -> bool:
    """The new place answered: the move is recorded at ``now``, noted in the report's history
    and queued for ``chats``. False if it was recorded meanwhile."""
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "UPDATE tps_moves SET new_latitude = ?, new_longitude = ?, new_address = ?, "
            "moved_at = ?, step = 'done' WHERE id = ? AND step = 'place'",
            (latitude, longitude, address, to_db(now), move.id))
        if cursor.rowcount != 1:
            return False
        await tx.execute("INSERT INTO incident_history (incident_id, at, actor_id, status, note) "
                         "VALUES (?, ?, ?, 'dipindahkan', ?)",
                         (move.incident_id, to_db(now), move.recorded_by,
                          f"TPS {move.tps}: {move.reason}"))
        await enqueue(tx, [Intent(chat, OutboxKind.TPS_MOVED, IncidentPayload(move.incident_id))
                           for chat in chats], now)
    return True


async def drop_unfinished(db: Database, member_id: int) -> bool:
    """``/batal``: forget a move ``member_id`` had begun recording; a recorded one stays."""
    async with db.transaction() as tx:
        cursor = await tx.execute("DELETE FROM tps_moves WHERE recorded_by = ? "
                                  "AND step != 'done'", (member_id,))
        return cursor.rowcount > 0


@dataclass(frozen=True, slots=True)
class MovedTps(RowRecord):
    """A TPS moved within a span, as the digest and the export list it."""

    desk_code: str
    desk_name: str
    timezone: str
    ref: str
    tps: str
    reason: str
    old_latitude: float | None  # where the report was made, if it says
    old_longitude: float | None
    new_latitude: float | None
    new_longitude: float | None
    new_address: str | None
    moved_at: StoredTime


async def moved_between(db: Database, scope_path: str | None, start: datetime,
                        end: datetime) -> list[MovedTps]:
    """The TPS of a scope (all when None) moved in ``[start, end)``, in time order."""
    within, params = desks_store.in_scope(scope_path)
    rows = await db.scan(
        "SELECT d.code AS desk_code, d.name AS desk_name, d.timezone, i.ref, m.tps, m.reason, "
        "i.latitude AS old_latitude, i.longitude AS old_longitude, m.new_latitude, "
        "m.new_longitude, m.new_address, m.moved_at FROM tps_moves m "
        "JOIN incidents i ON i.id = m.incident_id JOIN desks d ON d.id = m.desk_id "
        f"WHERE m.step = 'done' AND m.moved_at >= ? AND m.moved_at < ?{within} "
        "ORDER BY m.moved_at, m.id", (to_db(start), to_db(end), *params))
    return MovedTps.from_rows(rows)
