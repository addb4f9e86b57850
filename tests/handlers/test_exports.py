"""``/ekspor`` and ``posko-bot export``: the XLSX layout, scope, date ranges and the CLI files."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.cli import main as cli_main
from bot.files.xlsx import export_sheets, workbook_bytes
from bot.handlers import exports as exports_handler
from scheduler.sweep import sweep
from storage import alerts as alerts_store
from storage import drafts as drafts_store
from storage import incidents as incidents_store
from storage import members as members_store
from storage.drafts import Step
from storage.exports import AlertRow, ExportData, IncidentRow, ShiftRow
from storage.models import Level, Role
from storage.sqlite.engine import Database
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.settings import ADMIN_ID
from tests.support.sweeping import (
    CONFIG,
    KEC,
    KEL,
    alert_row,
    check_in,
    check_out,
    desk,
    only_these_need_staff,
    register,
    wib,
)
from tests.support.telegram import Call, only

KEL2 = "31.73.01.1002"  # Kel. Duri Kosambi, same kecamatan
OTHER = "31.71.01.1001"  # Kel. Gambir, Jakarta Pusat
LURAH, CAMAT, OFFICER, OFFICER2, OFFICER3 = 101, 102, 201, 202, 203
SHIFT_HEADERS = ["Kode posko", "Nama posko", "Petugas", "Mulai (WIB)", "Selesai (WIB)",
                 "Durasi (menit)", "Alasan selesai", "Jarak ke posko (m)"]
ALERT_HEADERS = ["Kode posko", "Nama posko", "Kosong sejak (WIB)", "Peringatan dibuka (WIB)",
                 "Tingkat tertinggi", "Ditangani oleh", "Ditangani pada (WIB)",
                 "Menit sampai ditangani", "Selesai (WIB)", "Penyelesaian", "Menit kosong"]
INCIDENT_HEADERS = ["Nomor laporan", "Kode posko", "Nama posko", "Kategori", "Tingkat",
                    "Status", "Pelapor", "Penangan", "Dibuat (WIB)", "Catatan penutup", "TPS"]
SHEETS = ["Kehadiran", "Peringatan", "Laporan"]


def local(hour: int, minute: int = 0, day: int = 23) -> datetime:
    """A naive Jakarta wall-clock time, as the spreadsheet holds it."""
    return datetime(2026, 11, day, hour, minute)


async def report(db: Database, member: int, code: str, at: datetime, category: str) -> int:
    """A submitted report, made through the real draft and submit path."""
    target = await desk(db, code)
    draft = await drafts_store.start_draft(db, member, target.id, at)
    draft = await drafts_store.update_draft(
        db, draft.id, member, Step.CONFIRM, at, category=category, severity="tinggi",
        description="Pembagian amplop di dekat TPS oleh tim sukses.", tps="012")
    assert draft is not None
    _, incident = await incidents_store.submit(db, draft.id, member, [], at)
    assert incident is not None
    return incident.id


async def seed(db: Database) -> None:
    """Monday 23 Nov 2026 in Kec. Cengkareng (and one kelurahan of Jakarta Pusat).

    KEL: a shift 07:55-10:12, empty (alert 10:27, taken by the camat 10:40), staffed again at
    11:00 (resolved 11:01); KEL2: a shift from 09:00; OTHER: a shift 07:50-12:00 and an alert
    from 12:15 still open. One report at KEL (closed by the camat), one at OTHER. Plus a shift
    on Sunday the 22nd.
    """
    await only_these_need_staff(db, KEL, OTHER)
    await register(db, LURAH, KEL, Role.SUPERVISOR)
    await register(db, CAMAT, KEC, Role.SUPERVISOR)
    for member, code in ((OFFICER, KEL), (OFFICER2, OTHER), (OFFICER3, KEL2)):
        await register(db, member, code, Role.OFFICER)
    await check_out(db, await check_in(db, OFFICER, KEL, wib(9, day=22)), wib(10, day=22))
    other_shift = await check_in(db, OFFICER2, OTHER, wib(7, 50))
    first = await check_in(db, OFFICER, KEL, wib(7, 55))
    await check_in(db, OFFICER3, KEL2, wib(9))
    incident = await report(db, OFFICER, KEL, wib(9, 30), "politik_uang")
    await report(db, OFFICER2, OTHER, wib(10), "logistik")
    await check_out(db, first, wib(10, 12))
    assert (await sweep(db, wib(10, 27), CONFIG)).opened == 1
    alert = await alert_row(db, KEL)
    await alerts_store.acknowledge(db, alert["id"], CAMAT, wib(10, 40))
    await check_in(db, OFFICER, KEL, wib(11))
    assert (await sweep(db, wib(11, 1), CONFIG)).resolved == 1
    await incidents_store.take(db, incident, CAMAT, wib(11, 5))
    await incidents_store.ask_closing_note(db, incident, CAMAT, wib(11, 20))
    await incidents_store.close(db, CAMAT, "Sudah diperingatkan Panwascam.", wib(11, 20))
    await check_out(db, other_shift, wib(12))
    assert (await sweep(db, wib(12, 15), CONFIG)).opened == 1


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """The harness with the outbox sender stopped (every recorded call is the handler's) and
    the seeded day; files sent as documents are kept in ``h.files`` as (name, bytes)."""
    await harness.stop_sender()
    await seed(harness.db)
    files: list[tuple[str, bytes]] = []
    original = harness.request.do_request

    async def do_request(*args: Any, **kwargs: Any) -> tuple[int, bytes]:
        data = kwargs.get("request_data")
        if data is not None and data.contains_files:
            files.extend((name, content) for name, content, _ in data.multipart_data.values())
        return await original(*args, **kwargs)

    harness.request.do_request = do_request  # type: ignore[method-assign]
    harness.files = files  # type: ignore[attr-defined]
    return harness


def rows(book: Any, title: str) -> list[list[Any]]:
    return [list(r) for r in book[title].iter_rows(values_only=True)]


async def export_of(h: Harness, user_id: int, command: str) -> tuple[Call, str, Any]:
    """Send ``command``; the one document it answered with, its file name and workbook."""
    before = len(h.files)  # type: ignore[attr-defined]
    calls = await h.send(u.text(u.user(user_id), command))
    (document,) = only(calls, "sendDocument")
    assert int(document.params["chat_id"]) == user_id
    ((name, content),) = h.files[before:]  # type: ignore[attr-defined]
    return document, name, load_workbook(io.BytesIO(content))


async def test_camat_gets_only_the_kecamatan(h: Harness) -> None:
    document, name, book = await export_of(h, CAMAT, "/ekspor 2026-11-23")
    assert name == "posko-31.73.01-2026-11-23-2026-11-23.xlsx"
    assert "Cengkareng (31.73.01)" in document.text and "23/11/2026" in document.text
    assert "3 shift, 1 peringatan, 1 laporan" in document.text and "WIB" in document.text
    assert book.sheetnames == SHEETS
    shifts, alerts, incidents = (rows(book, title) for title in SHEETS)
    assert shifts[0] == SHIFT_HEADERS and alerts[0] == ALERT_HEADERS
    assert incidents[0] == INCIDENT_HEADERS
    assert [len(shifts) - 1, len(alerts) - 1, len(incidents) - 1] == [3, 1, 1]
    assert all(r[0].startswith("31.73.01.") for r in shifts[1:] + alerts[1:])
    assert shifts[1] == [KEL, "Cengkareng Barat", f"User {OFFICER}", local(7, 55),
                         local(10, 12), 137, "checkout", 0]
    assert shifts[2][:7] == [KEL2, "Duri Kosambi", f"User {OFFICER3}", local(9), None, None,
                             "masih bertugas"]
    assert shifts[3][3] == local(11)
    assert alerts[1] == [KEL, "Cengkareng Barat", local(10, 12), local(10, 27),
                         f"Kel/Desa {KEL} Cengkareng Barat", f"User {CAMAT}", local(10, 40), 13,
                         local(11, 1), "ada petugas lagi", 49]
    assert incidents[1] == ["LP-31.73.01.1001-0001", KEL, "Cengkareng Barat", "Politik uang",
                            "tinggi", "selesai", f"User {OFFICER}", f"User {CAMAT}",
                            local(9, 30), "Sudah diperingatkan Panwascam.", "012"]
    sheet = book["Kehadiran"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet.auto_filter.ref == "A1:H4"
    assert sheet["D2"].number_format == "yyyy-mm-dd hh:mm" and sheet["D2"].is_date
    assert 6 <= sheet.column_dimensions["B"].width <= 60


async def test_admin_gets_everything_and_ranges(h: Harness) -> None:
    _, name, book = await export_of(h, ADMIN_ID, "/export 23/11/2026")
    assert name == "posko-semua-2026-11-23-2026-11-23.xlsx"
    assert [len(rows(book, title)) - 1 for title in SHEETS] == [4, 2, 2]
    open_alert = rows(book, "Peringatan")[2]
    assert open_alert[0] == OTHER and open_alert[5:] == [None, None, None, None,
                                                         "masih terbuka", None]
    _, name, book = await export_of(h, CAMAT, "/ekspor 22-11-2026 2026-11-23")
    assert name == "posko-31.73.01-2026-11-22-2026-11-23.xlsx"
    assert rows(book, "Kehadiran")[1][3] == local(9, day=22)
    assert [len(rows(book, title)) - 1 for title in SHEETS] == [4, 1, 1]


async def test_refusals_and_clear_messages(h: Harness) -> None:
    officer = u.user(OFFICER)
    (call,) = await h.send(u.text(officer, "/ekspor 2026-11-23"))
    assert call.text == "Perintah ini untuk pengawas dan admin."
    (call,) = await h.send(u.text(u.user(CAMAT), "/ekspor", chat=u.group_chat()))
    assert "chat pribadi" in call.text
    camat = u.user(CAMAT)
    cases = {
        "/ekspor 2026-11-01 2026-12-15": "Rentang paling lama 31 hari; 01/11/2026–15/12/2026 "
                                         "adalah 45 hari.",
        "/ekspor 2026-13-01": "Tanggal tidak dikenali: 2026-13-01.",
        "/ekspor besok": "Tanggal tidak dikenali: besok.",
        "/ekspor 2026-11-25 2026-11-20": "Tanggal akhir (20/11/2026) lebih awal dari tanggal "
                                         "awal (25/11/2026).",
        "/ekspor 2026-11-10": "Tidak ada shift, peringatan, atau laporan di Cengkareng "
                              "(31.73.01) pada 10/11/2026.",
        "/ekspor 1 2 3": "Pakai: /ekspor [dari] [sampai]",
    }
    for command, expected in cases.items():
        (call,) = await h.send(u.text(camat, command))
        assert call.method == "sendMessage" and expected in call.text, (command, call.text)
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Jakarta")).date()
    (call,) = await h.send(u.text(camat, "/ekspor"))  # today, whatever the clock says
    assert f" {today:%d/%m/%Y}" in call.text
    documents = 1 if call.method == "sendDocument" else 0
    (call,) = await h.send(u.text(camat, "/ekspor 2026-10-24 2026-11-23"))  # exactly 31 days
    assert call.method == "sendDocument"
    await members_store.set_language(h.db, CAMAT, "en")
    (call,) = await h.send(u.text(camat, "/export 2026-11-10"))
    assert call.text == "No shifts, alerts or reports in Cengkareng (31.73.01) on 10/11/2026."
    assert len(only(h.request.calls, "sendDocument")) == documents + 1  # and the 31 days


async def test_an_export_too_big_for_the_chat_is_refused_before_it_is_built(
        h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    # The camat's 23 November has 5 rows (3 shifts, 1 alert, 1 report).
    build = exports_handler.export_data
    monkeypatch.setattr(exports_handler, "MAX_ROWS", 4)
    monkeypatch.setattr(exports_handler, "export_data", None)  # never reached
    (call,) = await h.send(u.text(u.user(CAMAT), "/ekspor 2026-11-23"))
    assert call.method == "sendMessage"
    assert ("Cengkareng (31.73.01) pada 23/11/2026 berisi 5 baris, lebih dari 4 yang bisa "
            "dikirim lewat chat") in call.text and "posko-bot export" in call.text
    monkeypatch.setattr(exports_handler, "MAX_ROWS", 5)
    monkeypatch.setattr(exports_handler, "export_data", build)
    document, _, _ = await export_of(h, CAMAT, "/ekspor 2026-11-23")  # 5 rows fit
    assert "3 shift, 1 peringatan, 1 laporan" in document.text


def test_workbook_from_plain_rows() -> None:
    """bot/xlsx alone: user text stays text, widths are capped, an empty sheet keeps its
    header, and English headers follow the language."""
    utc = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    data = ExportData(
        [ShiftRow("31.73.01.1001", "=HYPERLINK(\"x\")", "Budi\x07 " + "S" * 90, utc, None,
                  None, 12.4)],
        [AlertRow("31.73.01.1001", "Cengkareng Barat", utc, utc + timedelta(minutes=15),
                  Level.KECAMATAN, "31.73.01", "Cengkareng", None, None, None, None)],
        [])
    book = load_workbook(io.BytesIO(workbook_bytes(export_sheets(data, ZoneInfo(
        "Asia/Makassar"), "en"))))
    assert book.sheetnames == ["Shifts", "Alerts", "Reports"]
    shifts = book["Shifts"]
    assert shifts["D1"].value == "Started (WITA)" and shifts["D2"].value == local(9)
    assert shifts["B2"].value == "=HYPERLINK(\"x\")" and shifts["B2"].data_type == "s"
    assert shifts["C2"].value == "Budi " + "S" * 90 and shifts["G2"].value == "still on duty"
    assert shifts["H2"].value == 12 and shifts.column_dimensions["C"].width == 60
    assert book["Alerts"]["E2"].value == "District 31.73.01 Cengkareng"
    reports = book["Reports"]
    assert reports.max_row == 1 and reports.freeze_panes == "A2"
    assert [c.value for c in reports[1]][:3] == ["Report number", "Desk code", "Desk name"]
    incident = IncidentRow("LP-1", "1", "x", "sara_hoaks", "kritis", "baru", None, None, utc,
                           None, None)
    sheets = export_sheets(ExportData([], [], [incident]), ZoneInfo("Asia/Jakarta"), "id")
    assert sheets[2].rows[0][3:6] == ["SARA & hoaks", "kritis", "baru"]


@pytest.fixture
def cli_env(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A seeded database, the CLI pointed at it, and a clean working directory."""
    async def prepare() -> None:
        db = await Database.open(db_path)
        try:
            await seed(db)
        finally:
            await db.close()

    asyncio.run(prepare())
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for key in ("POSKO_LANGUAGE", "POSKO_TIMEZONE", "POSKO_ADMIN_IDS", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("POSKO_DB_PATH", str(db_path))
    return work


def test_cli_writes_xlsx_and_csv(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["export", "--scope", KEC, "--from", "23/11/2026", "--csv", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    xlsx = cli_env / "posko-31.73.01-2026-11-23-2026-11-23.xlsx"
    assert out[0].startswith(f"wrote {xlsx.name}: 3 shifts, 1 alerts, 1 incidents")
    assert len(out) == 4 and out[1] == "wrote csv/shifts.csv: 3 rows"
    book = load_workbook(xlsx)
    assert [len(rows(book, title)) - 1 for title in SHEETS] == [3, 1, 1]
    for name, headers, count in (("shifts", SHIFT_HEADERS, 3), ("alerts", ALERT_HEADERS, 1),
                                 ("incidents", INCIDENT_HEADERS, 1)):
        with (cli_env / "csv" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            table = list(csv.reader(handle))
        assert table[0] == headers and len(table) == count + 1
    with (cli_env / "csv" / "shifts.csv").open(encoding="utf-8") as handle:
        assert "2026-11-23 07:55,2026-11-23 10:12,137,checkout" in handle.read()
    assert cli_main(["export", "--scope", "31", "--from", "2026-11-23", "--to", "2026-11-23",
                     "--out", "all.xlsx"]) == 0
    assert [len(rows(load_workbook("all.xlsx"), t)) - 1 for t in SHEETS] == [4, 2, 2]


def test_cli_errors(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    for argv, code, reason in (
            (["--scope", "99.99"], 1, "no desk has the code 99.99"),
            (["--scope", KEC, "--from", "2026-02-30"], 2, "not a date: 2026-02-30"),
            (["--scope", KEC, "--from", "2026-11-23", "--to", "2026-11-22"], 2, "before"),
            (["--scope", KEC, "--from", "2026-11-10"], 1, "nothing to export")):
        assert cli_main(["export", *argv]) == code, argv
        captured = capsys.readouterr()
        assert captured.out == "" and len(captured.err.splitlines()) == 1, captured
        assert captured.err.startswith("posko-bot: ") and reason in captured.err
    assert list(cli_env.iterdir()) == []
    # The chat's 31-day cap keeps a file a phone can open; the CLI writes to a disk.
    assert cli_main(["export", "--scope", KEC, "--from", "2026-11-01", "--to", "2026-12-31",
                     "--out", "two-months.xlsx"]) == 0
    assert "2026-11-01 to 2026-12-31" in capsys.readouterr().out
