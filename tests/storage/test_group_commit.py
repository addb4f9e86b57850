"""The write path: transactions arriving together share one COMMIT, and none returns before it.

``storage.sqlite.engine`` runs each write transaction as a savepoint inside one SQLite
transaction that the writers arriving meanwhile join, then commits them together on the
writer connection's thread. These tests hold it to its promises: a transaction that has
returned is on disk (another connection sees it), a failing one undoes only its own work, and
when SQLite drops the whole transaction no member of the group is told it was saved."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path

import pytest

from storage.sqlite.engine import Database, StorageError


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Database]:
    db = await Database.open(tmp_path / "group.db")
    yield db
    await db.close()


@pytest.fixture
def commits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the COMMITs the writer runs."""
    done: list[int] = []
    original = Database._commit

    async def counting(self: Database) -> None:
        await original(self)
        done.append(1)

    monkeypatch.setattr(Database, "_commit", counting)
    return done


def on_disk(db: Database, key: str) -> str | None:
    """The value of a meta key as a separate connection sees it."""
    with closing(sqlite3.connect(db.path)) as other:
        row = other.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


async def put(db: Database, key: str, value: str = "v", *, fail: bool = False) -> str | None:
    """Write one key; return what another connection sees right after the write returned."""
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
        if fail:
            raise ValueError("the handler changed its mind")
    return on_disk(db, key)


async def test_writers_arriving_together_share_a_commit_and_return_committed(
        store: Database, commits: list[int]) -> None:
    seen = await asyncio.gather(*(put(store, f"k{i}", str(i)) for i in range(20)))
    assert seen == [str(i) for i in range(20)]  # each was on disk when its write returned
    assert len(commits) == 1


async def test_a_failing_transaction_undoes_only_its_own_work(
        store: Database, commits: list[int]) -> None:
    results = await asyncio.gather(put(store, "a"), put(store, "b", fail=True), put(store, "c"),
                                   return_exceptions=True)
    assert results[0] == "v" and results[2] == "v"
    assert isinstance(results[1], ValueError)
    assert on_disk(store, "b") is None
    assert len(commits) == 1  # the same group, committed once


async def test_when_sqlite_drops_the_transaction_no_member_is_told_it_was_saved(
        store: Database) -> None:
    async def wrecker() -> None:
        async with store.transaction() as tx:
            # What a full disk or an I/O error does: SQLite rolls back everything.
            await tx.execute("ROLLBACK")
            raise OSError("disk full")

    first, second = await asyncio.gather(put(store, "early"), wrecker(),
                                         return_exceptions=True)
    assert isinstance(first, StorageError)  # joined the same group: not saved, and told so
    assert isinstance(second, OSError)
    assert on_disk(store, "early") is None
    assert await put(store, "after") == "v"  # the writer is usable again


async def test_every_write_runs_on_the_writers_thread_never_on_the_loop(
        store: Database) -> None:
    await store._writer.create_function("thread_id", 0, threading.get_ident)
    sql = "INSERT INTO meta (key, value) VALUES (?, thread_id())"
    async with store.transaction() as tx:
        await tx.execute(sql, ("one",))
        await tx.executemany(sql, [(f"many{i}",) for i in range(3)])
        await tx.execute_fetchall(sql + " RETURNING key", ("returning",))
    rows = await store.scan("SELECT value FROM meta WHERE key IN "
                            "('one', 'many0', 'many1', 'many2', 'returning')")
    threads = {int(value) for (value,) in rows}
    assert len(rows) == 5 and len(threads) == 1
    assert threading.get_ident() not in threads


async def test_close_commits_what_is_pending(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "close.db")
    writer = asyncio.create_task(put(db, "last"))
    await asyncio.sleep(0)  # the write has begun; close queues behind it, before its commit
    await db.close()
    assert await writer == "v"
    assert on_disk(db, "last") == "v"


async def test_a_writer_cancelled_while_waiting_for_the_lock_leaves_the_store_usable(
        store: Database) -> None:
    """Cancelled while ``BEGIN IMMEDIATE`` waits for another process: the writer thread still
    begins; the next write must find that, not fail on a transaction within a transaction."""
    with closing(sqlite3.connect(store.path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # the CLI holds the write lock
        waiting = asyncio.create_task(put(store, "cancelled"))
        await asyncio.sleep(0.2)
        waiting.cancel()
        await asyncio.sleep(0.1)
        other.execute("ROLLBACK")
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert await put(store, "after") == "v"
    assert on_disk(store, "cancelled") is None


async def test_a_body_that_swallows_a_rollback_is_not_told_it_was_saved(
        store: Database) -> None:
    """A body that catches the error of a statement after which SQLite rolled back the
    whole transaction (a full disk) and carries on: neither it nor its group is saved."""
    async def swallower() -> None:
        async with store.transaction() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES ('swallower', 'v')")
            await tx.execute("ROLLBACK")  # what SQLite does on a full disk

    first, second = await asyncio.gather(put(store, "early"), swallower(),
                                         return_exceptions=True)
    assert isinstance(first, StorageError) and isinstance(second, StorageError)
    assert on_disk(store, "early") is None and on_disk(store, "swallower") is None
    assert await put(store, "after") == "v"


async def test_a_writer_cancelled_during_its_statement_undoes_only_its_own_work(
        store: Database) -> None:
    """Cancelled while its statement runs on the writer's thread: the statement finishes
    there, the rollback to its savepoint comes after it, and the others in the group are
    saved."""
    running = asyncio.Event()

    async def slow() -> None:
        async with store.transaction() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES ('slow', 'v')")
            running.set()
            await tx.execute(  # a long statement: 300,000 rows
                "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
                "WHERE x < 300000) INSERT INTO meta (key, value) SELECT 'n' || x, 'v' FROM n")

    before = asyncio.create_task(put(store, "before"))
    writer = asyncio.create_task(slow())
    after = asyncio.create_task(put(store, "after"))
    await running.wait()
    writer.cancel()
    with pytest.raises(asyncio.CancelledError):
        await writer
    assert await before == "v" and await after == "v"
    assert on_disk(store, "slow") is None
    assert await store.scanval("SELECT count(*) FROM meta WHERE key LIKE 'n%'") == 0
    assert await put(store, "later") == "v"
