"""Presence checks ("Masih bertugas di posko?") and the shift closings they lead to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from storage.desks import HAS_RULES, Rule, rules_for, schedule_pairs
from storage.models import EndReason, StoredTime, to_db
from storage.outbox import Intent, enqueue
from storage.outbox_kinds import OutboxKind, PresenceCheckPayload, ShiftClosedPayload
from storage.records import RowRecord, in_bulk
from storage.sqlite.engine import Database, Tx


@dataclass(frozen=True, slots=True)
class OpenShift(RowRecord):
    """An open shift with its desk's schedule and its pending question, if any."""

    shift_id: int
    member_id: int
    started_at: StoredTime
    last_seen_at: StoredTime
    timezone: str
    duty_hours: str
    min_staff: int
    rules: tuple[Rule, ...]
    check_id: int | None
    asked_at: StoredTime | None


async def open_shifts(db: Database, now: datetime, every: timedelta, answer_within: timedelta
                      ) -> list[OpenShift]:
    """The open shifts that may need the presence pass now, in one query.

    A shift without a question needs nothing while its officer was seen within ``every``; a
    shift with a question pending needs nothing until a location newer than the question
    answers it or the question is ``answer_within`` old. A shift whose desk's daily hours are
    off duty needs closing only if it began before they last ended: officers who came early
    for the morning are not read every minute until duty starts. At a national shift change
    that leaves out nearly every shift. The (zone, hours) pairs and their last ends are worked
    out first, as the sweep does (desks with day rules are always read: their pair says
    nothing).
    """
    pairs = await schedule_pairs(db, now, idle_counts=True)
    rows = await db.scan(
        f"WITH ended(tz, hours, at) AS ({pairs.ended_sql}) "
        "SELECT s.id AS shift_id, s.member_id, s.started_at, s.last_seen_at, d.timezone, "
        "d.duty_hours, d.min_staff, d.id AS desk_id, c.id AS check_id, c.asked_at, "
        f"{HAS_RULES} AS has_rules "
        "FROM shifts s JOIN desks d ON d.id = s.desk_id "
        "LEFT JOIN presence_checks c ON c.shift_id = s.id AND c.answered_at IS NULL "
        "AND c.expired_at IS NULL WHERE s.ended_at IS NULL "
        "AND (CASE WHEN c.id IS NULL THEN s.last_seen_at <= ? "
        "ELSE s.last_seen_at > c.asked_at OR c.asked_at <= ? END "
        "OR EXISTS (SELECT 1 FROM ended e WHERE e.tz = d.timezone AND e.hours = d.duty_hours "
        f"AND s.started_at < e.at) OR {HAS_RULES})",
        [*pairs.ended_params, to_db(now - every), to_db(now - answer_within)])
    read = OpenShift.reader(rows, given=("rules",), other=("desk_id", "has_rules"))
    desk_id, has_rules, build = read.column("desk_id"), read.column("has_rules"), read.build
    rules = await rules_for(db, sorted({desk_id(r) for r in rows if has_rules(r)}))
    # 84,000 rows at a national duty end take a few hundred milliseconds to convert: off the
    # event loop, which then keeps answering officers; a city's few hundred, in place.
    return await in_bulk(lambda: [build(r, rules=rules.get(desk_id(r), ())) for r in rows],
                         len(rows))


async def ask(tx: Tx, shift: OpenShift, now: datetime) -> bool:
    """Open a question for the shift and queue it to the officer."""
    cursor = await tx.execute(
        "INSERT OR IGNORE INTO presence_checks (shift_id, asked_at) VALUES (?, ?)",
        (shift.shift_id, to_db(now)))
    if cursor.rowcount != 1:
        return False
    check_id = cursor.lastrowid
    assert check_id is not None
    await enqueue(tx, [Intent(shift.member_id, OutboxKind.PRESENCE_CHECK,
                              PresenceCheckPayload(check_id, shift.shift_id))], now)
    return True


async def is_waiting(db: Database, check_id: int) -> bool:
    """Whether the question still waits for its answer (neither answered nor expired)."""
    return await db.fetchval(
        "SELECT 1 FROM presence_checks WHERE id = ? AND answered_at IS NULL "
        "AND expired_at IS NULL", (check_id,)) is not None


async def settle_by_location(tx: Tx, check_id: int, now: datetime) -> bool:
    """A fresh live location answered the question."""
    cursor = await tx.execute(
        "UPDATE presence_checks SET answered_at = ? WHERE id = ? AND answered_at IS NULL "
        "AND expired_at IS NULL", (to_db(now), check_id))
    return cursor.rowcount == 1


async def close(tx: Tx, shift: OpenShift, reason: EndReason,
                now: datetime) -> bool:
    """Close the shift (expiring its question) and tell the officer why.

    A timeout closes only while the question it is about is still unanswered: an answer that
    arrived after the pass read its snapshot wins.
    """
    if reason is EndReason.PRESENCE_TIMEOUT:
        cursor = await tx.execute(
            "UPDATE presence_checks SET expired_at = ? WHERE id = ? AND answered_at IS NULL "
            "AND expired_at IS NULL", (to_db(now), shift.check_id))
        if cursor.rowcount != 1:
            return False
    cursor = await tx.execute(
        "UPDATE shifts SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL",
        (to_db(now), reason.value, shift.shift_id))
    if cursor.rowcount != 1:
        return False
    await tx.execute(
        "UPDATE presence_checks SET expired_at = ? WHERE shift_id = ? AND answered_at IS NULL "
        "AND expired_at IS NULL", (to_db(now), shift.shift_id))
    await enqueue(tx, [Intent(shift.member_id, OutboxKind.SHIFT_CLOSED,
                              ShiftClosedPayload(shift.shift_id, reason.value))], now)
    return True


class AnswerOutcome(StrEnum):
    """Result of pressing *Masih bertugas*."""

    CONFIRMED = "confirmed"
    STALE = "stale"  # answered, expired, or the shift is over
    NOT_YOURS = "not_yours"


async def answer(db: Database, check_id: int, member_id: int, now: datetime) -> AnswerOutcome:
    """The officer confirms presence: the question is answered and presence refreshed."""
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "SELECT s.member_id FROM presence_checks c JOIN shifts s ON s.id = c.shift_id "
            "WHERE c.id = ?", (check_id,))
        row = await cursor.fetchone()
        if row is None:
            return AnswerOutcome.STALE
        if row[0] != member_id:
            return AnswerOutcome.NOT_YOURS
        cursor = await tx.execute(
            "UPDATE presence_checks SET answered_at = ? WHERE id = ? AND answered_at IS NULL "
            "AND expired_at IS NULL", (to_db(now), check_id))
        if cursor.rowcount != 1:
            return AnswerOutcome.STALE
        await tx.execute(
            "UPDATE shifts SET last_seen_at = ? WHERE id = (SELECT shift_id FROM "
            "presence_checks WHERE id = ?) AND ended_at IS NULL", (to_db(now), check_id))
    return AnswerOutcome.CONFIRMED
