"""The empty-desk sweep on a real SQLite file with the Jakarta desks, at injected times."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from scheduler.sweep import sweep
from storage import alerts as alerts_store
from storage import membership
from storage import subscriptions as subscriptions_store
from storage.membership import Change
from storage.models import Role, from_db
from storage.sqlite.engine import Database
from tests.support.sweeping import (
    CONFIG,
    KEC,
    KEL,
    KOTA,
    alert_row,
    check_in,
    check_out,
    desk,
    intents,
    only_these_need_staff,
    register,
    wib,
)

LURAH, CAMAT, WALIKOTA, OFFICER = 101, 102, 103, 201


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(db_path)
    await only_these_need_staff(database, KEL)
    await register(database, LURAH, KEL, Role.SUPERVISOR)
    await register(database, CAMAT, KEC, Role.SUPERVISOR)
    await register(database, WALIKOTA, KOTA, Role.SUPERVISOR)
    await register(database, OFFICER, KEL, Role.OFFICER)
    yield database
    await database.close()


async def test_grace_then_one_alert_per_episode(db: Database) -> None:
    assert (await sweep(db, wib(8, 10), CONFIG)).opened == 0  # short since 08:00, in grace
    assert await intents(db) == []
    report = await sweep(db, wib(8, 15), CONFIG)
    assert report.opened == 1
    alert = await alert_row(db, KEL)
    assert from_db(alert["short_since"]) == wib(8, 0)
    assert await intents(db) == [(LURAH, "alerts", {"alerts": [alert["id"]]})]
    for minute in (16, 20, 29):  # the same episode: nothing more
        await sweep(db, wib(8, minute), CONFIG)
    assert len(await intents(db)) == 1


async def test_empty_since_last_checkout(db: Database) -> None:
    shift = await check_in(db, OFFICER, KEL, wib(7, 55))
    assert (await sweep(db, wib(9), CONFIG)).opened == 0
    await check_out(db, shift, wib(10, 12))
    assert (await sweep(db, wib(10, 26), CONFIG)).opened == 0
    assert (await sweep(db, wib(10, 27), CONFIG)).opened == 1
    alert = await alert_row(db, KEL)
    assert from_db(alert["short_since"]) == wib(10, 12)
    assert alert["last_member_id"] == OFFICER  # who was last on duty


async def test_escalation_steps_then_stop(db: Database) -> None:
    await sweep(db, wib(8, 15), CONFIG)
    assert (await sweep(db, wib(8, 29), CONFIG)).escalated == 0
    assert (await sweep(db, wib(8, 30), CONFIG)).escalated == 1  # +15 min: the camat
    assert [c for c, *_ in await intents(db)] == [LURAH, CAMAT]
    assert (await sweep(db, wib(8, 59), CONFIG)).escalated == 0
    assert (await sweep(db, wib(9, 0), CONFIG)).escalated == 1  # +30 more: the kota
    assert [c for c, *_ in await intents(db)] == [LURAH, CAMAT, WALIKOTA]
    assert (await sweep(db, wib(12), CONFIG)).escalated == 0  # out of steps
    alert = await alert_row(db, KEL)
    assert alert["level"] == 2 and alert["step"] == 2 and alert["next_escalation_at"] is None


async def test_a_demoted_or_removed_supervisor_hears_no_more_alerts(db: Database) -> None:
    """Made an officer, the lurah is no longer told of his desk: the camat is, at once; the
    removed camat is skipped by the escalation, which goes on to the kota."""
    assert await membership.set_role(db, LURAH, Role.OFFICER, end_shift=False,
                                     now=wib(8)) is Change.DONE
    assert await membership.remove(db, CAMAT, end_shift=False, now=wib(8)) is Change.DONE
    await sweep(db, wib(8, 15), CONFIG)
    assert [(c, kind) for c, kind, _ in await intents(db) if kind != "member_changed"] == [
        (WALIKOTA, "alerts")]
    await sweep(db, wib(9, 30), CONFIG)
    told = {c for c, kind, _ in await intents(db) if kind != "member_changed"}
    assert LURAH not in told and CAMAT not in told


async def test_catch_up_after_downtime_follows_planned_times(db: Database) -> None:
    await sweep(db, wib(8, 15), CONFIG)
    # The bot was down from 08:16 to 10:00: both steps are overdue, one per sweep.
    assert (await sweep(db, wib(10), CONFIG)).escalated == 1
    assert (await sweep(db, wib(10), CONFIG)).escalated == 1  # planned 09:00 also passed
    assert (await sweep(db, wib(10), CONFIG)).escalated == 0
    assert [c for c, *_ in await intents(db)] == [LURAH, CAMAT, WALIKOTA]


async def test_ack_stops_escalation_and_edits_every_message(db: Database) -> None:
    await sweep(db, wib(8, 15), CONFIG)
    await sweep(db, wib(8, 30), CONFIG)
    alert = await alert_row(db, KEL)
    outcome = await alerts_store.acknowledge(db, alert["id"], CAMAT, wib(8, 31))
    assert outcome is alerts_store.AckOutcome.ACKED
    assert await alerts_store.acknowledge(db, alert["id"], LURAH, wib(8, 32)) is \
        alerts_store.AckOutcome.ALREADY
    updates = await intents(db, "alert_update")
    assert sorted(chat for chat, *_ in updates) == [LURAH, CAMAT]
    assert (await sweep(db, wib(9, 30), CONFIG)).escalated == 0


async def test_resolve_tells_everyone_told_how_long(db: Database) -> None:
    await sweep(db, wib(8, 15), CONFIG)
    await sweep(db, wib(8, 30), CONFIG)
    await check_in(db, OFFICER, KEL, wib(8, 47))
    report = await sweep(db, wib(8, 48), CONFIG)
    assert report.resolved == 1
    alert = await alert_row(db, KEL)
    assert alert["resolution"] == "staffed"
    assert from_db(alert["resolved_at"]) - from_db(alert["short_since"]) == timedelta(minutes=48)
    resolved = await intents(db, "alerts_resolved")
    assert sorted(chat for chat, *_ in resolved) == [LURAH, CAMAT]
    assert alerts_store.AckOutcome.RESOLVED is await alerts_store.acknowledge(
        db, alert["id"], LURAH, wib(8, 50))


async def test_duty_end_resolves_off_duty(db: Database) -> None:
    await sweep(db, wib(13, 30), CONFIG)  # short since 08:00: opens at once
    assert (await sweep(db, wib(14, 0), CONFIG)).resolved == 1
    assert (await alert_row(db, KEL))["resolution"] == "off_duty"
    assert (await sweep(db, wib(20), CONFIG)).opened == 0


async def test_many_desks_one_message_per_supervisor(db: Database) -> None:
    kelurahan = [r[0] for r in await db.fetchall(
        "SELECT code FROM desks WHERE code LIKE '31.73.01.%'")]
    await only_these_need_staff(db, *kelurahan)
    assert len(kelurahan) == 6
    report = await sweep(db, wib(9), CONFIG)
    assert report.opened == 6
    sent = await intents(db, "alerts")
    # The lurah of Cengkareng Barat hears of their desk; the camat, nearest supervisor of the
    # five others, gets one message listing the five.
    assert [(c, len(p["alerts"])) for c, _, p in sent] == [(LURAH, 1), (CAMAT, 5)]


async def test_subscribed_group_gets_alerts_of_its_scope(db: Database) -> None:
    kota = await desk(db, KOTA)
    other = await desk(db, "31.71")
    await subscriptions_store.subscribe(db, -1001, kota.id, "Desk Jakbar", WALIKOTA, wib(7))
    await subscriptions_store.subscribe(db, -1002, other.id, "Desk Jakpus", WALIKOTA, wib(7))
    await sweep(db, wib(9), CONFIG)
    assert sorted(c for c, *_ in await intents(db, "alerts")) == [-1001, LURAH]


@pytest.mark.parametrize(("zone", "utc_hour", "short"), [
    ("Asia/Jakarta", 0, False),  # 07:00 WIB: before duty
    ("Asia/Makassar", 0, False),  # 08:00 WITA: on duty, but within grace
    ("Asia/Makassar", 1, True),  # 09:00 WITA
    ("Asia/Jayapura", 23, False),  # 08:00 WIT next day: within grace
    ("Asia/Jayapura", 6, False),  # 15:00 WIT: after duty
    ("Asia/Jayapura", 4, True),  # 13:00 WIT
])
async def test_desks_in_other_zones(db: Database, zone: str, utc_hour: int, short: bool) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE desks SET timezone = ? WHERE code = ?", (zone, KEL))
    moment = datetime.fromisoformat(f"2026-11-23T{utc_hour:02d}:00:00+00:00")
    assert (await sweep(db, moment, CONFIG)).opened == int(short)


async def test_window_across_midnight(db: Database) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE desks SET duty_hours = '20:00-08:00' WHERE code = ?", (KEL,))
    assert (await sweep(db, wib(19, 59), CONFIG)).opened == 0
    assert (await sweep(db, wib(2, day=24), CONFIG)).opened == 1
    alert = await alert_row(db, KEL)
    assert from_db(alert["short_since"]) == wib(20, 0)
    assert (await sweep(db, wib(8, 0, day=24), CONFIG)).resolved == 1


async def test_voting_day_rule_raises_min_staff(db: Database) -> None:
    from storage.schedule import import_rules, parse_schedule_csv

    rules = parse_schedule_csv("desk,level,day,duty_hours,min_staff\n"
                               f"{KEC},kelurahan_desa,2026-11-27,00:00-24:00,2\n")
    assert await import_rules(db, rules) == (6, 0)
    await only_these_need_staff(db)  # only the voting-day rule asks for anybody
    assert (await sweep(db, wib(9, day=26), CONFIG)).opened == 0  # the day before
    await check_in(db, OFFICER, KEL, wib(6, day=27))
    # Every kelurahan of the kecamatan needs 2 on voting day; one officer is not enough.
    assert (await sweep(db, wib(6, 30, day=27), CONFIG)).opened == 6
    assert from_db((await alert_row(db, KEL))["short_since"]) == wib(0, day=27)
    await register(db, OFFICER + 1, KEL, Role.OFFICER)
    await check_in(db, OFFICER + 1, KEL, wib(6, 40, day=27))
    assert (await sweep(db, wib(6, 41, day=27), CONFIG)).resolved == 1
    assert (await alert_row(db, KEL))["resolution"] == "staffed"



async def test_the_sweep_reads_only_desks_whose_alert_can_change(db: Database) -> None:
    """A desk left empty for hours is not read every minute; each change reaches the sweep."""
    assert (await sweep(db, wib(8, 10), CONFIG)).examined == 1  # short, in its grace
    await sweep(db, wib(8, 15), CONFIG)
    assert (await sweep(db, wib(8, 20), CONFIG)).examined == 0  # open, nothing due
    assert (await sweep(db, wib(8, 30), CONFIG)).examined == 1  # the step is due
    alert = await alert_row(db, KEL)
    await alerts_store.acknowledge(db, alert["id"], CAMAT, wib(8, 31))
    assert (await sweep(db, wib(9, 30), CONFIG)).examined == 0  # acknowledged: no step
    async with db.transaction() as tx:  # the operator lowers the desk's staff to nobody
        await tx.execute("UPDATE desks SET min_staff = 0 WHERE code = ?", (KEL,))
    report = await sweep(db, wib(9, 31), CONFIG)
    assert (report.examined, report.resolved) == (1, 1)
    assert (await alert_row(db, KEL))["resolution"] == "staffed"


async def test_a_desk_with_day_rules_is_always_read(db: Database) -> None:
    from storage.schedule import import_rules, parse_schedule_csv

    rules = parse_schedule_csv("desk,level,day,duty_hours,min_staff\n"
                               f"{KEL},kelurahan_desa,2026-11-24,06:00-20:00,\n")
    await import_rules(db, rules)
    assert (await sweep(db, wib(3), CONFIG)).examined == 1  # off duty, judged in Python
    await sweep(db, wib(8, 15), CONFIG)
    assert (await sweep(db, wib(8, 20), CONFIG)).examined == 1
    # The rule of the 24th starts its window at 06:00: the alert of the 23rd ended at 14:00.
    assert (await sweep(db, wib(14), CONFIG)).resolved == 1
    assert (await sweep(db, wib(6, 15, day=24), CONFIG)).opened == 1
