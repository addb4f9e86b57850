"""Small facts the bot keeps about itself (its username, the last update it handled)."""

from __future__ import annotations

from storage.sqlite.engine import Database


async def get(db: Database, key: str) -> str | None:
    """The value stored under ``key``."""
    value = await db.fetchval("SELECT value FROM meta WHERE key = ?", (key,))
    return None if value is None else str(value)


async def put(db: Database, key: str, value: str) -> None:
    """Store ``value`` under ``key``."""
    await put_all(db, {key: value})


async def put_all(db: Database, values: dict[str, str]) -> None:
    """Store every value under its key, in one transaction."""
    async with db.transaction() as tx:
        for key, value in values.items():
            await tx.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
                             "DO UPDATE SET value = excluded.value", (key, value))
