"""Backup files (``storage.backups``) and restoring one (``storage.restore``) on real SQLite
files: named by their UTC time, checked, rotated without touching anything else; a corrupt
copy never carries a backup's name; a restore refuses a live database, a corrupt file and a
newer schema, and puts the data back while keeping the database it replaced."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import backups as backups_module
from storage.backups import SCHEMA_VERSION, BackupError, backup_name, backups, take
from storage.restore import restore
from storage.sqlite.engine import Database
from storage.sqlite.runlock import InUse, RunLock, held
from tests.support.shifts import add_member, check_in

T0 = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


def _open_shifts(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM shifts WHERE ended_at IS NULL")
                   .fetchone()[0])


def _corrupt(path: Path) -> None:
    """Overwrite the header of every page but the first (the file's own header) with garbage."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for start in range(page, len(data), page):
        data[start:start + 12] = b"\xa5" * 12
    path.write_bytes(bytes(data))


async def test_a_backup_is_named_by_its_time_checked_and_one_file(
        gambir_db: Database, tmp_path: Path) -> None:
    desk = await add_member(gambir_db, 1)
    await check_in(gambir_db, 1, desk)
    directory = tmp_path / "backups"
    taken = await take(gambir_db, directory, T0, keep=3)
    assert taken.backup.path == directory / "posko-20261201T060000Z.db"
    assert taken.size == taken.backup.path.stat().st_size > 0
    assert sorted(p.name for p in directory.iterdir()) == ["posko-20261201T060000Z.db"]
    with sqlite3.connect(taken.backup.path) as conn:  # one file, no -wal needed
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert _open_shifts(taken.backup.path) == 1
    # Names sort by time, across a day and a year.
    later = [T0 + timedelta(hours=h) for h in (1, 20, 24 * 40, 24 * 400)]
    names = [backup_name("posko.db", t) for t in later]
    assert names == sorted(names)


async def test_rotation_keeps_the_newest_and_leaves_other_files(
        gambir_db: Database, tmp_path: Path) -> None:
    directory = tmp_path / "backups"
    directory.mkdir()
    foreign = ["notes.txt", "posko.db", "other-20261101T000000Z.db", "posko-latest.db",
               "posko-20261101T000000Z.db.gz"]
    for name in foreign:
        (directory / name).write_text("not ours")
    for hour in range(6):
        await take(gambir_db, directory, T0 + timedelta(hours=hour), keep=4)
    kept = [b.path.name for b in backups(directory, gambir_db.path)]
    assert kept == [backup_name("posko.db", T0 + timedelta(hours=h)) for h in (2, 3, 4, 5)]
    for name in foreign:
        assert (directory / name).read_text() == "not ours"
    # One taken with a clock set back is the oldest by name, yet never the one deleted.
    taken = await take(gambir_db, directory, T0 - timedelta(days=1), keep=4)
    assert taken.backup.path.exists()
    assert taken.removed == [directory / backup_name("posko.db", T0 + timedelta(hours=2))]


async def test_a_corrupt_copy_is_removed_and_never_a_backup(
        gambir_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = tmp_path / "backups"
    await take(gambir_db, directory, T0, keep=5)
    real = Database.backup

    async def corrupting(self: Database, target: str | Path) -> None:
        await real(self, target)
        _corrupt(Path(target))

    monkeypatch.setattr(Database, "backup", corrupting)
    with pytest.raises(BackupError, match=r"integrity check failed|malformed"):
        await take(gambir_db, directory, T0 + timedelta(hours=6), keep=5)
    assert sorted(p.name for p in directory.iterdir()) == ["posko-20261201T060000Z.db"]


async def test_a_copy_of_another_schema_version_is_refused(
        gambir_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backups_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(BackupError, match=f"schema version {SCHEMA_VERSION}, not"):
        await take(gambir_db, tmp_path / "backups", T0, keep=5)
    assert list((tmp_path / "backups").iterdir()) == []


async def test_an_unwritable_directory_is_one_line(gambir_db: Database, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the directory should be")
    with pytest.raises(BackupError) as caught:
        await take(gambir_db, blocker / "backups", T0, keep=5)
    assert "\n" not in str(caught.value) and str(blocker) in str(caught.value)


async def _backup_with_shift(db: Database, directory: Path) -> Path:
    desk = await add_member(db, 1)
    await check_in(db, 1, desk)
    return (await take(db, directory, T0, keep=5)).backup.path


async def test_restore_puts_the_data_back_and_keeps_the_replaced_database(
        gambir_db: Database, tmp_path: Path) -> None:
    backup = await _backup_with_shift(gambir_db, tmp_path / "backups")
    async with gambir_db.transaction() as tx:  # a change after the backup, in the -wal
        await tx.execute("UPDATE shifts SET ended_at = '2026-12-01T07:00:00.000000Z', "
                         "end_reason = 'manual'")
    db_file = Path(gambir_db.path)
    await gambir_db.close()
    assert _open_shifts(db_file) == 0
    os.chmod(db_file, 0o600)  # the operator's choice for a file of personal data
    done = restore(backup, db_file, T0 + timedelta(hours=2))
    assert done.version == SCHEMA_VERSION
    assert _open_shifts(db_file) == 1  # the backup's data is back
    assert done.kept == db_file.with_name("posko.db.before-restore-20261201T080000Z")
    assert _open_shifts(done.kept) == 0  # and the replaced database, whole, beside it
    assert not db_file.with_name("posko.db-wal").exists()
    assert not db_file.with_name("posko.db-shm").exists()
    assert os.stat(db_file).st_mode & 0o777 == 0o600
    reopened = await Database.open(db_file)
    try:
        assert await reopened.fetchval("SELECT count(*) FROM desks") == 5
    finally:
        await reopened.close()


async def test_restore_refuses_a_corrupt_file_and_a_newer_schema(
        gambir_db: Database, tmp_path: Path) -> None:
    backup = await _backup_with_shift(gambir_db, tmp_path / "backups")
    db_file = Path(gambir_db.path)
    await gambir_db.close()
    _refuse_bad_files(backup, db_file, tmp_path)


def _refuse_bad_files(backup: Path, db_file: Path, tmp_path: Path) -> None:
    before = db_file.read_bytes()
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(backup.read_bytes())
    _corrupt(corrupt)
    newer = tmp_path / "newer.db"
    newer.write_bytes(backup.read_bytes())
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    text = tmp_path / "notes.db"
    text.write_text("not a database at all" * 100)
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    for bad, why in ((corrupt, "integrity check failed|malformed"),
                     (newer, "newer than this program"),
                     (text, "not a usable SQLite database"),
                     (empty, "schema version 0|not a usable"),
                     (tmp_path / "missing.db", "no such file")):
        with pytest.raises(BackupError, match=why):
            restore(bad, db_file, T0)
    assert db_file.read_bytes() == before
    assert sorted(p.name for p in db_file.parent.iterdir() if p.name.startswith(("posko",
                                                                                   ".posko"))) \
        == ["posko.db", "posko.db.lock"]


async def test_restore_refuses_while_the_run_lock_is_held(
        gambir_db: Database, tmp_path: Path) -> None:
    backup = await _backup_with_shift(gambir_db, tmp_path / "backups")
    db_file = Path(gambir_db.path)
    assert not held(db_file)
    with RunLock(db_file):
        assert held(db_file)
        with pytest.raises(InUse):
            restore(backup, db_file, T0)
        with pytest.raises(InUse):
            RunLock(db_file).acquire()
    assert not held(db_file)
    assert not list(db_file.parent.glob("posko.db.before-restore-*"))
