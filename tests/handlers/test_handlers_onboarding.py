"""Registration, help, language and cancel through the real Application (recorded Bot API)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from storage import invites as invites_store
from storage import members as members_store
from storage.models import Role, utcnow
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.settings import ADMIN_ID

LURAH = "31.73.01.1001"  # Kel. Cengkareng Barat, Kec. Cengkareng, Jakarta Barat


async def _invite(h: Harness, code: str, role: Role = Role.OFFICER, uses: int = 1,
                  ttl: timedelta = timedelta(days=1)) -> str:
    from storage import desks as desks_store

    desk = await desks_store.by_code(h.db, code)
    assert desk is not None
    return await invites_store.create(h.db, desk.id, role, max_uses=uses, ttl=ttl,
                                      created_by=None, now=utcnow())


async def test_unknown_user_gets_one_polite_line(harness: Harness) -> None:
    stranger = u.user(501)
    for command in ("/start", "/status", "/checkin", "/bantuan", "/undang"):
        calls = await harness.send(u.text(stranger, command))
        assert [c.method for c in calls] == ["sendMessage"]
        assert "belum terdaftar" in calls[0].text
    assert await members_store.get(harness.db, 501) is None


async def test_invite_registration_flow(harness: Harness) -> None:
    token = await _invite(harness, LURAH)
    budi = u.user(777, "Budi", "Santoso")
    (confirm,) = await harness.send(u.text(budi, f"/start {token}"))
    assert "Petugas" in confirm.text and "Cengkareng Barat" in confirm.text
    assert "Budi Santoso" in confirm.text
    (yes, no) = confirm.buttons()
    assert yes[1] == f"reg:{token}" and no[1] == "reg:-"
    assert len(yes[1].encode()) <= 64
    assert await members_store.get(harness.db, 777) is None  # nothing before confirmation

    calls = await harness.send(u.callback(budi, yes[1]))
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    assert "Terdaftar sebagai <b>Petugas</b>" in calls[1].text
    member = await members_store.get(harness.db, 777)
    assert member is not None and member.role is Role.OFFICER

    # The same button again (double tap or redelivery) registers nobody twice.
    calls = await harness.send(u.callback(budi, yes[1]))
    assert "sudah habis dipakai" in calls[-1].text or "sudah terdaftar" in calls[-1].text
    count = await harness.db.fetchval("SELECT count(*) FROM members WHERE telegram_id = 777")
    assert count == 1


async def test_decline_saves_nothing(harness: Harness) -> None:
    token = await _invite(harness, LURAH)
    ani = u.user(778, "Ani")
    await harness.send(u.text(ani, f"/start {token}"))
    calls = await harness.send(u.callback(ani, "reg:-"))
    assert "dibatalkan" in calls[-1].text
    assert await members_store.get(harness.db, 778) is None
    uses = await harness.db.fetchval("SELECT uses FROM invites")
    assert uses == 0


async def test_bad_tokens_are_explained(harness: Harness) -> None:
    someone = u.user(779)
    (call,) = await harness.send(u.text(someone, "/start notarealtoken"))
    assert "tidak dikenal" in call.text
    expired = await _invite(harness, LURAH, ttl=timedelta(seconds=-1))
    (call,) = await harness.send(u.text(someone, f"/start {expired}"))
    assert "kedaluwarsa" in call.text
    used = await _invite(harness, LURAH)
    await harness.member(780, LURAH)  # uses another invite
    await invites_store.redeem(harness.db, used, telegram_id=781, full_name="X", username=None,
                               now=utcnow())
    (call,) = await harness.send(u.text(someone, f"/start {used}"))
    assert "habis dipakai" in call.text


async def test_admin_is_recognised_from_first_message(harness: Harness) -> None:
    admin = u.user(ADMIN_ID, "Sekretariat")
    (call,) = await harness.send(u.text(admin, "/start"))
    assert "admin" in call.text.lower()
    (call,) = await harness.send(u.text(admin, "/status"))
    assert "Seluruh wilayah" in call.text and "318 posko" in call.text


async def test_help_depends_on_role(harness: Harness) -> None:
    await harness.member(801, LURAH, Role.OFFICER)
    await harness.member(802, "31.73.01", Role.SUPERVISOR)
    (officer_help,) = await harness.send(u.text(u.user(801), "/bantuan"))
    (supervisor_help,) = await harness.send(u.text(u.user(802), "/help"))
    assert "/checkin" in officer_help.text and "/undang" not in officer_help.text
    assert "/undang" in supervisor_help.text and "/checkin" not in supervisor_help.text


async def test_language_switch_to_english(harness: Harness) -> None:
    await harness.member(803, LURAH)
    officer = u.user(803)
    (choose,) = await harness.send(u.text(officer, "/bahasa"))
    assert ("🇬🇧 English", "lang:en") in choose.buttons()
    calls = await harness.send(u.callback(officer, "lang:en"))
    assert calls[-1].text == "Language set to English."
    (status,) = await harness.send(u.text(officer, "/status"))
    assert "You are not on duty" in status.text
    calls = await harness.send(u.callback(officer, "lang:xx"))
    assert calls[-1].method == "answerCallbackQuery" and "no longer valid" in calls[-1].text


async def test_cancel_removes_keyboard(harness: Harness) -> None:
    await harness.member(804, LURAH)
    (call,) = await harness.send(u.text(u.user(804), "/batal"))
    assert "Dibatalkan" in call.text and call.markup == {"remove_keyboard": True}


async def test_odd_input_never_crashes(harness: Harness) -> None:
    await harness.member(805, LURAH)
    officer = u.user(805)
    (call,) = await harness.send(u.message(officer, sticker={
        "file_id": "s", "file_unique_id": "s", "type": "regular", "width": 512, "height": 512,
        "is_animated": False, "is_video": False}))
    assert "tidak mengerti" in call.text
    (call,) = await harness.send(u.text(officer, "\u202e\u200b" + "x" * 10_000))
    assert "tidak mengerti" in call.text
    original = u.text(officer, "/status")
    calls = await harness.send(u.edited_text(original, "/checkin"))
    assert calls == []  # edited commands are ignored
    (call,) = await harness.send(u.callback(officer, "garbage:∞"))
    assert call.method == "answerCallbackQuery" and "tidak berlaku" in call.text
    group = u.group_chat()
    assert await harness.send(u.message(officer, chat=group, text="halo")) == []
    (call,) = await harness.send(u.text(officer, "/status", chat=group))
    assert "percakapan pribadi" in call.text and "Cengkareng" not in call.text
    channel_post = {"update_id": 99_999, "channel_post": {
        "message_id": 1, "date": 0, "chat": {"id": -1001, "type": "channel", "title": "c"},
        "text": "/status"}}
    assert await harness.send(channel_post) == []


async def test_blocked_member_who_writes_again_is_reachable_again(harness: Harness) -> None:
    await harness.member(806, LURAH)
    from storage import outbox as outbox_store

    await outbox_store.deactivate_chat(harness.db, 806, "Forbidden: bot was blocked by the user",
                                       utcnow())
    member = await members_store.get(harness.db, 806)
    assert member is not None and not member.active
    (call,) = await harness.send(u.text(u.user(806), "/status"))
    assert "tidak sedang bertugas" in call.text
    member = await members_store.get(harness.db, 806)
    assert member is not None and member.active


async def test_the_command_menu_in_both_languages(harness: Harness) -> None:
    """Every command but /start, in the registry's order; English clients see the aliases."""
    def names(commands: Any) -> list[str]:
        listed = json.loads(commands) if isinstance(commands, str) else commands
        return [cmd["command"] if isinstance(cmd, dict) else cmd.command for cmd in listed]

    menus = {c.params.get("language_code"): names(c.params["commands"])
             for c in harness.request.calls if c.method == "setMyCommands"}
    assert menus == {
        None: ["checkin", "checkout", "status", "rekap", "lapor", "laporan", "ekspor",
               "rekapharian", "peringatan", "undang", "undangan", "anggota", "langganan",
               "bahasa", "batal", "bantuan"],
        "en": ["checkin", "checkout", "status", "board", "report", "incidents", "export",
               "digest", "alerts", "invite", "invites", "members", "subscribe", "language",
               "cancel", "help"]}


async def test_a_stranger_learns_their_telegram_id_for_the_admin_list(harness: Harness) -> None:
    (call,) = await harness.send(u.text(u.user(4242), "/start"))
    assert "belum terdaftar" in call.text and "ID Telegram Anda: <code>4242</code>" in call.text


@pytest.mark.parametrize(("code", "says"), [("en", "not registered"), ("en-GB", "not registered"),
                                            ("id", "belum terdaftar"), ("jv", "belum terdaftar")])
async def test_replies_start_in_the_language_of_the_command_menu(harness: Harness, code: str,
                                                                 says: str) -> None:
    # Telegram shows the English menu (/board, /alerts) to an app set to English: the replies
    # follow it until /bahasa picks a language.
    (call,) = await harness.send(u.text(u.user(4243, language_code=code), "/start"))
    assert says in call.text
    await harness.member(4244, "31.73.01.1001", Role.OFFICER)
    (call,) = await harness.send(u.text(u.user(4244, language_code=code), "/status"))
    english = code.startswith("en")
    assert ("You are not on duty" if english else "tidak sedang bertugas") in call.text, call.text
