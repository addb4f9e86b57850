"""Small facts the bot keeps about itself (its username, the last update it handled)."""

from __future__ import annotations

from storage.db import Database


async def get(db: Database, key: str) -> str | None:
    """The value stored under ``key``."""
    value = await db.fetchval("SELECT value FROM meta WHERE key = ?", (key,))
    return None if value is None else str(value)


async def put(db: Database, key: str, value: str) -> None:
    """Store ``value`` under ``key``."""
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
                         "DO UPDATE SET value = excluded.value", (key, value))


async def raise_to(db: Database, key: str, value: int) -> None:
    """Store the integer ``value`` unless a larger one is stored already."""
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
            "value = excluded.value WHERE CAST(meta.value AS INTEGER) < CAST(excluded.value "
            "AS INTEGER)", (key, str(value)))
