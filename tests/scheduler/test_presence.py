"""Presence checks on a real SQLite file with the Jakarta desks, at injected times.

One file, just over 300 lines: the pure rule and the passes that apply it are read together.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from scheduler.jobs import watch
from scheduler.presence import Decision, check_presence, decide
from scheduler.sweep import sweep
from storage import presence as presence_store
from storage import shifts as shifts_store
from storage.models import EndReason, Role, from_db
from storage.presence import AnswerOutcome, OpenShift
from storage.rules.geo import LocationFacts
from storage.sqlite.engine import Database
from tests.support.sweeping import (
    CONFIG,
    KEC,
    KEL,
    PRESENCE,
    alert_row,
    check_in,
    desk,
    intents,
    only_these_need_staff,
    register,
    wib,
)

OFFICER, OTHER_OFFICER, KEC_OFFICER, LURAH = 201, 202, 301, 101


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(db_path)
    await only_these_need_staff(database, KEL)
    await register(database, LURAH, KEL, Role.SUPERVISOR)
    await register(database, OFFICER, KEL, Role.OFFICER)
    await register(database, OTHER_OFFICER, KEL, Role.OFFICER)
    await register(database, KEC_OFFICER, KEC, Role.OFFICER)
    yield database
    await database.close()


async def checks(db: Database, shift_id: int) -> list[Any]:
    """The presence checks of a shift, oldest first."""
    return list(await db.fetchall(
        "SELECT id, asked_at, answered_at, expired_at FROM presence_checks WHERE shift_id = ? "
        "ORDER BY id", (shift_id,)))


async def shift_row(db: Database, shift_id: int) -> Any:
    return await db.fetchone(
        "SELECT ended_at, end_reason, last_seen_at FROM shifts WHERE id = ?", (shift_id,))


async def refresh_at_desk(db: Database, shift_id: int, at: datetime, *, inside: bool) -> None:
    """A live-location update of the shift, in or out of the radius."""
    target = await desk(db, KEL)
    assert target.latitude is not None and target.longitude is not None
    facts = LocationFacts(target.latitude, target.longitude, at, live=True)
    assert await shifts_store.refresh(db, shift_id, facts=facts, distance=0.0 if inside
                                      else 900.0, inside=inside, now=at)


# --- the pure rule ----------------------------------------------------------------------

def open_shift(started: datetime, *, seen: datetime | None = None,
               asked: datetime | None = None, duty_hours: str = "08:00-14:00",
               rules: tuple[tuple[str, str, int | None], ...] = (),
               timezone: str = "Asia/Jakarta") -> OpenShift:
    return OpenShift(shift_id=1, member_id=OFFICER, started_at=started,
                     last_seen_at=seen or started, timezone=timezone, duty_hours=duty_hours,
                     min_staff=1, rules=rules, check_id=7 if asked else None, asked_at=asked)


@pytest.mark.parametrize(("shift", "now", "step"), [
    (open_shift(wib(8)), wib(10, 59), None),
    (open_shift(wib(8)), wib(11), Decision.ASK),
    (open_shift(wib(8), seen=wib(9, 30)), wib(12, 29), None),  # seen later: counted from then
    (open_shift(wib(8), seen=wib(9, 30)), wib(12, 30), Decision.ASK),
    (open_shift(wib(8), asked=wib(11)), wib(11, 29), None),  # waiting for the answer
    (open_shift(wib(8), asked=wib(11)), wib(11, 30), Decision.TIMEOUT),
    (open_shift(wib(8), seen=wib(11, 5), asked=wib(11)), wib(11, 6),
     Decision.ANSWERED_BY_LOCATION),
    (open_shift(wib(12)), wib(13, 59), None),
    (open_shift(wib(12)), wib(14), Decision.DUTY_END),
    (open_shift(wib(12)), wib(7, day=24), Decision.DUTY_END),  # the bot was down overnight
    (open_shift(wib(10, 45), asked=wib(13, 45)), wib(14), Decision.DUTY_END),
    (open_shift(wib(7, 30)), wib(7, 45), None),  # before duty: neither closed nor asked
    (open_shift(wib(14, 30)), wib(23), None),  # after duty: never asked
    (open_shift(wib(8), duty_hours="-"), wib(20), None),  # a desk without duty
    # 08:00 WITA is 07:00 WIB: a Makassar desk's duty ends at 14:00 WITA (06:00 UTC).
    (open_shift(wib(8), seen=wib(12), timezone="Asia/Makassar"), wib(12, 59), None),
    (open_shift(wib(8), seen=wib(12), timezone="Asia/Makassar"), wib(13), Decision.DUTY_END),
    # A date rule (voting day, 24 h) keeps the shift open and asking at 14:00.
    (open_shift(wib(8), seen=wib(11, 30), rules=(("2026-11-23", "00:00-24:00", None),)),
     wib(14, 30), Decision.ASK),
])
def test_decide(shift: OpenShift, now: datetime, step: Decision | None) -> None:
    assert decide(shift, now, PRESENCE) is step


# --- asking ------------------------------------------------------------------------------

async def test_asked_every_three_hours_and_only_once(db: Database) -> None:
    shift = await check_in(db, OFFICER, KEL, wib(8))
    assert (await check_presence(db, wib(10, 59), PRESENCE)).asked == 0
    assert await intents(db) == []
    assert (await check_presence(db, wib(11), PRESENCE)).asked == 1
    (check,) = await checks(db, shift)
    assert from_db(check["asked_at"]) == wib(11)
    assert await intents(db) == [(OFFICER, "presence_check",
                                  {"check": check["id"], "shift": shift})]
    for minute in (1, 15, 29):  # pending: no second question, no timeout yet
        report = await check_presence(db, wib(11, minute), PRESENCE)
        assert (report.asked, report.timed_out) == (0, 0)
    assert len(await checks(db, shift)) == 1
    assert len(await intents(db)) == 1
    assert (await shift_row(db, shift))["ended_at"] is None


async def test_a_pending_question_is_read_only_once_it_can_change(db: Database) -> None:
    """The pass reads a shift whose question waits only when a location answered it, it
    timed out or duty ended: not every minute of the 30 an officer may take."""
    shift = await check_in(db, OFFICER, KEL, wib(8))
    await check_presence(db, wib(11), PRESENCE)

    async def read(at: datetime) -> list[int]:
        found = await presence_store.open_shifts(db, at, PRESENCE.every, PRESENCE.timeout)
        return [s.shift_id for s in found]

    assert await read(wib(11, 10)) == []
    assert await read(wib(11, 30)) == [shift]  # timed out
    assert await read(wib(14)) == [shift]  # duty over
    await refresh_at_desk(db, shift, wib(11, 12), inside=True)
    assert await read(wib(11, 13)) == [shift]  # a location after the question


async def test_an_early_arrival_is_read_only_once_duty_starts(db: Database) -> None:
    """Before its desk's duty an officer's shift needs nothing (it began after duty last
    ended): not read every minute until 08:00; one still open from yesterday is."""
    early = await check_in(db, OFFICER, KEL, wib(7, 30))
    found = await presence_store.open_shifts(db, wib(7, 45), PRESENCE.every, PRESENCE.timeout)
    assert found == []
    stale = await check_in(db, OTHER_OFFICER, KEL, wib(13, day=22))  # left open yesterday
    found = await presence_store.open_shifts(db, wib(7, 45), PRESENCE.every, PRESENCE.timeout)
    assert [s.shift_id for s in found] == [stale]
    assert (await check_presence(db, wib(7, 46), PRESENCE)).duty_ended == 1
    assert (await shift_row(db, early))["ended_at"] is None


async def test_answer_refreshes_presence_and_the_next_question_counts_from_it(
        db: Database) -> None:
    shift = await check_in(db, KEC_OFFICER, KEC, wib(8))  # kecamatan: on duty until 15:00
    await check_presence(db, wib(11), PRESENCE)
    (check,) = await checks(db, shift)
    assert await presence_store.answer(db, check["id"], KEC_OFFICER, wib(11, 5)) is \
        AnswerOutcome.CONFIRMED
    (check,) = await checks(db, shift)
    assert from_db(check["answered_at"]) == wib(11, 5) and check["expired_at"] is None
    assert from_db((await shift_row(db, shift))["last_seen_at"]) == wib(11, 5)
    report = await check_presence(db, wib(11, 40), PRESENCE)  # answered: no timeout
    assert (report.asked, report.timed_out) == (0, 0)
    assert (await check_presence(db, wib(14, 4), PRESENCE)).asked == 0
    assert (await check_presence(db, wib(14, 5), PRESENCE)).asked == 1
    assert [p["check"] for _, _, p in await intents(db, "presence_check")] == \
        [c["id"] for c in await checks(db, shift)]
    assert len(await checks(db, shift)) == 2
    assert (await shift_row(db, shift))["ended_at"] is None


async def test_no_answer_closes_the_shift_and_the_sweep_alerts_after_grace(
        db: Database) -> None:
    shift = await check_in(db, OFFICER, KEL, wib(8))
    run = {"presence": PRESENCE, "desks": CONFIG}
    await watch(db, wib(11), **run)
    await watch(db, wib(11, 29), **run)
    assert (await shift_row(db, shift))["ended_at"] is None
    await watch(db, wib(11, 30), **run)
    row = await shift_row(db, shift)
    assert row["end_reason"] == EndReason.PRESENCE_TIMEOUT.value
    assert from_db(row["ended_at"]) == wib(11, 30)
    (check,) = await checks(db, shift)
    assert check["answered_at"] is None and from_db(check["expired_at"]) == wib(11, 30)
    assert await intents(db, "shift_closed") == [
        (OFFICER, "shift_closed", {"shift": shift, "reason": "presence_timeout"})]
    # Empty since the close, not since the question: the grace counts from 11:30.
    assert await alert_row(db, KEL) is None
    await watch(db, wib(11, 44), **run)
    assert await alert_row(db, KEL) is None
    await watch(db, wib(11, 45), **run)
    alert = await alert_row(db, KEL)
    assert alert is not None
    assert from_db(alert["short_since"]) == wib(11, 30)
    assert alert["last_member_id"] == OFFICER
    assert [c for c, *_ in await intents(db, "alerts")] == [LURAH]
    # A late press of the button changes nothing.
    assert await presence_store.answer(db, check["id"], OFFICER, wib(11, 50)) is \
        AnswerOutcome.STALE
    assert (await shift_row(db, shift))["end_reason"] == "presence_timeout"


async def test_answer_just_before_the_timeout_pass_wins(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    shift = await check_in(db, OFFICER, KEL, wib(8))
    await check_presence(db, wib(11), PRESENCE)
    # The pass reads its snapshot …
    stale = await presence_store.open_shifts(db, wib(11, 30), PRESENCE.every,
                                             PRESENCE.timeout)
    (check,) = await checks(db, shift)
    # … the officer presses the button meanwhile …
    assert await presence_store.answer(db, check["id"], OFFICER, wib(11, 29)) is \
        AnswerOutcome.CONFIRMED

    async def snapshot(_db: Database, *_: object) -> list[OpenShift]:
        return stale

    monkeypatch.setattr(presence_store, "open_shifts", snapshot)
    # … and the pass, deciding on what it read, must not close the shift.
    assert (await check_presence(db, wib(11, 30), PRESENCE)).timed_out == 0
    assert (await shift_row(db, shift))["ended_at"] is None
    assert await intents(db, "shift_closed") == []


@pytest.mark.parametrize("inside", [True, False])
async def test_live_location_after_the_question_answers_it(db: Database, inside: bool) -> None:
    shift = await check_in(db, OFFICER, KEL, wib(8))
    await check_presence(db, wib(11), PRESENCE)
    await refresh_at_desk(db, shift, wib(11, 5), inside=inside)
    report = await check_presence(db, wib(11, 6), PRESENCE)
    assert report.answered_by_location == int(inside)
    (check,) = await checks(db, shift)
    if inside:
        assert from_db(check["answered_at"]) == wib(11, 6)
        await check_presence(db, wib(11, 45), PRESENCE)
        assert (await shift_row(db, shift))["ended_at"] is None
        assert await intents(db, "shift_closed") == []
    else:  # a location outside the radius is no answer
        assert check["answered_at"] is None
        await check_presence(db, wib(11, 30), PRESENCE)
        assert (await shift_row(db, shift))["end_reason"] == "presence_timeout"


# --- duty hours --------------------------------------------------------------------------

async def test_shift_still_open_after_duty_closes_as_duty_end(db: Database) -> None:
    shift = await check_in(db, OFFICER, KEL, wib(12))
    assert (await check_presence(db, wib(13, 59), PRESENCE)).duty_ended == 0
    assert (await check_presence(db, wib(14), PRESENCE)).duty_ended == 1
    row = await shift_row(db, shift)
    assert row["end_reason"] == "duty_end" and from_db(row["ended_at"]) == wib(14)
    assert await intents(db, "shift_closed") == [
        (OFFICER, "shift_closed", {"shift": shift, "reason": "duty_end"})]
    assert (await check_presence(db, wib(14, 1), PRESENCE)).duty_ended == 0


async def test_pending_question_does_not_hold_the_shift_past_duty(db: Database) -> None:
    shift = await check_in(db, OFFICER, KEL, wib(10, 45))
    assert (await check_presence(db, wib(13, 45), PRESENCE)).asked == 1
    assert (await check_presence(db, wib(14), PRESENCE)).duty_ended == 1
    row = await shift_row(db, shift)
    assert row["end_reason"] == "duty_end" and from_db(row["ended_at"]) == wib(14)
    (check,) = await checks(db, shift)
    assert from_db(check["expired_at"]) == wib(14)
    assert [p["reason"] for *_, p in await intents(db, "shift_closed")] == ["duty_end"]


async def test_before_and_after_duty(db: Database) -> None:
    early = await check_in(db, OFFICER, KEL, wib(7, 30))
    late = await check_in(db, OTHER_OFFICER, KEL, wib(14, 30, day=22))  # yesterday after duty
    report = await check_presence(db, wib(7, 45), PRESENCE)
    assert (report.asked, report.duty_ended, report.timed_out) == (0, 0, 0)
    assert (await shift_row(db, early))["ended_at"] is None
    assert (await shift_row(db, late))["ended_at"] is None
    # Not asked off duty although not seen for 17 h; asked once duty starts.
    assert await intents(db, "presence_check") == []
    report = await check_presence(db, wib(8), PRESENCE)
    assert report.asked == 1
    assert [p["shift"] for *_, p in await intents(db, "presence_check")] == [late]
    assert (await check_presence(db, wib(10, 30), PRESENCE)).asked == 1  # 3 h after 07:30
    assert [p["shift"] for *_, p in await intents(db, "presence_check")] == [late, early]


async def test_not_asked_outside_duty_hours(db: Database) -> None:
    shift = await check_in(db, OFFICER, KEL, wib(14, 30))
    for hour in (17, 20, 23):
        report = await check_presence(db, wib(hour, 31), PRESENCE)
        assert (report.asked, report.duty_ended) == (0, 0)
    assert await checks(db, shift) == []
    assert await intents(db) == []


# --- answers -----------------------------------------------------------------------------

async def test_answer_by_another_member_changes_nothing(db: Database) -> None:
    shift = await check_in(db, OFFICER, KEL, wib(8))
    await check_presence(db, wib(11), PRESENCE)
    (check,) = await checks(db, shift)
    for member in (OTHER_OFFICER, LURAH):
        assert await presence_store.answer(db, check["id"], member, wib(11, 5)) is \
            AnswerOutcome.NOT_YOURS
    (after,) = await checks(db, shift)
    assert after["answered_at"] is None
    assert from_db((await shift_row(db, shift))["last_seen_at"]) == wib(8)
    await check_presence(db, wib(11, 30), PRESENCE)
    assert (await shift_row(db, shift))["end_reason"] == "presence_timeout"


async def test_stale_checks(db: Database) -> None:
    shift = await check_in(db, OFFICER, KEL, wib(8))
    await check_presence(db, wib(11), PRESENCE)
    (check,) = await checks(db, shift)
    assert await presence_store.answer(db, check["id"], OFFICER, wib(11, 1)) is \
        AnswerOutcome.CONFIRMED
    # A second press (double tap, redelivered update) is stale and moves nothing.
    assert await presence_store.answer(db, check["id"], OFFICER, wib(11, 20)) is \
        AnswerOutcome.STALE
    assert from_db((await shift_row(db, shift))["last_seen_at"]) == wib(11, 1)
    assert await presence_store.answer(db, 999_999, OFFICER, wib(11, 2)) is AnswerOutcome.STALE
    # A question of a shift that ended at duty end is stale too.
    await check_presence(db, wib(14), PRESENCE)
    assert (await shift_row(db, shift))["end_reason"] == "duty_end"
    assert await presence_store.answer(db, check["id"], OFFICER, wib(14, 5)) is \
        AnswerOutcome.STALE


async def test_sweep_sees_a_duty_end_close_as_off_duty(db: Database) -> None:
    # Duty end closes the shift and the desk is off duty: no alert follows.
    await check_in(db, OFFICER, KEL, wib(12))
    await check_presence(db, wib(14), PRESENCE)
    assert (await sweep(db, wib(14, 30), CONFIG)).opened == 0
    assert await alert_row(db, KEL) is None
