"""The daily digest's data: what happened in a scope in a time range, and who gets it when.

Reads are set-based (a handful of queries for a province or the country), so the scheduler can
compute a digest for thousands of desks at once. The schedule is Healthchecks' ``next_report``:
one row per recipient chat with the time of its next digest, advanced by a conditional UPDATE
in the transaction that queues the digest, so a restart sends a missed digest late, never twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage import schedule_history
from storage.desks import HAS_RULES, Rule, in_scope, rules_for
from storage.incidents import ALL_CLEAR
from storage.models import StoredTime, from_db, to_db
from storage.outbox import Intent, enqueue
from storage.outbox_kinds import DigestPayload, OutboxKind
from storage.records import RowRecord
from storage.risks import HAS_RISKS, labels_for
from storage.schedule_history import Version
from storage.sqlite.engine import Database


@dataclass(frozen=True, slots=True)
class DeskRow(RowRecord):
    """A desk of the scope with its schedule, and what changed after the range began."""

    id: int
    code: str
    name: str
    path: str
    timezone: str
    duty_hours: str
    min_staff: int
    created_at: StoredTime | None  # None: the desk existed before the range
    rules: tuple[Rule, ...]
    kept: list[Version]  # former schedules still in force when the range began
    risks: tuple[str, ...] = ()  # risk labels (storage.risks)


async def desks_in(db: Database, scope_path: str | None, since: datetime) -> list[DeskRow]:
    """Every desk of the scope (all desks for None), with when it was created if that was
    after ``since``, and its former schedules in force after ``since`` (most desks have
    neither: only the few that have are read further)."""
    where, params = in_scope(scope_path, "d")
    stamp = to_db(since)
    rows = await db.scan(
        "SELECT d.id, d.code, d.name, d.path, d.timezone, d.duty_hours, d.min_staff, "
        "CASE WHEN d.created_at > ? THEN d.created_at END AS created_at, "
        f"{HAS_RULES} AS has_rules, "
        "EXISTS (SELECT 1 FROM schedule_history h WHERE h.desk_id = d.id "
        f"AND h.valid_until > ?) AS has_history, {HAS_RISKS} AS has_risks "
        f"FROM desks d WHERE 1 = 1{where}",
        (stamp, stamp, *params))
    read = DeskRow.reader(rows, given=("rules", "kept", "risks"),
                          other=("has_rules", "has_history", "has_risks"))
    desk_id, has_rules = read.column("id"), read.column("has_rules")
    has_history = read.column("has_history")
    has_risks = read.column("has_risks")
    rules = await rules_for(db, [desk_id(r) for r in rows if has_rules(r)])
    kept = await schedule_history.versions_after(
        db, [desk_id(r) for r in rows if has_history(r)], since)
    risks = await labels_for(db, [desk_id(r) for r in rows if has_risks(r)])
    return [read.build(r, rules=rules.get(desk_id(r), ()), kept=kept.get(desk_id(r), []),
                       risks=risks.get(desk_id(r), ())) for r in rows]


async def shifts_between(db: Database, scope_path: str | None, start: datetime,
                         end: datetime) -> list[tuple[int, datetime, datetime | None]]:
    """(desk id, started, ended or None) of every shift of the scope overlapping the range."""
    where, params = in_scope(scope_path, "d")
    rows = await db.scan(
        "SELECT s.desk_id, s.started_at, s.ended_at FROM shifts s JOIN desks d "
        "ON d.id = s.desk_id WHERE s.started_at < ? AND (s.ended_at IS NULL OR s.ended_at > ?)"
        f"{where}", (to_db(end), to_db(start), *params))
    return [(r[0], from_db(r[1]), from_db(r[2]) if r[2] else None) for r in rows]


async def alerts_between(db: Database, scope_path: str | None, start: datetime,
                         end: datetime) -> list[tuple[datetime, datetime | None]]:
    """(opened, acknowledged or None) of the scope's alerts opened in the range."""
    where, params = in_scope(scope_path, "d")
    rows = await db.scan(
        "SELECT a.opened_at, a.acked_at FROM alerts a JOIN desks d ON d.id = a.desk_id "
        f"WHERE a.opened_at >= ? AND a.opened_at < ?{where}",
        (to_db(start), to_db(end), *params))
    return [(from_db(r[0]), from_db(r[1]) if r[1] else None) for r in rows]


async def incidents_between(db: Database, scope_path: str | None, start: datetime,
                            end: datetime) -> list[tuple[str, str, int]]:
    """(category, current status, count) of the scope's reports made in the range."""
    where, params = in_scope(scope_path, "d")
    rows = await db.scan(
        "SELECT i.category, i.status, count(*) FROM incidents i JOIN desks d "
        f"ON d.id = i.desk_id WHERE i.created_at >= ? AND i.created_at < ?{where} "
        "GROUP BY i.category, i.status", (to_db(start), to_db(end), *params))
    return [(r[0], r[1], int(r[2])) for r in rows]


async def still_open(db: Database, scope_path: str | None, start: datetime,
                     end: datetime) -> tuple[int, int, int, int]:
    """The scope's alerts and reports made before ``end`` and not closed now: (alerts opened
    in the range, alerts opened before it, reports made in the range, reports made before
    it), so a digest never counts one without saying which day it came from. All-clear
    reports are not incidents: never open ones."""
    where, params = in_scope(scope_path, "d")
    bounds = (to_db(start), to_db(start), to_db(end), *params)
    alerts = (await db.scan(
        "SELECT coalesce(sum(a.opened_at >= ?), 0), coalesce(sum(a.opened_at < ?), 0) "
        "FROM alerts a JOIN desks d ON d.id = a.desk_id "
        f"WHERE a.resolved_at IS NULL AND a.opened_at < ?{where}", bounds))[0]
    incidents = (await db.scan(
        "SELECT coalesce(sum(i.created_at >= ?), 0), coalesce(sum(i.created_at < ?), 0) "
        "FROM incidents i JOIN desks d ON d.id = i.desk_id "
        f"WHERE i.status != 'selesai' AND i.category != ? AND i.created_at < ?{where}",
        (*bounds[:2], ALL_CLEAR, *bounds[2:])))[0]
    return int(alerts[0]), int(alerts[1]), int(incidents[0]), int(incidents[1])


@dataclass(frozen=True, slots=True)
class Recipient(RowRecord):
    """A chat that gets a digest: a supervisor, an admin, or a subscribed group."""

    chat_id: int
    desk_id: int | None  # the scope; None for an admin without a desk (everything)
    timezone: str | None


async def recipients(db: Database, admin_ids: list[int], *, weekly: bool = False
                     ) -> list[Recipient]:
    """Every chat that should get a daily digest, with its scope: active supervisors (their
    desk), admins (everything) and subscribed groups (their scope). ``weekly``: those of the
    weekly report, the supervisors of kabupaten/kota and provinsi desks and the admins."""
    admins = set(admin_ids)
    if weekly:
        rows = await db.scan(
            "SELECT m.telegram_id AS chat_id, m.desk_id, d.timezone, m.role FROM members m "
            "LEFT JOIN desks d ON d.id = m.desk_id WHERE m.active = 1 AND (m.role = 'admin' "
            "OR (m.role = 'supervisor' AND d.level IN ('provinsi', 'kabupaten_kota')))")
    else:
        rows = await db.scan(
            "SELECT m.telegram_id AS chat_id, m.desk_id, d.timezone, m.role FROM members m "
            "LEFT JOIN desks d ON d.id = m.desk_id "
            "WHERE m.active = 1 AND m.role IN ('supervisor', 'admin') "
            "UNION ALL SELECT s.chat_id, s.desk_id, d.timezone, 'group' FROM subscriptions s "
            "JOIN desks d ON d.id = s.desk_id WHERE s.active = 1")
    read = Recipient.reader(rows, other=("role",))
    chat_id, role = read.column("chat_id"), read.column("role")
    found = [Recipient(chat_id(r), desk_id=None, timezone=None) if chat_id(r) in admins
             else read.build(r) for r in rows if role(r) != "admin" or chat_id(r) in admins]
    return [r for r in found if r.desk_id is not None or r.chat_id in admins]


DAILY = "digest_schedule"  # the schedule tables: the daily digest's, the weekly report's
WEEKLY = "weekly_schedule"
DAILY_KINDS = (OutboxKind.DIGEST, OutboxKind.DIGEST_CHART)
WEEKLY_KINDS = (OutboxKind.WEEKLY, OutboxKind.WEEKLY_CHART, OutboxKind.WEEKLY_FILE)


async def schedule(db: Database, planned: list[tuple[Recipient, datetime]],
                   table: str = DAILY) -> int:
    """Give recipients without a row their first digest time; drop rows of former ones.

    A row is a chat and a scope: a group subscribed to two scopes gets a digest of each. A
    stored time later than the next planned one means the digest time was moved earlier
    in the settings: the new time applies at once. An earlier stored time is kept: it is due
    (perhaps missed while the bot was down) and must still be sent.

    This runs every minute over every recipient, and nearly always nothing changes: the rows
    are read and compared first, and only the ones that change are written, so a minute
    without a change takes no write transaction (every recipient of the country upserted
    each minute held the write lock while officers checked in). Returns the rows dropped.
    """
    stored = {(chat, desk_id): at for chat, desk_id, at in await db.scan(
        f"SELECT chat_id, ifnull(desk_id, 0), next_at FROM {table}")}
    wanted = {(r.chat_id, r.desk_id or 0): (r, to_db(at)) for r, at in planned}
    # Stored times are UTC text of one width (storage.models.to_db): they sort as times.
    changed = [(r.chat_id, r.desk_id, at) for key, (r, at) in wanted.items()
               if key not in stored or at < stored[key]]
    stale = [key for key in stored if key not in wanted]
    if not changed and not stale:
        return 0
    async with db.transaction() as tx:
        # Conditional as before the comparison: a digest advanced meanwhile keeps its time.
        await tx.executemany(
            f"INSERT INTO {table} (chat_id, desk_id, next_at) VALUES (?, ?, ?) "
            "ON CONFLICT (chat_id, ifnull(desk_id, 0)) DO UPDATE SET "
            f"next_at = excluded.next_at WHERE excluded.next_at < {table}.next_at",
            changed)
        await tx.executemany(
            f"DELETE FROM {table} WHERE chat_id = ? AND ifnull(desk_id, 0) = ?", stale)
    return len(stale)


async def due(db: Database, now: datetime, table: str = DAILY
              ) -> list[tuple[int, int | None, datetime]]:
    """(chat, scope desk, planned time) of every digest whose time has come."""
    rows = await db.scan(
        f"SELECT chat_id, desk_id, next_at FROM {table} WHERE next_at <= ? "
        "ORDER BY next_at", (to_db(now),))
    return [(r[0], r[1], from_db(r[2])) for r in rows]


CHUNK = 500  # due digests advanced in one transaction
# The row of a chat and a scope, found by the unique (chat_id, ifnull(desk_id, 0)) index: with
# ``desk_id IS ?`` SQLite took the next_at index instead, and at 20:00 every row of the zone
# has the same next_at, so each of 60,000 updates read all 60,000 rows (12 ms each).
ADVANCE = ("UPDATE {table} SET next_at = ? WHERE chat_id = ? AND ifnull(desk_id, 0) = ? "
           "AND next_at = ?")


async def advance(db: Database, due: list[tuple[int, int | None, datetime, datetime]],
                  now: datetime, *, table: str = DAILY,
                  kinds: tuple[OutboxKind, ...] = DAILY_KINDS) -> int:
    """Move each due digest ``(chat, scope desk, planned, following)`` to its following time
    and queue it (its ``kinds`` of message), ``CHUNK`` digests to a transaction; returns how
    many were queued. One another run advanced first is left alone (the conditional UPDATE on
    the planned time), so none is queued twice. A country's 20:00 is 60,000 digests: one
    transaction each held the write lock 60,000 times over."""
    queued = 0
    for start in range(0, len(due), CHUNK):
        async with db.transaction() as tx:
            intents: list[Intent] = []
            for chat_id, desk_id, planned, following in due[start:start + CHUNK]:
                cursor = await tx.execute(ADVANCE.format(table=table), (
                    to_db(following), chat_id, desk_id or 0, to_db(planned)))
                if cursor.rowcount == 1:
                    payload = DigestPayload(desk_id, planned)
                    intents += [Intent(chat_id, kind, payload) for kind in kinds]
            await enqueue(tx, intents, now)
        queued += len(intents) // len(kinds)
    return queued


async def queue_now(db: Database, chats: list[int], desk_id: int | None, end: datetime,
                    now: datetime) -> None:
    """Queue a digest (text and chart) for ``chats`` at once, outside the schedule."""
    payload = DigestPayload(desk_id, end)
    async with db.transaction() as tx:
        await enqueue(tx, [Intent(chat, kind, payload) for chat in chats
                           for kind in (OutboxKind.DIGEST, OutboxKind.DIGEST_CHART)], now)


async def scope_chats(db: Database, desk_id: int) -> list[int]:
    """The supervisors of a desk and the groups subscribed to it."""
    rows = await db.scan(
        "SELECT telegram_id FROM members WHERE desk_id = ? AND role = 'supervisor' AND "
        "active = 1 UNION SELECT chat_id FROM subscriptions WHERE desk_id = ? AND active = 1",
        (desk_id, desk_id))
    return [int(r[0]) for r in rows]
