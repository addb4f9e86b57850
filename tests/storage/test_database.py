"""The Database itself on a real SQLite file: transactions that roll back whole, readers that
see only committed data and cannot write, migrations from earlier releases, refused files,
and backups."""

from __future__ import annotations

import gc
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from storage import desks as desks_store
from storage import shifts
from storage.importer import import_desks, parse_desk_csv
from storage.models import EndReason
from storage.sqlite import engine as db_module
from storage.sqlite.engine import Database, StorageError
from storage.sqlite.schema import MIGRATIONS
from tests.support.data import GAMBIR_CSV
from tests.support.shifts import NOW, add_member, check_in


@pytest.fixture
def db(gambir_db: Database) -> Database:
    """The five Gambir desks (tests.support.data.GAMBIR_CSV) on a fresh database."""
    return gambir_db


async def test_failing_transaction_rolls_back_everything(db: Database) -> None:
    before = await desks_store.count(db)
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("UPDATE desks SET name = 'Diubah'")
            await tx.execute(
                "INSERT INTO members (telegram_id, full_name, desk_id, role, created_at, "
                "updated_at) VALUES (1, 'X', 1, 'officer', 'a', 'a')")
            raise RuntimeError("boom")
    assert await desks_store.count(db) == before
    assert await db.fetchval("SELECT count(*) FROM desks WHERE name = 'Diubah'") == 0
    assert await db.fetchval("SELECT count(*) FROM members") == 0
    # The connection is usable afterwards.
    await add_member(db, 2)
    assert await db.fetchval("SELECT count(*) FROM members") == 1


async def test_constraint_error_rolls_back_earlier_statements(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as tx:
            await tx.execute("UPDATE desks SET name = 'Diubah' WHERE code = '31'")
            await tx.execute("UPDATE desks SET radius_m = 0 WHERE code = '31.71'")  # CHECK
    province = await desks_store.by_code(db, "31")
    assert province is not None and province.name == "DKI Jakarta"


async def test_failed_commit_rolls_back_and_leaves_the_writer_usable(db: Database) -> None:
    # A deferred foreign key is checked only at COMMIT: the commit itself fails.
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as tx:
            await tx.execute("PRAGMA defer_foreign_keys = ON")
            await tx.execute(
                "INSERT INTO members (telegram_id, full_name, desk_id, role, created_at, "
                "updated_at) VALUES (1, 'X', 9999, 'officer', 'a', 'a')")
    assert await db.fetchval("SELECT count(*) FROM members") == 0
    await add_member(db, 2)  # a new transaction can begin
    assert await db.fetchval("SELECT count(*) FROM members") == 1


async def test_reader_sees_only_committed_data(db: Database) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE desks SET name = 'Belum' WHERE code = '31'")
        assert await db.fetchval("SELECT name FROM desks WHERE code = '31'") == "DKI Jakarta"
    assert await db.fetchval("SELECT name FROM desks WHERE code = '31'") == "Belum"


async def test_reader_cannot_write(db: Database) -> None:
    with pytest.raises(sqlite3.OperationalError):
        await db.fetchall("DELETE FROM desks")
    assert await desks_store.count(db) == 5


async def test_schema_version_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "posko.db"
    db = await Database.open(path)
    try:
        assert await db.fetchval("PRAGMA user_version") == len(MIGRATIONS)
        assert await db.fetchval("PRAGMA journal_mode") == "wal"
        assert await db.fetchval("PRAGMA foreign_keys") == 1
        await import_desks(db, parse_desk_csv(GAMBIR_CSV), "Asia/Jakarta")
    finally:
        await db.close()
    # Migration 1 creates tables without IF NOT EXISTS: re-running it would fail here.
    db = await Database.open(path)
    try:
        assert await db.fetchval("PRAGMA user_version") == len(MIGRATIONS)
        assert await desks_store.count(db) == 5
    finally:
        await db.close()


def schema_of_release(path: Path, migrations: int, *, end_column_in_first: bool) -> None:
    """A database as an earlier release left it: the first ``migrations`` applied."""
    with closing(sqlite3.connect(path)) as conn:
        for statements in MIGRATIONS[:migrations]:
            for statement in statements:
                assert isinstance(statement, str)
                conn.execute(statement)
        if end_column_in_first:  # releases that had edited it into migration 1
            conn.execute("ALTER TABLE shifts ADD COLUMN end_update_id INTEGER")
        conn.execute(f"PRAGMA user_version = {migrations}")
        conn.commit()


@pytest.mark.parametrize(("migrations", "end_column_in_first"), [(2, False), (5, True)],
                         ids=["first release", "releases since"])
async def test_databases_of_earlier_releases_upgrade(tmp_path: Path, migrations: int,
                                                     end_column_in_first: bool) -> None:
    path = tmp_path / "posko.db"
    schema_of_release(path, migrations, end_column_in_first=end_column_in_first)
    db = await Database.open(path)
    try:
        assert await db.fetchval("PRAGMA user_version") == len(MIGRATIONS)
        assert await db.fetchval("SELECT count(*) FROM pragma_table_info('shifts') "
                                 "WHERE name = 'end_update_id'") == 1
        await import_desks(db, parse_desk_csv(GAMBIR_CSV), "Asia/Jakarta")
        desk = await add_member(db, 1)
        started = await check_in(db, 1, desk)
        assert await shifts.end(db, started.shift.id, EndReason.MANUAL, NOW, update_id=77)
        assert (await shifts.ended_by(db, 1, 77)) is not None
    finally:
        await db.close()


async def test_new_migrations_run_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "posko.db"
    db = await Database.open(path)
    await db.close()
    extra = [*MIGRATIONS, ["INSERT INTO meta (key, value) VALUES ('upgraded', 'yes')"]]
    monkeypatch.setattr(db_module, "MIGRATIONS", extra)
    for _ in range(2):
        db = await Database.open(path)
        try:
            assert await db.fetchval("PRAGMA user_version") == len(extra)
            assert await db.fetchval("SELECT count(*) FROM meta WHERE key = 'upgraded'") == 1
        finally:
            await db.close()


@pytest.mark.filterwarnings("error::ResourceWarning")
async def test_failing_migration_leaves_the_old_version(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "posko.db"
    db = await Database.open(path)
    await db.close()
    broken = [*MIGRATIONS, ["CREATE TABLE extra (x INTEGER)", "THIS IS NOT SQL"]]
    monkeypatch.setattr(db_module, "MIGRATIONS", broken)
    with pytest.raises(StorageError):
        await Database.open(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'extra'").fetchone()[0] == 0
    gc.collect()  # a connection left open by the refused open would warn now


@pytest.mark.filterwarnings("error::ResourceWarning")
async def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "posko.db"
    db = await Database.open(path)
    await db.close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(StorageError, match="newer"):
        await Database.open(path)
    gc.collect()  # a connection left open by the refused open would warn now


@pytest.mark.filterwarnings("error::ResourceWarning")
async def test_not_a_database_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "posko.db"
    path.write_bytes(b"this is a spreadsheet, honestly" * 100)
    with pytest.raises(StorageError):
        await Database.open(path)
    gc.collect()  # a connection left open by the refused open would warn now


async def test_backup_is_a_readable_copy(db: Database, tmp_path: Path) -> None:
    desk = await add_member(db, 1)
    await check_in(db, 1, desk)
    target = tmp_path / "backup" / "copy.db"
    target.parent.mkdir()
    await db.backup(target)
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM desks").fetchone()[0] == 5
    copy = await Database.open(target)
    try:
        assert await desks_store.count(copy) == await desks_store.count(db)
        assert await copy.fetchval("SELECT count(*) FROM shifts WHERE ended_at IS NULL") == 1
        assert await copy.fetchval("PRAGMA user_version") == len(MIGRATIONS)
    finally:
        await copy.close()
