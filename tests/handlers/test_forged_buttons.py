"""Forged button data under a message where that button was never sent changes nothing.

A button that the bot only ever sends to one member in their private chat (registration,
"Masih bertugas?", language, the pledge, check-out, the /lapor draft, /undang, the pages of /rekap,
/laporan, /undangan and /anggota, a member's actions) edits the message it is pressed under.
Pressed under a routed report in a group, or under another member's message, it must be
answered as stale and edit nothing.
"""

from __future__ import annotations

import pytest

from bot import handlers
from bot.callbacks import (
    AlertsPage,
    BoardPage,
    CallbackData,
    Checkout,
    InviteDesk,
    InviteRevoke,
    InviteRole,
    InvitesPage,
    Language,
    MemberAction,
    MembersPage,
    PledgeAgree,
    Registration,
    ReportHandTo,
    ReportsPage,
    ReportStep,
    StillHere,
    TpsMove,
)
from bot.texts import t
from storage import members as members_store
from storage.models import Role
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.settings import ADMIN_ID

KEL = "31.73.01.1001"
STRANGER, OFFICER = 880, 881
FORGED: list[CallbackData] = [
    Registration(Registration.DECLINE), Registration("abc"), StillHere(1), Language("en"),
    Checkout(1, "y"), ReportStep(1, "cancel"), InviteRole(1, "o", 1), ReportsPage(0),
    BoardPage(0, 0), InvitesPage(0), InviteRevoke(1, "yes"), MembersPage(0),
    MemberAction(OFFICER, "ry", 0), AlertsPage(0), InviteDesk(1, 1),
    PledgeAgree("0123456789abcdef"), ReportHandTo(1, "bawaslu"),
    TpsMove(1), TpsMove(1, "genangan")]


def test_every_own_chat_kind_is_probed() -> None:
    own_chat = {b.kind for b in handlers.BUTTONS if b.own_chat}
    assert {type(button) for button in FORGED} == own_chat


@pytest.mark.parametrize("button", FORGED, ids=lambda b: b.pack())
@pytest.mark.parametrize("presser", [STRANGER, OFFICER, ADMIN_ID])
async def test_forged_press_under_a_group_message_edits_nothing(
        harness: Harness, button: CallbackData, presser: int) -> None:
    await harness.member(OFFICER, KEL, Role.OFFICER)
    group = u.group_chat(-100777, "Posko Cengkareng")
    calls = await harness.send(u.callback(u.user(presser), button.pack(), chat=group,
                                          message_id=42))
    assert [c.method for c in calls] == ["answerCallbackQuery"], calls
    assert calls[0].text == t("id", "button.stale")
    member = await members_store.get(harness.db, OFFICER)
    assert member is not None and member.language is None  # lang:en did not apply
    assert (await members_store.get_with_desk(harness.db, OFFICER))[0] is not None
    assert await harness.db.fetchval("SELECT count(*) FROM invites "
                                     "WHERE revoked_at IS NOT NULL") == 0


async def test_forged_press_under_another_members_message_edits_nothing(
        harness: Harness) -> None:
    """A callback claiming another user's private chat (only a forged client can send it)."""
    await harness.member(OFFICER, KEL, Role.OFFICER)
    someone_else = u.private_chat(u.user(OFFICER))
    calls = await harness.send(u.callback(u.user(STRANGER), Language("en").pack(),
                                          chat=someone_else))
    assert [c.method for c in calls] == ["answerCallbackQuery"], calls


async def test_a_real_press_in_the_own_chat_still_works(harness: Harness) -> None:
    await harness.member(OFFICER, KEL, Role.OFFICER)
    calls = await harness.send(u.callback(u.user(OFFICER), Language("en").pack()))
    assert "editMessageText" in [c.method for c in calls], calls
    member = await members_store.get(harness.db, OFFICER)
    assert member is not None and member.language == "en"
