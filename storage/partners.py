"""Partner liaisons and the reports that concern their agency.

A report concerns the agencies the routing table (``storage.rules.agencies``) gives its
category when it is made, and every agency a supervisor hands it to later
(``incident_agencies``). A liaison (a member with the role ``partner``) gets such a report
when their desk is the report's desk or above it, and may take and close it
(``bot.handlers.access.Caller.can_follow_up``). A hand-off is one transaction: the agency
recorded once (a second hand-off to the same agency changes nothing and says so), a history
row, the report sent to the agency's liaisons in scope and the reporter told.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from storage import desks as desks_store
from storage.models import to_db
from storage.outbox import Intent, enqueue
from storage.outbox_kinds import IncidentPayload, IncidentStatusPayload, OutboxKind
from storage.sqlite.engine import Database, Tx

_LIAISONS = ("SELECT telegram_id, agency FROM members WHERE role = 'partner' AND active = 1 "
             "AND removed_at IS NULL AND desk_id IN ({keys}) ORDER BY telegram_id")


async def liaisons(db: Database, desk_path: str, agencies: Sequence[str]) -> list[int]:
    """Active liaisons of ``agencies`` at the desk of ``desk_path`` or above it."""
    if not agencies:
        return []
    wanted = set(agencies)
    rows = await db.fetch_in(_LIAISONS, desks_store.chain(desk_path))
    return sorted({int(row[0]) for row in rows if row[1] in wanted})


async def agencies_of(db: Database, incident_id: int) -> list[str]:
    """The agencies a report concerns, in the order they were recorded."""
    rows = await db.fetchall("SELECT agency FROM incident_agencies WHERE incident_id = ? "
                             "ORDER BY rowid", (incident_id,))
    return [str(row[0]) for row in rows]


async def record_routed(tx: Tx, incident_id: int, agencies: Sequence[str],
                        now: datetime) -> None:
    """Inside the report's own transaction: the agencies its category routes to."""
    await tx.executemany(
        "INSERT INTO incident_agencies (incident_id, agency, handed_by, at) VALUES (?, ?, NULL, ?) "
        "ON CONFLICT DO NOTHING", [(incident_id, agency, to_db(now)) for agency in agencies])


async def counts_by_agency(db: Database, scope_path: str | None, start: datetime,
                           end: datetime) -> dict[str, int]:
    """Reports of a scope (all when None) made in ``[start, end)``, per agency they concern."""
    within, params = desks_store.in_scope(scope_path)
    rows = await db.scan(
        "SELECT a.agency, count(*) FROM incident_agencies a JOIN incidents i "
        "ON i.id = a.incident_id JOIN desks d ON d.id = i.desk_id "
        f"WHERE i.created_at >= ? AND i.created_at < ?{within} GROUP BY a.agency",
        (to_db(start), to_db(end), *params))
    return {str(row[0]): int(row[1]) for row in rows}


class HandOff(StrEnum):
    """Result of handing a report to an agency."""

    DONE = "done"
    ALREADY = "already"  # the report concerns that agency already
    CLOSED = "closed"  # the report is closed: nothing to hand on
    GONE = "gone"  # no such report


async def hand_off(db: Database, incident_id: int, agency: str, agency_name: str, by: int,
                   chats: Sequence[int], now: datetime) -> HandOff:
    """Hand a report to ``agency``: record it, note it in the history, send the report to
    ``chats`` (the agency's liaisons in scope) and tell the reporter, in one transaction."""
    async with db.transaction() as tx:
        cursor = await tx.execute("SELECT status, reporter_id FROM incidents WHERE id = ?",
                                  (incident_id,))
        row = await cursor.fetchone()
        if row is None:
            return HandOff.GONE
        if row[0] == "selesai":
            return HandOff.CLOSED
        cursor = await tx.execute(
            "INSERT INTO incident_agencies (incident_id, agency, handed_by, at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", (incident_id, agency, by, to_db(now)))
        if cursor.rowcount != 1:
            return HandOff.ALREADY
        await tx.execute("INSERT INTO incident_history (incident_id, at, actor_id, status, note) "
                         "VALUES (?, ?, ?, 'diteruskan', ?)",
                         (incident_id, to_db(now), by, agency_name))
        # A liaison who got the report already (an ancestor's agency) is not sent a second.
        cursor = await tx.execute(
            "SELECT o.chat_id FROM incident_messages m JOIN outbox o ON o.id = m.outbox_id "
            "WHERE m.incident_id = ?", (incident_id,))
        routed = {int(r[0]) for r in await cursor.fetchall()}
        fresh = [chat for chat in chats if chat not in routed]
        intents = [Intent(chat, OutboxKind.INCIDENT, IncidentPayload(incident_id))
                   for chat in fresh]
        ids = await enqueue(tx, [*intents, Intent(int(row[1]), OutboxKind.INCIDENT_STATUS,
                                                  IncidentStatusPayload(incident_id,
                                                                        "diteruskan", agency))],
                            now)
        await tx.executemany("INSERT INTO incident_messages (incident_id, outbox_id) "
                             "VALUES (?, ?)", [(incident_id, i) for i in ids[:len(intents)]])
    return HandOff.DONE
