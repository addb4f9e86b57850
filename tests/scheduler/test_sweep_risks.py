"""The sweep at risk-area desks: a label's grace, staff and escalation steps, tightest wins."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import parse_duration
from scheduler.sweep import SweepConfig, sweep
from storage.models import Role
from storage.risks import import_risks, parse_risk_csv
from storage.rules.risk import DEFAULT_RULES, parse_rules
from storage.sqlite.engine import Database
from tests.support.sweeping import (
    KEC,
    KEL,
    KOTA,
    alert_row,
    check_in,
    intents,
    only_these_need_staff,
    register,
    wib,
)

KEL2 = f"{KEC}.1002"  # Duri Kosambi, in the same kecamatan, never labelled
LURAH, LURAH2, CAMAT, WALIKOTA, OFFICER, OFFICER2, OFFICER3 = 101, 111, 102, 103, 201, 202, 203


def config(rules: str = DEFAULT_RULES) -> SweepConfig:
    return SweepConfig(timedelta(minutes=15), (timedelta(minutes=15), timedelta(minutes=30)),
                       parse_rules(rules, parse_duration))


async def label(db: Database, labels: str) -> None:
    await import_risks(db, parse_risk_csv(f"code,labels\n{KEL},{labels}\n"))


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(db_path)
    await only_these_need_staff(database, KEL, KEL2)
    for uid, code, role in ((LURAH, KEL, Role.SUPERVISOR), (LURAH2, KEL2, Role.SUPERVISOR),
                            (CAMAT, KEC, Role.SUPERVISOR), (WALIKOTA, KOTA, Role.SUPERVISOR),
                            (OFFICER, KEL, Role.OFFICER), (OFFICER2, KEL2, Role.OFFICER),
                            (OFFICER3, KEL, Role.OFFICER)):
        await register(database, uid, code, role)
    yield database
    await database.close()


async def test_a_border_desk_alerts_after_its_own_grace(db: Database) -> None:
    await label(db, "perbatasan")
    assert (await sweep(db, wib(8, 4), config())).opened == 0
    assert (await sweep(db, wib(8, 5), config())).opened == 1  # 5 min, not 15
    assert await alert_row(db, KEL) is not None
    assert await alert_row(db, KEL2) is None  # the unlabelled desk is still in its grace
    assert [chat for chat, *_ in await intents(db)] == [LURAH]
    assert (await sweep(db, wib(8, 14), config())).opened == 0
    assert (await sweep(db, wib(8, 15), config())).opened == 1  # now the other one
    assert await alert_row(db, KEL2) is not None


async def test_without_the_label_both_wait_the_grace(db: Database) -> None:
    assert (await sweep(db, wib(8, 5), config())).opened == 0
    assert (await sweep(db, wib(8, 15), config())).opened == 2


async def test_escalation_follows_the_label_steps(db: Database) -> None:
    await label(db, "perbatasan")  # steps 5m/10m: the camat 5 min on, the kota 10 more
    await sweep(db, wib(8, 5), config())
    assert (await sweep(db, wib(8, 9), config())).escalated == 0
    assert (await sweep(db, wib(8, 10), config())).escalated == 1
    assert [c for c, *_ in await intents(db)] == [LURAH, CAMAT]
    assert (await sweep(db, wib(8, 19), config())).escalated == 0
    await sweep(db, wib(8, 20), config())  # the border desk reaches the kota...
    chats = [c for c, *_ in await intents(db)]
    assert chats.count(WALIKOTA) == 1 and chats[:3] == [LURAH, CAMAT, LURAH2]
    border = await alert_row(db, KEL)
    assert border["step"] == 2 and border["next_escalation_at"] is None  # out of steps
    other = await alert_row(db, KEL2)  # ...while the other one, opened 08:15, waits to 08:30
    assert other["step"] == 0


FLOOD = "banjir:min_staff=2"


async def one_officer_at_each(db: Database) -> None:
    """KEL is a flood desk needing two; each desk has one officer from 07:55."""
    await label(db, "banjir")
    await check_in(db, OFFICER, KEL, wib(7, 55))
    await check_in(db, OFFICER2, KEL2, wib(7, 55))


async def test_a_label_raises_the_staff_needed(db: Database) -> None:
    await one_officer_at_each(db)
    assert (await sweep(db, wib(8, 14), config(FLOOD))).opened == 0
    assert (await sweep(db, wib(8, 15), config(FLOOD))).opened == 1  # one of two since 08:00
    assert await alert_row(db, KEL2) is None  # one is enough there
    await check_in(db, OFFICER3, KEL, wib(8, 20))
    assert (await sweep(db, wib(8, 21), config(FLOOD))).resolved == 1
    assert (await sweep(db, wib(9), config(FLOOD))).opened == 0


async def test_the_tightest_label_wins(db: Database) -> None:
    await label(db, "perbatasan;banjir")
    rules = "perbatasan:grace=5m;banjir:grace=10m,min_staff=2"
    await check_in(db, OFFICER, KEL, wib(7, 55))
    assert (await sweep(db, wib(8, 4), config(rules))).opened == 0
    # perbatasan's grace and banjir's staff: short since 08:00 with one of two, after 5 min
    assert (await sweep(db, wib(8, 5), config(rules))).opened == 1


async def test_relabelling_changes_the_next_sweep(db: Database) -> None:
    await label(db, "perbatasan")
    await label(db, "-")
    assert (await sweep(db, wib(8, 5), config())).opened == 0  # an ordinary desk again


async def test_an_alert_resolves_when_its_label_goes(db: Database) -> None:
    """The desk is short only by its label's staff: taking the label off resolves it."""
    await one_officer_at_each(db)
    assert (await sweep(db, wib(8, 15), config(FLOOD))).opened == 1
    assert (await sweep(db, wib(8, 20), config(FLOOD))).examined == 0  # nothing due
    await label(db, "-")
    report = await sweep(db, wib(8, 21), config(FLOOD))
    assert (report.examined, report.resolved) == (1, 1)
    assert (await alert_row(db, KEL))["resolution"] == "staffed"
