"""``/rekapharian`` (``/digest``) in the chat: today's digest up to now with its chart, a
past day, and one line for a day that has not come or a date that cannot be read."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from bot.reports.export import fmt_day
from bot.texts import fmt_datetime, t
from storage import members as members_store
from storage.models import Role, utcnow
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.sweeping import KEC, WIB
from tests.support.telegram import Call

CAMAT = 901


@pytest.fixture
async def h(harness: Harness) -> Harness:
    await harness.stop_sender()  # every recorded call is the handler's
    await harness.member(CAMAT, KEC, Role.SUPERVISOR)
    return harness


async def ask(h: Harness, text: str) -> list[Call]:
    return await h.send(u.text(u.user(CAMAT), text))


def today() -> date:
    return utcnow().astimezone(WIB).date()


async def test_today_counts_up_to_now_and_comes_with_its_chart(h: Harness) -> None:
    before = utcnow()
    calls = await ask(h, "/rekapharian")
    after = utcnow()
    assert [c.method for c in calls] == ["sendMessage", "sendPhoto"]
    text = calls[0].text
    assert text.startswith("📊 <b>Rekap harian Cengkareng</b>")
    due = datetime.combine(today(), time(20), tzinfo=WIB)  # the scheduled digest's time
    ends = {fmt_datetime("id", min(due, moment), WIB) for moment in (before, after)}
    assert any(f"– {end}" in text for end in ends), text
    assert all(int(c.params["chat_id"]) == CAMAT for c in calls)


async def test_a_past_day(h: Harness) -> None:
    day = today() - timedelta(days=3)
    calls = await ask(h, f"/rekapharian {day:%d/%m/%Y}")
    assert [c.method for c in calls] == ["sendMessage", "sendPhoto"]
    assert f"– {fmt_day(day)} 20.00 WIB" in calls[0].text


async def test_a_day_that_has_not_come_is_one_line(h: Harness) -> None:
    calls = await ask(h, "/rekapharian 2099-01-01")
    assert [c.text for c in calls] == [t("id", "digest.future", day="01/01/2099",
                                         today=fmt_day(today()))]
    await members_store.set_language(h.db, CAMAT, "en")
    calls = await ask(h, "/digest 2099-01-01")
    assert [c.text for c in calls] == [t("en", "digest.future", day="01/01/2099",
                                         today=fmt_day(today()))]
    assert calls[0].text.startswith("01/01/2099 has not come yet")


async def test_a_date_it_cannot_read_is_one_line(h: Harness) -> None:
    calls = await ask(h, "/rekapharian kemarin")
    assert [c.text for c in calls] == [t("id", "export.bad_date", value="kemarin")]
    calls = await ask(h, "/rekapharian 2026-11-20 2026-11-21")
    assert [c.text for c in calls] == [t("id", "digest.usage")]
