"""Which errors are storage faults, on the real SQLite file (a full disk through
``PRAGMA max_page_count``, another connection holding the lock), and the store's health
record: one log line when writes start failing, one when they work again."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest

from storage import meta
from storage.sqlite.engine import Database, StorageError
from storage.sqlite.faults import NotTried, RolledBack, is_storage_fault
from tests.support.faults import full_disk, held_lock

BIG = "x" * 200_000  # needs new pages: fails on a full disk


async def test_a_full_disk_is_a_fault_and_space_returning_ends_it(
        empty_db: Database, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="storage.sqlite.faults")
    async with full_disk(empty_db):
        for attempt in range(3):
            with pytest.raises(sqlite3.OperationalError, match="disk is full") as raised:
                await meta.put(empty_db, f"big{attempt}", BIG)
            assert is_storage_fault(raised.value)
        assert empty_db.health.failing_since is not None
        assert "disk is full" in (empty_db.health.last_error or "")
    await meta.put(empty_db, "big", BIG)  # space returned
    assert await meta.get(empty_db, "big") == BIG
    assert empty_db.health.ok and empty_db.health.last_error is None
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2, lines
    assert lines[0].startswith("store failing") and "disk is full" in lines[0]
    assert lines[1].startswith("store works again")
    assert not any(r.exc_info for r in caplog.records)


async def test_a_group_dropped_by_a_full_disk_fails_every_member_as_a_fault(
        empty_db: Database) -> None:
    async with full_disk(empty_db):
        small, big = await asyncio.gather(meta.put(empty_db, "small", "1"),
                                          meta.put(empty_db, "big", BIG),
                                          return_exceptions=True)
    assert isinstance(small, RolledBack) and is_storage_fault(small)
    assert isinstance(big, sqlite3.OperationalError) and is_storage_fault(big)
    assert await meta.get(empty_db, "small") is None  # nobody was told it was saved


async def test_a_lock_held_past_the_busy_timeout_is_a_fault(tmp_path: Path) -> None:
    path = tmp_path / "posko.db"
    db = await Database.open(path, busy_timeout=0.1)
    try:
        async with held_lock(path):
            with pytest.raises(sqlite3.OperationalError, match="locked") as raised:
                await meta.put(db, "k", "v")
            assert is_storage_fault(raised.value)
            assert await meta.get(db, "k") is None  # reading goes on meanwhile
        await meta.put(db, "k", "v")
        assert db.health.ok
    finally:
        await db.close()


async def test_bugs_and_lasting_problems_are_not_faults(empty_db: Database,
                                                        tmp_path: Path) -> None:
    errors: list[BaseException] = []
    for sql in ("INSERT INTO no_such_table VALUES (1)",
                "INSERT INTO meta (key, value) VALUES (NULL, NULL)"):
        with pytest.raises(sqlite3.DatabaseError) as raised:
            async with empty_db.transaction() as tx:
                await tx.execute(sql)
        errors.append(raised.value)
    closed = await Database.open(tmp_path / "closed.db")
    await closed.close()
    with pytest.raises(StorageError) as gone:
        await meta.get(closed, "k")
    errors += [gone.value, ValueError("a bug"), OSError("no such file"),
               sqlite3.DatabaseError("file is not a database")]
    assert not [e for e in errors if is_storage_fault(e)]
    assert empty_db.health.ok  # a bug does not start an outage


async def test_writers_queued_behind_a_failed_wait_for_the_lock_fail_at_once(
        tmp_path: Path) -> None:
    """Only the first writer waits out the busy timeout; those queued behind it meanwhile are
    refused as a fault without waiting in turn, and a writer arriving later tries again."""
    path = tmp_path / "posko.db"
    db = await Database.open(path, busy_timeout=0.3)
    try:
        async with held_lock(path):
            results = await asyncio.gather(*(meta.put(db, f"k{i}", "v") for i in range(5)),
                                           return_exceptions=True)
            assert isinstance(results[0], sqlite3.OperationalError)
            assert all(isinstance(result, NotTried) for result in results[1:]), results
            assert all(is_storage_fault(result) for result in results)  # type: ignore[arg-type]
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                await meta.put(db, "later", "v")  # tried, not refused
        await meta.put(db, "later", "v")
        assert await meta.get(db, "later") == "v" and db.health.ok
    finally:
        await db.close()
