"""What a camat needs to act on alerts: every open alert reachable and takeable in
``/peringatan`` page by page, and *Lihat posko* naming whom to call."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.texts import fmt_until
from scheduler.sweep import sweep
from storage import desks as desks_store
from storage.models import Role, utcnow
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.sweeping import CONFIG, KEC, KEL, check_in, only_these_need_staff, soon
from tests.support.telegram import sends

CAMAT, LURAH, BUDI, SITI, KOTA_HEAD = 602, 601, 603, 604, 605
WIB = ZoneInfo("Asia/Jakarta")


async def _kelurahan(h: Harness, n: int, kecamatan: str) -> list[str]:
    codes = [r[0] for r in await h.db.fetchall(
        "SELECT code FROM desks WHERE level = 'kelurahan_desa' AND code LIKE ? ORDER BY code "
        "LIMIT ?", (kecamatan + ".%", n))]
    assert len(codes) == n
    return codes


async def test_every_open_alert_is_reachable_and_takeable(harness: Harness) -> None:
    h = harness
    await h.stop_sender()
    kota = u.user(KOTA_HEAD)
    await h.member(KOTA_HEAD, "31.73", Role.SUPERVISOR)
    codes = await _kelurahan(h, 6, KEC) + await _kelurahan(h, 5, "31.73.02")
    await only_these_need_staff(h.db, *codes)
    for code in codes:
        await h.set_desk(code, duty_hours="00:00-24:00")
    assert (await sweep(h.db, soon(), CONFIG)).opened == 11
    (first,) = await h.send(u.text(kota, "/peringatan"))
    assert "Peringatan terbuka: 11</b> (halaman 1/2)" in first.text
    acks = [d for _, d in first.buttons() if d.startswith("ack:")]
    assert len(acks) == 8 == sum(line.startswith("• ") for line in first.text.split("\n"))
    assert first.buttons()[-1] == ("›", "alp:1")
    calls = await h.send(u.callback(kota, "alp:1"))
    (second,) = [c for c in calls if c.method == "editMessageText"]
    assert "(halaman 2/2)" in second.text
    more = [d for _, d in second.buttons() if d.startswith("ack:")]
    assert len(more) == 3 and not set(more) & set(acks)
    assert second.buttons()[-1] == ("‹", "alp:0")
    ids = {int(d.split(":")[1]) for d in acks + more}
    assert ids == {r[0] for r in await h.db.fetchall("SELECT id FROM alerts")}
    # A page button from when more alerts were open shows the last page there is.
    async with h.db.transaction() as tx:
        await tx.execute("UPDATE alerts SET resolved_at = opened_at, resolution = 'staffed' "
                         "WHERE id NOT IN (SELECT min(id) FROM alerts)")
    calls = await h.send(u.callback(kota, "alp:1"))
    (last,) = [c for c in calls if c.method == "editMessageText"]
    assert "Peringatan terbuka: 1</b> (halaman 1/1)" in last.text
    assert not [d for _, d in last.buttons() if d.startswith("alp:")]


async def test_desk_view_names_whom_to_call(harness: Harness) -> None:
    h = harness
    await h.stop_sender()
    await only_these_need_staff(h.db, KEL)
    await h.set_desk(KEL, duty_hours="00:00-24:00")
    await h.member(CAMAT, KEC, Role.SUPERVISOR)
    desk = await desks_store.by_code(h.db, KEL)
    assert desk is not None
    (view,) = sends(await h.send(u.callback(u.user(CAMAT), f"desk:{desk.id}")))
    assert f"Belum ada petugas terdaftar. Undang dengan /undang {KEL}" in view.text
    assert "sampai 24.00 WIB" in view.text  # not "02/12 00.00"
    await h.member(LURAH, KEL, Role.SUPERVISOR, name="Pak Lurah")
    await h.member(BUDI, KEL, Role.OFFICER, name="Budi Santoso")
    await h.member(SITI, KEL, Role.OFFICER, name="Siti <Aminah>")
    await check_in(h.db, BUDI, KEL, utcnow() - timedelta(minutes=5))
    (view,) = sends(await h.send(u.callback(u.user(CAMAT), f"desk:{desk.id}")))
    lines = view.text.split("\n")
    assert any(line.startswith(f'• <a href="tg://user?id={BUDI}">Budi Santoso</a> bertugas')
               for line in lines)
    assert ("Petugas terdaftar yang tidak sedang bertugas: "
            f'<a href="tg://user?id={SITI}">Siti &lt;Aminah&gt;</a>') in lines
    assert f'Pengawas posko: <a href="tg://user?id={LURAH}">Pak Lurah</a>' in lines
    assert "Belum ada petugas terdaftar" not in view.text


@pytest.mark.parametrize(("end", "now", "shown"), [
    (datetime(2026, 12, 2, 0, 0, tzinfo=WIB), datetime(2026, 12, 1, 9, 0, tzinfo=WIB),
     "24.00 WIB"),
    (datetime(2026, 12, 1, 14, 0, tzinfo=WIB), datetime(2026, 12, 1, 9, 0, tzinfo=WIB),
     "14.00 WIB"),
    # A night window ending tomorrow morning keeps its date.
    (datetime(2026, 12, 2, 8, 0, tzinfo=WIB), datetime(2026, 12, 1, 21, 0, tzinfo=WIB),
     "02/12 08.00 WIB"),
    # Midnight two days on is not "24.00" of today.
    (datetime(2026, 12, 3, 0, 0, tzinfo=WIB), datetime(2026, 12, 1, 21, 0, tzinfo=WIB),
     "03/12 00.00 WIB"),
])
def test_the_end_of_a_window_reads_as_its_day(end: datetime, now: datetime, shown: str) -> None:
    assert fmt_until("id", end, WIB, now) == shown
    # English keeps the colon: the same window reads "24:00 WIB" there.
    assert fmt_until("en", end, WIB, now) == shown.replace(".", ":")


async def test_a_desk_with_very_many_people_still_fits_one_message(harness: Harness) -> None:
    h = harness
    await h.stop_sender()
    desk = await desks_store.by_code(h.db, KEL)
    assert desk is not None
    await h.member(CAMAT, KEC, Role.SUPERVISOR)
    for n in range(150):  # long names, each a mention: far more than 4,096 units in all
        await h.member(800_000 + n, KEL, Role.OFFICER, name="Petugas 🗳️ " + "Wijayakusuma " * 4)
    (view,) = sends(await h.send(u.callback(u.user(CAMAT), f"desk:{desk.id}")))
    assert view.text.rstrip().endswith("…")  # cut, and Telegram took it (the request checks)
