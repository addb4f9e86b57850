"""The /lapor guided report through the real Application: every step, its mistakes, /batal,
*Ubah*, a double *Kirim*, a restart in the middle, and where the report is routed."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from pathlib import Path
from typing import Any

import pytest

from bot.outbox.render import OutboxRenderer
from bot.outbox.sender import Sender
from storage import desks as desks_store
from storage import drafts as drafts_store
from storage import incidents as incidents_store
from storage import members as members_store
from storage import subscriptions as subscriptions_store
from storage.drafts import Draft, Step
from storage.incidents import CATEGORIES, Incident
from storage.models import Role, utcnow
from storage.outbox import OutboxRow
from storage.outbox_kinds import IncidentMediaPayload, OutboxKind
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.rows import unsent_row
from tests.support.settings import ADMIN_ID
from tests.support.telegram import Call, answer, sends

KEL = "31.73.01.1001"  # Kel. Cengkareng Barat
KEL2 = "31.73.01.1002"  # Kel. Duri Kosambi, same kecamatan
KEC = "31.73.01"  # Kec. Cengkareng
KOTA = "31.73"  # Kota Adm. Jakarta Barat
PROV = "31"  # DKI Jakarta
GAMBIR = "31.71.01"  # Kec. Gambir, Jakarta Pusat: another kecamatan
PUSAT = "31.71"  # Kota Adm. Jakarta Pusat
OFFICER, LURAH, CAMAT, WALIKOTA, GUBERNUR, STRANGER = 601, 602, 603, 604, 605, 606
OFFICER2, LURAH2 = 607, 608
DESCRIPTION = "Ada pembagian amplop di dekat TPS 12 oleh tim sukses."
STALE = "Draf laporan ini sudah tidak berlaku"
STEPS = list(Step)


async def people(h: Harness) -> Harness:
    """The supervisors of every level above KEL, a stranger, and two officers."""
    await h.member(OFFICER, KEL, Role.OFFICER, name="Budi Santoso")
    await h.member(LURAH, KEL, Role.SUPERVISOR, name="Pak Lurah")
    await h.member(CAMAT, KEC, Role.SUPERVISOR, name="Bu Camat")
    await h.member(WALIKOTA, KOTA, Role.SUPERVISOR, name="Pak Wali")
    await h.member(GUBERNUR, PROV, Role.SUPERVISOR, name="Bu Gubernur")
    await h.member(STRANGER, GAMBIR, Role.SUPERVISOR, name="Camat Gambir")
    await h.member(OFFICER2, KEL2, Role.OFFICER, name="Siti Aminah")
    await h.member(LURAH2, KEL2, Role.SUPERVISOR, name="Bu Lurah Duri")
    return h


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """The harness with its background sender stopped: the outbox keeps what handlers wrote
    and every recorded call is a handler's own."""
    await harness.stop_sender()
    return await people(harness)


@asynccontextmanager
async def running(db_path: Path) -> AsyncIterator[Harness]:
    """A bot process on ``db_path`` (sender stopped); leaving the block shuts it down."""
    async with Harness.running(db_path) as bot:
        await bot.stop_sender()
        yield bot


# --- driving the flow ----------------------------------------------------------------------

async def say(h: Harness, who: int, body: str) -> list[Call]:
    return await h.send(u.text(u.user(who), body))


async def press(h: Harness, who: int, data: str) -> list[Call]:
    return await h.send(u.callback(u.user(who), data))


async def current(h: Harness, who: int) -> Draft:
    draft = await drafts_store.draft_of(h.db, who)
    assert draft is not None
    return draft


def photo(file_id: str) -> list[dict[str, Any]]:
    """A photo as Telegram sends it: several sizes, the largest last."""
    return [{"file_id": f"{file_id}-thumb", "file_unique_id": f"{file_id}t", "width": 90,
             "height": 90},
            {"file_id": file_id, "file_unique_id": f"{file_id}u", "width": 1280,
             "height": 960}]


STICKER = {"file_id": "stk", "file_unique_id": "stk", "type": "regular", "width": 512,
           "height": 512, "is_animated": False, "is_video": False}


def said(calls: list[Call]) -> str:
    """Every text the bot sent or answered, joined."""
    return "\n".join(c.text for c in calls)


async def walk(h: Harness, who: int, until: Step, *, category: str = "politik_uang",
               severity: str = "sedang", description: str = DESCRIPTION) -> int:
    """Start /lapor and answer every step before ``until`` (optional steps skipped)."""
    await say(h, who, "/lapor")
    draft_id = (await current(h, who)).id
    for step in STEPS[:STEPS.index(until)]:
        if step is Step.CATEGORY:
            await press(h, who, f"lp:{draft_id}:cat:{category}")
        elif step is Step.SEVERITY:
            await press(h, who, f"lp:{draft_id}:sev:{severity}")
        elif step is Step.DESCRIPTION:
            await say(h, who, description)
        elif step is Step.LOCATION:
            await say(h, who, "Lewati")  # a button of the keyboard under the input field
        else:
            await press(h, who, f"lp:{draft_id}:skip")
    assert (await current(h, who)).step is until
    return draft_id


async def report(h: Harness, who: int = OFFICER, **kw: Any) -> Incident:
    """A whole report sent with Kirim; the report it made."""
    draft_id = await walk(h, who, Step.CONFIRM, **kw)
    await press(h, who, f"lp:{draft_id}:send")
    row = await h.db.fetchone("SELECT id FROM incidents WHERE draft_id = ?", (draft_id,))
    assert row is not None
    incident = await incidents_store.get(h.db, int(row[0]))
    assert incident is not None
    return incident


async def outbox(h: Harness, kind: str | None = None) -> list[tuple[int, str, Any]]:
    rows = await h.db.fetchall("SELECT chat_id, kind, payload FROM outbox ORDER BY id")
    return [(r[0], r[1], json.loads(r[2])) for r in rows if kind is None or r[1] == kind]


async def routed(h: Harness, incident: Incident | None = None) -> list[int]:
    """Chats that got a report (its ``incident`` intents), of one report or of all."""
    return sorted(chat for chat, _, payload in await outbox(h, "incident")
                  if incident is None or payload["incident"] == incident.id)


async def nothing_left(h: Harness, who: int) -> None:
    assert await drafts_store.draft_of(h.db, who) is None
    for table in ("incident_drafts", "incidents", "incident_media", "outbox"):
        assert await h.db.fetchval(f"SELECT count(*) FROM {table}") == 0, table


def fresh_sender(h: Harness) -> Sender:
    return Sender(h.app.bot, h.db, OutboxRenderer(h.db, h.app.bot_data.settings),
                  private_interval=0.0, group_interval=0.0)


# --- the whole flow ------------------------------------------------------------------------

async def test_whole_flow_with_every_step_answered(h: Harness, db_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    officer = u.user(OFFICER)
    (ask,) = await h.send(u.text(officer, "/lapor"))
    draft = await current(h, OFFICER)
    assert draft.step is Step.CATEGORY and "Cengkareng Barat" in ask.text
    buttons = ask.buttons()
    cats = [(label, data) for label, data in buttons if ":cat:" in data]
    assert [data for _, data in cats] == [f"lp:{draft.id}:cat:{c}" for c in CATEGORIES]
    assert len(cats) == 13
    assert ("Politik uang", f"lp:{draft.id}:cat:politik_uang") in cats
    assert ("Kondusif", f"lp:{draft.id}:cat:kondusif") in cats
    assert "• <b>Kamtib</b> — kekerasan, intimidasi, kericuhan" in ask.text
    assert ask.text.count("\n• ") == 13  # one hint line per category
    assert buttons[-1] == ("✖️ Batal", f"lp:{draft.id}:cancel")
    assert all(len(data.encode()) <= 64 for _, data in buttons)

    calls = await h.send(u.callback(officer, f"lp:{draft.id}:cat:politik_uang", message_id=41))
    assert answer(calls).params.get("text") in (None, "")
    (ask,) = sends(calls)  # the pressed question becomes the next one: its buttons go
    assert ask.method == "editMessageText" and ask.params["message_id"] == 41
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    assert "Politik uang" in ask.text and "Seberapa gawat" in ask.text
    assert [d for _, d in ask.buttons()] == [f"lp:{draft.id}:sev:{s}" for s in
                                             ("info", "sedang", "tinggi", "kritis")] + \
        [f"lp:{draft.id}:cancel"]
    assert [label for label, _ in ask.buttons()][:4] == ["ℹ️ Info", "🟡 Sedang", "🟠 Tinggi",
                                                        "🔴 Kritis"]

    (ask,) = sends(await h.send(u.callback(officer, f"lp:{draft.id}:sev:tinggi")))
    assert "10–1500 karakter" in ask.text
    (keyboard,) = sends(await h.send(u.text(officer, "  " + DESCRIPTION + "\n")))
    assert "lokasi kejadian" in keyboard.text
    assert keyboard.markup["keyboard"] == [
        [{"text": "📍 Kirim lokasi kejadian", "request_location": True}],
        [{"text": "Lewati"}, {"text": "✖️ Batal"}]]
    assert (await current(h, OFFICER)).description == DESCRIPTION  # stripped

    calls = await h.send(u.location(officer, -6.1387, 106.7238))
    assert calls[0].markup == {"remove_keyboard": True}
    assert "maksimal 5" in calls[-1].text
    assert [d for _, d in calls[-1].buttons()] == [
        f"lp:{draft.id}:done", f"lp:{draft.id}:skip", f"lp:{draft.id}:cancel"]
    assert await h.db.fetchval("SELECT count(*) FROM shifts") == 0  # not taken as a check-in

    (got,) = await h.send(u.message(officer, photo=photo("foto-1")))
    assert "(1/5)" in got.text and got.buttons() == [("Selesai", f"lp:{draft.id}:done")]
    await h.send(u.message(officer, video={"file_id": "vid-1", "file_unique_id": "v1",
                                           "width": 640, "height": 480, "duration": 3}))
    (got,) = await h.send(u.message(officer, document={"file_id": "doc-1",
                                                       "file_unique_id": "d1"}))
    assert "(3/5)" in got.text
    (ask,) = sends(await h.send(u.callback(officer, f"lp:{draft.id}:done")))
    assert "Nomor TPS" in ask.text
    (summary,) = await h.send(u.text(officer, "tps 12"))
    for part in ("Kategori: Politik uang", "Tingkat: 🟠 Tinggi", f"Uraian: {DESCRIPTION}",
                 "Lokasi: ada", "Lampiran: 3", "TPS: 012"):
        assert part in summary.text
    assert summary.buttons() == [("✅ Kirim", f"lp:{draft.id}:send"),
                                 ("✏️ Ubah", f"lp:{draft.id}:edit"),
                                 ("✖️ Batal", f"lp:{draft.id}:cancel")]

    # The receipt is sent only once the report is committed (seen from another connection).
    committed: list[tuple[int, int, int]] = []
    original = h.request.do_request

    async def spy(url: str, method: str, *args: Any, **kw: Any) -> tuple[int, bytes]:
        data = kw.get("request_data")
        if url.endswith("/sendMessage") and data and "LP-" in str(data.parameters["text"]):
            with closing(sqlite3.connect(db_path)) as other:
                incidents, rows, drafts = other.execute(
                    "SELECT (SELECT count(*) FROM incidents), (SELECT count(*) FROM outbox), "
                    "(SELECT count(*) FROM incident_drafts)").fetchone()
                committed.append((incidents, rows, drafts))
        return await original(url, method, *args, **kw)

    monkeypatch.setattr(h.request, "do_request", spy)
    (receipt,) = sends(await h.send(u.callback(officer, f"lp:{draft.id}:send")))
    ref = f"LP-{KEL}-0001"
    assert f"Laporan <b>{ref}</b> diterima" in receipt.text
    assert "kepada 2 penerima" in receipt.text  # the lurah and the camat
    assert receipt.markup == {"remove_keyboard": True}
    assert committed == [(1, 6, 0)]

    incident = await incidents_store.by_ref(h.db, ref)
    assert incident is not None
    assert (incident.category, incident.severity, incident.description, incident.tps,
            incident.status, incident.reporter_id) == \
        ("politik_uang", "tinggi", DESCRIPTION, "012", "baru", OFFICER)
    assert (incident.latitude, incident.longitude) == (-6.1387, 106.7238)
    assert await incidents_store.media_of(h.db, incident.id) == [
        ("photo", "foto-1"), ("video", "vid-1"), ("document", "doc-1")]
    assert [(s, who) for _, who, s, _ in await incidents_store.history(h.db, incident.id)] == \
        [("baru", OFFICER)]
    # Routed through the outbox: per chat the attachments first, then the report. A document
    # cannot share a Telegram album with photos and videos: two albums.
    visual = {"incident": incident.id, "kinds": ["photo", "video"]}
    documents = {"incident": incident.id, "kinds": ["document"]}
    assert await outbox(h) == [
        (LURAH, "incident_media", visual), (LURAH, "incident_media", documents),
        (LURAH, "incident", {"incident": incident.id}),
        (CAMAT, "incident_media", visual), (CAMAT, "incident_media", documents),
        (CAMAT, "incident", {"incident": incident.id})]
    assert await drafts_store.draft_of(h.db, OFFICER) is None


async def test_report_alias_and_every_optional_step_skipped(h: Harness) -> None:
    (ask,) = await say(h, OFFICER, "/report")
    draft_id = (await current(h, OFFICER)).id
    assert "Pilih kategori" in ask.text
    await press(h, OFFICER, f"lp:{draft_id}:cat:kamtib")
    await press(h, OFFICER, f"lp:{draft_id}:sev:info")
    await say(h, OFFICER, DESCRIPTION)
    calls = sends(await say(h, OFFICER, "Lewati"))  # location
    assert calls[0].markup == {"remove_keyboard": True} and "maksimal 5" in calls[-1].text
    (ask,) = sends(await press(h, OFFICER, f"lp:{draft_id}:skip"))  # attachments
    assert "Nomor TPS" in ask.text
    (summary,) = sends(await press(h, OFFICER, f"lp:{draft_id}:skip"))  # TPS
    assert "Lokasi: —" in summary.text and "Lampiran: —" in summary.text
    assert "TPS: —" in summary.text and "Kategori: Kamtib" in summary.text
    (receipt,) = sends(await press(h, OFFICER, f"lp:{draft_id}:send"))
    assert f"LP-{KEL}-0001" in receipt.text
    incident = await incidents_store.by_ref(h.db, f"LP-{KEL}-0001")
    assert incident is not None
    assert (incident.latitude, incident.longitude, incident.tps) == (None, None, None)
    assert await incidents_store.media_of(h.db, incident.id) == []
    assert [kind for _, kind, _ in await outbox(h)] == ["incident", "incident"]


@pytest.mark.parametrize("typed", ["Lewati", " lewati ", "LEWATI"])
async def test_skipping_the_location_removes_its_keyboard(h: Harness, typed: str) -> None:
    await walk(h, OFFICER, Step.LOCATION)
    gone, ask = sends(await say(h, OFFICER, typed))
    assert gone.markup == {"remove_keyboard": True}
    assert "maksimal 5" in ask.text and ask.buttons()
    draft = await current(h, OFFICER)
    assert (draft.step, draft.latitude) == (Step.MEDIA, None)


async def test_skip_in_english_on_the_location_step(h: Harness) -> None:
    await walk(h, OFFICER, Step.LOCATION)
    await members_store.set_language(h.db, OFFICER, "en")
    (again,) = await say(h, OFFICER, "Lewati")  # the Indonesian label: not this caller's
    assert "Skip" in again.text and (await current(h, OFFICER)).step is Step.LOCATION
    await say(h, OFFICER, "Skip")
    assert (await current(h, OFFICER)).step is Step.MEDIA


@pytest.mark.parametrize("typed", ["✖️ Batal", "batal"])
async def test_cancel_from_the_location_keyboard(h: Harness, typed: str) -> None:
    await walk(h, OFFICER, Step.LOCATION)
    (done,) = sends(await say(h, OFFICER, typed))
    assert "dibatalkan" in done.text and done.markup == {"remove_keyboard": True}
    assert await drafts_store.draft_of(h.db, OFFICER) is None
    assert await h.db.fetchval("SELECT count(*) FROM incidents") == 0


async def test_an_inline_skip_of_the_earlier_location_question_still_works(h: Harness) -> None:
    """Drafts begun before the update asked with a "⤵️" message whose Lewati was inline."""
    draft_id = await walk(h, OFFICER, Step.LOCATION)
    calls = await press(h, OFFICER, f"lp:{draft_id}:skip")
    assert {"remove_keyboard": True} in [c.markup for c in sends(calls)]
    assert (await current(h, OFFICER)).step is Step.MEDIA


async def test_done_without_attachments_moves_on(h: Harness) -> None:
    draft_id = await walk(h, OFFICER, Step.MEDIA)
    (ask,) = sends(await press(h, OFFICER, f"lp:{draft_id}:done"))
    assert "Nomor TPS" in ask.text
    assert (await current(h, OFFICER)).media == []


async def test_kondusif_is_one_step_all_clear(h: Harness) -> None:
    await say(h, OFFICER, "/lapor")
    draft_id = (await current(h, OFFICER)).id
    (summary,) = sends(await press(h, OFFICER, f"lp:{draft_id}:cat:kondusif"))
    assert "Kategori: Kondusif" in summary.text and "Tingkat: ℹ️ Info" in summary.text
    assert "Situasi aman dan kondusif." in summary.text
    assert ("✅ Kirim", f"lp:{draft_id}:send") in summary.buttons()
    (receipt,) = sends(await press(h, OFFICER, f"lp:{draft_id}:send"))
    assert f"LP-{KEL}-0001" in receipt.text
    incident = await incidents_store.by_ref(h.db, f"LP-{KEL}-0001")
    assert incident is not None
    assert (incident.category, incident.severity) == ("kondusif", "info")
    # Nothing to follow up: closed as it is made, so it never crowds /laporan.
    assert incident.status == "selesai"
    assert [s for _, _, s, _ in await incidents_store.history(h.db, incident.id)] == [
        "baru", "selesai"]
    assert await incidents_store.open_in_scope(h.db, None, 0, 10) == (0, [])


# --- invalid input at each step -----------------------------------------------------------

async def test_description_refuses_stickers_photos_short_and_long_text(h: Harness) -> None:
    await walk(h, OFFICER, Step.DESCRIPTION)
    officer = u.user(OFFICER)
    (reply,) = await h.send(u.message(officer, sticker=STICKER))
    assert "kirim teks" in reply.text
    (reply,) = await h.send(u.message(officer, photo=photo("p"), caption="lihat foto ini ya"))
    assert "kirim teks" in reply.text
    (reply,) = await h.send(u.text(officer, "x" * 10_000))
    assert "terlalu panjang (10000 karakter), maksimal 1500" in reply.text
    (reply,) = await h.send(u.text(officer, "  ricuh   "))
    assert "minimal 10 karakter" in reply.text
    # A location the report does not ask for is a check-in (here too far from the desk), so a
    # forgotten draft never stands between an officer and their check-in.
    (reply,) = await h.send(u.location(officer, -6.1, 106.7))
    assert reply.text.startswith("❌ Check-in ditolak: Anda berada 5,0 km dari")
    draft = await current(h, OFFICER)
    assert (draft.step, draft.description, draft.latitude) == (Step.DESCRIPTION, None, None)
    assert await h.db.fetchval("SELECT count(*) FROM shifts") == 0
    # The bound itself is accepted.
    await h.send(u.text(officer, "y" * 1500))
    assert (await current(h, OFFICER)).step is Step.LOCATION


async def test_location_step_wants_a_location(h: Harness) -> None:
    await walk(h, OFFICER, Step.LOCATION)
    officer = u.user(OFFICER)
    for update in (u.text(officer, "di depan pasar"), u.message(officer, photo=photo("p")),
                   u.message(officer, sticker=STICKER), u.location(officer, 91.0, 106.8),
                   u.location(officer, -6.2, 1e308)):
        (reply,) = await h.send(update)
        assert "Kirim lokasi dengan tombol" in reply.text
    assert (await current(h, OFFICER)).step is Step.LOCATION


async def test_media_step_takes_five_attachments_at_most(h: Harness) -> None:
    draft_id = await walk(h, OFFICER, Step.MEDIA)
    officer = u.user(OFFICER)
    (reply,) = await h.send(u.text(officer, "fotonya menyusul"))
    assert "Kirim foto, video atau dokumen" in reply.text
    (reply,) = await h.send(u.message(officer, sticker=STICKER))
    assert "Kirim foto, video atau dokumen" in reply.text
    for n in range(1, 6):
        (reply,) = await h.send(u.message(officer, photo=photo(f"f{n}")))
        assert f"({n}/5)" in reply.text
    (reply,) = await h.send(u.message(officer, photo=photo("f6")))
    assert "Sudah 5 lampiran" in reply.text
    assert [f for _, f in (await current(h, OFFICER)).media] == ["f1", "f2", "f3", "f4", "f5"]
    await press(h, OFFICER, f"lp:{draft_id}:done")
    await press(h, OFFICER, f"lp:{draft_id}:skip")
    await press(h, OFFICER, f"lp:{draft_id}:send")
    incident = await incidents_store.by_ref(h.db, f"LP-{KEL}-0001")
    assert incident is not None
    assert len(await incidents_store.media_of(h.db, incident.id)) == 5


@pytest.mark.parametrize(("typed", "stored"), [("5", "005"), ("tps 012", "012"),
                                               ("TPS 12", "012"), (" 123 ", "123")])
async def test_tps_forms(h: Harness, typed: str, stored: str) -> None:
    await walk(h, OFFICER, Step.TPS)
    (summary,) = await say(h, OFFICER, typed)
    assert f"TPS: {stored}" in summary.text
    draft = await current(h, OFFICER)
    assert (draft.step, draft.tps) == (Step.CONFIRM, stored)


@pytest.mark.parametrize("typed", ["12a", "1234", "TPS", "dua belas", "-5"])
async def test_tps_invalid(h: Harness, typed: str) -> None:
    await walk(h, OFFICER, Step.TPS)
    (reply,) = await say(h, OFFICER, typed)
    assert "Nomor TPS berupa 1–3 angka" in reply.text
    draft = await current(h, OFFICER)
    assert (draft.step, draft.tps) == (Step.TPS, None)


@pytest.mark.parametrize("step", [Step.CATEGORY, Step.SEVERITY, Step.CONFIRM])
async def test_text_on_a_button_step_asks_again(h: Harness, step: Step) -> None:
    draft_id = await walk(h, OFFICER, step)
    (again,) = await say(h, OFFICER, "kamtib ya")
    assert f"lp:{draft_id}:" in again.buttons()[0][1]
    assert (await current(h, OFFICER)).step is step
    assert await h.db.fetchval("SELECT count(*) FROM incidents") == 0


async def test_buttons_of_an_older_draft_or_another_step_are_stale(h: Harness) -> None:
    old = await walk(h, OFFICER, Step.SEVERITY)
    new = await walk(h, OFFICER, Step.CATEGORY)
    assert new > old
    for data in (f"lp:{old}:sev:kritis", f"lp:{old}:cat:kamtib", f"lp:{old}:cancel",
                 f"lp:{new}:sev:kritis", f"lp:{new}:skip", f"lp:{new}:done",
                 f"lp:{new}:edit", f"lp:{new}:cat:bogus", f"lp:{new}:nonsense", "lp:x:cat:kamtib",
                 "lp::cancel"):
        calls = await press(h, OFFICER, data)
        assert STALE in answer(calls).text, data
        assert sends(calls) == [], data
    draft = await current(h, OFFICER)
    assert (draft.id, draft.step, draft.category) == (new, Step.CATEGORY, None)
    # Kirim of a draft that never reached the summary makes nothing.
    calls = await press(h, OFFICER, f"lp:{old}:send")
    assert STALE in said(calls)
    calls = await press(h, OFFICER, f"lp:{'9' * 40}:send")
    assert STALE in said(calls)
    assert await h.db.fetchval("SELECT count(*) FROM incidents") == 0
    # Someone else's buttons are not theirs to press.
    calls = await press(h, OFFICER2, f"lp:{new}:cat:kamtib")
    assert STALE in answer(calls).text
    assert (await current(h, OFFICER)).step is Step.CATEGORY


async def test_buttons_of_a_sent_report_are_stale(h: Harness) -> None:
    first = await walk(h, OFFICER, Step.CONFIRM)
    await press(h, OFFICER, f"lp:{first}:send")
    second = await walk(h, OFFICER, Step.CATEGORY)
    calls = await press(h, OFFICER, f"lp:{first}:cancel")
    assert STALE in answer(calls).text
    calls = await press(h, OFFICER, f"lp:{first}:edit")
    assert STALE in answer(calls).text
    assert (await current(h, OFFICER)).id == second
    assert await h.db.fetchval("SELECT count(*) FROM incidents") == 1


# --- /batal at each step ------------------------------------------------------------------

@pytest.mark.parametrize("step", STEPS)
async def test_batal_at_each_step_leaves_nothing(h: Harness, step: Step) -> None:
    draft_id = await walk(h, OFFICER, step)
    if step is Step.MEDIA:
        await h.send(u.message(u.user(OFFICER), photo=photo("f1")))
    (done,) = await say(h, OFFICER, "/batal")
    assert "Laporan dibatalkan" in done.text and done.markup == {"remove_keyboard": True}
    await nothing_left(h, OFFICER)
    # The flow is over: text goes to the fallback, the old buttons are stale.
    (fallback,) = await say(h, OFFICER, DESCRIPTION)
    assert "tidak mengerti" in fallback.text
    calls = await press(h, OFFICER, f"lp:{draft_id}:send")
    assert STALE in said(calls)
    await nothing_left(h, OFFICER)


@pytest.mark.parametrize("step", [Step.CATEGORY, Step.LOCATION, Step.CONFIRM])
async def test_batal_button(h: Harness, step: Step) -> None:
    draft_id = await walk(h, OFFICER, step)
    calls = await press(h, OFFICER, f"lp:{draft_id}:cancel")
    (done,) = sends(calls)
    assert "Laporan dibatalkan" in done.text and done.markup == {"remove_keyboard": True}
    await nothing_left(h, OFFICER)


async def test_cancel_alias_without_a_draft(h: Harness) -> None:
    (done,) = await say(h, OFFICER, "/cancel")
    assert "Dibatalkan" in done.text and "Laporan" not in done.text


async def test_other_commands_still_work_mid_flow(h: Harness) -> None:
    await walk(h, OFFICER, Step.DESCRIPTION)
    (status,) = await say(h, OFFICER, "/status")
    assert "Uraian" not in status.text and "terlalu pendek" not in status.text
    assert (await current(h, OFFICER)).step is Step.DESCRIPTION


# --- Ubah and Kirim -----------------------------------------------------------------------

async def test_ubah_restarts_at_category_with_a_clean_draft(h: Harness) -> None:
    draft_id = await walk(h, OFFICER, Step.MEDIA)
    await h.send(u.message(u.user(OFFICER), photo=photo("f1")))
    await press(h, OFFICER, f"lp:{draft_id}:done")
    await say(h, OFFICER, "7")
    (ask,) = sends(await press(h, OFFICER, f"lp:{draft_id}:edit"))
    assert "Pilih kategori" in ask.text
    draft = await current(h, OFFICER)
    assert (draft.id, draft.step) == (draft_id, Step.CATEGORY)
    assert (draft.category, draft.severity, draft.description, draft.tps, draft.media) == \
        (None, None, None, None, [])
    # The summary's Kirim does nothing until the draft is confirmed again.
    assert STALE in said(await press(h, OFFICER, f"lp:{draft_id}:send"))
    assert await h.db.fetchval("SELECT count(*) FROM incidents") == 0
    await press(h, OFFICER, f"lp:{draft_id}:cat:logistik")
    await press(h, OFFICER, f"lp:{draft_id}:sev:info")
    await say(h, OFFICER, "Kotak suara TPS 7 datang terlambat dua jam.")
    await say(h, OFFICER, "Lewati")
    for _ in range(2):
        await press(h, OFFICER, f"lp:{draft_id}:skip")
    await press(h, OFFICER, f"lp:{draft_id}:send")
    incident = await incidents_store.by_ref(h.db, f"LP-{KEL}-0001")
    assert incident is not None
    assert (incident.category, incident.severity, incident.tps) == ("logistik", "info", None)
    assert await incidents_store.media_of(h.db, incident.id) == []


async def test_double_kirim_and_a_redelivered_update_make_one_report(h: Harness) -> None:
    draft_id = await walk(h, OFFICER, Step.CONFIRM)
    kirim = u.callback(u.user(OFFICER), f"lp:{draft_id}:send")
    receipts = []
    for update in (kirim, kirim, u.callback(u.user(OFFICER), f"lp:{draft_id}:send")):
        (receipt,) = sends(await h.send(update))
        receipts.append(receipt.text)
    assert receipts[0] == receipts[1] == receipts[2]
    assert f"LP-{KEL}-0001" in receipts[0] and "kepada 2 penerima" in receipts[0]
    assert await h.db.fetchval("SELECT count(*) FROM incidents") == 1
    assert await h.db.fetchval("SELECT count(*) FROM incident_history") == 1
    assert await routed(h) == [LURAH, CAMAT]
    # The next report of the desk gets the next number.
    again = await report(h)
    assert again.ref == f"LP-{KEL}-0002"


async def test_no_desk_no_report(h: Harness) -> None:
    (reply,) = await say(h, 9999, "/lapor")  # not registered
    assert "belum terdaftar" in reply.text and not reply.buttons()
    (reply,) = await say(h, ADMIN_ID, "/lapor")  # an admin by configuration, at no desk
    assert "belum terhubung ke posko" in reply.text and not reply.buttons()
    assert await h.db.fetchval("SELECT count(*) FROM incident_drafts") == 0
    (reply,) = await h.send(u.text(u.user(OFFICER), "/lapor", chat=u.group_chat()))
    assert "chat pribadi" in reply.text
    assert await drafts_store.draft_of(h.db, OFFICER) is None


# --- restart in the middle ----------------------------------------------------------------

async def test_draft_survives_a_restart(db_path: Path) -> None:
    async with running(db_path) as first:
        await people(first)
        draft_id = await walk(first, OFFICER, Step.DESCRIPTION, severity="tinggi")
    async with running(db_path) as second:  # a new process on the same file
        calls = await say(second, OFFICER, DESCRIPTION)
        assert "lokasi kejadian" in calls[0].text
        await second.send(u.location(u.user(OFFICER), -6.1387, 106.7238))
        (got,) = await second.send(u.message(u.user(OFFICER), photo=photo("f1")))
        assert "(1/5)" in got.text
    async with running(db_path) as third:
        (got,) = await third.send(u.message(u.user(OFFICER), photo=photo("f2")))
        assert "(2/5)" in got.text
        await press(third, OFFICER, f"lp:{draft_id}:done")  # a button from before
        (summary,) = await say(third, OFFICER, "TPS 3")
        assert "Lampiran: 2" in summary.text and "Lokasi: ada" in summary.text
        assert "Tingkat: 🟠 Tinggi" in summary.text
        (receipt,) = sends(await press(third, OFFICER, f"lp:{draft_id}:send"))
        assert f"LP-{KEL}-0001" in receipt.text
        incident = await incidents_store.by_ref(third.db, f"LP-{KEL}-0001")
        assert incident is not None and incident.tps == "003"
        assert [f for _, f in await incidents_store.media_of(third.db, incident.id)] == \
            ["f1", "f2"]
    async with running(db_path) as fourth:  # Kirim redelivered after yet another restart
        (receipt,) = sends(await press(fourth, OFFICER, f"lp:{draft_id}:send"))
        assert f"LP-{KEL}-0001" in receipt.text
        assert await fourth.db.fetchval("SELECT count(*) FROM incidents") == 1


async def test_batal_after_a_restart(db_path: Path) -> None:
    async with running(db_path) as first:
        await people(first)
        await walk(first, OFFICER, Step.TPS)
    async with running(db_path) as second:
        (done,) = await say(second, OFFICER, "/batal")
        assert "Laporan dibatalkan" in done.text
        await nothing_left(second, OFFICER)


# --- routing ------------------------------------------------------------------------------

async def test_routing_by_severity(h: Harness) -> None:
    sedang = await report(h, severity="sedang")
    assert await routed(h, sedang) == [LURAH, CAMAT]
    kritis = await report(h, severity="kritis")
    assert await routed(h, kritis) == [LURAH, CAMAT, WALIKOTA]  # up to the kota only
    info = await report(h, OFFICER2, severity="info")
    assert await routed(h, info) == [CAMAT, LURAH2]


async def test_report_by_a_supervisor(h: Harness) -> None:
    incident = await report(h, CAMAT, severity="sedang")
    desk = await desks_store.get(h.db, incident.desk_id)
    assert desk is not None and desk.code == KEC
    assert incident.ref == f"LP-{KEC}-0001" and incident.reporter_id == CAMAT
    # The desk (kecamatan) and its parent; the camat reported it, so gets the receipt only.
    assert await routed(h) == [WALIKOTA]
    assert LURAH not in await routed(h)
    lurah = await report(h, LURAH, severity="kritis")
    assert lurah.ref == f"LP-{KEL}-0001"
    assert await routed(h, lurah) == [CAMAT, WALIKOTA]


async def test_subscribed_groups_of_the_scope_get_it(h: Harness) -> None:
    now = utcnow()
    for chat, code in ((-1001, KEC), (-1002, PUSAT), (-1003, KEL2), (-1004, PROV)):
        desk = await desks_store.by_code(h.db, code)
        assert desk is not None
        await subscriptions_store.subscribe(h.db, chat, desk.id, code, CAMAT, now)
    await report(h, severity="info")
    assert await routed(h) == [-1004, -1001, LURAH, CAMAT]
    assert -1002 not in await routed(h) and -1003 not in await routed(h)


async def test_attachments_go_in_albums_telegram_accepts(h: Harness) -> None:
    draft_id = await walk(h, OFFICER, Step.MEDIA)
    for update in (u.message(u.user(OFFICER), photo=photo("p1")),
                   u.message(u.user(OFFICER), document={"file_id": "d1", "file_unique_id": "d"}),
                   u.message(u.user(OFFICER), photo=photo("p2"))):
        await h.send(update)
    await press(h, OFFICER, f"lp:{draft_id}:done")
    await press(h, OFFICER, f"lp:{draft_id}:skip")
    await press(h, OFFICER, f"lp:{draft_id}:send")
    renderer = OutboxRenderer(h.db, h.app.bot_data.settings)
    albums = []
    for payload in [p for chat, kind, p in await outbox(h, "incident_media") if chat == LURAH]:
        rendered = await renderer(unsent_row(LURAH, OutboxKind.INCIDENT_MEDIA,
                                             IncidentMediaPayload.from_json(payload)))
        assert rendered is not None
        albums.append(list(rendered.media))
    assert albums == [[("photo", "p1"), ("photo", "p2")], [("document", "d1")]]
    # A row queued before albums were split (no "kinds") still carries every attachment.
    legacy = await renderer(OutboxRow(0, LURAH, "incident_media",
                                      json.dumps({"incident": payload["incident"]}), 0, utcnow()))
    assert legacy is not None and len(legacy.media) == 3


async def test_routed_messages_escape_the_description(h: Harness) -> None:
    evil = "<b>Massa</b> & preman <a href='x'>datang</a> ke TPS"
    draft_id = await walk(h, OFFICER, Step.MEDIA, description=evil)
    (summary_calls) = await h.send(u.message(u.user(OFFICER), photo=photo("bukti")))
    assert "(1/5)" in said(summary_calls)
    await press(h, OFFICER, f"lp:{draft_id}:done")
    (summary,) = sends(await press(h, OFFICER, f"lp:{draft_id}:skip"))
    escaped = "&lt;b&gt;Massa&lt;/b&gt; &amp; preman &lt;a href='x'&gt;datang&lt;/a&gt;"
    assert escaped in summary.text and "<b>Massa" not in summary.text
    await press(h, OFFICER, f"lp:{draft_id}:send")
    before = len(h.request.calls)
    assert await fresh_sender(h).drain(timeout=5) == 4
    out = h.request.calls[before:]
    photos = [c for c in out if c.method == "sendPhoto"]
    messages = [c for c in out if c.method == "sendMessage"]
    assert sorted(int(c.params["chat_id"]) for c in photos) == [LURAH, CAMAT]
    assert all(c.params["photo"] == "bukti" and f"LP-{KEL}-0001" in c.text for c in photos)
    for chat in (LURAH, CAMAT):  # the attachment goes out before the report it belongs to
        order = [c.method for c in out if int(c.params.get("chat_id", 0)) == chat]
        assert order == ["sendPhoto", "sendMessage"]
    for message in messages:
        assert escaped in message.text and "<b>Massa" not in message.text
        assert f"<b>Laporan LP-{KEL}-0001</b>" in message.text
        assert "Cengkareng Barat" in message.text and "Budi Santoso" in message.text
        assert [label for label, _ in message.buttons()] == ["🛠 Tangani", "✅ Selesai"]


async def test_a_question_that_cannot_be_edited_is_asked_anew(
        h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    await say(h, OFFICER, "/lapor")
    draft_id = (await current(h, OFFICER)).id
    recorded = h.request.do_request

    async def refuse_text_edits(url: str, method: str, request_data: Any = None,
                                **kw: Any) -> tuple[int, bytes]:
        if url.endswith("/editMessageText"):  # the pressed message was deleted meanwhile
            return 400, json.dumps({"ok": False, "error_code": 400, "description":
                                    "Bad Request: message to edit not found"}).encode()
        return await recorded(url, method, request_data, **kw)

    monkeypatch.setattr(h.request, "do_request", refuse_text_edits)
    calls = await press(h, OFFICER, f"lp:{draft_id}:cat:kamtib")
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageReplyMarkup",
                                         "sendMessage"]
    assert "Seberapa gawat" in calls[-1].text
    assert (await current(h, OFFICER)).step is Step.SEVERITY
