"""A location's age is measured on Telegram's clock, to the moment its update was received.

A server whose clock is minutes off would otherwise refuse every check-in as too old (or from
the future), and a check-in that waited in a backlog would be refused although it was fresh
when it arrived.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from multidict import CIMultiDict

from bot.updates.clock import TelegramClock
from storage import shifts as shifts_store
from storage.models import Desk, Role, utcnow
from tests.support import updates as u
from tests.support.harness import Harness

KEL = "31.73.01.1001"
OFFICER = 731


async def officer(h: Harness) -> tuple[dict[str, object], Desk]:
    await h.set_desk(KEL, duty_hours="00:00-24:00")
    desk = await h.member(OFFICER, KEL, Role.OFFICER)
    assert desk.latitude is not None and desk.longitude is not None
    return u.user(OFFICER), desk


@pytest.mark.parametrize("skew_s", [-300, 300])
async def test_checkin_with_this_servers_clock_minutes_off(harness: Harness, skew_s: int) -> None:
    """Telegram dates the location by its clock; this server's clock is five minutes off."""
    person, desk = await officer(harness)
    clock: TelegramClock = harness.app.bot_data.clock
    clock.observe(utcnow() + timedelta(seconds=skew_s), utcnow())  # a getUpdates answer's Date
    sent = u.location(person, desk.latitude, desk.longitude, age_s=-skew_s + 5)
    calls = await harness.send(sent)
    assert "Check-in tercatat" in calls[-1].text, calls
    assert await shifts_store.open_shift(harness.db, OFFICER) is not None


async def test_a_location_fresh_when_received_counts_after_a_backlog(harness: Harness) -> None:
    """80 s old when its lane gets to it, but 40 s old when it was received: accepted."""
    person, desk = await officer(harness)
    clock: TelegramClock = harness.app.bot_data.clock
    sent = u.location(person, desk.latitude, desk.longitude, age_s=80)
    clock.stamp([sent["update_id"]], at=utcnow() - timedelta(seconds=40))
    calls = await harness.send(sent)
    assert "Check-in tercatat" in calls[-1].text, calls


async def test_without_a_receipt_stamp_an_old_location_is_still_refused(
        harness: Harness) -> None:
    person, desk = await officer(harness)
    calls = await harness.send(u.location(person, desk.latitude, desk.longitude, age_s=80))
    assert "detik yang lalu" in calls[-1].text, calls
    assert await shifts_store.open_shift(harness.db, OFFICER) is None


def test_offset_ignores_rounding_and_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    clock, now = TelegramClock(), utcnow()
    clock.observe(now + timedelta(seconds=1), now)
    assert clock.offset == timedelta(0)  # the Date header has whole seconds
    with caplog.at_level(logging.INFO, logger="bot.updates.clock"):
        clock.observe(now + timedelta(seconds=90), now)
        clock.observe(now + timedelta(seconds=91), now)
        clock.observe(now, now)
    assert [r.levelname for r in caplog.records] == ["WARNING", "INFO"]
    assert "-90 s off" in caplog.records[0].getMessage()
    assert clock.offset == timedelta(0)


def test_the_date_of_a_bot_api_answer_is_observed() -> None:
    clock = TelegramClock()
    ahead = (utcnow() + timedelta(minutes=3)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    clock.on_answer(CIMultiDict({"Date": ahead}))
    assert timedelta(minutes=2, seconds=55) < clock.offset <= timedelta(minutes=3)
    clock.on_answer(CIMultiDict({"date": "not a date"}))  # header names are case-blind
    clock.on_answer(CIMultiDict())
    assert timedelta(minutes=2, seconds=55) < clock.offset <= timedelta(minutes=3)


def test_stamps_are_forgotten_once_handled() -> None:
    clock = TelegramClock()
    at = utcnow() - timedelta(seconds=30)
    clock.stamp([1, 2], at=at)
    assert clock.received(1) == at
    clock.forget([1, 2])
    assert clock.received(1) > at
