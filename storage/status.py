"""What ``posko-bot status`` reads from the database, through a read-only connection.

The connection is opened with ``mode=ro``: it never creates, migrates or writes the file, so
it is safe on a database a bot is running on (WAL readers see the last commit and hold no
writer back), and on a missing file it fails instead of creating an empty one. Each number
is one indexed count; the whole snapshot is read in one read transaction, so the numbers
agree with each other.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from storage import vitals
from storage.models import to_db
from storage.vitals import Vitals


class NoDatabase(Exception):
    """The file is missing, empty or holds no posko-bot schema; the message says which."""


@dataclass(frozen=True, slots=True)
class StoreStatus:
    """One consistent look at the store."""

    schema_version: int
    size: int  # bytes: the file and its -wal
    desks: int
    members: dict[str, int]  # active members per role
    vitals: Vitals  # open work and the outbox's backlog, counted as readiness counts them
    meta: dict[str, str]  # the bot's own facts: last update handled, last sweep, backups


def _size(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def _count(conn: sqlite3.Connection, sql: str, params: tuple[str, ...] = ()) -> int:
    return int(conn.execute(sql, params).fetchone()[0])


def read_status(path: Path, now: datetime) -> StoreStatus:
    """The snapshot of ``path`` at ``now``; :class:`NoDatabase` for a missing or empty file."""
    if not path.is_file():
        raise NoDatabase(f"no database at {path}")
    if path.stat().st_size == 0:
        raise NoDatabase(f"database {path} is empty")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        conn.execute("BEGIN")  # one read transaction: the counts agree
        version = _count(conn, "PRAGMA user_version")
        if version == 0:
            raise NoDatabase(f"database {path} holds no posko-bot tables yet")
        return StoreStatus(
            schema_version=version,
            size=_size(path),
            desks=_count(conn, "SELECT count(*) FROM desks"),
            members={str(role): int(n) for role, n in conn.execute(
                "SELECT role, count(*) FROM members WHERE active = 1 GROUP BY role")},
            vitals=vitals.from_row(conn.execute(vitals.SQL, (to_db(now),)).fetchone()),
            meta={str(k): str(v) for k, v in conn.execute("SELECT key, value FROM meta")},
        )
    finally:
        conn.close()
