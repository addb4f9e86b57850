"""Shifts: check-in, check-out and presence updates, each one conditional write.

The partial unique index ``shifts_one_open`` guarantees at most one open shift per member, so a
double tap or a redelivered update cannot open a second one; ``update_id`` remembers which
Telegram update opened a shift so a redelivery gets the same answer as the original.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from storage.models import EndReason, Shift, to_db
from storage.rules.geo import LocationCheck, LocationFacts
from storage.sqlite.engine import Database

_COLUMNS = ("id, member_id, desk_id, started_at, ended_at, end_reason, latitude, longitude, "
            "distance_m, accuracy_m, live_until, last_seen_at, outside_since, update_id")


async def open_shift(db: Database, member_id: int) -> Shift | None:
    """The member's open shift, if any."""
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM shifts WHERE member_id = ? AND ended_at IS NULL", (member_id,)
    )
    return Shift.from_row(row) if row else None


async def get(db: Database, shift_id: int) -> Shift | None:
    """A shift by id."""
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM shifts WHERE id = ?", (shift_id,))
    return Shift.from_row(row) if row else None


async def open_count(db: Database, desk_id: int) -> int:
    """How many shifts are open at a desk."""
    return int(await db.fetchval(
        "SELECT count(*) FROM shifts WHERE desk_id = ? AND ended_at IS NULL", (desk_id,)
    ))


class StartOutcome(StrEnum):
    """Result of a check-in attempt that passed the location rules."""

    STARTED = "started"
    REPEATED = "repeated"  # the same update delivered again: the shift it opened
    ALREADY_OPEN = "already_open"  # another shift is open


@dataclass(frozen=True, slots=True)
class Started:
    """A check-in's outcome and the shift concerned."""

    outcome: StartOutcome
    shift: Shift


async def start(db: Database, *, member_id: int, desk_id: int, facts: LocationFacts,
                check: LocationCheck, live_until: datetime | None, update_id: int | None,
                now: datetime) -> Started:
    """Open a shift unless one is open; the unique index settles races.

    An update Telegram delivers again (the bot crashed before confirming it) finds the shift
    it opened, even if that shift has ended since, and opens nothing.
    """
    if update_id is not None:
        row = await db.fetchone(
            f"SELECT {_COLUMNS} FROM shifts WHERE update_id = ? AND member_id = ?",
            (update_id, member_id))
        if row is not None:
            return Started(StartOutcome.REPEATED, Shift.from_row(row))
    stamp = to_db(now)
    async with db.transaction() as tx:
        try:
            # RETURNING hands back the new row in the same call: no read after the commit.
            rows = await tx.execute_fetchall(
                "INSERT INTO shifts (member_id, desk_id, started_at, latitude, longitude, "
                "distance_m, accuracy_m, live_until, last_seen_at, update_id) "
                f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}",
                (member_id, desk_id, stamp, facts.latitude, facts.longitude,
                 check.distance_m or 0.0, facts.accuracy_m,
                 to_db(live_until) if live_until else None, stamp, update_id),
            )
        except sqlite3.IntegrityError:
            # The unique index refused a second open shift. Read the open one here, not on
            # the reader: the check-in that opened it may be waiting for this same commit.
            rows = await tx.execute_fetchall(
                f"SELECT {_COLUMNS} FROM shifts WHERE member_id = ? AND ended_at IS NULL",
                (member_id,))
            if not rows:  # another constraint (an unknown desk): not a race
                raise
            existing = Shift.from_row(rows[0])
            repeated = update_id is not None and existing.update_id == update_id
            return Started(StartOutcome.REPEATED if repeated else StartOutcome.ALREADY_OPEN,
                           existing)
    return Started(StartOutcome.STARTED, Shift.from_row(next(iter(rows))))


async def end(db: Database, shift_id: int, reason: EndReason, now: datetime,
              update_id: int | None = None) -> bool:
    """Close a shift if it is still open; False when it was already closed."""
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "UPDATE shifts SET ended_at = ?, end_reason = ?, end_update_id = ? "
            "WHERE id = ? AND ended_at IS NULL",
            (to_db(now), reason.value, update_id, shift_id),
        )
        return cursor.rowcount == 1


async def ended_by(db: Database, member_id: int, update_id: int) -> Shift | None:
    """The shift a given update closed, if it closed one (to answer a redelivery the same)."""
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM shifts WHERE member_id = ? AND end_update_id = ?",
        (member_id, update_id))
    return Shift.from_row(row) if row else None


async def refresh(db: Database, shift_id: int, *, facts: LocationFacts, distance: float | None,
                  inside: bool, now: datetime) -> bool:
    """Record a live-location update on an open shift.

    Presence counts as fresh only inside the radius; ``outside_since`` remembers when the
    officer left, so a long absence can be noticed, and is cleared on return.
    """
    stamp = to_db(now)
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "UPDATE shifts SET latitude = ?, longitude = ?, accuracy_m = ?, "
            "distance_m = coalesce(?, distance_m), "
            "last_seen_at = CASE WHEN ? THEN ? ELSE last_seen_at END, "
            "outside_since = CASE WHEN ? THEN NULL ELSE coalesce(outside_since, ?) END "
            "WHERE id = ? AND ended_at IS NULL",
            (facts.latitude, facts.longitude, facts.accuracy_m, distance, inside, stamp,
             inside, stamp, shift_id),
        )
        return cursor.rowcount == 1


async def purge_locations(db: Database, before: datetime) -> int:
    """Forget precise coordinates of shifts that ended before ``before`` (UU PDP retention)."""
    async with db.transaction() as tx:
        # A day's shifts of the whole country: off the loop.
        cursor = await tx.execute(
            "UPDATE shifts SET latitude = NULL, longitude = NULL, accuracy_m = NULL "
            "WHERE ended_at IS NOT NULL AND ended_at < ? AND latitude IS NOT NULL",
            (to_db(before),), bulk=True,
        )
        return cursor.rowcount


async def open_on_desk(db: Database, desk_id: int) -> list[Shift]:
    """The open shifts of a desk, earliest first."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM shifts WHERE desk_id = ? AND ended_at IS NULL "
        "ORDER BY started_at", (desk_id,))
    return [Shift.from_row(row) for row in rows]
