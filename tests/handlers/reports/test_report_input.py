"""What the /lapor guided report refuses at each step: stickers, photos and text of the
wrong length for the description, anything but a location, a sixth attachment, TPS numbers
that are none, text on a button step, and buttons that are stale or someone else's."""

from __future__ import annotations

import pytest

from storage import incidents as incidents_store
from storage.drafts import Step
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.reports import (
    KEL,
    OFFICER,
    OFFICER2,
    STALE,
    STICKER,
    current,
    photo,
    press,
    said,
    say,
    walk,
)
from tests.support.telegram import answer, sends


async def test_description_refuses_stickers_photos_short_and_long_text(h: Harness) -> None:
    await walk(h, OFFICER, Step.DESCRIPTION)
    officer = u.user(OFFICER)
    (reply,) = await h.send(u.message(officer, sticker=STICKER))
    assert "kirim teks" in reply.text
    (reply,) = await h.send(u.message(officer, photo=photo("p"), caption="lihat foto ini ya"))
    assert "kirim teks" in reply.text
    (reply,) = await h.send(u.text(officer, "x" * 10_000))
    assert "terlalu panjang (10000 karakter); paling banyak 1500" in reply.text
    (reply,) = await h.send(u.text(officer, "  ricuh   "))
    assert "paling sedikit 10 karakter" in reply.text
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
    assert "Kirim foto, video, atau dokumen" in reply.text
    (reply,) = await h.send(u.message(officer, sticker=STICKER))
    assert "Kirim foto, video, atau dokumen" in reply.text
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
    assert "Nomor TPS terdiri atas 1–3 angka" in reply.text
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
