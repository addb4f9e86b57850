"""/laporan through the real Application: open reports by page and scope, and one report
with its history."""

from __future__ import annotations

import pytest

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
    STRANGER,
    WALIKOTA,
    finish,
    hand_off,
    press,
    report,
    say,
    take,
)
from tests.support.telegram import answer


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
    assert answer(calls).text == "Perintah ini untuk pengawas dan admin."
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
    assert [d for _, d in one.buttons()] == [finish(incident), hand_off(incident)]

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
