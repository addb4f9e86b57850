"""The export spreadsheet: sheets laid out from plain rows, written as XLSX or CSV.

Nothing here touches the database, so the layout is testable on its own. Times become naive
local datetimes (Excel has no time zones) with a date-time number format, and every time
column names its zone in the header ("Mulai (WIB)"): a sheet read on its own still says
which clock it uses.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from bot.texts import t, zone_name
from storage.exports import AlertRow, ExportData, IncidentRow, ShiftRow
from storage.models import utcnow
from storage.pledges import PledgeRow
from storage.relocations import MovedTps

if TYPE_CHECKING:
    from _typeshed import SizedBuffer, StrPath

Cell = str | int | float | datetime | None

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MIN_WIDTH, MAX_WIDTH = 6, 60  # characters; long closing notes must not make a column a screen


@dataclass(frozen=True, slots=True)
class Sheet:
    """One table: a title, a header row and data rows of plain values."""

    title: str
    headers: list[str]
    rows: list[list[Cell]]


def _local(moment: datetime | None, tz: ZoneInfo) -> datetime | None:
    return moment.astimezone(tz).replace(tzinfo=None) if moment is not None else None


def _minutes(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    # Whole minutes, rounded down like the durations the bot shows in chat.
    return max(0, int((end - start).total_seconds() // 60))


def _headers(lang: str, zone: str, keys: Sequence[str]) -> list[str]:
    return [t(lang, f"export.col.{key}", zone=zone) for key in keys]


SHIFT_COLUMNS = ("desk_code", "desk_name", "officer", "started", "ended", "duration",
                 "end_reason", "distance")
ALERT_COLUMNS = ("desk_code", "desk_name", "short_since", "opened", "reached", "acked_by",
                 "acked_at", "ack_minutes", "resolved", "resolution", "empty_minutes", "rawan")
INCIDENT_COLUMNS = ("ref", "desk_code", "desk_name", "category", "severity", "status",
                    "reporter", "handler", "created", "description", "closed", "closing_note",
                    "tps", "rawan")


def _shift(row: ShiftRow, tz: ZoneInfo, lang: str) -> list[Cell]:
    return [row.desk_code, row.desk_name, row.officer, _local(row.started_at, tz),
            _local(row.ended_at, tz), _minutes(row.started_at, row.ended_at),
            t(lang, f"export.end.{row.end_reason or 'open'}"), round(row.distance_m)]


def _alert(row: AlertRow, tz: ZoneInfo, lang: str) -> list[Cell]:
    reached = None
    if row.reached_level is not None:
        reached = f"{t(lang, f'export.level.{row.reached_level}')} {row.reached_code} " \
                  f"{row.reached_name}"
    return [row.desk_code, row.desk_name, _local(row.short_since, tz), _local(row.opened_at, tz),
            reached, row.acked_by, _local(row.acked_at, tz),
            _minutes(row.opened_at, row.acked_at), _local(row.resolved_at, tz),
            t(lang, f"export.resolution.{row.resolution or 'open'}"),
            _minutes(row.short_since, row.resolved_at), row.rawan]


def _incident(row: IncidentRow, tz: ZoneInfo, lang: str) -> list[Cell]:
    return [row.ref, row.desk_code, row.desk_name, t(lang, f"cat.{row.category}"),
            t(lang, f"export.sev.{row.severity}"), t(lang, f"export.status.{row.status}"),
            row.reporter, row.handler, _local(row.created_at, tz), row.description,
            _local(row.closed_at, tz) if row.closed_at else None, row.closing_note, row.tps,
            row.rawan]


def export_sheets(data: ExportData, tz: ZoneInfo, lang: str) -> list[Sheet]:
    """The three sheets of an export (shifts, alerts, incidents), times local to ``tz``."""
    zone = zone_name(tz)
    return [
        Sheet(t(lang, "export.sheet.shifts"), _headers(lang, zone, SHIFT_COLUMNS),
              [_shift(row, tz, lang) for row in data.shifts]),
        Sheet(t(lang, "export.sheet.alerts"), _headers(lang, zone, ALERT_COLUMNS),
              [_alert(row, tz, lang) for row in data.alerts]),
        Sheet(t(lang, "export.sheet.incidents"), _headers(lang, zone, INCIDENT_COLUMNS),
              [_incident(row, tz, lang) for row in data.incidents]),
    ]


PLEDGE_COLUMNS = ("desk_code", "desk_name", "member", "role", "pledged")


def pledge_sheet(rows: Sequence[PledgeRow], tz: ZoneInfo, lang: str) -> Sheet:
    """Who of a scope confirmed the neutrality pledge, and when (empty: not yet)."""
    return Sheet(t(lang, "export.sheet.pledges"), _headers(lang, zone_name(tz), PLEDGE_COLUMNS),
                 [[row.desk_code, row.desk_name, row.member, t(lang, f"role.{row.role}"),
                   _local(row.confirmed_at, tz)] for row in rows])


MOVED_COLUMNS = ("ref", "desk_code", "desk_name", "tps", "reason", "moved_from", "moved_to",
                 "moved")


def _place(latitude: float | None, longitude: float | None, address: str | None) -> str:
    if latitude is not None and longitude is not None:
        return f"{latitude:.6f}, {longitude:.6f}"
    return address or ""


def moved_sheet(rows: Sequence[MovedTps], tz: ZoneInfo, lang: str) -> Sheet:
    """The TPS of a scope moved in the period: from where (the report's place), to where, why."""
    return Sheet(t(lang, "export.sheet.moved"), _headers(lang, zone_name(tz), MOVED_COLUMNS),
                 [[row.ref, row.desk_code, row.desk_name, row.tps,
                   t(lang, f"move.reason.{row.reason}"),
                   _place(row.old_latitude, row.old_longitude, None),
                   _place(row.new_latitude, row.new_longitude, row.new_address),
                   _local(row.moved_at, tz)] for row in rows])


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return str(value)


class _DatedZip(ZipFile):
    """An XLSX archive whose every entry is dated ``at`` (naive UTC), not the moment it was
    written: the same sheets made at the same moment are the same bytes."""

    def __init__(self, file: io.BytesIO, at: datetime) -> None:
        super().__init__(file, "w", ZIP_DEFLATED, allowZip64=True)
        self.at = at

    def writestr(self, zinfo_or_arcname: str | ZipInfo, data: SizedBuffer | str,
                 compress_type: int | None = None, compresslevel: int | None = None) -> None:
        if isinstance(zinfo_or_arcname, str):  # as ZipFile names an entry, but dated ``at``
            info = ZipInfo(zinfo_or_arcname, date_time=self.at.timetuple()[:6])
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: StrPath, arcname: StrPath | None = None,
              compress_type: int | None = None, compresslevel: int | None = None) -> None:
        """A file written by name (openpyxl writes each sheet to a temporary file first): its
        content, dated ``at`` rather than by the file's time."""
        self.writestr(str(arcname or filename), Path(filename).read_bytes(), compress_type,
                      compresslevel)


def workbook_bytes(sheets: Sequence[Sheet], at: datetime | None = None) -> bytes:
    """The XLSX file of ``sheets``: bold frozen header, autofilter, fitted column widths.

    The file says it was made ``at`` (default: now on the program's clock), in its
    properties and its archive's dates, and nothing else about when: a rehearsal's export,
    made at its simulated time, is the same bytes every time it is rehearsed.

    CPU-bound for large scopes: call it through ``asyncio.to_thread`` from the bot.
    """
    made = (at or utcnow()).astimezone(UTC).replace(tzinfo=None, microsecond=0)
    book = Workbook()
    book.properties.created = book.properties.modified = made
    book.remove(book.active)
    bold = Font(bold=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title[:31])  # Excel's limit for sheet names
        ws.append(sheet.headers)
        for cell in ws[1]:
            cell.font = bold
        widths = [len(header) for header in sheet.headers]
        for row, values in enumerate(sheet.rows, start=2):
            for column, value in enumerate(values, start=1):
                _put(ws.cell(row=row, column=column), value)
                widths[column - 1] = max(widths[column - 1], len(_text(value)))
        for column, width in enumerate(widths, start=1):
            letter = ws.cell(row=1, column=column).column_letter
            ws.column_dimensions[letter].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
    buffer = io.BytesIO()
    # What Workbook.save does, but into the dated archive and without restamping
    # ``modified`` with the wall clock.
    with _DatedZip(buffer, made) as archive:
        ExcelWriter(book, archive).save()
    return buffer.getvalue()


def _put(cell: Any, value: Cell) -> None:
    if isinstance(value, str):
        # Names and notes come from Telegram users: control characters are invalid in XLSX,
        # and a leading "=" must stay text, never become a formula that runs when opened.
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
        return
    cell.value = value
    if isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT


def _csv_text(value: Cell) -> str:
    text = _text(value)
    # Spreadsheet programs run a CSV field starting with these as a formula: quote it.
    if isinstance(value, str) and text.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + text
    return text


def write_csv(sheet: Sheet, path: Path) -> None:
    """One sheet as a UTF-8 CSV file with the same header; times as ``YYYY-MM-DD HH:MM``."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(sheet.headers)
        writer.writerows([_csv_text(value) for value in values] for values in sheet.rows)
