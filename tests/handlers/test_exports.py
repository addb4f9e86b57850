"""``/ekspor`` in the chat: the XLSX layout, scope, date ranges, refusals and the row limit;
and the workbook built from plain rows."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.files.xlsx import export_sheets, workbook_bytes
from bot.handlers import exports as exports_handler
from storage import members as members_store
from storage.exports import AlertRow, ExportData, IncidentRow, ShiftRow
from storage.models import Level
from tests.support import updates as u
from tests.support.exports import (
    ALERT_HEADERS,
    CAMAT,
    INCIDENT_HEADERS,
    KEL2,
    OFFICER,
    OFFICER3,
    OTHER,
    SHEETS,
    SHIFT_HEADERS,
    local,
    rows,
    seed,
)
from tests.support.harness import Harness
from tests.support.settings import ADMIN_ID
from tests.support.sweeping import KEL
from tests.support.telegram import Call, only


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
    assert "3 catatan kehadiran, 1 peringatan, 1 laporan" in document.text
    assert "WIB" in document.text
    assert book.sheetnames == SHEETS
    shifts, alerts, incidents = (rows(book, title) for title in SHEETS)
    assert shifts[0] == SHIFT_HEADERS and alerts[0] == ALERT_HEADERS
    assert incidents[0] == INCIDENT_HEADERS
    assert [len(shifts) - 1, len(alerts) - 1, len(incidents) - 1] == [3, 1, 1]
    assert all(r[0].startswith("31.73.01.") for r in shifts[1:] + alerts[1:])
    assert shifts[1] == [KEL, "Cengkareng Barat", f"User {OFFICER}", local(7, 55),
                         local(10, 12), 137, "diakhiri petugas", 0]
    assert shifts[2][:7] == [KEL2, "Duri Kosambi", f"User {OFFICER3}", local(9), None, None,
                             "masih bertugas"]
    assert shifts[3][3] == local(11)
    assert alerts[1] == [KEL, "Cengkareng Barat", local(10, 12), local(10, 27),
                         f"Kel./Desa {KEL} Cengkareng Barat", f"User {CAMAT}", local(10, 40), 13,
                         local(11, 1), "ada petugas lagi", 49, None]
    assert incidents[1] == ["LP-31.73.01.1001-0001", KEL, "Cengkareng Barat", "Politik uang",
                            "tinggi", "selesai", f"User {OFFICER}", f"User {CAMAT}",
                            local(9, 30), "Pembagian amplop di dekat TPS oleh tim sukses.",
                            local(11, 20), "Sudah diperingatkan Panwascam.", "012", None]
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
                                                         "masih terbuka", None, None]
    _, name, book = await export_of(h, CAMAT, "/ekspor 22-11-2026 2026-11-23")
    assert name == "posko-31.73.01-2026-11-22-2026-11-23.xlsx"
    assert rows(book, "Kehadiran")[1][3] == local(9, day=22)
    assert [len(rows(book, title)) - 1 for title in SHEETS] == [4, 1, 1]


async def test_refusals_and_clear_messages(h: Harness) -> None:
    officer = u.user(OFFICER)
    (call,) = await h.send(u.text(officer, "/ekspor 2026-11-23"))
    assert call.text == "Perintah ini untuk pengawas dan admin."
    (call,) = await h.send(u.text(u.user(CAMAT), "/ekspor", chat=u.group_chat()))
    assert "percakapan pribadi" in call.text
    camat = u.user(CAMAT)
    cases = {
        "/ekspor 2026-11-01 2026-12-15": "Rentang paling lama 31 hari; 01/11/2026–15/12/2026 "
                                         "mencakup 45 hari.",
        "/ekspor 2026-13-01": "Tanggal tidak dikenali: 2026-13-01.",
        "/ekspor besok": "Tanggal tidak dikenali: besok.",
        "/ekspor 2026-11-25 2026-11-20": "Tanggal akhir (20/11/2026) lebih awal dari tanggal "
                                         "awal (25/11/2026).",
        "/ekspor 2026-11-10": "Tidak ada catatan kehadiran, peringatan, atau laporan di Cengkareng "
                              "(31.73.01) pada 10/11/2026.",
        "/ekspor 1 2 3": "Cara pakai: /ekspor [dari] [sampai]",
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
    # One day already: narrowing the dates cannot help, the server can.
    assert call.text == ("Ekspor Cengkareng (31.73.01) untuk 23/11/2026 berisi 5 baris, lebih "
                         "dari 4 baris yang dapat dikirim melalui Telegram. Mintalah sekretariat "
                         "menjalankan <code>posko-bot export</code> di server.")
    (call,) = await h.send(u.text(u.user(CAMAT), "/ekspor 2026-11-22 2026-11-23"))
    assert call.text.endswith("Pilih rentang yang lebih pendek, atau mintalah sekretariat "
                              "menjalankan <code>posko-bot export</code> di server.")
    (call,) = await h.send(u.text(u.user(ADMIN_ID), "/ekspor 2026-11-23"))
    assert call.text.startswith("Ekspor seluruh wilayah untuk 23/11/2026")  # a capital E
    assert "Jalankan <code>posko-bot export --scope KODE</code> di server" in call.text
    assert "minta sekretariat" not in call.text.lower()  # the admin is the sekretariat
    monkeypatch.setattr(exports_handler, "MAX_ROWS", 5)
    monkeypatch.setattr(exports_handler, "export_data", build)
    document, _, _ = await export_of(h, CAMAT, "/ekspor 2026-11-23")  # 5 rows fit
    assert "3 catatan kehadiran, 1 peringatan, 1 laporan" in document.text


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
                           "Hoaks di grup warga", None, None, None)
    sheets = export_sheets(ExportData([], [], [incident]), ZoneInfo("Asia/Jakarta"), "id")
    assert sheets[2].rows[0][3:6] == ["SARA & hoaks", "kritis", "baru"]


def test_a_workbook_made_at_a_moment_is_the_same_bytes() -> None:
    """The file says when it was made in its properties and its archive's dates, from the
    moment given (a rehearsal's simulated time), never the wall clock: the same sheets made
    at the same moment are byte for byte the same file."""
    made = datetime(2026, 11, 27, 17, 0, 1, 5, tzinfo=UTC)
    sheets = export_sheets(ExportData([], [], []), ZoneInfo("Asia/Jakarta"), "id")
    first = workbook_bytes(sheets, made)
    assert workbook_bytes(sheets, made) == first
    assert workbook_bytes(sheets, made + timedelta(minutes=1)) != first
    book = load_workbook(io.BytesIO(first))
    assert book.properties.created == book.properties.modified == datetime(2026, 11, 27, 17, 0, 1)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 27, 17, 0, 0)}
    load_workbook(io.BytesIO(workbook_bytes(sheets)))  # without a moment: now, and valid


@pytest.mark.parametrize(("words", "back"), [("kemarin", 1), ("hari ini", 0), ("Kemarin", 1),
                                             ("yesterday", 1), ("today", 0)])
async def test_a_day_can_be_named(h: Harness, words: str, back: int) -> None:
    day = datetime.now(ZoneInfo("Asia/Jakarta")).date() - timedelta(days=back)
    (call,) = await h.send(u.text(u.user(CAMAT), f"/ekspor {words}"))
    assert call.text.endswith(f"di Cengkareng (31.73.01) pada {day:%d/%m/%Y}.")
