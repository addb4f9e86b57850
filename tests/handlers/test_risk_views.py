"""Risk-area desks in /rekap, the digest and the export: listed first and marked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.files.xlsx import export_sheets
from bot.handlers.board import render
from bot.reports.digest import digest_text
from scheduler.digest import build_digest
from storage import board as board_store
from storage import exports as exports_store
from storage.board import State
from storage.models import Role, to_db
from storage.risks import import_risks, parse_risk_csv
from storage.sqlite.engine import Database
from tests.support.sweeping import KEC, check_in, check_out, desk, register

WIB = ZoneInfo("Asia/Jakarta")
KELS = [f"{KEC}.100{i}" for i in range(1, 7)]  # the six kelurahan of Kec. Cengkareng


def at(hour: int, minute: int = 0, day: int = 23) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    """Kec. Cengkareng on Monday 23 Nov 2026: only 1001 and 1002 on duty (08:00-14:00); 1002
    is a flood area (banjir) and 1005 a border one (perbatasan)."""
    database = await Database.open(db_path)
    async with database.transaction() as tx:
        await tx.execute("UPDATE desks SET duty_hours = '-', created_at = ?",
                         (to_db(at(0, day=1)),))
        await tx.execute("UPDATE desks SET duty_hours = '08:00-14:00' WHERE code IN (?, ?)",
                         (KELS[0], KELS[1]))
    await import_risks(database, parse_risk_csv(
        f"code,labels\n{KELS[1]},banjir\n{KELS[4]},perbatasan\n"))
    for uid, code in ((701, KELS[0]), (702, KELS[1])):
        await register(database, uid, code, Role.OFFICER)
    yield database
    await database.close()


async def test_rekap_lists_rawan_desks_first_and_marks_them(db: Database) -> None:
    await check_in(db, 702, KELS[1], at(8))  # the flood desk is staffed, 1001 is empty
    scope = await desk(db, KEC)
    board = await board_store.load(db, scope, at(10))
    order = [(line.code, line.state, line.risks) for line in board.desks]
    assert order[:3] == [(KELS[1], State.STAFFED, ("banjir",)),
                         (KELS[4], State.OFF, ("perbatasan",)),
                         (KELS[0], State.SHORT, ())]
    assert all(not line.risks for line in board.desks[2:])
    text, _ = render(board, "id", at(10), WIB)
    lines = text.splitlines()
    flood = next(line for line in lines if KELS[1] in line)
    assert flood.endswith("⚠ rawan: banjir")
    assert lines.index(flood) < next(i for i, line in enumerate(lines) if KELS[0] in line)
    assert "rawan" not in next(line for line in lines if KELS[0] in line)
    english, _ = render(board, "en", at(10), WIB)
    assert "⚠ risk area: perbatasan" in english



async def test_rekap_of_units_counts_short_rawan_desks_and_puts_their_unit_first(
        db: Database) -> None:
    """The kota's /rekap lists kecamatan: the one with an empty flood desk comes before one
    with more empty desks but none at risk, and says how many of its short desks are rawan."""
    grogol = ("31.73.02.1001", "31.73.02.1002")  # Kec. Grogol Petamburan: two empty, no labels
    async with db.transaction() as tx:
        await tx.executemany("UPDATE desks SET duty_hours = '08:00-14:00' WHERE code = ?",
                             [(code,) for code in grogol])
    await check_in(db, 701, KELS[0], at(8))  # Cengkareng: only the flood desk is empty
    board = await board_store.load(db, await desk(db, "31.73"), at(10))
    assert [(u.code, u.counts.short, u.counts.rawan_short) for u in board.units[:2]] == [
        (KEC, 1, 1), ("31.73.02", 2, 0)]
    text, _ = render(board, "id", at(10), WIB)
    cengkareng = next(line for line in text.splitlines() if f"({KEC})" in line)
    grogol_line = next(line for line in text.splitlines() if "(31.73.02)" in line)
    assert cengkareng.endswith("⚠ 1 posko rawan kurang") and "rawan" not in grogol_line
    english, _ = render(board, "en", at(10), WIB)
    assert "⚠ 1 risk-area desks short" in english
    # Staffed again, the flood desk no longer counts: Grogol, with more desks short, leads.
    await check_in(db, 702, KELS[1], at(10, 5))
    board = await board_store.load(db, await desk(db, "31.73"), at(10, 6))
    assert [(u.code, u.counts.rawan_short) for u in board.units[:2]] == [
        ("31.73.02", 0), (KEC, 0)]

async def test_digest_counts_rawan_empty_time_and_puts_them_first(db: Database) -> None:
    shift = await check_in(db, 702, KELS[1], at(8))
    await check_out(db, shift, at(10))  # the flood desk: empty 10:00-14:00; 1001 all day
    digest = await build_digest(db, await desk(db, KEC), at(20), WIB, now=at(12, day=30))
    assert digest.rawan_desks == 1  # 1005 is labelled but has no duty: nothing to count
    assert digest.rawan.empty == 4 * 3600 and digest.rawan.episodes == 1
    assert [code for _, code, _ in digest.worst] == [KELS[1], KELS[0]]  # not emptiest first
    text = digest_text(digest, "id")
    assert "⚠ Posko rawan (1 posko): kosong 4 jam dalam 1 kali" in text
    assert f"1. Duri Kosambi ({KELS[1]}): kosong 4 jam, terisi 33% ⚠ rawan: banjir" in text
    assert f"({KELS[0]}): kosong 6 jam, terisi 0%\n" in text + "\n"
    english = digest_text(digest, "en")
    assert "⚠ Risk-area desks (1): empty 4 h in 1 episodes" in english


async def test_digest_says_when_rawan_desks_were_never_empty(db: Database) -> None:
    await check_in(db, 702, KELS[1], at(7))
    digest = await build_digest(db, await desk(db, KEC), at(20), WIB, now=at(12, day=30))
    assert digest.rawan_desks == 1 and digest.rawan.empty == 0
    assert "⚠ Posko rawan (1 posko): tidak pernah kosong" in digest_text(digest, "id")


async def test_export_puts_rawan_alerts_and_reports_first_and_marks_them(db: Database) -> None:
    ids = {code: (await desk(db, code)).id for code in KELS[:2]}
    async with db.transaction() as tx:
        for code, opened in ((KELS[0], at(8, 15)), (KELS[1], at(9, 15))):
            await tx.execute("INSERT INTO alerts (desk_id, short_since, opened_at) "
                             "VALUES (?, ?, ?)", (ids[code], to_db(opened), to_db(opened)))
        for seq, (code, made) in enumerate(((KELS[0], at(9)), (KELS[1], at(11))), start=1):
            await tx.execute(
                "INSERT INTO incidents (ref, desk_id, seq, draft_id, reporter_id, category, "
                "severity, description, status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, 701, 'politik_uang', 'sedang', 'x', 'baru', ?, ?)",
                (f"LP-{code}-{seq:04d}", ids[code], seq, seq, to_db(made), to_db(made)))
    data = await exports_store.collect(db, (await desk(db, KEC)).path, at(0), at(0, day=24))
    assert [(a.desk_code, a.rawan) for a in data.alerts] == [(KELS[1], "banjir"),
                                                            (KELS[0], None)]
    assert [(i.desk_code, i.rawan) for i in data.incidents] == [(KELS[1], "banjir"),
                                                               (KELS[0], None)]
    _, alerts, incidents = export_sheets(data, WIB, "id")
    assert alerts.headers[-1] == "Rawan" and incidents.headers[-1] == "Rawan"
    assert [row[-1] for row in alerts.rows] == ["banjir", None]
    assert [row[-1] for row in incidents.rows] == ["banjir", None]
    assert export_sheets(data, WIB, "en")[1].headers[-1] == "Risk area"
