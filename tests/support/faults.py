"""Storage faults on the real SQLite file, portably: another process's lock, a full disk, a
file SQLite will only read."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from storage.sqlite.engine import Database


@asynccontextmanager
async def held_lock(path: Path | str) -> AsyncIterator[sqlite3.Connection]:
    """A second connection holds the write lock (``BEGIN IMMEDIATE``), as the CLI importing a
    large desk file does, until the block ends; readers go on meanwhile (WAL).

    The lock is taken off the event loop: the bot may be in the middle of a commit, which
    needs the loop to finish and let go."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=60,
                           check_same_thread=False)
    try:
        await asyncio.to_thread(conn.execute, "BEGIN IMMEDIATE")
        yield conn
        conn.execute("ROLLBACK")
    finally:
        conn.close()


@asynccontextmanager
async def full_disk(db: Database) -> AsyncIterator[None]:
    """The disk is full for the store's writer until the block ends ("space returns"): a
    write that needs one more page fails with "database or disk is full"."""
    writer = db._writer  # an aiosqlite connection: the pragmas run on its thread, in order

    async def pragma(name: str) -> int:
        return int(next(iter(await writer.execute_fetchall(f"PRAGMA {name}")))[0])

    pages, before = await pragma("page_count"), await pragma("max_page_count")
    await writer.execute(f"PRAGMA max_page_count = {pages}")
    try:
        yield
    finally:
        await writer.execute(f"PRAGMA max_page_count = {before}")


def make_read_only(path: Path) -> None:
    """Make SQLite itself refuse to write ``path``.

    Tests run as root in CI, and root writes a file of mode 0444 all the same (``os.access``
    says yes too), while ``chattr +i`` and read-only mounts are not available everywhere. A
    database file whose header says it was written by a newer file format (write version 3 at
    offset 18) is one SQLite opens read-only for everyone: reads work, every write fails with
    "attempt to write a readonly database", the same error a 0444 file gives another user.
    """
    with path.open("r+b") as handle:
        handle.seek(18)
        handle.write(b"\x03")
