"""Managing members: listing a scope's members, moving one to another desk, changing their
role, removing them.

Each change is one transaction of conditional writes, so nothing is half-saved and a second
identical request (a double tap, the CLI after the chat) changes nothing:

1. Read the member as the transaction sees it; a member who is unknown, already removed or an
   admin stops here (``GONE``), as does a change to what already is (``ALREADY``).
2. A member on duty is only moved, removed or made a supervisor when the caller confirmed it
   (``end_shift``); otherwise nothing is written (``ON_DUTY``). Confirmed, the open shift ends
   with the reason ``admin`` (closed by a supervisor or an operator).
3. Update the member row with the old state in its ``WHERE``; if another change came first,
   nothing more is written (``GONE``).
4. Drop what no longer fits: a report draft of the old desk, a closing note a former
   supervisor owes, and the messages still queued for them that belong to the old role or
   scope (a removed member's every queued message).
5. Queue the message that tells the member (``member_changed``), sent by the running bot.

Removal is soft: the row stays, so shifts, reports and alerts keep naming the person in
exports; ``removed_at`` makes them unknown to the bot (``storage.members``) until a new invite
registers them again (``storage.invites.redeem`` clears it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from storage import alerts
from storage import desks as desks_store
from storage.models import EndReason, Role, to_db
from storage.outbox import Intent, enqueue
from storage.outbox_kinds import MemberChangedPayload, OutboxKind
from storage.records import Flag, RowRecord
from storage.sqlite.engine import Database, Tx

# Queued messages that only a supervisor of a scope receives: dropped when one stops being
# that (moved elsewhere, made an officer).
_SCOPE_KINDS = (OutboxKind.ALERTS, OutboxKind.ALERT_UPDATE, OutboxKind.ALERTS_RESOLVED,
                OutboxKind.INCIDENT, OutboxKind.INCIDENT_MEDIA, OutboxKind.INCIDENT_UPDATE,
                OutboxKind.DIGEST, OutboxKind.DIGEST_CHART, OutboxKind.WEEKLY,
                OutboxKind.WEEKLY_CHART, OutboxKind.WEEKLY_FILE, OutboxKind.TPS_MOVED)


class Change(StrEnum):
    """Outcome of a change to a member."""

    DONE = "done"
    ALREADY = "already"  # the member already is what was asked: nothing changed
    ON_DUTY = "on_duty"  # on duty and not confirmed: nothing changed
    GONE = "gone"  # not a member (never, removed, or an admin): nothing changed


@dataclass(frozen=True, slots=True)
class MemberLine(RowRecord):
    """A member as listed for management: who, where, and whether on duty now."""

    telegram_id: int
    full_name: str
    username: str | None
    role: str
    desk_id: int
    desk_code: str
    desk_name: str
    desk_path: str
    on_duty: Flag
    agency: str | None  # a partner's

    @property
    def member_role(self) -> Role:
        """The stored role as a ``Role``."""
        return Role(self.role)


_LINES = ("SELECT m.telegram_id, m.full_name, m.username, m.role, m.desk_id, "
          "d.code AS desk_code, d.name AS desk_name, d.path AS desk_path, "
          "EXISTS (SELECT 1 FROM shifts s WHERE s.member_id = m.telegram_id "
          "AND s.ended_at IS NULL) AS on_duty, m.agency "
          "FROM members m JOIN desks d ON d.id = m.desk_id "
          "WHERE m.removed_at IS NULL AND m.role != 'admin'")


async def list_in_scope(db: Database, scope_path: str | None, offset: int = 0,
                        limit: int = 100_000) -> tuple[int, list[MemberLine]]:
    """Members (not removed, no admins) at the desks of a scope (all when None), by desk code,
    supervisors first, then by name; returns the total count and one page."""
    within, params = desks_store.in_scope(scope_path)
    total = int(await db.scanval(f"SELECT count(*) FROM ({_LINES}{within})", params))
    rows = await db.scan(f"{_LINES}{within} ORDER BY d.code, m.role DESC, m.full_name, "
                         "m.telegram_id LIMIT ? OFFSET ?", [*params, limit, offset])
    return total, MemberLine.from_rows(rows)


async def at_desk(db: Database, desk_id: int) -> list[MemberLine]:
    """The members of one desk (not those below it), supervisors first, then by name."""
    rows = await db.fetchall(f"{_LINES} AND m.desk_id = ? ORDER BY m.role DESC, m.full_name, "
                             "m.telegram_id LIMIT 200", (desk_id,))
    return MemberLine.from_rows(rows)


async def get_line(db: Database, telegram_id: int) -> MemberLine | None:
    """One member as :func:`list_in_scope` lists them; None if removed or not a member."""
    row = await db.fetchone(f"{_LINES} AND m.telegram_id = ?", (telegram_id,))
    return MemberLine.from_row(row) if row is not None else None


@dataclass(frozen=True, slots=True)
class _Current:
    desk_id: int
    role: Role
    shift_id: int | None


async def _current(tx: Tx, telegram_id: int) -> _Current | None:
    """The member as this transaction sees them; None when there is nobody to change."""
    cursor = await tx.execute(
        "SELECT desk_id, role, (SELECT id FROM shifts WHERE member_id = telegram_id "
        "AND ended_at IS NULL) FROM members WHERE telegram_id = ? AND removed_at IS NULL "
        "AND role != 'admin' AND desk_id IS NOT NULL", (telegram_id,))
    row = await cursor.fetchone()
    return _Current(int(row[0]), Role(row[1]), row[2]) if row is not None else None


async def _end_shift(tx: Tx, shift_id: int, now: datetime) -> None:
    await tx.execute("UPDATE shifts SET ended_at = ?, end_reason = ? "
                     "WHERE id = ? AND ended_at IS NULL",
                     (to_db(now), EndReason.ADMIN.value, shift_id))


async def _drop_queued(tx: Tx, telegram_id: int, why: str, now: datetime,
                       kinds: tuple[OutboxKind, ...] | None = None) -> None:
    """Fail the member's pending messages (of ``kinds``, or all): they no longer apply."""
    only = (f" AND kind IN ({', '.join('?' * len(kinds))})" if kinds else "")
    await tx.execute(
        "UPDATE outbox SET failed_at = ?, error = ? WHERE chat_id = ? AND sent_at IS NULL "
        f"AND failed_at IS NULL{only}",
        (to_db(now), why, telegram_id, *(k.value for k in kinds or ())))


async def _tell(tx: Tx, telegram_id: int, change: str, desk_id: int, role: Role,
                shift_id: int | None, now: datetime) -> None:
    await enqueue(tx, [Intent(telegram_id, OutboxKind.MEMBER_CHANGED,
                              MemberChangedPayload(change, desk_id, role.value, shift_id))], now)


async def move(db: Database, telegram_id: int, desk_id: int, *, end_shift: bool,
               now: datetime) -> Change:
    """Move a member to another desk, keeping their role (see the module's steps)."""
    async with db.transaction() as tx:
        current = await _current(tx, telegram_id)
        if current is None:
            return Change.GONE
        if current.desk_id == desk_id:
            return Change.ALREADY
        if current.shift_id is not None and not end_shift:
            return Change.ON_DUTY
        if current.shift_id is not None:
            await _end_shift(tx, current.shift_id, now)
        cursor = await tx.execute(
            "UPDATE members SET desk_id = ?, updated_at = ? WHERE telegram_id = ? "
            "AND desk_id = ? AND removed_at IS NULL", (desk_id, to_db(now), telegram_id,
                                                       current.desk_id))
        if cursor.rowcount != 1:
            return Change.GONE
        # A draft belongs to the desk it was started at; a closing note to the old scope.
        await tx.execute("DELETE FROM incident_drafts WHERE member_id = ?", (telegram_id,))
        await tx.execute("DELETE FROM closing_notes WHERE member_id = ?", (telegram_id,))
        await _drop_queued(tx, telegram_id, "member moved", now, _SCOPE_KINDS)
        await _tell(tx, telegram_id, "moved", desk_id, current.role, current.shift_id, now)
        if current.role is Role.SUPERVISOR:  # the new scope's open alerts, at once
            await alerts.tell_new_supervisor(tx, telegram_id, desk_id, now)
    return Change.DONE


async def set_role(db: Database, telegram_id: int, role: Role, *, end_shift: bool,
                   now: datetime) -> Change:
    """Make a member an officer or a supervisor at their desk (see the module's steps).

    Only officers keep shifts, so making an officer on duty a supervisor ends the shift.
    """
    if role not in (Role.OFFICER, Role.SUPERVISOR):
        raise ValueError("a member is an officer or a supervisor")
    async with db.transaction() as tx:
        current = await _current(tx, telegram_id)
        if current is None:
            return Change.GONE
        # A liaison speaks for an agency, not for the local government: invited anew to
        # become an officer or supervisor, never promoted.
        if current.role is role or current.role is Role.PARTNER:
            return Change.ALREADY
        if current.shift_id is not None and not end_shift:
            return Change.ON_DUTY
        if current.shift_id is not None:
            await _end_shift(tx, current.shift_id, now)
        cursor = await tx.execute(
            "UPDATE members SET role = ?, updated_at = ? WHERE telegram_id = ? AND role = ? "
            "AND removed_at IS NULL", (role.value, to_db(now), telegram_id, current.role.value))
        if cursor.rowcount != 1:
            return Change.GONE
        if role is Role.OFFICER:  # no longer closes reports nor hears the scope's alerts
            await tx.execute("DELETE FROM closing_notes WHERE member_id = ?", (telegram_id,))
            await _drop_queued(tx, telegram_id, "member made an officer", now, _SCOPE_KINDS)
        await _tell(tx, telegram_id, "role", current.desk_id, role, current.shift_id, now)
        if role is Role.SUPERVISOR:  # the scope's open alerts, at once
            await alerts.tell_new_supervisor(tx, telegram_id, current.desk_id, now)
    return Change.DONE


async def remove(db: Database, telegram_id: int, *, end_shift: bool, now: datetime) -> Change:
    """Remove a member: unknown to the bot from now on, their history kept (see the module's
    steps)."""
    async with db.transaction() as tx:
        current = await _current(tx, telegram_id)
        if current is None:
            return Change.GONE
        if current.shift_id is not None and not end_shift:
            return Change.ON_DUTY
        if current.shift_id is not None:
            await _end_shift(tx, current.shift_id, now)
        stamp = to_db(now)
        cursor = await tx.execute(
            "UPDATE members SET removed_at = ?, active = 0, updated_at = ? "
            "WHERE telegram_id = ? AND removed_at IS NULL", (stamp, stamp, telegram_id))
        if cursor.rowcount != 1:
            return Change.GONE
        await tx.execute("DELETE FROM incident_drafts WHERE member_id = ?", (telegram_id,))
        await tx.execute("DELETE FROM closing_notes WHERE member_id = ?", (telegram_id,))
        await _drop_queued(tx, telegram_id, "member removed", now)
        # Queued after the others were failed: this one still goes out.
        await _tell(tx, telegram_id, "removed", current.desk_id, current.role,
                    current.shift_id, now)
    return Change.DONE
