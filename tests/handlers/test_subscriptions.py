"""``/langganan`` in a group shared by supervisors of different areas, through the real
Application: each adds and ends only the subscriptions within their own scope, and the group
still receives what the others subscribed it to."""

from __future__ import annotations

import pytest

from scheduler.sweep import sweep
from storage import incidents as incidents_store
from storage.models import Role
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.settings import ADMIN_ID
from tests.support.sweeping import CONFIG, KEC, KEL, desk, intents, only_these_need_staff, soon

GAMBIR = "31.71.01"  # Kec. Gambir, Jakarta Pusat: another kecamatan
CAMAT, GAMBIR_CAMAT, LURAH = 601, 602, 603
GROUP = -100321


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """KEL on duty all day and alone needing staff; the two camats and the lurah of KEL."""
    await harness.stop_sender()
    await only_these_need_staff(harness.db, KEL)
    await harness.set_desk(KEL, duty_hours="00:00-24:00")
    await harness.member(CAMAT, KEC, Role.SUPERVISOR, name="Camat Cengkareng")
    await harness.member(GAMBIR_CAMAT, GAMBIR, Role.SUPERVISOR, name="Camat Gambir")
    await harness.member(LURAH, KEL, Role.SUPERVISOR, name="Lurah Cengkareng Barat")
    return harness


async def send(h: Harness, user: int, text: str) -> str:
    (answer,) = await h.send(u.text(u.user(user), text, chat=u.group_chat(GROUP)))
    return str(answer.text)


async def active(h: Harness) -> list[str]:
    rows = await h.db.fetchall(
        "SELECT d.code FROM subscriptions s JOIN desks d ON d.id = s.desk_id "
        "WHERE s.chat_id = ? AND s.active = 1 ORDER BY d.code", (GROUP,))
    return [str(r[0]) for r in rows]


async def test_another_areas_supervisor_changes_only_their_own(h: Harness) -> None:
    assert "Cengkareng" in await send(h, CAMAT, "/langganan")
    added = await send(h, GAMBIR_CAMAT, "/langganan")
    assert "<b>Gambir</b>" in added
    assert f"Grup ini berlangganan: Cengkareng ({KEC}), Gambir ({GAMBIR})." in added
    assert await active(h) == [GAMBIR, KEC]
    # Cengkareng's subscription is not theirs to change or end.
    for attempt in (f"/langganan {KEC}", f"/langganan off {KEC}"):
        refused = await send(h, GAMBIR_CAMAT, attempt)
        assert refused.splitlines()[:2] == [
            f"Posko {KEC} tidak berada dalam wilayah Anda.",
            "Anda hanya dapat menambah atau menghentikan langganan di wilayah Anda: "
            "/langganan [kode posko] atau /langganan off [kode posko]."]
    ended = await send(h, GAMBIR_CAMAT, "/langganan off")
    assert ended.splitlines() == ["🔕 Langganan grup ini dihentikan: Gambir.",
                                  f"Grup ini berlangganan: Cengkareng ({KEC})."]
    assert await active(h) == [KEC]
    again = await send(h, GAMBIR_CAMAT, "/langganan off")  # nothing of theirs left
    assert "hanya dapat menambah atau menghentikan langganan di wilayah Anda" in again
    assert await active(h) == [KEC]
    # The group still receives Cengkareng's alerts.
    assert (await sweep(h.db, soon(), CONFIG)).opened == 1
    assert sorted(chat for chat, *_ in await intents(h.db, "alerts")) == [GROUP, LURAH]


async def test_a_desk_in_two_subscriptions_reaches_the_group_once(h: Harness) -> None:
    await send(h, CAMAT, "/langganan")
    await send(h, LURAH, "/langganan")
    await send(h, LURAH, "/langganan")  # the same scope again: nothing new
    assert await active(h) == [KEC, KEL]
    assert (await sweep(h.db, soon(), CONFIG)).opened == 1
    sent = [payload for chat, _, payload in await intents(h.db, "alerts") if chat == GROUP]
    assert len(sent) == 1 and len(sent[0]["alerts"]) == 1
    report_to = await incidents_store.recipients(h.db, await desk(h.db, KEL), "info")
    assert report_to.count(GROUP) == 1


async def test_a_supervisor_ends_the_narrower_ones_an_admin_all(h: Harness) -> None:
    await send(h, GAMBIR_CAMAT, "/langganan")
    await send(h, LURAH, "/langganan")
    await send(h, CAMAT, f"/langganan {KEC}")
    assert (await send(h, CAMAT, f"/langganan off {KEL}")).startswith(
        "🔕 Langganan grup ini dihentikan: Cengkareng Barat.")
    assert await active(h) == [GAMBIR, KEC]
    assert await send(h, ADMIN_ID, "/langganan off") == (
        "🔕 Langganan grup ini dihentikan: Cengkareng, Gambir.\n"
        "Grup ini belum berlangganan apa pun.")
    assert await active(h) == []
