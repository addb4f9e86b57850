"""Group subscriptions: a group chat that receives what happens in one or more scopes.

A group holds at most one subscription per scope (desk): supervisors of different areas may
share a group, and each changes only the subscriptions inside their own scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.desks import in_scope, within
from storage.models import to_db
from storage.records import RowRecord
from storage.sqlite.engine import Database

_SELECT = ("SELECT s.chat_id, s.desk_id, d.path, d.code, d.name, s.title FROM subscriptions s "
           "JOIN desks d ON d.id = s.desk_id WHERE s.active = 1")


@dataclass(frozen=True, slots=True)
class Subscription(RowRecord):
    """An active group subscription with the path, code and name of its scope."""

    chat_id: int
    desk_id: int
    path: str
    code: str
    name: str
    title: str | None


async def active(db: Database) -> list[Subscription]:
    """Every active subscription (a few hundred at most: a few per group)."""
    return Subscription.from_rows(await db.fetchall(f"{_SELECT} ORDER BY s.chat_id, d.path"))


async def of_chat(db: Database, chat_id: int) -> list[Subscription]:
    """The active subscriptions of a chat, the widest scope first."""
    rows = await db.fetchall(f"{_SELECT} AND s.chat_id = ? ORDER BY d.path", (chat_id,))
    return Subscription.from_rows(rows)


def chats_within(groups: list[Subscription], path: str) -> set[int]:
    """The groups subscribed to a scope containing the desk at ``path``, each once however
    many of its subscriptions contain the desk: a group gets one message, not one per scope."""
    return {group.chat_id for group in groups if within(group.path, path)}


async def subscribe(db: Database, chat_id: int, desk_id: int, title: str | None,
                    created_by: int, now: datetime) -> None:
    """Add a desk's scope to a group's subscriptions (again: nothing changes but the title)."""
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO subscriptions (chat_id, desk_id, title, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id, desk_id) DO UPDATE SET "
            "title = excluded.title, created_by = iif(active, created_by, excluded.created_by), "
            "active = 1", (chat_id, desk_id, title, created_by, to_db(now)))


async def unsubscribe(db: Database, chat_id: int, scope_path: str | None,
                      desk_id: int | None = None) -> list[str]:
    """End a group's subscriptions whose scope lies within ``scope_path`` (None: all of them),
    or only the one of ``desk_id``; the names of those ended (empty: none matched)."""
    where, scope = in_scope(scope_path)
    params: tuple[str | int, ...] = (chat_id, *scope)
    if desk_id is not None:
        where, params = f"{where} AND d.id = ?", (*params, desk_id)
    async with db.transaction() as tx:
        rows = await tx.execute_fetchall(
            "UPDATE subscriptions SET active = 0 WHERE chat_id = ? AND active = 1 AND desk_id IN "
            f"(SELECT d.id FROM desks d WHERE 1{where}) "
            "RETURNING (SELECT name FROM desks WHERE id = desk_id)", params)
    return sorted(str(row[0]) for row in rows)
