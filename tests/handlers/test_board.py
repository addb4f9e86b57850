"""The /rekap board: storage counts and order at injected times, and the handler with buttons."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import board as board_store
from storage import desks as desks_store
from storage import members as members_store
from storage.board import State
from storage.models import Role, to_db, utcnow
from storage.sqlite.engine import Database
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.settings import ADMIN_ID
from tests.support.sweeping import KEC, KOTA, check_in, check_out, desk, register, wib
from tests.support.telegram import Call, answer, sends

KELS = [f"{KEC}.100{i}" for i in range(1, 7)]  # the six kelurahan of Kec. Cengkareng
JAKARTA_BARAT_KECAMATAN = ["Cengkareng", "Grogol Petamburan", "Taman Sari", "Tambora",
                           "Kebon Jeruk", "Kalideres", "Pal Merah", "Kembangan"]
CAMAT, WALIKOTA, LURAH, OFFICER, GAMBIR_CAMAT = 601, 602, 603, 604, 605


# --- storage, at injected times ----------------------------------------------------------

@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    """The Jakarta database with Kec. Cengkareng set up for Monday 23 Nov 2026, 10:00 WIB.

    Default hours (kelurahan 08:00-14:00, kecamatan 08:00-15:00). 1001 staffed since 08:05;
    1002 left at 09:30; 1003 never staffed but its open alert says short since 08:20; 1004
    never staffed; 1005 has a date rule with no duty today; 1006 needs two and has one; the
    kecamatan desk is staffed.
    """
    database = await Database.open(db_path)
    for n, code in enumerate([KEC, *KELS]):
        await register(database, 700 + n, code, Role.OFFICER)
    await check_in(database, 700, KEC, wib(8))
    await check_in(database, 701, KELS[0], wib(8, 5))
    await check_out(database, await check_in(database, 702, KELS[1], wib(8)), wib(9, 30))
    await check_in(database, 706, KELS[5], wib(8, 10))
    async with database.transaction() as tx:
        kel3, kel5, kel6 = [(await desk(database, c)).id for c in (KELS[2], KELS[4], KELS[5])]
        await tx.execute("INSERT INTO alerts (desk_id, short_since, opened_at) VALUES (?, ?, ?)",
                         (kel3, to_db(wib(8, 20)), to_db(wib(8, 35))))
        await tx.execute("INSERT INTO duty_rules (desk_id, day, duty_hours, created_at) "
                         "VALUES (?, '2026-11-23', '-', ?)", (kel5, to_db(wib(0))))
        await tx.execute("UPDATE desks SET min_staff = 2 WHERE id = ?", (kel6,))
    yield database
    await database.close()


async def test_kecamatan_counts_and_order(db: Database) -> None:
    scope = await desk(db, KEC)
    board = await board_store.load(db, scope, wib(10))
    assert not board.by_unit and (board.page, board.pages) == (0, 1)
    assert (board.counts.short, board.counts.staffed, board.counts.off) == (4, 2, 1)
    order = [(line.code, line.state, line.since) for line in board.desks]
    assert order == [
        (KELS[3], State.SHORT, wib(8)),  # never staffed: short since the window opened
        (KELS[5], State.SHORT, wib(8)),  # one of two: short since the window opened
        (KELS[2], State.SHORT, wib(8, 20)),  # the open alert's short_since wins
        (KELS[1], State.SHORT, wib(9, 30)),  # the last check-out
        (KEC, State.STAFFED, None),
        (KELS[0], State.STAFFED, None),
        (KELS[4], State.OFF, None),  # the date rule: no duty today
    ]
    partial = board.desks[1]
    assert (partial.open_shifts, partial.min_staff) == (1, 2)


async def test_after_duty_everything_is_off(db: Database) -> None:
    board = await board_store.load(db, await desk(db, KEC), wib(16))
    assert board.counts.off == 7 and board.counts.total == 7
    assert all(line.state is State.OFF for line in board.desks)


async def test_kota_is_summarised_per_kecamatan(db: Database) -> None:
    scope = await desk(db, KOTA)
    moment = wib(10)
    board = await board_store.load(db, scope, moment)
    assert board.by_unit and board.own is not None and board.own.code == KOTA
    total = await db.fetchval("SELECT count(*) FROM desks WHERE path LIKE ?", (scope.path + "%",))
    assert board.counts.total == total
    summary = await desks_store.summarize(db, scope.path, moment)
    assert (board.counts.short, board.counts.short + board.counts.staffed) == \
        (summary.short, summary.on_duty)
    assert sorted(unit.name for unit in board.units) == sorted(JAKARTA_BARAT_KECAMATAN)
    shorts = [unit.counts.short for unit in board.units]
    assert shorts == sorted(shorts, reverse=True)  # worst first
    (cengkareng,) = [unit for unit in board.units if unit.code == KEC]
    c = cengkareng.counts
    assert (c.short, c.staffed, c.off) == (4, 2, 1)
    # Every unit with none staffed is all short at 10:00 (default hours, nobody there).
    assert all(unit.counts.short == unit.counts.total for unit in board.units
               if unit.code != KEC)


async def test_whole_installation_and_paging(db: Database,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    everything = await board_store.load(db, None, wib(10))
    summary = await desks_store.summarize(db, None, wib(10))
    assert everything.counts.total == summary.total == 318
    assert [unit.code for unit in everything.units] == ["31"]
    assert (await board_store.single_root(db)) is not None
    monkeypatch.setattr(board_store, "PAGE", 3)
    scope = await desk(db, KEC)
    pages = [await board_store.load(db, scope, wib(10), n) for n in range(3)]
    assert [p.pages for p in pages] == [3, 3, 3]
    assert [len(p.desks) for p in pages] == [3, 3, 1]
    assert pages[2].desks[0].state is State.OFF
    stale = await board_store.load(db, scope, wib(10), 99)  # a page that no longer exists
    assert stale.page == 2


# --- the handler, on the real clock --------------------------------------------------------

@pytest.fixture
async def h(harness: Harness) -> Harness:
    """Everything off duty except Cengkareng's desks 1001-1003 and 1006 (00:00-24:00).

    1001 and 1006 are staffed; 1002 has nobody; 1003 needs two and has one. The kecamatan desk,
    1004 and 1005 are off duty. So Cengkareng: 2 short, 2 staffed, 3 off duty.
    """
    await harness.stop_sender()
    async with harness.db.transaction() as tx:
        await tx.execute("UPDATE desks SET duty_hours = '-'")
    for code in (KELS[0], KELS[1], KELS[2], KELS[5]):
        await harness.set_desk(code, duty_hours="00:00-24:00")
    await harness.set_desk(KELS[2], min_staff=2)
    await harness.member(CAMAT, KEC, Role.SUPERVISOR, name="Bu Camat")
    await harness.member(WALIKOTA, KOTA, Role.SUPERVISOR, name="Pak Wali")
    await harness.member(LURAH, KELS[0], Role.SUPERVISOR, name="Pak Lurah")
    await harness.member(GAMBIR_CAMAT, "31.71.01", Role.SUPERVISOR, name="Camat Gambir")
    for n, code in enumerate((KELS[0], KELS[2], KELS[5])):
        await harness.member(OFFICER + 10 * n, code, Role.OFFICER)
        await check_in(harness.db, OFFICER + 10 * n, code, utcnow())
    return harness


def sent(calls: list[Call]) -> Call:
    (found,) = sends(calls)
    return found


def index(lines: list[str], name: str) -> int:
    """The line of a desk or unit (names are matched whole, "Cengkareng" ≠ "Cengkareng Barat")."""
    (found,) = [i for i, line in enumerate(lines)
                if f" {name} (" in line.split(" — ")[0] or f"<b>{name}</b> (" in line]
    return found


async def test_camat_sees_counts_and_short_desks_first(h: Harness) -> None:
    message = sent(await h.send(u.text(u.user(CAMAT), "/rekap")))
    lines = message.text.splitlines()
    assert "<b>Cengkareng</b>: 7 posko — 🔴 2 kurang, 🟢 2 ada petugas, ⚪ 3 di luar jam tugas" \
        in lines[0]
    duri, rawa = index(lines, "Duri Kosambi"), index(lines, "Rawa Buaya")
    assert "kosong sejak" in lines[duri] and "1/2 petugas, kurang sejak" in lines[rawa]
    staffed = [index(lines, "Cengkareng Barat"), index(lines, "Cengkareng Timur")]
    off = [index(lines, "Posko Cengkareng"), index(lines, "Kedaung Kali Angke"),
           index(lines, "Kapuk")]
    assert max(duri, rawa) < min(staffed) and max(staffed) < min(off)
    assert "1/1 petugas" in lines[staffed[0]] and "di luar jam tugas" in lines[off[1]]
    assert all(len(data.encode()) <= 64 for _, data in message.buttons())


async def test_kota_sees_kecamatan_and_drills_down(h: Harness) -> None:
    message = sent(await h.send(u.text(u.user(WALIKOTA), "/board")))
    lines = message.text.splitlines()
    assert "Per kecamatan" in lines[1]
    units = [line for line in lines if "posko —" in line][1:]
    assert len(units) == 8
    # Each unit with its code, so a camat can name it to /undang.
    assert units[0] == ("🔴 <b>Cengkareng</b> (31.73.01): 7 posko — 2 kurang, 2 ada petugas, "
                        "3 di luar jam tugas")
    drills = [(text, data) for text, data in message.buttons() if text.startswith("🔎")]
    assert sorted(text[2:] for text, _ in drills) == sorted(JAKARTA_BARAT_KECAMATAN)
    (cengkareng,) = [data for text, data in drills if text == "🔎 Cengkareng"]
    calls = await h.send(u.callback(u.user(WALIKOTA), cengkareng))
    edit = sent(calls)
    assert edit.method == "editMessageText" and answer(calls).params.get("text") is None
    assert edit.text.splitlines()[0].startswith("📋 <b>Cengkareng</b>: 7 posko")
    assert "Duri Kosambi (31.73.01.1002) — kosong sejak" in edit.text
    kota = await desk(h.db, KOTA)
    assert ("⬆ Kota Administrasi Jakarta Barat", f"rk:{kota.id}:0") in edit.buttons()


async def test_paging_moves_through_a_long_list(h: Harness,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(board_store, "PAGE", 3)
    message = sent(await h.send(u.text(u.user(CAMAT), "/rekap")))
    seen, pages = [], 0
    while True:
        pages += 1
        lines = message.text.splitlines()
        assert f"hlm. {pages}/3" in lines[1]
        seen += lines[3:]
        forward = [data for text, data in message.buttons() if text == "›"]
        if not forward:
            break
        message = sent(await h.send(u.callback(u.user(CAMAT), forward[0])))
        assert message.method == "editMessageText"
        assert any(text == "‹" for text, _ in message.buttons())
    assert pages == 3 and len(seen) == 7
    assert "Duri Kosambi" in seen[0] and "Kapuk" in seen[-1]


async def test_a_real_page_break(h: Harness) -> None:
    """Kec. Tambora has 12 desks: two pages at the real page size."""
    tambora = await desk(h.db, "31.73.04")
    first = sent(await h.send(u.callback(u.user(WALIKOTA), f"rk:{tambora.id}:0")))
    assert "hlm. 1/2" in first.text and len(first.text.splitlines()) == 3 + board_store.PAGE
    assert ("›", f"rk:{tambora.id}:1") in first.buttons()
    last = sent(await h.send(u.callback(u.user(WALIKOTA), f"rk:{tambora.id}:1")))
    assert "hlm. 2/2" in last.text and len(last.text.splitlines()) == 3 + 12 - board_store.PAGE
    assert [text for text, _ in last.buttons() if text in ("‹", "›")] == ["‹"]


async def test_button_outside_the_scope_is_refused(h: Harness) -> None:
    other = await desk(h.db, "31.71")  # Jakarta Pusat, another kota
    calls = await h.send(u.callback(u.user(WALIKOTA), f"rk:{other.id}:0"))
    assert "tidak berada dalam wilayah Anda" in answer(calls).text
    assert [c for c in calls if c.method == "editMessageText"] == []
    calls = await h.send(u.callback(u.user(CAMAT), "rk:0:0"))  # the country: admins only
    assert answer(calls).text == "Tombol ini sudah tidak berlaku."
    calls = await h.send(u.callback(u.user(CAMAT), "rk:x:0"))
    assert answer(calls).text == "Tombol ini sudah tidak berlaku."
    # The lurah's own board has no way up; a forged one for the kecamatan is refused.
    lurah = sent(await h.send(u.text(u.user(LURAH), "/rekap")))
    assert not any(text.startswith("⬆") for text, _ in lurah.buttons())
    kec = await desk(h.db, KEC)
    calls = await h.send(u.callback(u.user(LURAH), f"rk:{kec.id}:0"))
    assert "tidak berada dalam wilayah Anda" in answer(calls).text


async def test_in_english(h: Harness) -> None:
    await members_store.set_language(h.db, CAMAT, "en")
    message = sent(await h.send(u.text(u.user(CAMAT), "/board")))
    assert message.text.startswith("📋 <b>Cengkareng</b>: 7 desks — 🔴 2 short, 🟢 2 staffed, "
                                   "⚪ 3 off duty")
    assert "Duri Kosambi (31.73.01.1002) — empty since" in message.text


async def test_officers_and_groups_are_refused(h: Harness) -> None:
    reply = sent(await h.send(u.text(u.user(OFFICER), "/rekap")))
    assert reply.text == "Perintah ini untuk pengawas dan admin."
    kec = await desk(h.db, KEC)
    calls = await h.send(u.callback(u.user(OFFICER), f"rk:{kec.id}:0"))
    assert answer(calls).text == "Perintah ini untuk pengawas dan admin."
    group = sent(await h.send(u.text(u.user(CAMAT), "/rekap", chat=u.group_chat())))
    assert "Cengkareng" not in group.text


async def test_admin_sees_the_province_by_kota(h: Harness) -> None:
    message = sent(await h.send(u.text(u.user(ADMIN_ID, "Admin"), "/rekap")))
    lines = message.text.splitlines()
    assert lines[0].startswith("📋 <b>Daerah Khusus Ibukota Jakarta</b>: 318 posko — "
                               "🔴 2 kurang, 🟢 2 ada petugas, ⚪ 314 di luar jam tugas")
    assert "Per kabupaten/kota" in lines[1]
    kota = [line for line in lines[3:] if "<b>" in line]
    assert len(kota) == 6 and "<b>Kota Administrasi Jakarta Barat</b>" in kota[0]
    (barat,) = [data for text, data in message.buttons()
                if text == "🔎 Kota Administrasi Jakarta Barat"]
    edit = sent(await h.send(u.callback(u.user(ADMIN_ID, "Admin"), barat)))
    assert "Per kecamatan" in edit.text
    province = await desk(h.db, "31")
    assert ("⬆ Daerah Khusus Ibukota Jakarta", f"rk:{province.id}:0") in edit.buttons()
    again = sent(await h.send(u.callback(u.user(ADMIN_ID, "Admin"), "rk:0:0")))
    assert again.text.splitlines()[0] == lines[0]
