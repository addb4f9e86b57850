"""The weekly report: its setting, its time in each zone, who gets it (kota and provinsi),
once and late after downtime, and what it says: seven days, reports per agency, reports open
for more than three days; its chart and the week's export."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError, load_settings
from bot.outbox import weekly as weekly_outbox
from bot.outbox.render import OutboxRenderer
from bot.reports.digest import weekly_text
from scheduler.jobs import job_specs
from scheduler.weekly import build_weekly, next_weekly, parse_weekly, send_due_weekly
from storage import members as members_store
from storage import outbox as outbox_store
from storage.models import Role, to_db
from storage.outbox_kinds import DigestPayload, OutboxKind
from storage.risks import import_risks, parse_risk_csv
from storage.sqlite.engine import Database
from tests.support.settings import make_settings
from tests.support.sweeping import KEC, KEL, KOTA, desk, register

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
CAMAT, WALIKOTA, GUBERNUR, OFFICER = 301, 302, 303, 304
MONDAY = datetime(2026, 11, 30, 8, tzinfo=WIB)  # a Monday, the default report time


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(db_path)
    async with database.transaction() as tx:
        await tx.execute("UPDATE desks SET duty_hours = '-', created_at = ?",
                         (to_db(wib(1, 0)),))
    for uid, code, role in ((CAMAT, KEC, Role.SUPERVISOR), (WALIKOTA, KOTA, Role.SUPERVISOR),
                            (GUBERNUR, "31", Role.SUPERVISOR), (OFFICER, KEL, Role.OFFICER)):
        await register(database, uid, code, role)
    yield database
    await database.close()


def test_the_setting() -> None:
    assert parse_weekly("senin 08:00") == (0, time(8))
    assert parse_weekly("  Jum'at 7.30 ") == (4, time(7, 30))
    assert parse_weekly("sunday 23:59") == (6, time(23, 59))
    assert parse_weekly("off") is None and parse_weekly("") is None
    for bad in ("senin", "monday 25:00", "someday 08:00", "08:00 senin"):
        with pytest.raises(ValueError):
            parse_weekly(bad)
    assert load_settings(POSKO_WEEKLY_REPORT_DAY="kamis 17:00").weekly_at == (3, time(17))
    with pytest.raises(ConfigError, match=r"^POSKO_WEEKLY_REPORT_DAY: .senen 08:00. is not"):
        load_settings(POSKO_WEEKLY_REPORT_DAY="senen 08:00")
    off = load_settings(POSKO_WEEKLY_REPORT_DAY="off")
    assert off.weekly_at is None
    names = [spec.name for spec in job_specs(
        sweep_interval=timedelta(minutes=1), presence=None,  # type: ignore[arg-type]
        desks=None, location_retention=timedelta(days=1),  # type: ignore[arg-type]
        digest_time=time(20), default_tz=WIB, admin_ids=[], weekly=off.weekly_at)]
    assert "weekly" not in names


def test_next_weekly_in_each_zone() -> None:
    assert next_weekly(wib(29, 23), 0, time(8), WIB) == MONDAY  # Sunday night
    assert next_weekly(MONDAY, 0, time(8), WIB) == MONDAY + timedelta(days=7)
    assert next_weekly(wib(30, 7, 59), 0, time(8), WIB) == MONDAY
    # 08:00 WITA is 07:00 WIB: a Makassar kota gets it an hour before Jakarta's.
    assert next_weekly(wib(29, 12), 0, time(8), WITA) == MONDAY - timedelta(hours=1)
    assert next_weekly(wib(25, 12), 4, time(17), WIB) == wib(27, 17)


async def test_kota_and_provinsi_get_it_once_and_late_after_downtime(db: Database) -> None:
    settings = dict(weekday=0, at=time(8), default_tz=WIB, admin_ids=[])
    assert (await send_due_weekly(db, wib(30, 7, 59), **settings)).queued == 0
    run = await send_due_weekly(db, wib(30, 8, 2), **settings)
    assert run.queued == 2 and run.scheduled == 2  # the wali kota and the gubernur
    assert (await send_due_weekly(db, wib(30, 8, 7), **settings)).queued == 0
    rows = await db.fetchall("SELECT chat_id, kind, payload FROM outbox ORDER BY id")
    assert sorted({r[0] for r in rows}) == [WALIKOTA, GUBERNUR]  # not the camat
    assert [r[1] for r in rows if r[0] == WALIKOTA] == ["weekly", "weekly_chart", "weekly_file"]
    # Down from Sunday the 6th to Tuesday the 8th: the missed one goes out then, once.
    assert (await send_due_weekly(db, datetime(2026, 12, 8, 9, tzinfo=WIB),
                                  **settings)).queued == 2
    assert (await send_due_weekly(db, datetime(2026, 12, 8, 9, 5, tzinfo=WIB),
                                  **settings)).queued == 0
    assert await db.fetchval("SELECT min(next_at) FROM weekly_schedule") == to_db(
        datetime(2026, 12, 14, 8, tzinfo=WIB))
    # An admin gets the whole country.
    await members_store.ensure_admin(db, 999, "Admin", None)
    run = await send_due_weekly(db, datetime(2026, 12, 14, 8, 1, tzinfo=WIB),
                                **{**settings, "admin_ids": [999]})
    assert run.scheduled == 3
    assert await db.fetchval("SELECT count(*) FROM weekly_schedule WHERE chat_id = 999 "
                             "AND desk_id IS NULL") == 1


async def _week(db: Database) -> None:
    """Three reports in the week (two concern Bawaslu, one Polri and TNI), one of them open
    since five days; and one report from before the week, still open."""
    kel = await desk(db, KEL)
    async with db.transaction() as tx:
        for seq, (category, status, made, agencies) in enumerate((
                ("politik_uang", "baru", wib(25, 9), ("bawaslu",)),
                ("netralitas", "selesai", wib(27, 9), ("bawaslu",)),
                ("kamtib", "ditangani", wib(29, 9), ("polri", "tni")),
                ("logistik", "baru", wib(20, 9), ("kpu",))), start=1):
            cursor = await tx.execute(
                "INSERT INTO incidents (ref, desk_id, seq, draft_id, reporter_id, category, "
                "severity, description, status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, 'sedang', 'x', ?, ?, ?)",
                (f"LP-{KEL}-{seq:04d}", kel.id, seq, seq, OFFICER, category, status,
                 to_db(made), to_db(made)))
            await tx.executemany(
                "INSERT INTO incident_agencies (incident_id, agency, at) VALUES (?, ?, ?)",
                [(cursor.lastrowid, agency, to_db(made)) for agency in agencies])


async def test_what_the_week_says(db: Database, db_path: Path) -> None:
    await _week(db)
    kota = await desk(db, KOTA)
    weekly = await build_weekly(db, kota, MONDAY, WIB, now=MONDAY)
    assert (weekly.digest.start, weekly.digest.end) == (MONDAY - timedelta(days=7), MONDAY)
    assert weekly.digest.by_category == {"politik_uang": 1, "netralitas": 1, "kamtib": 1}
    assert weekly.by_agency == {"bawaslu": 2, "polri": 1, "tni": 1}
    assert weekly.overdue == 2  # the one of the 25th and the one from before the week
    async with db.transaction() as tx:
        ids = await outbox_store.enqueue(tx, [outbox_store.Intent(
            WALIKOTA, kind, DigestPayload(kota.id, MONDAY))
            for kind in (OutboxKind.WEEKLY, OutboxKind.WEEKLY_CHART, OutboxKind.WEEKLY_FILE)],
            MONDAY)
    renderer = OutboxRenderer(db, make_settings(db_path))
    text, chart, file = [await renderer(row) for row in
                         [await outbox_store.get_row(db, i) for i in ids] if row is not None]
    assert text is not None
    assert "📅 <b>Laporan mingguan Kota Administrasi Jakarta Barat</b>" in text.text
    assert "Laporan per instansi mitra: Bawaslu 2, Polri 1, TNI 1" in text.text
    assert "Laporan terbuka lebih dari 3 hari: <b>2</b>" in text.text
    assert chart is not None and chart.photo is not None and chart.photo.startswith(b"\x89PNG")
    assert file is not None and file.document is not None
    name, content = file.document
    assert name == "posko-31.73-2026-11-23-2026-11-29.xlsx" and content.startswith(b"PK")
    assert "23/11/2026" in file.text or "2026-11-23" in file.text


async def test_a_week_too_big_for_telegram_says_how_to_export_it(
        db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    await _week(db)
    monkeypatch.setattr(weekly_outbox, "MAX_ROWS", 2)  # the week holds three reports
    kota = await desk(db, KOTA)
    async with db.transaction() as tx:
        (row_id,) = await outbox_store.enqueue(tx, [outbox_store.Intent(
            WALIKOTA, OutboxKind.WEEKLY_FILE, DigestPayload(kota.id, MONDAY))], MONDAY)
    row = await outbox_store.get_row(db, row_id)
    assert row is not None
    file = await OutboxRenderer(db, make_settings(db_path))(row)
    assert file is not None and file.document is None
    assert "terlalu besar" in file.text and "(3 baris, paling banyak 2)" in file.text
    assert "posko-bot export --scope 31.73 --from 2026-11-23 --to 2026-11-29" in file.text


async def test_the_week_of_the_risk_area_desks(db: Database, db_path: Path) -> None:
    # The kelurahan is a flood area on duty 08:00-14:00 every day, and nobody came all week.
    async with db.transaction() as tx:
        await tx.execute("UPDATE desks SET duty_hours = '08:00-14:00' WHERE code = ?", (KEL,))
    await import_risks(db, parse_risk_csv(f"code,labels\n{KEL},banjir\n"))
    kota = await desk(db, KOTA)
    weekly = await build_weekly(db, kota, MONDAY, WIB, now=MONDAY)
    assert weekly.digest.rawan_desks == 1
    assert weekly.digest.rawan.empty == 7 * 6 * 3600  # six hours a day, seven days
    text = weekly_text(weekly, "id", load_settings().routing)
    assert "⚠ Posko rawan (1 posko): kosong 42 jam dalam 7 kali" in text
