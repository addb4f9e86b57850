"""Group subscriptions: a group chat that receives what happens in a scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.models import to_db
from storage.records import RowRecord
from storage.sqlite.engine import Database


@dataclass(frozen=True, slots=True)
class Subscription(RowRecord):
    """An active group subscription with the path of its scope."""

    chat_id: int
    desk_id: int
    path: str
    title: str | None


async def active(db: Database) -> list[Subscription]:
    """Every active subscription (a few hundred at most: one per group)."""
    rows = await db.fetchall(
        "SELECT s.chat_id, s.desk_id, d.path, s.title FROM subscriptions s "
        "JOIN desks d ON d.id = s.desk_id WHERE s.active = 1 ORDER BY s.chat_id")
    return Subscription.from_rows(rows)


async def get(db: Database, chat_id: int) -> Subscription | None:
    """The active subscription of a chat."""
    row = await db.fetchone(
        "SELECT s.chat_id, s.desk_id, d.path, s.title FROM subscriptions s "
        "JOIN desks d ON d.id = s.desk_id WHERE s.chat_id = ? AND s.active = 1", (chat_id,))
    return Subscription.from_row(row) if row else None


async def subscribe(db: Database, chat_id: int, desk_id: int, title: str | None,
                    created_by: int, now: datetime) -> None:
    """Subscribe (or re-point) a group to a desk's scope."""
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO subscriptions (chat_id, desk_id, title, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id) DO UPDATE SET desk_id = "
            "excluded.desk_id, title = excluded.title, created_by = excluded.created_by, "
            "active = 1", (chat_id, desk_id, title, created_by, to_db(now)))


async def unsubscribe(db: Database, chat_id: int) -> bool:
    """End a group's subscription; False if it had none."""
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "UPDATE subscriptions SET active = 0 WHERE chat_id = ? AND active = 1", (chat_id,))
        return cursor.rowcount == 1
