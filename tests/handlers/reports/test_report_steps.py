"""The /lapor guided report through the real Application, step by step: every question
answered or skipped, the location keyboard, the one-step *Kondusif*, and a question asked
anew when it cannot be edited."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from storage import drafts as drafts_store
from storage import incidents as incidents_store
from storage import members as members_store
from storage.drafts import Step
from storage.incidents import CATEGORIES
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.reports import (
    CAMAT,
    DESCRIPTION,
    KEL,
    LURAH,
    OFFICER,
    current,
    outbox,
    photo,
    press,
    say,
    walk,
)
from tests.support.telegram import answer, sends


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
    # One line to read; what each category covers is one tap away.
    assert len(ask.text) < 120 and "•" not in ask.text
    assert buttons[-2:] == [("❓ Arti kategori", f"lp:{draft.id}:help:1"),
                            ("✖️ Batal", f"lp:{draft.id}:cancel")]
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
    assert "paling banyak 5" in calls[-1].text
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
    assert calls[0].markup == {"remove_keyboard": True} and "paling banyak 5" in calls[-1].text
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
    assert "paling banyak 5" in ask.text and ask.buttons()
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
