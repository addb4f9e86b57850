"""Scope summaries on a real SQLite file: how many desks of a scope are on duty, short and
staffed at a moment, each desk read in its own time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage import desks as desks_store
from storage import shifts
from storage.models import EndReason
from storage.sqlite.engine import Database
from tests.support.shifts import NOW, add_member, check_in


@pytest.fixture
def db(gambir_db: Database) -> Database:
    """The five Gambir desks (tests.support.data.GAMBIR_CSV) on a fresh database."""
    return gambir_db


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



async def test_the_pairs_on_duty_are_every_distinct_zone_and_hours(db: Database) -> None:
    """The pairs are found by seeking from one to the next: each distinct (zone, hours) pair
    of the desks once, with the ones on duty kept (and, with ``idle_counts``, those without
    windows)."""
    hours = {"31": ("Asia/Jakarta", "-"), "31.71": ("Asia/Jayapura", "08:00-16:00"),
             "31.71.01": ("Asia/Jakarta", "08:00-15:00"),
             "31.71.01.1001": ("Asia/Jakarta", "08:00-14:00"),
             "31.71.01.1002": ("Asia/Jayapura", "09:00-10:00")}
    async with db.transaction() as tx:
        for code, (tz, window) in hours.items():
            await tx.execute("UPDATE desks SET timezone = ?, duty_hours = ? WHERE code = ?",
                             (tz, window, code))
    assert await desks_store._pairs(db) == sorted(hours.values())

    async def live(*, idle_counts: bool = False) -> tuple[set[tuple[str, str]], bool]:
        moment = datetime(2024, 11, 27, 0, 30, tzinfo=UTC)  # 07:30 WIB, 09:30 WIT
        pairs = await desks_store.schedule_pairs(db, moment, idle_counts=idle_counts)
        assert pairs.sql == "VALUES " + ", ".join(["(?, ?)"] * len(pairs.live))
        assert pairs.params == [x for pair in pairs.live for x in pair]
        return set(pairs.live), pairs.every

    wit = {("Asia/Jayapura", "08:00-16:00"), ("Asia/Jayapura", "09:00-10:00")}
    assert await live() == (wit, False)
    off = await desks_store.schedule_pairs(db, datetime(2024, 11, 27, 0, 30, tzinfo=UTC))
    assert off.ended == [("Asia/Jakarta", "08:00-14:00", "2024-11-26T07:00:00.000000Z"),
                         ("Asia/Jakarta", "08:00-15:00", "2024-11-26T08:00:00.000000Z")]
    assert off.ended_sql == "VALUES (?, ?, ?), (?, ?, ?)" and len(off.ended_params) == 6
    assert await live(idle_counts=True) == (wit | {("Asia/Jakarta", "-")}, False)
    async with db.transaction() as tx:
        await tx.execute("UPDATE desks SET timezone = 'Asia/Jayapura', duty_hours = "
                         "'08:00-16:00' WHERE timezone = 'Asia/Jakarta'")
    assert await live() == (wit, True)
