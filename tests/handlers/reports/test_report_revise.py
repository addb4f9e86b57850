"""*Ubah* on the summary reopens one answer and keeps the rest; the category question is short,
with what each category covers one tap away."""

from __future__ import annotations

import pytest

from storage import incidents as incidents_store
from storage.drafts import Step
from storage.incidents import CATEGORIES
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.reports import (
    DESCRIPTION,
    KEL,
    OFFICER,
    STALE,
    current,
    photo,
    press,
    said,
    say,
    walk,
)
from tests.support.telegram import sends

NEW_TEXT = "Amplop dibagikan lagi di gang belakang TPS 12, dua orang pelaku."


async def summary_after_everything(h: Harness) -> int:
    """A draft at the summary with every answer given: location, one photo, TPS 7."""
    draft_id = await walk(h, OFFICER, Step.LOCATION)
    await h.send(u.location(u.user(OFFICER), -6.15, 106.73))
    await h.send(u.message(u.user(OFFICER), photo=photo("f1")))
    await press(h, OFFICER, f"lp:{draft_id}:done")
    await say(h, OFFICER, "7")
    assert (await current(h, OFFICER)).step is Step.CONFIRM
    return draft_id


async def send_and_get(h: Harness, draft_id: int) -> incidents_store.Incident:
    await press(h, OFFICER, f"lp:{draft_id}:send")
    incident = await incidents_store.by_ref(h.db, f"LP-{KEL}-0001")
    assert incident is not None
    return incident


async def test_ubah_lists_the_answers_and_back_returns_to_the_summary(h: Harness) -> None:
    draft_id = await summary_after_everything(h)
    (menu,) = sends(await press(h, OFFICER, f"lp:{draft_id}:edit"))
    assert menu.method == "editMessageText" and "Bagian mana" in menu.text
    assert [data for _, data in menu.buttons()] == [
        *(f"lp:{draft_id}:fix:{key}" for key in ("cat", "sev", "desc", "loc", "media", "tps")),
        f"lp:{draft_id}:back", f"lp:{draft_id}:cancel"]
    draft = await current(h, OFFICER)
    assert (draft.step, draft.description, draft.tps) == (Step.CONFIRM, DESCRIPTION, "007")
    (summary,) = sends(await press(h, OFFICER, f"lp:{draft_id}:back"))
    assert "Ringkasan laporan" in summary.text and "TPS: 007" in summary.text


async def test_changing_the_tps_keeps_the_description_location_and_photo(h: Harness) -> None:
    draft_id = await summary_after_everything(h)
    await press(h, OFFICER, f"lp:{draft_id}:edit")
    (ask,) = sends(await press(h, OFFICER, f"lp:{draft_id}:fix:tps"))
    assert "Nomor TPS" in ask.text
    (summary,) = sends(await say(h, OFFICER, "12"))
    assert "Ringkasan laporan" in summary.text and "TPS: 012" in summary.text
    assert DESCRIPTION in summary.text  # not typed again
    incident = await send_and_get(h, draft_id)
    assert (incident.description, incident.tps, incident.severity) == (DESCRIPTION, "012",
                                                                       "sedang")
    assert incident.latitude == pytest.approx(-6.15)
    assert len(await incidents_store.media_of(h.db, incident.id)) == 1


async def test_changing_the_description_goes_straight_back_to_the_summary(h: Harness) -> None:
    draft_id = await summary_after_everything(h)
    await press(h, OFFICER, f"lp:{draft_id}:edit")
    (ask,) = sends(await press(h, OFFICER, f"lp:{draft_id}:fix:desc"))
    assert "Tuliskan apa yang terjadi" in ask.text
    assert (await current(h, OFFICER)).description is None
    (summary,) = sends(await say(h, OFFICER, NEW_TEXT))  # no location question again
    assert "Ringkasan laporan" in summary.text and NEW_TEXT in summary.text
    incident = await send_and_get(h, draft_id)
    assert (incident.description, incident.tps) == (NEW_TEXT, "007")


async def test_changing_the_category_keeps_severity_and_description(h: Harness) -> None:
    draft_id = await summary_after_everything(h)
    await press(h, OFFICER, f"lp:{draft_id}:edit")
    (ask,) = sends(await press(h, OFFICER, f"lp:{draft_id}:fix:cat"))
    assert "Pilih kategori" in ask.text
    (summary,) = sends(await press(h, OFFICER, f"lp:{draft_id}:cat:netralitas"))
    assert "Ringkasan laporan" in summary.text
    incident = await send_and_get(h, draft_id)
    assert (incident.category, incident.severity, incident.description) == (
        "netralitas", "sedang", DESCRIPTION)


async def test_an_all_clear_changed_to_an_incident_asks_what_it_had_set(h: Harness) -> None:
    draft_id = await walk(h, OFFICER, Step.CATEGORY)
    await press(h, OFFICER, f"lp:{draft_id}:cat:kondusif")
    (menu,) = sends(await press(h, OFFICER, f"lp:{draft_id}:edit"))
    # An all-clear report's severity and description come with its category.
    assert f"lp:{draft_id}:fix:sev" not in str(menu.buttons())
    assert STALE in said(await press(h, OFFICER, f"lp:{draft_id}:fix:sev"))
    await press(h, OFFICER, f"lp:{draft_id}:fix:cat")
    (ask,) = sends(await press(h, OFFICER, f"lp:{draft_id}:cat:kamtib"))
    assert "Seberapa gawat" in ask.text
    (ask,) = sends(await press(h, OFFICER, f"lp:{draft_id}:sev:tinggi"))
    assert "Tuliskan apa yang terjadi" in ask.text
    (summary,) = sends(await say(h, OFFICER, NEW_TEXT))
    assert "Ringkasan laporan" in summary.text
    incident = await send_and_get(h, draft_id)
    assert (incident.category, incident.severity, incident.description) == (
        "kamtib", "tinggi", NEW_TEXT)


async def test_an_incident_changed_to_all_clear_goes_to_the_summary(h: Harness) -> None:
    draft_id = await summary_after_everything(h)
    await press(h, OFFICER, f"lp:{draft_id}:edit")
    await press(h, OFFICER, f"lp:{draft_id}:fix:cat")
    (summary,) = sends(await press(h, OFFICER, f"lp:{draft_id}:cat:kondusif"))
    assert "Ringkasan laporan" in summary.text and "Situasi aman dan kondusif." in summary.text
    incident = await send_and_get(h, draft_id)
    assert (incident.category, incident.severity) == ("kondusif", "info")


async def test_removing_the_location_and_replacing_the_photos(h: Harness) -> None:
    draft_id = await summary_after_everything(h)
    await press(h, OFFICER, f"lp:{draft_id}:edit")
    calls = await press(h, OFFICER, f"lp:{draft_id}:fix:loc")
    assert "lokasi kejadian" in said(calls)
    skipped = sends(await say(h, OFFICER, "Lewati"))
    assert "Ringkasan laporan" in skipped[-1].text and "Lokasi: —" in skipped[-1].text
    await press(h, OFFICER, f"lp:{draft_id}:edit")
    await press(h, OFFICER, f"lp:{draft_id}:fix:media")
    await h.send(u.message(u.user(OFFICER), photo=photo("f2")))
    (summary,) = sends(await press(h, OFFICER, f"lp:{draft_id}:done"))
    assert "Ringkasan laporan" in summary.text
    incident = await send_and_get(h, draft_id)
    assert incident.latitude is None and incident.tps == "007"
    assert [m[1] for m in await incidents_store.media_of(h.db, incident.id)] == ["f2"]


@pytest.mark.parametrize("data", ["fix:zzz", "fix:", "fix:cat:1", "back:1", "help:2"])
async def test_forged_change_buttons_are_stale(h: Harness, data: str) -> None:
    draft_id = await summary_after_everything(h)
    assert STALE in said(await press(h, OFFICER, f"lp:{draft_id}:{data}"))
    assert (await current(h, OFFICER)).step is Step.CONFIRM


async def test_change_buttons_only_on_the_summary(h: Harness) -> None:
    draft_id = await walk(h, OFFICER, Step.DESCRIPTION)
    for data in ("edit", "fix:tps", "back"):
        assert STALE in said(await press(h, OFFICER, f"lp:{draft_id}:{data}"))
    assert (await current(h, OFFICER)).step is Step.DESCRIPTION


async def test_category_hints_one_tap_away_and_back(h: Harness) -> None:
    draft_id = await walk(h, OFFICER, Step.CATEGORY)
    (shown,) = sends(await press(h, OFFICER, f"lp:{draft_id}:help:1"))
    assert shown.method == "editMessageText"
    assert "• <b>Kamtib</b> — kekerasan, intimidasi, kericuhan" in shown.text
    assert shown.text.count("\n• ") == len(CATEGORIES)
    assert ("🔼 Tutup penjelasan", f"lp:{draft_id}:help:0") in shown.buttons()
    assert sum(":cat:" in data for _, data in shown.buttons()) == len(CATEGORIES)
    (hidden,) = sends(await press(h, OFFICER, f"lp:{draft_id}:help:0"))
    assert "•" not in hidden.text and len(hidden.text) < 120
    # The hints change nothing: a category is still one tap.
    await press(h, OFFICER, f"lp:{draft_id}:cat:logistik")
    assert (await current(h, OFFICER)).step is Step.SEVERITY
    assert STALE in said(await press(h, OFFICER, f"lp:{draft_id}:help:1"))


async def test_category_hints_in_english(h: Harness) -> None:
    await press(h, OFFICER, "lang:en")
    draft_id = await walk(h, OFFICER, Step.CATEGORY)
    (shown,) = sends(await press(h, OFFICER, f"lp:{draft_id}:help:1"))
    assert "Choose a category" in shown.text and "• <b>Logistics</b>" in shown.text
