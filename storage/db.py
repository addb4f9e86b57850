"""The SQLite store: connections, pragmas, versioned migrations and the one guarded write path.

Two connections share the file. The writer runs every transaction under an ``asyncio.Lock`` with
``BEGIN IMMEDIATE``, so handlers and scheduled jobs running in the same event loop never
interleave half-done transactions, and another process (the CLI importing desks while the bot
runs) waits on SQLite's own lock. The reader is ``query_only`` and, thanks to WAL, sees only
committed data: a handler never reads what a concurrent job has not committed yet.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from storage.schema import MIGRATIONS

Params = Sequence[Any] | dict[str, Any]


class StorageError(Exception):
    """A problem with the database file itself (unreadable, newer schema, ...)."""


async def _open(path: str, *, query_only: bool) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None, timeout=10.0)
    conn.row_factory = sqlite3.Row
    try:
        # WAL lets the reader work while the writer writes; FULL makes every acknowledged
        # commit survive a power cut, not only a process crash ("nothing a user was told is
        # lost").
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA synchronous=FULL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA busy_timeout=10000")
        if query_only:
            await conn.execute("PRAGMA query_only=ON")
    except BaseException:
        # The first statement is where a file that is not a database fails: do not leak it.
        await conn.close()
        raise
    return conn


class Database:
    """Async access to the store; create with :meth:`open`."""

    def __init__(self, path: str, writer: aiosqlite.Connection, reader: aiosqlite.Connection):
        self.path = path
        self._writer = writer
        self._reader = reader
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | Path) -> Database:
        """Open (creating if needed) the database file and bring its schema up to date."""
        path = str(path)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            writer = await _open(path, query_only=False)
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"cannot open database {path}: {exc}") from exc
        db = cls(path, writer, writer)
        try:
            await db._migrate()
            db._reader = await _open(path, query_only=True) if path != ":memory:" else writer
        except BaseException as exc:
            # Close what was opened: a refused file (newer schema, not a database) must not
            # leave a connection thread and a file handle behind.
            await db.close()
            if isinstance(exc, sqlite3.DatabaseError):
                raise StorageError(f"cannot open database {path}: {exc}") from exc
            raise
        return db

    async def close(self) -> None:
        """Close both connections (idempotent)."""
        if self._reader is not self._writer:
            await self._reader.close()
        await self._writer.close()

    async def _migrate(self) -> None:
        """Apply the migrations newer than ``PRAGMA user_version``, each in its own transaction."""
        row = await (await self._writer.execute("PRAGMA user_version")).fetchone()
        current = int(row[0]) if row else 0
        if current > len(MIGRATIONS):
            raise StorageError(
                f"database schema version {current} is newer than this program "
                f"({len(MIGRATIONS)}); upgrade posko-bot"
            )
        for version, statements in enumerate(MIGRATIONS[current:], start=current + 1):
            async with self.transaction() as tx:
                for statement in statements:
                    await tx.execute(statement)
                await tx.execute(f"PRAGMA user_version = {version}")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """The one write path: ``BEGIN IMMEDIATE`` … ``COMMIT`` under the writer lock.

        Any exception rolls everything back, so nothing is ever half-saved.
        """
        async with self._lock:
            await self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield self._writer
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            else:
                try:
                    await self._writer.execute("COMMIT")
                except BaseException:
                    # A failed COMMIT (a deferred constraint, a full disk) leaves the
                    # transaction open, and every later BEGIN would fail: end it here.
                    if self._writer.in_transaction:
                        await self._writer.execute("ROLLBACK")
                    raise

    # Reads run as one call on the connection's thread (execute and fetch together): a
    # cursor opened, fetched and closed in three calls costs three thread round trips, which
    # is most of the time of a point lookup.

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row of a read-only query on committed data (by key, or an aggregate:
        the whole result is read)."""
        rows = await self._reader.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """All rows of a read-only query on committed data."""
        return list(await self._reader.execute_fetchall(sql, params))

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None."""
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def backup(self, target: str | Path) -> None:
        """Online backup of the whole database into ``target`` (consistent even while writing)."""
        async with self._lock:
            dest = await aiosqlite.connect(str(target))
            try:
                await self._writer.backup(dest)
            finally:
                await dest.close()


async def executemany(tx: aiosqlite.Connection, sql: str, rows: Iterable[Params]) -> None:
    """``executemany`` inside a transaction (a helper so callers need not import aiosqlite)."""
    await tx.executemany(sql, rows)
