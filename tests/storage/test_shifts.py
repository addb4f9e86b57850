"""Shifts on a real SQLite file (one open shift per member, redelivered updates, presence,
coordinates purged when old), scope summaries, and the Database itself."""

from __future__ import annotations

import asyncio
import gc
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import desks as desks_store
from storage import shifts
from storage.importer import import_desks, parse_desk_csv
from storage.models import EndReason, Shift, to_db
from storage.rules.geo import LocationCheck, LocationFacts, Verdict
from storage.shifts import StartOutcome
from storage.sqlite import engine as db_module
from storage.sqlite.engine import Database, StorageError
from storage.sqlite.schema import MIGRATIONS
from tests.support.data import GAMBIR_CSV

NOW = datetime(2024, 11, 27, 3, 0, tzinfo=UTC)  # 10:00 WIB
GAMBIR = (-6.176384, 106.826707)
@pytest.fixture
def db(gambir_db: Database) -> Database:
    """The five Gambir desks (tests.support.data.GAMBIR_CSV) on a fresh database."""
    return gambir_db


async def desk_id(db: Database, code: str) -> int:
    desk = await desks_store.by_code(db, code)
    assert desk is not None
    return desk.id


async def add_member(db: Database, telegram_id: int, code: str = "31.71.01.1001") -> int:
    """A member row written directly (members need an existing desk)."""
    desk = await desk_id(db, code)
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO members (telegram_id, full_name, desk_id, role, created_at, updated_at) "
            "VALUES (?, ?, ?, 'officer', ?, ?)",
            (telegram_id, f"Petugas {telegram_id}", desk, to_db(NOW), to_db(NOW)),
        )
    return desk


def located(lat: float = GAMBIR[0], lon: float = GAMBIR[1], accuracy: float | None = 8.0,
            at: datetime = NOW) -> LocationFacts:
    return LocationFacts(latitude=lat, longitude=lon, sent_at=at, live=True, accuracy_m=accuracy)


async def check_in(db: Database, member: int, desk: int, *, update_id: int | None = None,
                   now: datetime = NOW, distance: float = 12.5) -> shifts.Started:
    return await shifts.start(db, member_id=member, desk_id=desk, facts=located(at=now),
                              check=LocationCheck(Verdict.OK, distance),
                              live_until=now + timedelta(hours=1), update_id=update_id, now=now)


async def open_shifts(db: Database) -> int:
    return int(await db.fetchval("SELECT count(*) FROM shifts WHERE ended_at IS NULL"))


async def get(db: Database, shift_id: int) -> Shift:
    shift = await shifts.get(db, shift_id)
    assert shift is not None
    return shift


# --- start ---------------------------------------------------------------------------------


async def test_start_opens_a_shift(db: Database) -> None:
    desk = await add_member(db, 1)
    started = await check_in(db, 1, desk, update_id=500)
    assert started.outcome is StartOutcome.STARTED
    shift = started.shift
    assert (shift.member_id, shift.desk_id) == (1, desk)
    assert shift.started_at == NOW
    assert shift.last_seen_at == NOW
    assert shift.ended_at is None and shift.end_reason is None
    assert (shift.latitude, shift.longitude) == GAMBIR
    assert shift.distance_m == 12.5
    assert shift.accuracy_m == 8.0
    assert shift.live_until == NOW + timedelta(hours=1)
    assert shift.update_id == 500
    assert shift.outside_since is None
    assert await shifts.open_shift(db, 1) == shift
    assert await shifts.open_count(db, desk) == 1


async def test_second_start_is_already_open(db: Database) -> None:
    desk = await add_member(db, 1)
    first = await check_in(db, 1, desk, update_id=500)
    second = await check_in(db, 1, desk, update_id=501, now=NOW + timedelta(minutes=5))
    assert second.outcome is StartOutcome.ALREADY_OPEN
    assert second.shift == first.shift
    assert await open_shifts(db) == 1


async def test_start_without_update_id_is_already_open(db: Database) -> None:
    desk = await add_member(db, 1)
    await check_in(db, 1, desk)
    assert (await check_in(db, 1, desk)).outcome is StartOutcome.ALREADY_OPEN


async def test_redelivered_update_is_repeated(db: Database) -> None:
    desk = await add_member(db, 1)
    first = await check_in(db, 1, desk, update_id=500)
    again = await check_in(db, 1, desk, update_id=500)
    assert again.outcome is StartOutcome.REPEATED
    assert again.shift.id == first.shift.id
    assert await db.fetchval("SELECT count(*) FROM shifts") == 1


async def test_concurrent_starts_open_one_shift(db: Database) -> None:
    desk = await add_member(db, 1)
    results = await asyncio.gather(*(check_in(db, 1, desk, update_id=600 + i)
                                     for i in range(5)))
    outcomes = [r.outcome for r in results]
    assert outcomes.count(StartOutcome.STARTED) == 1
    assert outcomes.count(StartOutcome.ALREADY_OPEN) == 4
    assert len({r.shift.id for r in results}) == 1
    assert await db.fetchval("SELECT count(*) FROM shifts") == 1


async def test_concurrent_redeliveries_open_one_shift(db: Database) -> None:
    desk = await add_member(db, 1)
    results = await asyncio.gather(*(check_in(db, 1, desk, update_id=700) for _ in range(5)))
    outcomes = [r.outcome for r in results]
    assert outcomes.count(StartOutcome.STARTED) == 1
    assert outcomes.count(StartOutcome.REPEATED) == 4
    assert await db.fetchval("SELECT count(*) FROM shifts") == 1


async def test_members_have_their_own_shifts(db: Database) -> None:
    desk = await add_member(db, 1)
    await add_member(db, 2)
    await check_in(db, 1, desk)
    assert (await check_in(db, 2, desk)).outcome is StartOutcome.STARTED
    assert await shifts.open_count(db, desk) == 2


async def test_start_for_an_unknown_member_fails(db: Database) -> None:
    desk = await desk_id(db, "31.71.01.1001")
    with pytest.raises(sqlite3.IntegrityError):
        await check_in(db, 404, desk)
    assert await db.fetchval("SELECT count(*) FROM shifts") == 0


# --- end -----------------------------------------------------------------------------------


async def test_end_closes_once(db: Database) -> None:
    desk = await add_member(db, 1)
    shift = (await check_in(db, 1, desk)).shift
    later = NOW + timedelta(hours=4)
    assert await shifts.end(db, shift.id, EndReason.MANUAL, later) is True
    assert await shifts.end(db, shift.id, EndReason.ADMIN, later + timedelta(hours=1)) is False
    closed = await get(db, shift.id)
    assert closed.ended_at == later
    assert closed.end_reason is EndReason.MANUAL
    assert await shifts.open_shift(db, 1) is None
    assert await shifts.open_count(db, desk) == 0


async def test_new_shift_after_the_end(db: Database) -> None:
    desk = await add_member(db, 1)
    first = (await check_in(db, 1, desk, update_id=1)).shift
    await shifts.end(db, first.id, EndReason.PRESENCE_TIMEOUT, NOW + timedelta(hours=1))
    again = await check_in(db, 1, desk, update_id=2, now=NOW + timedelta(hours=2))
    assert again.outcome is StartOutcome.STARTED
    assert again.shift.id != first.id


async def test_end_of_unknown_shift(db: Database) -> None:
    assert await shifts.end(db, 999, EndReason.MANUAL, NOW) is False


# --- refresh -------------------------------------------------------------------------------


async def test_refresh_inside_updates_presence(db: Database) -> None:
    desk = await add_member(db, 1)
    shift = (await check_in(db, 1, desk)).shift
    t1 = NOW + timedelta(minutes=10)
    moved = located(-6.17645, 106.82675, accuracy=5.0, at=t1)
    assert await shifts.refresh(db, shift.id, facts=moved, distance=9.0, inside=True, now=t1)
    fresh = await get(db, shift.id)
    assert fresh.last_seen_at == t1
    assert fresh.outside_since is None
    assert (fresh.latitude, fresh.longitude, fresh.accuracy_m) == (-6.17645, 106.82675, 5.0)
    assert fresh.distance_m == 9.0


async def test_refresh_outside_marks_the_first_moment_only(db: Database) -> None:
    desk = await add_member(db, 1)
    shift = (await check_in(db, 1, desk)).shift
    away = located(-6.19, 106.82, at=NOW)
    t1, t2 = NOW + timedelta(minutes=10), NOW + timedelta(minutes=20)
    assert await shifts.refresh(db, shift.id, facts=away, distance=1600.0, inside=False, now=t1)
    first = await get(db, shift.id)
    assert first.outside_since == t1
    assert first.last_seen_at == NOW  # presence is not fresh outside the radius
    assert first.distance_m == 1600.0

    assert await shifts.refresh(db, shift.id, facts=away, distance=1700.0, inside=False, now=t2)
    second = await get(db, shift.id)
    assert second.outside_since == t1
    assert second.last_seen_at == NOW
    assert second.distance_m == 1700.0


async def test_returning_clears_outside_since(db: Database) -> None:
    desk = await add_member(db, 1)
    shift = (await check_in(db, 1, desk)).shift
    t1, t2 = NOW + timedelta(minutes=10), NOW + timedelta(minutes=30)
    await shifts.refresh(db, shift.id, facts=located(-6.19, 106.82), distance=1600.0,
                         inside=False, now=t1)
    await shifts.refresh(db, shift.id, facts=located(), distance=None, inside=True, now=t2)
    back = await get(db, shift.id)
    assert back.outside_since is None
    assert back.last_seen_at == t2
    assert back.distance_m == 1600.0  # no new distance given: the last one is kept


async def test_refresh_of_a_closed_shift_does_nothing(db: Database) -> None:
    desk = await add_member(db, 1)
    shift = (await check_in(db, 1, desk)).shift
    await shifts.end(db, shift.id, EndReason.MANUAL, NOW + timedelta(hours=1))
    before = await get(db, shift.id)
    assert not await shifts.refresh(db, shift.id, facts=located(-6.19, 106.82), distance=5.0,
                                    inside=True, now=NOW + timedelta(hours=2))
    assert await get(db, shift.id) == before


# --- retention -----------------------------------------------------------------------------


async def test_purge_forgets_coordinates_of_old_shifts_only(db: Database) -> None:
    desk = await add_member(db, 1)
    await add_member(db, 2)
    await add_member(db, 3)
    old = (await check_in(db, 1, desk, now=NOW - timedelta(days=100))).shift
    await shifts.end(db, old.id, EndReason.MANUAL, NOW - timedelta(days=100) + timedelta(hours=6))
    recent = (await check_in(db, 2, desk, now=NOW - timedelta(days=10))).shift
    await shifts.end(db, recent.id, EndReason.MANUAL, NOW - timedelta(days=10))
    still_open = (await check_in(db, 3, desk, now=NOW - timedelta(days=120))).shift

    assert await shifts.purge_locations(db, NOW - timedelta(days=90)) == 1
    purged = await get(db, old.id)
    assert (purged.latitude, purged.longitude, purged.accuracy_m) == (None, None, None)
    assert purged.distance_m == 12.5  # the distance is not personal data: kept for reports
    assert purged.started_at == NOW - timedelta(days=100)
    for kept_id in (recent.id, still_open.id):
        kept = await get(db, kept_id)
        assert (kept.latitude, kept.longitude) == GAMBIR
    assert await shifts.purge_locations(db, NOW - timedelta(days=90)) == 0


# --- scope summary -------------------------------------------------------------------------


async def test_summarize_scope_at_a_moment(db: Database) -> None:
    desk = await add_member(db, 1)
    await check_in(db, 1, desk)
    province = await desks_store.by_code(db, "31")
    kecamatan = await desks_store.by_code(db, "31.71.01")
    assert province is not None and kecamatan is not None

    # 10:00 WIB: every desk on duty; only kelurahan Gambir is staffed.
    morning = await desks_store.summarize(db, province.path, NOW)
    assert (morning.total, morning.on_duty, morning.short, morning.staffed) == (5, 5, 4, 1)
    assert await desks_store.summarize(db, None, NOW) == morning

    # 16:00 WIB: kelurahan (08-14) and kecamatan (08-15) are off duty; kota and province not.
    afternoon = await desks_store.summarize(db, province.path, NOW + timedelta(hours=6))
    assert (afternoon.total, afternoon.on_duty, afternoon.short, afternoon.staffed) == (
        5, 2, 2, 1)

    # 22:00 WIB: nobody on duty, so nobody short.
    night = await desks_store.summarize(db, province.path, NOW + timedelta(hours=12))
    assert (night.total, night.on_duty, night.short, night.staffed) == (5, 0, 0, 1)

    # The kecamatan's scope: itself and its two kelurahan.
    local = await desks_store.summarize(db, kecamatan.path, NOW)
    assert (local.total, local.on_duty, local.short, local.staffed) == (3, 3, 2, 1)


async def test_summarize_reads_each_desk_in_its_zone(db: Database) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE desks SET timezone = 'Asia/Jayapura' WHERE code = ?",
                         ("31.71.01.1002",))
        await tx.execute("UPDATE desks SET min_staff = 0 WHERE code = '31'")
    kecamatan = await desks_store.by_code(db, "31.71.01")
    assert kecamatan is not None
    moment = datetime(2024, 11, 27, 6, 30, tzinfo=UTC)  # 13:30 WIB, 15:30 WIT
    summary = await desks_store.summarize(db, kecamatan.path, moment)
    assert (summary.total, summary.on_duty, summary.short, summary.staffed) == (3, 2, 2, 0)
    everything = await desks_store.summarize(db, None, moment)
    assert (everything.on_duty, everything.short) == (4, 3)  # min_staff 0 is never short


async def test_closed_shifts_do_not_staff_a_desk(db: Database) -> None:
    desk = await add_member(db, 1)
    shift = (await check_in(db, 1, desk)).shift
    await shifts.end(db, shift.id, EndReason.MANUAL, NOW + timedelta(minutes=30))
    summary = await desks_store.summarize(db, None, NOW + timedelta(hours=1))
    assert (summary.staffed, summary.short) == (0, 5)


# --- the Database --------------------------------------------------------------------------


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
