"""A /lapor draft over its life: /batal at each step and by button, other commands meanwhile,
*Ubah*, a double *Kirim*, nobody without a desk starting one, and a restart in the middle."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from storage import drafts as drafts_store
from storage import incidents as incidents_store
from storage.drafts import Step
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.reports import (
    CAMAT,
    DESCRIPTION,
    KEL,
    LURAH,
    OFFICER,
    STALE,
    STEPS,
    current,
    people,
    photo,
    press,
    report,
    routed,
    said,
    say,
    walk,
)
from tests.support.settings import ADMIN_ID
from tests.support.telegram import sends


@asynccontextmanager
async def running(db_path: Path) -> AsyncIterator[Harness]:
    """A bot process on ``db_path`` (sender stopped); leaving the block shuts it down."""
    async with Harness.running(db_path) as bot:
        await bot.stop_sender()
        yield bot


async def nothing_left(h: Harness, who: int) -> None:
    assert await drafts_store.draft_of(h.db, who) is None
    for table in ("incident_drafts", "incidents", "incident_media", "outbox"):
        assert await h.db.fetchval(f"SELECT count(*) FROM {table}") == 0, table


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
    assert "percakapan pribadi" in reply.text
    assert await drafts_store.draft_of(h.db, OFFICER) is None


# --- restart in the middle ----------------------------------------------------------------

async def test_draft_survives_a_restart(db_path: Path) -> None:
    async with running(db_path) as first:
        await people(first)
        draft_id = await walk(first, OFFICER, Step.DESCRIPTION, severity="tinggi")
    async with running(db_path) as second:  # a new process on the same file
        calls = await say(second, OFFICER, DESCRIPTION)
        assert "lokasi kejadian" in calls[0].text
        saved = await second.send(u.location(u.user(OFFICER), -6.1387, 106.7238))
        assert saved[0].text == "📍 Lokasi kejadian tercatat."  # words, not "📍 ✓"
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
