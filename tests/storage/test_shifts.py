"""Shifts on a real SQLite file: one open shift per member, redelivered updates, the end of a
shift, presence refreshed by locations, and coordinates purged when old."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta

import pytest

from storage import shifts
from storage.models import EndReason, Shift
from storage.shifts import StartOutcome
from storage.sqlite.engine import Database
from tests.support.shifts import GAMBIR, NOW, add_member, check_in, desk_id, located


@pytest.fixture
def db(gambir_db: Database) -> Database:
    """The five Gambir desks (tests.support.data.GAMBIR_CSV) on a fresh database."""
    return gambir_db


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
