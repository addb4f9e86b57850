"""Confirmations of the neutrality pledge (*pakta integritas netralitas ASN*).

A member confirms one version of the text (a digest of it, made by the bot); a changed text is
a new version that each member confirms again, and every earlier confirmation stays on record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.desks import in_scope
from storage.models import StoredTime, from_db, to_db
from storage.records import RowRecord
from storage.sqlite.engine import Database


async def confirm(db: Database, member_id: int, version: str, now: datetime) -> datetime:
    """Record that the member confirmed ``version``; when they first did (a second press keeps
    the first time)."""
    async with db.transaction() as tx:
        await tx.execute("INSERT OR IGNORE INTO pledges (member_id, version, confirmed_at) "
                         "VALUES (?, ?, ?)", (member_id, version, to_db(now)))
        rows = await tx.execute_fetchall(
            "SELECT confirmed_at FROM pledges WHERE member_id = ? AND version = ?",
            (member_id, version))
    return from_db(rows[0][0])


async def confirmed_at(db: Database, member_id: int, version: str) -> datetime | None:
    """When the member confirmed ``version``, or None."""
    value = await db.fetchval("SELECT confirmed_at FROM pledges WHERE member_id = ? AND "
                              "version = ?", (member_id, version))
    return from_db(value) if value else None


@dataclass(frozen=True, slots=True)
class PledgeRow(RowRecord):
    """A member of a scope and when they confirmed the current text (None: not yet)."""

    desk_code: str
    desk_name: str
    member: str
    role: str
    confirmed_at: StoredTime | None


async def of_scope(db: Database, scope_path: str | None, version: str) -> list[PledgeRow]:
    """Every current member of a scope (None: everyone), by desk, and their confirmation."""
    where, params = in_scope(scope_path)
    rows = await db.scan(
        "SELECT d.code AS desk_code, d.name AS desk_name, m.full_name AS member, m.role, "
        "p.confirmed_at FROM members m JOIN desks d ON d.id = m.desk_id "
        "LEFT JOIN pledges p ON p.member_id = m.telegram_id AND p.version = ? "
        # Liaisons of partner agencies are not the ASN the pledge binds.
        f"WHERE m.removed_at IS NULL AND m.role != 'partner'{where} "
        "ORDER BY d.path, m.full_name",
        (version, *params))
    return PledgeRow.from_rows(rows)
