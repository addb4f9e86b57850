"""``/anggota`` and ``/undangan`` through the real Application: a supervisor lists, moves,
re-roles and removes the members below them and revokes open invites; the member is told
through the outbox; nobody acts on themselves, a peer, someone above or outside their scope,
and stale or forged presses change nothing."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from bot.callbacks import InviteRevoke, MemberAction, MemberActionKey
from bot.texts import t
from storage import desks as desks_store
from storage import invites as invites_store
from storage import members as members_store
from storage.models import Role, utcnow
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.reports import fresh_sender
from tests.support.settings import ADMIN_ID
from tests.support.sweeping import check_in
from tests.support.telegram import Call, answer, only, sends

KOTA, KEC, KEL, KEL2, GAMBIR = "31.73", "31.73.01", "31.73.01.1001", "31.73.01.1002", "31.71.01"
WALIKOTA, CAMAT, CAMAT2, LURAH, OFFICER, OTHER_CAMAT = 701, 702, 703, 704, 705, 706


def say(key: str, **values: object) -> str:
    return t("id", key, **values)


async def desk_id(h: Harness, code: str) -> int:
    desk = await desks_store.by_code(h.db, code)
    assert desk is not None
    return desk.id


async def team(h: Harness) -> None:
    await h.member(WALIKOTA, KOTA, Role.SUPERVISOR, name="Pak Wali")
    await h.member(CAMAT, KEC, Role.SUPERVISOR, name="Pak Camat")
    await h.member(CAMAT2, KEC, Role.SUPERVISOR, name="Bu Sekcam")
    await h.member(LURAH, KEL, Role.SUPERVISOR, name="Pak Lurah")
    await h.member(OFFICER, KEL, Role.OFFICER, name="Siti Petugas")
    await h.member(OTHER_CAMAT, GAMBIR, Role.SUPERVISOR, name="Camat Gambir")


def press(who: int, member: int, action: MemberActionKey, arg: int = 0) -> dict[str, Any]:
    return u.callback(u.user(who), MemberAction(member, action, arg).pack())


async def member_state(h: Harness) -> list[tuple[object, ...]]:
    rows = await h.db.fetchall("SELECT telegram_id, desk_id, role, active, removed_at "
                               "FROM members ORDER BY telegram_id")
    return [tuple(r) for r in rows]


async def told(h: Harness, who: int) -> list[str]:
    """What the sender delivers to ``who`` from the outbox now."""
    before = len(h.request.calls)
    await fresh_sender(h).drain(timeout=30)
    return [c.text for c in only(h.request.calls[before:], "sendMessage")
            if int(c.params["chat_id"]) == who]


def edited(calls: list[Call]) -> Call:
    (edit,) = only(calls, "editMessageText")
    return edit


async def test_the_list_shows_the_scope_and_opens_a_member(harness: Harness) -> None:
    await team(harness)
    await check_in(harness.db, OFFICER, KEL, utcnow())
    (listing,) = await harness.send(u.text(u.user(CAMAT), "/anggota"))
    assert "👥 <b>Anggota di Cengkareng: 4</b>" in listing.text
    assert "Siti Petugas</b> — Petugas, Cengkareng Barat (31.73.01.1001) · 🟢 bertugas" \
        in listing.text
    assert "Pak Wali" not in listing.text and "Camat Gambir" not in listing.text
    picks = dict(listing.buttons())
    assert all(len(data.encode()) <= 64 for data in picks.values())
    calls = await harness.send(u.callback(u.user(CAMAT), picks["4. Siti Petugas"]))
    card = edited(calls)
    assert "👤 <b>Siti Petugas</b>" in card.text and "Sedang bertugas" in card.text
    labels = [label for label, _ in card.buttons()]
    assert labels == ["🔀 Pindahkan", "⬆️ Jadikan pengawas", "🗑 Hapus", "‹ Daftar anggota"]
    (english,) = await harness.send(u.text(u.user(ADMIN_ID), "/members"))
    assert "Pak Wali" in english.text and "Camat Gambir" in english.text


async def test_demoting_a_lurah_takes_supervisor_rights_and_tells_him(
        harness: Harness) -> None:
    await team(harness)
    await harness.stop_sender()
    calls = await harness.send(press(CAMAT, LURAH, "dm"))
    assert answer(calls).params.get("text") is None
    assert edited(calls).text == say("members.role_set", name="Pak Lurah", role="Petugas",
                                     desk="Cengkareng Barat")
    (refused,) = await harness.send(u.text(u.user(LURAH), "/rekap"))
    assert refused.text == say("supervisors_only")
    kel = await desk_id(harness, KEL)
    assert await members_store.supervisors_of(harness.db, [kel]) == {}
    assert await told(harness, LURAH) == [
        say("member.notice.role", role="Petugas", desk="Cengkareng Barat")]


async def test_removing_an_officer_on_duty_asks_first_and_tells_her(harness: Harness) -> None:
    await team(harness)
    await harness.stop_sender()
    shift = await check_in(harness.db, OFFICER, KEL, utcnow())
    before = await member_state(harness)
    question = edited(await harness.send(press(CAMAT, OFFICER, "rm")))
    assert "Hapus <b>Siti Petugas</b>" in question.text
    assert say("members.confirm_on_duty", name="Siti Petugas", desk="Cengkareng Barat") \
        in question.text
    assert await member_state(harness) == before  # asking changes nothing
    done = edited(await harness.send(press(CAMAT, OFFICER, "ry")))
    assert done.text == say("members.removed", name="Siti Petugas", desk="Cengkareng Barat")
    reason = await harness.db.fetchval("SELECT end_reason FROM shifts WHERE id = ?", (shift,))
    assert reason == "admin"
    notice = await told(harness, OFFICER)
    assert len(notice) == 1 and "Anda tidak lagi terdaftar sebagai Petugas" in notice[0]
    assert "Tugas Anda di <b>Cengkareng Barat</b> diakhiri pukul" in notice[0]
    # She is unknown from now on, and the same press again is stale, not a second removal.
    (unknown,) = await harness.send(u.text(u.user(OFFICER), "/status"))
    assert unknown.text == say("unknown_user", id=OFFICER)
    again = await harness.send(press(CAMAT, OFFICER, "ry"))
    assert answer(again).text == say("members.gone") and sends(again) == []
    assert await told(harness, OFFICER) == []


async def test_moving_an_officer_by_the_desk_buttons(harness: Harness) -> None:
    await team(harness)
    kel2 = await desk_id(harness, KEL2)
    picker = edited(await harness.send(press(CAMAT, OFFICER, "mv")))
    assert "Pindahkan <b>Siti Petugas</b> dari Cengkareng Barat" in picker.text
    desks = dict(picker.buttons())
    assert "Cengkareng Barat" not in desks and "Cengkareng" in desks  # not where she is
    assert desks["Duri Kosambi"] == MemberAction(OFFICER, "to", kel2).pack()
    done = edited(await harness.send(press(CAMAT, OFFICER, "to", kel2)))
    assert done.text == say("members.moved", name="Siti Petugas", desk="Duri Kosambi")
    member = await members_store.get(harness.db, OFFICER)
    assert member is not None and member.desk_id == kel2


async def test_moving_an_officer_on_duty_needs_confirmation(harness: Harness) -> None:
    await team(harness)
    await check_in(harness.db, OFFICER, KEL, utcnow())
    kel2 = await desk_id(harness, KEL2)
    before = await member_state(harness)
    question = edited(await harness.send(press(CAMAT, OFFICER, "to", kel2)))
    assert "sedang bertugas" in question.text
    assert ("✅ Ya, pindahkan", MemberAction(OFFICER, "ty", kel2).pack()) in question.buttons()
    assert await member_state(harness) == before
    edited(await harness.send(press(CAMAT, OFFICER, "ty", kel2)))
    member = await members_store.get(harness.db, OFFICER)
    assert member is not None and member.desk_id == kel2
    assert await harness.db.fetchval("SELECT count(*) FROM shifts WHERE ended_at IS NULL") == 0


async def test_nobody_acts_on_themselves_a_peer_or_above(harness: Harness) -> None:
    await team(harness)
    gambir_kel = await desk_id(harness, "31.71.01.1001")
    before = await member_state(harness)
    cases: list[tuple[int, int, MemberActionKey, int, str]] = [
        (CAMAT, CAMAT, "rm", 0, say("members.self")),
        (CAMAT, CAMAT2, "ry", 0, say("members.not_below", name="Bu Sekcam")),  # a peer
        (CAMAT, WALIKOTA, "dm", 0, say("out_of_scope", code=KOTA)),  # above
        (LURAH, CAMAT, "ry", 0, say("out_of_scope", code=KEC)),  # the lurah and his camat
        (CAMAT, OTHER_CAMAT, "ry", 0, say("out_of_scope", code=GAMBIR)),  # elsewhere
        (CAMAT, OFFICER, "to", gambir_kel, say("out_of_scope", code="31.71.01.1001")),
        (OFFICER, LURAH, "dm", 0, say("supervisors_only")),
        (CAMAT, ADMIN_ID, "ry", 0, say("members.gone")),
        (CAMAT, 999_999, "ry", 0, say("members.gone")),  # never a member
    ]
    for presser, member, action, arg, why in cases:
        calls = await harness.send(press(presser, member, action, arg))
        assert answer(calls).text == why, (presser, member, action)
        assert sends(calls) == [], calls
    (stranger,) = only(await harness.send(press(999, OFFICER, "ry")), "answerCallbackQuery")
    assert stranger.text == say("button.stale")
    assert await member_state(harness) == before
    assert await harness.db.fetchval("SELECT count(*) FROM outbox") == 0
    # The kota's supervisor manages the camat; an admin manages everyone.
    assert "Bu Sekcam" in edited(await harness.send(press(WALIKOTA, CAMAT2, "dm"))).text
    assert "Pak Wali" in edited(await harness.send(press(ADMIN_ID, WALIKOTA, "rm"))).text


async def test_revoking_an_open_invite(harness: Harness) -> None:
    await team(harness)
    camat, lurah = u.user(CAMAT), u.user(LURAH)
    (choose,) = await harness.send(u.text(lurah, "/undang 500"))
    made = await harness.send(u.callback(lurah, dict(choose.buttons())["Petugas"]))
    token = re.search(r"start=([\w-]+)", edited(made).text)
    assert token is not None
    (listing,) = await harness.send(u.text(camat, "/undangan"))
    assert "✉️ <b>Undangan yang masih berlaku di Cengkareng: 1</b>" in listing.text
    assert "sisa 500 dari 500" in listing.text and "dibuat oleh Pak Lurah" in listing.text
    ((_, ask),) = [b for b in listing.buttons() if b[0].startswith("🚫")]
    question = edited(await harness.send(u.callback(camat, ask)))
    assert "Cabut undangan Petugas untuk <b>Cengkareng Barat</b>" in question.text
    assert await harness.db.fetchval("SELECT revoked_at FROM invites WHERE uses = 0") is None
    yes = dict(question.buttons())["✅ Ya, cabut"]
    done = edited(await harness.send(u.callback(camat, yes)))
    assert "dicabut" in done.text
    (refused,) = await harness.send(u.text(u.user(900), f"/start {token[1]}"))
    assert refused.text == say("invite.revoked")
    again = await harness.send(u.callback(lurah, yes))
    assert answer(again).text == say("invites.already_revoked") and sends(again) == []
    (empty,) = await harness.send(u.text(camat, "/undangan"))
    assert say("invites.none") in empty.text


async def test_only_the_maker_or_someone_above_revokes(harness: Harness) -> None:
    await team(harness)
    await harness.member(LURAH + 100, KEL, Role.SUPERVISOR, name="Wakil Lurah")
    kec, kel = await desk_id(harness, KEC), await desk_id(harness, KEL)
    now, ttl = utcnow(), timedelta(days=1)
    by_camat = await invites_store.create(harness.db, kel, Role.OFFICER, max_uses=5, ttl=ttl,
                                          created_by=CAMAT, now=now)
    at_kec = await invites_store.create(harness.db, kec, Role.OFFICER, max_uses=5, ttl=ttl,
                                        created_by=CAMAT, now=now)
    by_lurah = await invites_store.create(harness.db, kel, Role.OFFICER, max_uses=5, ttl=ttl,
                                          created_by=LURAH, now=now)
    ids = {}
    for name, token in (("camat", by_camat), ("kec", at_kec), ("lurah", by_lurah)):
        found = await invites_store.find(harness.db, token)
        assert found is not None
        ids[name] = found.id
    cases = [
        (LURAH, "camat", say("invites.not_yours")),  # made by his camat
        (LURAH, "kec", say("out_of_scope", code=KEC)),
        (LURAH + 100, "lurah", say("invites.not_yours")),  # a peer's
        (OTHER_CAMAT, "lurah", say("out_of_scope", code=KEL)),
        (OFFICER, "lurah", say("supervisors_only")),
    ]
    for presser, name, why in cases:
        calls = await harness.send(u.callback(u.user(presser),
                                              InviteRevoke(ids[name], "yes").pack()))
        assert answer(calls).text == why, (presser, name)
    assert await harness.db.fetchval("SELECT count(*) FROM invites "
                                     "WHERE revoked_at IS NOT NULL") == 0
    (listing,) = await harness.send(u.text(u.user(LURAH), "/undangan"))
    assert [b for b in listing.buttons() if b[0].startswith("🚫")] == [
        ("🚫 1", InviteRevoke(ids["lurah"], "ask").pack())]  # his own only
    for presser, name in ((LURAH, "lurah"), (CAMAT, "camat")):
        calls = await harness.send(u.callback(u.user(presser),
                                              InviteRevoke(ids[name], "yes").pack()))
        assert "dicabut" in edited(calls).text


async def test_a_removed_member_is_invited_again(harness: Harness) -> None:
    await team(harness)
    edited(await harness.send(press(CAMAT, OFFICER, "ry")))
    token = await invites_store.create(harness.db, await desk_id(harness, KEL2), Role.OFFICER,
                                       max_uses=1, ttl=timedelta(days=1), created_by=CAMAT,
                                       now=utcnow())
    officer = u.user(OFFICER)
    (offer,) = await harness.send(u.text(officer, f"/start {token}"))
    calls = await harness.send(u.callback(officer, dict(offer.buttons())["✅ Daftar"]))
    assert edited(calls).text == say("invite.registered", role="Petugas",
                                     desk="Duri Kosambi")
    (status,) = await harness.send(u.text(officer, "/status"))
    assert "Duri Kosambi" in status.text
