"""One user's flood must not stall everyone: long polling with a round trip to Telegram, a
stranger's hundreds of messages, and the guard against repeated texts and unknown users
(``bot.updates.polling``, ``bot.updates.lanes``, ``bot.handlers.throttle``)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.updates import polling
from storage import desks as desks_store
from storage import invites as invites_store
from storage import members as members_store
from storage import meta
from storage.models import Desk, Role, utcnow
from storage.sqlite.engine import Database
from tests.support import updates as u
from tests.support.botapi_stub import StubBotAPI
from tests.support.harness import Harness
from tests.support.polling import running
from tests.support.sweeping import desk, register
from tests.support.waiting import until

KEL = "31.73.01.1001"
STRANGER, OFFICER, INVITEE, CHATTY = 7301, 7302, 7303, 7304
UNKNOWN = "belum terdaftar"


@pytest.fixture
async def stub(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[StubBotAPI]:
    monkeypatch.setattr(polling, "POLL_TIMEOUT", 0.2)  # empty answers come quickly
    async with StubBotAPI() as api:
        api.latency = 0.1  # every Bot API call takes a round trip of 100 ms
        yield api


async def officers(db_path: Path, *user_ids: int) -> Desk:
    """Officers at KEL, on duty all day; KEL."""
    db = await Database.open(db_path)
    try:
        async with db.transaction() as tx:
            await tx.execute("UPDATE desks SET duty_hours = '00:00-24:00' WHERE code = ?",
                             (KEL,))
        for user_id in user_ids:
            await register(db, user_id, KEL, Role.OFFICER)
        return await desk(db, KEL)
    finally:
        await db.close()


async def test_a_strangers_flood_does_not_hold_up_an_officer(stub: StubBotAPI,
                                                             db_path: Path) -> None:
    """300 ``/start x`` from a stranger, then an officer's /status and check-in: the officer
    is answered within seconds (behind the whole flood it would take 300 round trips, 30 s);
    the stranger once; every update is confirmed and the last one recorded as handled."""
    spot = await officers(db_path, OFFICER)
    assert spot.latitude is not None and spot.longitude is not None
    stranger, officer = stub.user(STRANGER, "Orang"), stub.user(OFFICER, "Budi")
    for _ in range(300):
        stranger.send_text("/start x")
    officer.send_text("/status")
    started = time.monotonic()
    async with running(stub, db_path):
        await stub.wait_for_message(OFFICER, timeout=10)
        officer.send_location(spot.latitude, spot.longitude)
        await stub.wait_for_message(OFFICER, contains="Check-in tercatat", after=1, timeout=10)
        for n in range(30):  # and a flood of different texts, beyond the chat's backlog
            stranger.send_text(f"halo {n}")
        last = officer.send_text("/status")
        await stub.wait_for_message(OFFICER, after=2, timeout=10)
        await until(lambda: stub.pending_updates() == 0)
    minutes = (time.monotonic() - started) // 60
    assert len(stub.sent(STRANGER)) <= 1 + minutes
    assert stub.pending_updates() == 0
    db = await Database.open(db_path)
    try:
        assert await meta.get(db, "last_update_id") == str(last)
    finally:
        await db.close()


async def test_a_members_flood_holds_up_only_their_own_chat(stub: StubBotAPI,
                                                           db_path: Path) -> None:
    """A member sends 300 different texts, each of which would be answered: their chat keeps a
    bounded backlog, the rest is dropped and they are told so once; another officer's /status
    is answered within seconds, not after the 300 answers' round trips (30 s)."""
    await officers(db_path, OFFICER, CHATTY)
    chatty, officer = stub.user(CHATTY, "Ramai"), stub.user(OFFICER, "Budi")
    for n in range(300):
        chatty.send_text(f"pesan {n}")
    officer.send_text("/status")
    async with running(stub, db_path):
        await stub.wait_for_message(OFFICER, timeout=10)
        await until(lambda: stub.pending_updates() == 0)
    told = [m for m in stub.sent(CHATTY) if "Terlalu banyak pesan" in (m.text or "")]
    assert len(told) == 1
    assert len(stub.sent(CHATTY)) < 100  # most of the flood was dropped unanswered


# --- the guard, on the real application -----------------------------------------------------

async def test_an_unknown_user_is_answered_once_a_minute(harness: Harness) -> None:
    harness.pace = 0  # a flood: no time passes between the updates
    stranger = u.user(STRANGER)
    answers = [await harness.send(u.text(stranger, text))
               for text in ("halo", "/status", "tolong", "/start", "/bantuan")]
    assert [len(calls) for calls in answers] == [1, 0, 0, 0, 0]
    harness.elapsed += 61
    (again,) = await harness.send(u.text(stranger, "halo lagi"))
    assert UNKNOWN in again.text


async def test_an_invite_registers_on_the_first_try_after_a_flood(harness: Harness) -> None:
    """``/start <token>`` always reaches the invite lookup: a wrong token within the minute is
    not answered, a valid one is offered and registers, and so is a new one after that."""
    harness.pace = 0
    db = harness.db
    kel = await desks_store.by_code(db, KEL)
    assert kel is not None
    invitee = u.user(INVITEE)
    for n in range(30):
        await harness.send(u.text(invitee, f"/start x{n % 3}"))
    assert len([c for c in harness.request.calls if c.method == "sendMessage"]) == 1
    assert await harness.send(u.text(invitee, "/start bukan-token")) == []
    token = await invites_store.create(db, kel.id, Role.OFFICER, max_uses=1,
                                       ttl=timedelta(days=1), created_by=None, now=utcnow())
    (offer,) = await harness.send(u.text(invitee, f"/start {token}"))
    assert "Daftar" in str(offer.params.get("reply_markup")), offer
    (answer, edit) = await harness.send(u.callback(invitee, f"reg:{token}"))
    assert answer.method == "answerCallbackQuery" and edit.method == "editMessageText"
    member = await members_store.get(db, INVITEE)
    assert member is not None and member.role is Role.OFFICER


async def test_a_repeated_text_is_dropped_but_nothing_new_is(harness: Harness) -> None:
    harness.pace = 0
    officer = u.user(OFFICER)
    await harness.set_desk(KEL, duty_hours="00:00-24:00")
    kel = await harness.member(OFFICER, KEL, Role.OFFICER)
    assert kel.latitude is not None and kel.longitude is not None
    assert len(await harness.send(u.text(officer, "/status"))) == 1
    assert await harness.send(u.text(officer, "/status")) == []  # a double send
    assert await harness.send(u.text(officer, "/status")) == []
    # The same text in another chat is another message.
    group = u.group_chat()
    assert len(await harness.send(u.text(officer, "/status", chat=group))) == 1
    # Locations are never repeats, not even the same spot twice.
    here = (kel.latitude, kel.longitude)
    assert "Check-in tercatat" in (await harness.send(u.location(officer, *here)))[-1].text
    assert len(await harness.send(u.location(officer, *here))) == 1
    # After something else, the same text again is no repeat.
    assert len(await harness.send(u.text(officer, "/status"))) == 1
    harness.elapsed += 5  # nor after the window
    assert len(await harness.send(u.text(officer, "/status"))) == 1
