"""Reading the operators' tables: a desk or schedule file as CSV text, whatever saved it.

Operators make these files in Excel or LibreOffice as often as in a text editor, so
:func:`read_table` accepts what those programs save:

1. An Excel workbook (``.xlsx``, recognised by its content, not its name): the first sheet is
   read with openpyxl; each row becomes a CSV line, so line numbers in error messages are the
   sheet's row numbers. A whole number stored as a number (a code like 31, a staff count)
   loses Excel's ``.0``; a time cell becomes ``HH:MM``.
2. Otherwise text: UTF-8 (with or without the BOM Excel's "CSV UTF-8" writes); failing that,
   Windows-1252, which is what Excel's plain "CSV" writes on an Indonesian or English Windows.
3. Other binary files (a PDF, an old ``.xls``) are refused with a sentence saying what to save
   instead.

The delimiter (``,``, ``;`` as Excel writes it where the decimal sign is a comma, or a tab) is
chosen by :func:`dialect_for` from the header, by which choice names the expected columns.

Every file of desk rows (desks, schedules, risk labels) is then validated whole by
:func:`parse_rows`: every bad line is reported by number (:class:`CsvImportError`) and nothing
is imported from a file with one.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path
from typing import Any, Protocol, TypeVar

DELIMITERS = (",", ";", "\t")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .doc) format


class TableError(ValueError):
    """The file is not a table this program can read; the message says what to do."""


def read_table(path: str | Path) -> str:
    """The file as CSV text (steps 1-3 of the module docstring); OSError is the caller's."""
    data = Path(path).read_bytes()
    if data.startswith(_ZIP):
        return _xlsx_text(data)
    if data.startswith(_OLE):
        raise TableError("this is an old Excel .xls file: save it as .xlsx or CSV and try again")
    if b"\x00" in data[:4096]:
        raise TableError("this is not a CSV file or an Excel .xlsx workbook")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def dialect_for(header_line: str, expected: tuple[str, ...]) -> str:
    """The delimiter under which ``header_line`` names the most ``expected`` columns (if it
    names none, the one that splits it into most cells, so an error can list them)."""
    def score(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        return sum(cell.strip() in expected for cell in cells), len(cells)

    return max(DELIMITERS, key=score)  # ties keep the first: the comma


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError(f"this file cannot be read as an Excel .xlsx workbook ({exc})") from None
    try:
        sheet = book.worksheets[0]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for row in sheet.iter_rows(values_only=True):
            cells = [_cell(value) for value in row]
            # An empty row (Excel keeps formatted ones) becomes a blank line, which the CSV
            # reader skips while still counting it, so line numbers stay the sheet's.
            writer.writerow(cells if any(cells) else [])
        return out.getvalue()
    finally:
        book.close()


MAX_ERRORS = 20


class CsvImportError(Exception):
    """The file cannot be imported; ``errors`` are ``(line, message)`` pairs."""

    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__("; ".join(f"line {line}: {msg}" for line, msg in errors[:MAX_ERRORS]))
        self.errors = errors


def csv_reader(text: str, required: tuple[str, ...],
               optional: tuple[str, ...] = ()) -> csv.DictReader[str]:
    """A reader over CSV text with ``required`` columns: BOM tolerated, header names trimmed,
    the delimiter (comma, semicolon or tab) taken from the header (:func:`dialect_for`)."""
    text = text.removeprefix("\ufeff")
    delimiter = dialect_for(text.split("\n", 1)[0], (*required, *optional))
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in required if name not in header]
    if missing:
        found = ", ".join(name for name in header if name) or "nothing"
        raise CsvImportError([(1, (
            f"the first row must name the columns {', '.join(required)}; "
            f"{', '.join(missing)} missing (the first row has: {found[:300]})"))])
    reader.fieldnames = header
    return reader


class _Coded(Protocol):
    """A validated row of a file keyed by desk code."""

    @property
    def code(self) -> str: ...


Row = TypeVar("Row", bound=_Coded)


def parse_rows(text: str, columns: tuple[tuple[str, ...], tuple[str, ...]],
               build: Callable[[int, dict[str, str]], Row], overflow: str) -> list[Row]:
    """Validate a whole CSV of desk rows (``columns``: required and optional) with ``build``,
    which raises ValueError for a bad row; raises :class:`CsvImportError` listing every bad
    line, a code given twice, or an ``overflow`` of cells, so nothing is half-read."""
    reader = csv_reader(text, *columns)
    rows: list[Row] = []
    errors: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    line = 1
    for raw in reader:
        line = reader.line_num
        if None in raw:
            errors.append((line, f"more cells than header columns ({overflow})"))
            continue
        try:
            row = build(line, raw)
        except ValueError as exc:
            errors.append((line, str(exc)))
            continue
        if row.code in seen:
            errors.append((line, f"code {row.code} already on line {seen[row.code]}"))
            continue
        seen[row.code] = line
        rows.append(row)
    if errors:
        raise CsvImportError(errors)
    if not rows:
        raise CsvImportError([(line, "no desks in the file")])
    return rows
