"""Following reports up through the real Application: *Tangani*, *Selesai* with its closing
note, who may act, /laporan with its pages and one report's history, and groups."""

from __future__ import annotations

import pytest

from storage import desks as desks_store
from storage import incidents as incidents_store
from storage import subscriptions as subscriptions_store
from storage.incidents import Incident
from storage.models import utcnow
from tests.handlers.test_report_flow import (
    CAMAT,
    KEC,
    KEL,
    LURAH,
    LURAH2,
    OFFICER,
    OFFICER2,
    PUSAT,
    STICKER,
    STRANGER,
    WALIKOTA,
    fresh_sender,
    outbox,
    people,
    press,
    report,
    say,
)
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.settings import ADMIN_ID
from tests.support.telegram import Call, answer, sends

GROUP, OTHER_GROUP = -100777, -100888
NOTE = "Massa sudah bubar, TPS aman kembali."


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """The harness with its background sender stopped, and the people of every level."""
    await harness.stop_sender()
    return await people(harness)


async def state(h: Harness, incident: Incident) -> Incident:
    found = await incidents_store.get(h.db, incident.id)
    assert found is not None
    return found


async def statuses(h: Harness, incident: Incident) -> list[tuple[str, int | None, str | None]]:
    return [(s, who, note) for _, who, s, note in await incidents_store.history(h.db,
                                                                               incident.id)]


async def pending_note(h: Harness, who: int) -> int | None:
    return await incidents_store.pending_note(h.db, who)


def take(incident: Incident) -> str:
    return f"inc:t:{incident.id}"


def finish(incident: Incident) -> str:
    return f"inc:f:{incident.id}"


def texts(calls: list[Call]) -> list[str]:
    return [c.text for c in sends(calls)]


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
        (OFFICER, "incident_status", {"incident": incident.id, "status": "ditangani"})]
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
    assert [d for _, d in first[WALIKOTA].buttons()] == [take(incident), finish(incident)]
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
        assert [d for _, d in edit.buttons()] == [finish(incident)]
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
    assert answer(calls).text == "Tulis catatan penutup di chat pribadi dengan bot."
    (ask,) = sends(calls)
    assert int(ask.params["chat_id"]) == CAMAT
    assert f"catatan penutup untuk <b>{incident.ref}</b>" in ask.text
    assert await pending_note(h, CAMAT) == incident.id
    camat = u.user(CAMAT, "Bu", "Camat")
    for update in (u.message(camat, sticker=STICKER), u.text(camat, " ok "),
                   u.text(camat, "x" * 1001), u.message(camat, photo=[
                       {"file_id": "p", "file_unique_id": "p", "width": 9, "height": 9}])):
        (refused,) = await h.send(update)
        assert refused.text == "Catatan penutup harus 3–1000 karakter teks."
    assert (await state(h, incident)).status == "ditangani"
    assert await pending_note(h, CAMAT) == incident.id

    (done,) = await h.send(u.text(camat, f"  {NOTE}  "))
    assert done.text == f"✅ {incident.ref} ditutup. Pelapor diberi tahu."
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
    assert "chat pribadi" in answer(calls).text
    (ask,) = sends(calls)
    assert int(ask.params["chat_id"]) == CAMAT  # the note is asked in private, not the group
    # A group asking for the list is told to ask in private.
    (private,) = await h.send(u.text(u.user(CAMAT), "/laporan", chat=group))
    assert "chat pribadi" in private.text and incident.ref not in private.text


# --- /laporan -----------------------------------------------------------------------------

async def test_laporan_is_for_supervisors(h: Harness) -> None:
    await report(h)
    (refused,) = await say(h, OFFICER, "/laporan")
    assert "untuk pengawas" in refused.text and "LP-" not in refused.text
    (none,) = await say(h, STRANGER, "/laporan")
    assert none.text == "Tidak ada laporan terbuka di wilayah Anda. 👍" and not none.buttons()


async def test_laporan_orders_pages_and_follows_scope(h: Harness) -> None:
    made = [await report(h, who, severity=severity) for who, severity in (
        (OFFICER, "info"), (OFFICER, "kritis"), (OFFICER2, "sedang"), (OFFICER, "tinggi"),
        (OFFICER2, "kritis"), (OFFICER, "info"))]
    # Kritis first (newest first among them), then by severity, newest first.
    order = [made[4], made[1], made[3], made[2], made[5], made[0]]
    (first,) = await say(h, CAMAT, "/laporan")
    assert "Laporan terbuka: 6</b> (halaman 1/2)" in first.text
    positions = [first.text.find(i.ref) for i in order[:5]]
    assert -1 not in positions and positions == sorted(positions)
    assert order[5].ref not in first.text
    assert "🔴" in first.text and "Duri Kosambi" in first.text
    buttons = first.buttons()
    for incident in order[:5]:
        assert (f"🛠 Tangani {incident.ref}", take(incident)) in buttons
        assert ("✅ Selesai", finish(incident)) in buttons  # the row is labelled once
    assert buttons[-1] == ("›", "incp:1")
    assert all(len(data.encode()) <= 64 for _, data in buttons)

    calls = await press(h, CAMAT, "incp:1")
    (second,) = [c for c in calls if c.method == "editMessageText"]
    assert "Laporan terbuka: 6</b> (halaman 2/2)" in second.text
    assert order[5].ref in second.text and order[0].ref not in second.text
    assert second.buttons()[-1] == ("‹", "incp:0")
    assert ("›", "incp:2") not in second.buttons()

    # The lurah sees only the kelurahan's reports, on one page.
    (lurah,) = await say(h, LURAH, "/incidents")
    assert "Laporan terbuka: 4</b> (halaman 1/1)" in lurah.text
    assert made[2].ref not in lurah.text and made[4].ref not in lurah.text
    assert not [d for _, d in lurah.buttons() if d.startswith("incp:")]
    # Officers cannot page.
    calls = await press(h, OFFICER, "incp:1")
    assert answer(calls).text == "Tombol ini sudah tidak berlaku."
    assert [c for c in calls if c.method == "editMessageText"] == []

    # A button from the list works like the one in the routed message.
    calls = await press(h, CAMAT, buttons[0][1])
    assert answer(calls).text == f"Anda menangani {order[0].ref}."
    (again,) = await say(h, CAMAT, "/laporan")
    assert "Ditangani oleh Bu Camat" in again.text
    assert (f"🛠 Tangani {order[0].ref}", take(order[0])) not in again.buttons()
    assert (f"✅ Selesai {order[0].ref}", finish(order[0])) in again.buttons()

    # Closed reports leave the list; a page button from before shows the last page there is.
    for incident in order[:2]:
        await press(h, CAMAT, finish(incident))
        await say(h, CAMAT, NOTE)
    calls = await press(h, CAMAT, "incp:1")
    (last,) = [c for c in calls if c.method == "editMessageText"]
    assert "Laporan terbuka: 4</b> (halaman 1/1)" in last.text
    assert all(i.ref in last.text for i in order[2:])
    assert order[0].ref not in last.text


async def test_laporan_one_report_with_its_history(h: Harness) -> None:
    incident = await report(h, description="Spanduk <provokatif> & hoaks di RW 05.")
    await press(h, CAMAT, take(incident))
    (one,) = await say(h, LURAH, f"/laporan {incident.ref.lower()}")
    assert f"<b>Laporan {incident.ref}</b>" in one.text
    assert "Spanduk &lt;provokatif&gt; &amp; hoaks di RW 05." in one.text
    assert "<b>Riwayat</b>" in one.text
    history = one.text.split("<b>Riwayat</b>", 1)[1]
    assert "baru (Budi Santoso)" in history and "ditangani (Bu Camat)" in history
    assert history.index("baru") < history.index("ditangani")
    assert [d for _, d in one.buttons()] == [finish(incident)]

    await press(h, CAMAT, finish(incident))
    await say(h, CAMAT, NOTE)
    (closed,) = await say(h, CAMAT, f"/incidents {incident.ref}")
    assert f"selesai (Bu Camat): {NOTE}" in closed.text and closed.buttons() == []


@pytest.mark.parametrize(("who", "ref"), [
    (CAMAT, f"LP-{KEL}-0099"),  # no such report
    (CAMAT, "bukan-referensi"),
    (STRANGER, f"LP-{KEL}-0001"),  # exists, but in another kecamatan
    (LURAH2, f"LP-{KEL}-0001"),  # exists, in the neighbouring kelurahan
])
async def test_laporan_unknown_or_out_of_scope(h: Harness, who: int, ref: str) -> None:
    incident = await report(h)
    assert incident.ref == f"LP-{KEL}-0001"
    (reply,) = await say(h, who, f"/laporan {ref}")
    assert reply.text == f"Laporan {ref} tidak ditemukan di wilayah Anda."
    assert not reply.buttons()


async def test_laporan_reaches_up_the_tree(h: Harness) -> None:
    incident = await report(h, CAMAT)  # a report at the kecamatan desk itself
    assert incident.ref == f"LP-{KEC}-0001"
    (walikota,) = await say(h, WALIKOTA, "/laporan")
    assert incident.ref in walikota.text
    (lurah,) = await say(h, LURAH, "/laporan")  # below the desk: not in the lurah's scope
    assert incident.ref not in lurah.text
    (one,) = await say(h, LURAH, f"/laporan {incident.ref}")
    assert "tidak ditemukan" in one.text
    calls = await press(h, LURAH, take(incident))
    assert answer(calls).text == f"Posko {KEC} tidak berada dalam wilayah Anda."
