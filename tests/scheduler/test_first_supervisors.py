"""Supervisors who register while desks are already empty, as on a new installation's first
day: they hear of the open alerts of their scope at once, escalation skips no level that has
supervisors by then, and "forwarded" is said only when someone below was told."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.views.alerts import alert_list
from scheduler.sweep import sweep
from storage import alerts as alerts_store
from storage.models import Role
from storage.sqlite.engine import Database
from tests.support.sweeping import (
    CONFIG,
    KEC,
    KEL,
    KOTA,
    alert_row,
    intents,
    only_these_need_staff,
    register,
    wib,
)

LURAH, CAMAT, WALIKOTA = 101, 102, 103


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    """A new installation: KEL and its kecamatan's own desk need staff, nobody registered."""
    database = await Database.open(db_path)
    await only_these_need_staff(database, KEL, KEC)
    yield database
    await database.close()


async def test_an_alert_nobody_could_be_told_of_waits_for_its_first_supervisor(
        db: Database) -> None:
    assert (await sweep(db, wib(8, 15), CONFIG)).opened == 2
    assert await intents(db) == []  # nobody to tell yet
    kel = await alert_row(db, KEL)
    assert (kel["level"], kel["first_level"]) == (-1, -1)
    await register(db, LURAH, KEL, Role.SUPERVISOR)  # at 08:20, say
    # The lurah hears of his own desk at once, not of the kecamatan's desk above him.
    assert await intents(db) == [(LURAH, "alerts", {"alerts": [kel["id"]]})]
    kel = await alert_row(db, KEL)
    assert (kel["level"], kel["first_level"]) == (0, 0)


async def test_a_camat_who_registers_late_gets_his_scope_and_his_own_desk(
        db: Database) -> None:
    await register(db, LURAH, KEL, Role.SUPERVISOR)
    await sweep(db, wib(8, 15), CONFIG)
    kel, kec = await alert_row(db, KEL), await alert_row(db, KEC)
    assert await intents(db) == [(LURAH, "alerts", {"alerts": [kel["id"]]})]
    assert kec["level"] == -1
    await register(db, CAMAT, KEC, Role.SUPERVISOR)
    assert (await intents(db))[1:] == [(CAMAT, "alerts",
                                        {"alerts": sorted([kel["id"], kec["id"]])})]
    kec = await alert_row(db, KEC)
    assert (kec["level"], kec["first_level"]) == (0, 0)  # the camat's own desk: level 0
    # KEL's lurah was told first and did nothing: the next step forwards it to the camat.
    assert (await sweep(db, wib(8, 30), CONFIG)).escalated == 1  # KEC: nobody above
    forwarded = [chat for chat, kind, payload in await intents(db)][2:]
    assert CAMAT in forwarded and LURAH not in forwarded
    (view,) = await alerts_store.get_many(db, [kel["id"]])
    assert view.forwarded and view.level == 1


async def test_escalation_does_not_skip_a_level_that_has_supervisors_by_then(
        db: Database) -> None:
    await sweep(db, wib(8, 15), CONFIG)  # nobody registered: level -1
    # The lurah joins after the alert opened, but without being told (e.g. made supervisor
    # another way); escalation must still start at the desk itself.
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO members (telegram_id, full_name, desk_id, role, "
                         "created_at, updated_at) SELECT ?, 'Lurah', id, 'supervisor', "
                         "'2026-11-23T00:00:00+00:00', '2026-11-23T00:00:00+00:00' "
                         "FROM desks WHERE code = ?", (LURAH, KEL))
    assert (await sweep(db, wib(8, 30), CONFIG)).escalated == 1
    kel = await alert_row(db, KEL)
    assert (kel["level"], kel["first_level"]) == (0, 0)
    assert [c for c, *_ in await intents(db)] == [LURAH]
    (view,) = await alerts_store.get_many(db, [kel["id"]])
    assert not view.forwarded  # he is the first told


async def test_forwarded_only_when_someone_below_was_told(db: Database) -> None:
    await register(db, CAMAT, KEC, Role.SUPERVISOR)  # KEL has no lurah in the bot
    await register(db, WALIKOTA, KOTA, Role.SUPERVISOR)
    await sweep(db, wib(8, 15), CONFIG)
    kel = await alert_row(db, KEL)
    (view,) = await alerts_store.get_many(db, [kel["id"]])
    assert view.level == 1 and not view.forwarded
    listed = await alert_list(db, [view], "id", wib(8, 16))
    assert "⬆️" not in listed.text("") and listed.legend is None
    await sweep(db, wib(8, 30), CONFIG)  # the camat did not take it: up to the kota
    (view,) = await alerts_store.get_many(db, [kel["id"]])
    assert view.level == 2 and view.forwarded
    listed = await alert_list(db, [view], "id", wib(8, 31))
    assert listed.lines[0].endswith(" ⬆️")
    assert listed.legend == "⬆️ = diteruskan ke atasan, belum ada yang menangani"


async def test_an_officer_who_registers_is_told_nothing(db: Database) -> None:
    await sweep(db, wib(8, 15), CONFIG)
    await register(db, 201, KEL, Role.OFFICER)
    assert await intents(db) == []
