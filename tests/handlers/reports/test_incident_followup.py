"""Following reports up through the real Application: *Tangani*, *Selesai* with its closing
note, who may act, and groups."""

from __future__ import annotations

import pytest

from storage import desks as desks_store
from storage import incidents as incidents_store
from storage import subscriptions as subscriptions_store
from storage.incidents import Incident
from storage.models import utcnow
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.reports import (
    CAMAT,
    KEC,
    KEL,
    LURAH,
    LURAH2,
    NOTE,
    OFFICER,
    OFFICER2,
    PUSAT,
    STICKER,
    STRANGER,
    WALIKOTA,
    finish,
    fresh_sender,
    hand_off,
    outbox,
    press,
    report,
    say,
    take,
)
from tests.support.settings import ADMIN_ID
from tests.support.telegram import answer, sends

GROUP, OTHER_GROUP = -100777, -100888


async def state(h: Harness, incident: Incident) -> Incident:
    found = await incidents_store.get(h.db, incident.id)
    assert found is not None
    return found


async def statuses(h: Harness, incident: Incident) -> list[tuple[str, int | None, str | None]]:
    return [(s, who, note) for _, who, s, note in await incidents_store.history(h.db,
                                                                               incident.id)]


async def pending_note(h: Harness, who: int) -> int | None:
    return await incidents_store.pending_note(h.db, who)


# --- Tangani ------------------------------------------------------------------------------

async def test_tangani_by_the_camat(h: Harness) -> None:
    incident = await report(h)
    calls = await press(h, CAMAT, take(incident))
    assert answer(calls).text == f"Anda menangani {incident.ref}."
    assert sends(calls) == []  # everything else goes through the outbox
    taken = await state(h, incident)
    assert (taken.status, taken.handler_id) == ("ditangani", CAMAT)
    assert await statuses(h, incident) == [("baru", OFFICER, None), ("ditangani", CAMAT, None)]
    routed = await h.db.fetchall(
        "SELECT id, chat_id FROM outbox WHERE kind = 'incident' ORDER BY id")
    assert sorted((c, p["target"]) for c, _, p in await outbox(h, "incident_update")) == \
        sorted((r["chat_id"], r["id"]) for r in routed)
    assert await outbox(h, "incident_status") == [
        (OFFICER, "incident_status",
         {"incident": incident.id, "status": "ditangani", "agency": None})]
    # The lurah comes second: told who has it, nothing changes.
    rows = len(await outbox(h))
    calls = await press(h, LURAH, take(incident))
    assert answer(calls).text == f"{incident.ref} sudah ditangani oleh Bu Camat."
    assert (await state(h, incident)).handler_id == CAMAT
    assert len(await outbox(h)) == rows


async def test_every_recipient_and_the_reporter_see_each_change(h: Harness) -> None:
    incident = await report(h, severity="kritis")
    sender = fresh_sender(h)
    before = len(h.request.calls)
    assert await sender.drain(timeout=5) == 3
    first = {int(c.params["chat_id"]): c for c in h.request.calls[before:]}
    assert set(first) == {LURAH, CAMAT, WALIKOTA}
    assert [d for _, d in first[WALIKOTA].buttons()] == [take(incident), finish(incident),
                                                         hand_off(incident)]
    assert "🆕 Belum ditangani" in first[WALIKOTA].text
    sent_ids = {(int(r[0]), int(r[1])) for r in await h.db.fetchall(
        "SELECT chat_id, message_id FROM outbox WHERE kind = 'incident'")}

    await press(h, CAMAT, take(incident))
    before = len(h.request.calls)
    assert await sender.drain(timeout=5) == 4
    out = h.request.calls[before:]
    edits = [c for c in out if c.method == "editMessageText"]
    assert {(int(c.params["chat_id"]), int(c.params["message_id"])) for c in edits} == \
        sent_ids
    for edit in edits:
        assert "🛠 Ditangani oleh Bu Camat" in edit.text and incident.ref in edit.text
        assert [d for _, d in edit.buttons()] == [finish(incident), hand_off(incident)]
    (told,) = [c for c in out if c.method == "sendMessage"]
    assert int(told.params["chat_id"]) == OFFICER
    assert told.text == f"🛠 Laporan <b>{incident.ref}</b> sedang ditangani oleh Bu Camat."

    await press(h, CAMAT, finish(incident))
    await say(h, CAMAT, "Massa bubar & TPS <aman>")
    before = len(h.request.calls)
    assert await sender.drain(timeout=5) == 4
    out = h.request.calls[before:]
    edits = [c for c in out if c.method == "editMessageText"]
    assert len(edits) == 3
    for edit in edits:
        assert "✅ Selesai (Bu Camat): Massa bubar &amp; TPS &lt;aman&gt;" in edit.text
        assert edit.buttons() == []
    (told,) = [c for c in out if c.method == "sendMessage"]
    assert int(told.params["chat_id"]) == OFFICER
    assert f"Laporan <b>{incident.ref}</b> selesai ditangani oleh Bu Camat" in told.text
    assert "Catatan: Massa bubar &amp; TPS &lt;aman&gt;" in told.text


# --- Selesai and the closing note ---------------------------------------------------------

async def test_selesai_asks_for_a_note_and_closes(h: Harness) -> None:
    incident = await report(h)
    await press(h, CAMAT, take(incident))
    calls = await press(h, CAMAT, finish(incident))
    # Pressed in the private chat: the question comes right below, no toast pointing there.
    assert not answer(calls).text
    (ask,) = sends(calls)
    assert int(ask.params["chat_id"]) == CAMAT
    assert f"catatan penutup untuk <b>{incident.ref}</b>" in ask.text
    assert await pending_note(h, CAMAT) == incident.id
    camat = u.user(CAMAT, "Bu", "Camat")
    for update in (u.message(camat, sticker=STICKER), u.text(camat, " ok "),
                   u.text(camat, "x" * 1001), u.message(camat, photo=[
                       {"file_id": "p", "file_unique_id": "p", "width": 9, "height": 9}])):
        (refused,) = await h.send(update)
        assert refused.text == "Panjang catatan penutup harus 3–1000 karakter."
    assert (await state(h, incident)).status == "ditangani"
    assert await pending_note(h, CAMAT) == incident.id

    (done,) = await h.send(u.text(camat, f"  {NOTE}  "))
    assert done.text == f"✅ {incident.ref} ditutup. Pelapor akan diberi tahu."
    closed = await state(h, incident)
    assert (closed.status, closed.closing_note, closed.handler_id) == ("selesai", NOTE, CAMAT)
    assert await statuses(h, incident) == [("baru", OFFICER, None), ("ditangani", CAMAT, None),
                                           ("selesai", CAMAT, NOTE)]
    assert [p["status"] for _, _, p in await outbox(h, "incident_status")] == \
        ["ditangani", "selesai"]
    assert {c for c, _, _ in await outbox(h, "incident_status")} == {OFFICER}
    assert await pending_note(h, CAMAT) is None
    # The note was consumed once: the next message is ordinary again.
    (fallback,) = await h.send(u.text(camat, "terima kasih semua"))
    assert "tidak mengerti" in fallback.text
    # Buttons of the closed report only say so.
    for data in (take(incident), finish(incident)):
        calls = await press(h, LURAH, data)
        assert answer(calls).text == f"{incident.ref} sudah selesai."
        assert sends(calls) == []
    assert await pending_note(h, LURAH) is None


async def test_selesai_without_tangani_records_who_closed_it(h: Harness) -> None:
    incident = await report(h)
    await press(h, LURAH, finish(incident))
    await say(h, LURAH, "Sudah dicek, hanya salah paham.")
    closed = await state(h, incident)
    assert (closed.status, closed.handler_id) == ("selesai", LURAH)
    assert [s for s, _, _ in await statuses(h, incident)] == ["baru", "selesai"]


async def test_batal_drops_a_pending_note(h: Harness) -> None:
    incident = await report(h)
    await press(h, CAMAT, finish(incident))
    (done,) = await say(h, CAMAT, "/batal")
    assert "Dibatalkan" in done.text
    assert await pending_note(h, CAMAT) is None
    (fallback,) = await say(h, CAMAT, NOTE)
    assert "tidak mengerti" in fallback.text
    assert (await state(h, incident)).status == "baru"
    assert await outbox(h, "incident_status") == []


async def test_a_pending_note_wins_over_a_draft(h: Harness) -> None:
    incident = await report(h)
    await say(h, CAMAT, "/lapor")  # the camat starts a report of their own …
    await press(h, CAMAT, finish(incident))  # … and is asked for a note meanwhile
    await say(h, CAMAT, NOTE)
    assert (await state(h, incident)).closing_note == NOTE
    # The draft is still there and takes the next message.
    draft = await h.db.fetchone("SELECT step FROM incident_drafts WHERE member_id = ?",
                                (CAMAT,))
    assert draft is not None and draft["step"] == "category"


@pytest.mark.parametrize("change", [
    "UPDATE members SET role = 'officer' WHERE telegram_id = ?",  # demoted
    "UPDATE members SET desk_id = (SELECT desk_id FROM members WHERE telegram_id = "
    f"{STRANGER}) WHERE telegram_id = ?",  # moved to another kecamatan
], ids=["demoted", "moved"])
async def test_a_supervisor_demoted_or_moved_meanwhile_no_longer_closes(h: Harness,
                                                                        change: str) -> None:
    incident = await report(h)
    await press(h, CAMAT, finish(incident))
    assert await pending_note(h, CAMAT) == incident.id
    async with h.db.transaction() as tx:
        await tx.execute(change, (CAMAT,))
    (fallback,) = await say(h, CAMAT, NOTE)
    assert "tidak mengerti" in fallback.text
    assert (await state(h, incident)).status == "baru"
    assert await outbox(h, "incident_status") == []


# --- who may act --------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "refusal"), [
    (OFFICER, "Perintah ini untuk pengawas dan admin."),  # even the reporter
    (OFFICER2, "Perintah ini untuk pengawas dan admin."),
    (STRANGER, f"Posko {KEL} tidak berada dalam wilayah Anda."),  # another kecamatan
    (LURAH2, f"Posko {KEL} tidak berada dalam wilayah Anda."),  # the next kelurahan
    (4242, "Perintah ini untuk pengawas dan admin."),  # not registered at all
])
async def test_only_supervisors_of_the_scope_may_act(h: Harness, who: int,
                                                     refusal: str) -> None:
    incident = await report(h)
    rows = len(await outbox(h))
    for data in (take(incident), finish(incident)):
        calls = await press(h, who, data)
        assert answer(calls).text == refusal
        assert answer(calls).params.get("show_alert") is True
        assert sends(calls) == []
    assert (await state(h, incident)).status == "baru"
    assert await pending_note(h, who) is None
    assert len(await outbox(h)) == rows


@pytest.mark.parametrize("data", ["inc:t:abc", "inc:t:999999", "inc:t:", "inc:f:-1",
                                  "inc:f:" + "9" * 40])
async def test_garbage_follow_up_buttons(h: Harness, data: str) -> None:
    await report(h)
    calls = await press(h, CAMAT, data)
    assert answer(calls).text == "Tombol ini sudah tidak berlaku."
    assert sends(calls) == []
    assert await h.db.fetchval("SELECT count(*) FROM incidents WHERE status != 'baru'") == 0


async def test_an_admin_may_act_anywhere(h: Harness) -> None:
    incident = await report(h)
    calls = await press(h, ADMIN_ID, take(incident))
    assert answer(calls).text == f"Anda menangani {incident.ref}."
    assert (await state(h, incident)).handler_id == ADMIN_ID


# --- groups -------------------------------------------------------------------------------

async def test_a_group_sees_its_scope_and_its_buttons_check_the_presser(h: Harness) -> None:
    for chat, code in ((GROUP, KEC), (OTHER_GROUP, PUSAT)):
        desk = await desks_store.by_code(h.db, code)
        assert desk is not None
        await subscriptions_store.subscribe(h.db, chat, desk.id, "Posko", CAMAT, utcnow())
    incident = await report(h)
    chats = [c for c, _, _ in await outbox(h, "incident")]
    assert GROUP in chats and OTHER_GROUP not in chats
    group = u.group_chat(GROUP)
    for who in (OFFICER, STRANGER):
        calls = await h.send(u.callback(u.user(who), take(incident), chat=group))
        assert answer(calls).params.get("show_alert") is True
        assert (await state(h, incident)).status == "baru"
    calls = await h.send(u.callback(u.user(CAMAT), finish(incident), chat=group))
    assert "percakapan pribadi" in answer(calls).text
    (ask,) = sends(calls)
    assert int(ask.params["chat_id"]) == CAMAT  # the note is asked in private, not the group
    # A group asking for the list is told to ask in private.
    (private,) = await h.send(u.text(u.user(CAMAT), "/laporan", chat=group))
    assert "percakapan pribadi" in private.text and incident.ref not in private.text
