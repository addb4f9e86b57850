"""Hostile and random updates through the real Application: bad input never crashes a handler
or the bot.

Hypothesis generates storms of updates of every kind — messages with and without a sender,
channel posts, edits, forged and stale buttons, huge texts, odd Unicode, markup and SQL in
text, absurd coordinates, forwards, venues, media, service messages, membership changes,
commands with random arguments and @suffixes — from unknown users, officers, supervisors and
the admin, in private chats, groups and supergroups. For every update:

- no handler raises (checked per update, and again by the harness at the end);
- a private message from a user always gets an answer in that chat and nowhere else; a button
  press gets exactly one answer; channel posts, edits, membership updates and group chatter
  get silence; a command in a group gets one line and never anybody's data;
- every text sent is valid Telegram HTML within Telegram's limits.

Before the random storms a fixed gauntlet runs every button prefix with every odd id and every
command with every odd argument, so the known-hostile cases are tried on every run.

After every storm the database holds nothing it should not (desks, members, shifts and
presence questions as seeded; alerts, reports, invites and subscriptions changed only by
someone allowed to), and a registered officer's /status still gets its normal answer.

The cast and the gauntlet (``tests/support/hostile_cases.py``), the strategies
(``hostile_updates.py``) and the checks (``hostile_checks.py``) are helpers; this module
seeds the bot and runs them. The gauntlet and the storms are one test on one bot, so the
storms start from the state the gauntlet left.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import post_init
from scheduler.presence import check_presence
from scheduler.sweep import sweep
from storage import desks as desks_store
from storage import drafts as drafts_store
from storage import incidents as incidents_store
from storage.drafts import Step
from storage.models import Role, utcnow
from tests.support.harness import Harness
from tests.support.hostile_cases import (
    CAMAT,
    GAMBIR,
    KOTA,
    OFFICER,
    OFFICER2,
    STRANGER,
    World,
    gauntlet,
)
from tests.support.hostile_checks import OFF_SHIFT, chat_of, check_answer, check_world, frozen
from tests.support.hostile_updates import updates
from tests.support.settings import ADMIN_ID
from tests.support.sweeping import CONFIG, KEC, KEL, PRESENCE, WIB, check_in, only_these_need_staff
from tests.support.telegram import Call

# --- the stage: the bot and its seeded world ----------------------------------------------

@dataclass(repr=False)
class Stage:
    """The bot with its world: the ids buttons aim at, what must not change, the desk's
    spot, and a tally of what the storms exercised."""

    h: Harness
    world: World
    before: dict[str, Any]
    spot: tuple[float, float]
    tally: Counter[str] = field(default_factory=Counter)

    def __repr__(self) -> str:  # Hypothesis prints a failing example's arguments
        return "Stage(...)"


async def seed(h: Harness) -> None:
    """Officer, camat, a camat elsewhere, an officer on shift with a pending presence
    question, an open alert on KEL and a report; the background sender stopped."""
    await h.stop_sender()
    db = h.db
    await only_these_need_staff(db, KEL)
    await h.set_desk(KEL, duty_hours="00:00-24:00")
    await h.member(OFFICER, KEL, Role.OFFICER)
    await h.member(OFFICER2, KEL, Role.OFFICER, name="Siti Aminah")
    await h.member(CAMAT, KEC, Role.SUPERVISOR, name="Bu Camat")
    await h.member(STRANGER, GAMBIR, Role.SUPERVISOR, name="Camat Gambir")
    moment = utcnow() + timedelta(minutes=20)
    if moment.astimezone(WIB).hour == 0 and moment.astimezone(WIB).minute < 20:
        moment += timedelta(minutes=20)  # today's window only just began
    assert (await sweep(db, moment, CONFIG)).opened == 1
    await check_in(db, OFFICER2, KEL, utcnow() - timedelta(hours=4))
    assert (await check_presence(db, utcnow(), PRESENCE)).asked == 1
    kel = await desks_store.by_code(db, KEL)
    assert kel is not None
    draft = await drafts_store.start_draft(db, OFFICER, kel.id, utcnow())
    await drafts_store.update_draft(db, draft.id, OFFICER, Step.CONFIRM, utcnow(),
                                    category="kamtib", severity="tinggi",
                                    description="Kericuhan kecil di dekat TPS 7.")
    _, incident = await incidents_store.submit(db, draft.id, OFFICER, [CAMAT], utcnow())
    assert incident is not None
    admin = {"id": ADMIN_ID, "is_bot": False, "first_name": "Admin"}
    await deliver(h, {"message": {  # the admin's member row is made on first contact
        "message_id": 1, "date": int(time.time()), "from": admin, "text": "halo",
        "chat": {"id": ADMIN_ID, "type": "private", "first_name": "Admin"}}})


async def world_of(h: Harness) -> World:
    db = h.db
    desks = tuple([int(await db.fetchval("SELECT id FROM desks WHERE code = ?", (code,)))
                   for code in (KEL, KEC, GAMBIR, KOTA)])
    return World(alert=int(await db.fetchval("SELECT min(id) FROM alerts")),
                 incident=int(await db.fetchval("SELECT min(id) FROM incidents")),
                 shift=int(await db.fetchval("SELECT min(id) FROM shifts")),
                 check=int(await db.fetchval("SELECT min(id) FROM presence_checks")),
                 desks=desks)


async def open_stage(db_path: Path) -> Stage:
    """The real Application on a copy of the Jakarta database, seeded."""
    h = Harness.build(db_path)
    await h.app.initialize()
    await post_init(h.app)
    await seed(h)
    kel = await desks_store.by_code(h.db, KEL)
    assert kel is not None and kel.latitude is not None and kel.longitude is not None
    assert abs(kel.latitude + 6.14) < 0.05 and abs(kel.longitude - 106.73) < 0.05
    return Stage(h, await world_of(h), await frozen(h), (kel.latitude, kel.longitude))


async def close_stage(stage: Stage) -> None:
    app = stage.h.app
    if app.post_shutdown:
        await app.post_shutdown(app)
    await app.shutdown()


_update_ids = itertools.count(1_000)


async def deliver(h: Harness, update: dict[str, Any]) -> list[Call]:
    """Send one generated update; fail at once, naming it, if a handler raised."""
    raised = len(h.errors)
    calls = await h.send({"update_id": next(_update_ids), **update})
    assert h.errors[raised:] == [], f"{h.errors[raised:]!r} for {json.dumps(update)[:2000]}"
    return calls


async def still_answers(h: Harness) -> None:
    """After a storm, a registered officer's /status gets its normal answer."""
    officer = {"id": OFFICER, "is_bot": False, "first_name": "Budi"}
    (status,) = await deliver(h, {"message": {
        "message_id": 1, "date": int(time.time()), "from": officer,
        "chat": {"id": OFFICER, "type": "private", "first_name": "Budi"}, "text": "/status",
        "entities": [{"type": "bot_command", "offset": 0, "length": 7}]}})
    assert status.method == "sendMessage" and chat_of(status) == OFFICER
    assert any(text in status.text for text in OFF_SHIFT), status.text
    assert "Cengkareng Barat" in status.text


async def storm(stage: Stage, updates_: list[dict[str, Any]], tally: Counter[str]) -> None:
    """One storm, then the checks of the whole world and of the bot still answering."""
    for update in updates_:
        tally[check_answer(update, await deliver(stage.h, update))] += 1
    await check_world(stage.h, stage.before)
    await still_answers(stage.h)


# --- the test ------------------------------------------------------------------------------

def test_hostile_updates_never_break_the_bot(db_path: Path) -> None:
    """Hypothesis draws storms; one event loop and one bot serve every example, so state
    (drafts, taken alerts, languages) carries from storm to storm like in production."""
    with asyncio.Runner() as runner:
        stage = runner.run(open_stage(db_path))

        @settings(max_examples=250, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                         HealthCheck.large_base_example])
        @given(data=st.data())
        def storms(data: st.DataObject) -> None:
            drawn = data.draw(st.lists(updates(stage.world, stage.spot), min_size=8,
                                       max_size=40), label="storm")
            runner.run(storm(stage, drawn, stage.tally))

        try:
            runner.run(storm(stage, gauntlet(stage.world), Counter()))
            storms()
        finally:
            runner.run(close_stage(stage))
    assert stage.h.errors == [], f"handlers raised: {stage.h.errors!r}"
    tally = stage.tally
    # The storms really exercised every path (about a third of what these 250 storms make).
    assert tally["private message from a member, answered"] >= 150, tally
    assert tally["private message from a stranger, answered"] >= 60, tally
    assert tally["button, answered once"] >= 300, tally
    assert tally["group command, one line"] >= 30, tally
    assert tally["silence"] >= 500, tally
