"""Statements inside a write transaction: :class:`Tx` runs them on the writer's thread and
:class:`Cursor` holds what one returned. ``storage.sqlite.engine`` opens the transactions."""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Iterable, Sequence
from typing import Any

import aiosqlite

Params = Sequence[Any] | dict[str, Any]


class Cursor:
    """The result of a statement inside a transaction (already executed).

    A ``SELECT`` arrives with its rows (one hop for statement and rows); any other statement
    keeps its driver cursor, whose rows (``RETURNING``) cost one more hop to fetch.
    """

    def __init__(self, cursor: aiosqlite.Cursor | None, rows: list[sqlite3.Row] | None = None):
        self._cursor = cursor
        self._rows = deque(rows or ())

    @property
    def rowcount(self) -> int:
        return -1 if self._cursor is None else self._cursor.rowcount  # -1: a SELECT's

    @property
    def lastrowid(self) -> int | None:
        return None if self._cursor is None else self._cursor.lastrowid

    async def fetchone(self) -> sqlite3.Row | None:
        """The next row."""
        if self._cursor is None:
            return self._rows.popleft() if self._rows else None
        row: sqlite3.Row | None = await self._cursor.fetchone()
        return row

    async def fetchall(self) -> list[sqlite3.Row]:
        """The remaining rows."""
        if self._cursor is None:
            rows, self._rows = list(self._rows), deque()
            return rows
        return list(await self._cursor.fetchall())


class Tx:
    """Statements inside a write transaction; only valid within ``db.transaction()``."""

    def __init__(self, writer: aiosqlite.Connection):
        self._writer = writer

    async def execute(self, sql: str, params: Params = (), *, bulk: bool = False) -> Cursor:
        """Run one statement on the writer's thread.

        ``bulk`` (a statement over many rows) is kept for callers: every statement runs off
        the loop now.
        """
        if sql.lstrip()[:6].upper() == "SELECT":
            return Cursor(None, list(await self._writer.execute_fetchall(sql, params)))
        return Cursor(await self._writer.execute(sql, params))

    async def execute_fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Run one statement and return all its rows (for ``RETURNING``), in one hop."""
        return list(await self._writer.execute_fetchall(sql, params))

    async def executemany(self, sql: str, rows: Iterable[Params]) -> Cursor:
        """Run one statement for every row."""
        return Cursor(await self._writer.executemany(sql, list(rows)))
