"""Desk files as operators save them: Excel's semicolon CSV, Windows-1252 text, an ``.xlsx``
workbook, and one kota cut from the national file with ``--scope``."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from storage.importer import import_desks, parse_desk_csv, within_scope
from storage.sqlite.engine import Database
from storage.tables import CsvImportError, TableError, read_table
from tests.support.data import JAKARTA_CSV
from tests.support.desk_files import JAKARTA_TEXT, SMALL, load

NATIONAL = Path(__file__).resolve().parents[2].parent / "shared/data/wilayah/wilayah.csv"


@pytest.fixture
def db(empty_db: Database) -> Database:
    """A fresh database with no desks yet."""
    return empty_db


def _desks(text: str) -> dict[str, str]:
    return {row.code: row.name for row in parse_desk_csv(text)}


def test_semicolons_and_tabs_read_like_commas() -> None:
    expected = _desks(SMALL)
    assert _desks(SMALL.replace(",", ";")) == expected
    assert _desks(SMALL.replace(",", "\t")) == expected


def test_a_semicolon_file_keeps_commas_inside_names() -> None:
    text = ("code;name;level;parent_code;latitude;longitude\n"
            "31;DKI Jakarta, Daerah Khusus;provinsi;;-6,2;106,8\n")
    # Excel writes decimal commas where the list separator is ';': they are refused by line.
    with pytest.raises(CsvImportError) as info:
        parse_desk_csv(text)
    assert info.value.errors[0][0] == 2 and "latitude '-6,2' is not a number" in \
        info.value.errors[0][1]
    ok = text.replace("-6,2;106,8", "-6.2;106.8")
    assert _desks(ok) == {"31": "DKI Jakarta, Daerah Khusus"}


def test_windows_1252_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "desks.csv"
    path.write_bytes(SMALL.replace("Cideng", "Cidéng").encode("cp1252"))
    assert "Cidéng" in _desks(read_table(path)).values()


def test_utf8_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "desks.csv"
    path.write_bytes(b"\xef\xbb\xbf" + SMALL.encode("utf-8"))
    assert _desks(read_table(path)) == _desks(SMALL)


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


async def test_an_xlsx_workbook_imports_like_its_csv(db: Database, tmp_path: Path) -> None:
    rows = [line.split(",") for line in JAKARTA_TEXT.splitlines()]
    # Excel stores numbers as numbers: a kota's code 31 and coordinates come back as floats.
    typed: list[list[object]] = [rows[0]]
    for row in rows[1:]:
        code = float(row[0]) if row[0].isdigit() else row[0]
        lat, lon = (float(row[4]), float(row[5])) if row[4] else (None, None)
        typed.append([code, row[1], row[2], row[3] or None, lat, lon])
    typed.append([None] * 6)  # a formatted empty row at the end, as Excel keeps them
    path = _workbook(tmp_path / "desks.xlsx", typed)
    text = read_table(path)
    assert _desks(text) == _desks(JAKARTA_TEXT)
    await import_desks(db, parse_desk_csv(text), "Asia/Jakarta")
    assert await db.fetchval("SELECT count(*) FROM desks") == len(rows) - 1


def test_a_bad_row_of_a_workbook_names_its_sheet_row(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "desks.xlsx", [
        ["code", "name", "level", "parent_code", "latitude", "longitude"],
        ["31", "DKI Jakarta", "provinsi", None, -6.2, 106.8],
        [None] * 6,
        ["31.71", "Jakarta Pusat", "kota", "31", -6.18, 106.83],
    ])
    with pytest.raises(CsvImportError) as info:
        parse_desk_csv(read_table(path))
    assert info.value.errors[0][0] == 4 and "level 'kota'" in info.value.errors[0][1]


@pytest.mark.parametrize(("content", "says"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, r"old Excel \.xls"),
    (b"%PDF-1.7\n\x00\x01binary", r"not a CSV file or an Excel \.xlsx"),
    (b"PK\x03\x04 not really a workbook", r"cannot be read as an Excel \.xlsx"),
])
def test_files_that_are_no_table_say_what_to_save(tmp_path: Path, content: bytes,
                                                   says: str) -> None:
    path = tmp_path / "desks.csv"
    path.write_bytes(content)
    with pytest.raises(TableError, match=says):
        read_table(path)


def test_a_header_under_the_wrong_names_says_what_it_found() -> None:
    with pytest.raises(CsvImportError) as info:
        parse_desk_csv("kode;nama;tingkat\n31;DKI Jakarta;provinsi\n")
    (line, message), = info.value.errors
    assert line == 1 and "the first row must name the columns code, name" in message
    assert "(the first row has: kode, nama, tingkat)" in message


@pytest.mark.skipif(not NATIONAL.exists(), reason="national region data not present")
def test_one_kota_from_the_national_file_with_its_ancestors() -> None:
    rows = parse_desk_csv(read_table(NATIONAL))
    kota = within_scope(rows, "31.73")
    codes = {row.code for row in kota}
    assert {"31", "31.73", "31.73.01", "31.73.01.1001"} <= codes
    assert all(code == "31" or code.startswith("31.73") for code in codes)
    assert "31.71" not in codes and "31.73" in codes
    expected = [r.code for r in rows if r.code.startswith("31.73.") or r.code in ("31", "31.73")]
    assert sorted(codes) == sorted(expected)


def test_a_scope_the_file_lacks_is_refused() -> None:
    with pytest.raises(CsvImportError, match=r"no desk in the file has the code 32\.01"):
        within_scope(parse_desk_csv(JAKARTA_TEXT), "32.01")


async def test_importing_a_scope_imports_a_whole_tree(db: Database) -> None:
    rows = within_scope(parse_desk_csv(read_table(JAKARTA_CSV)), "31.73.01")
    await import_desks(db, rows, "Asia/Jakarta")
    stored = await db.fetchall("SELECT code FROM desks ORDER BY code")
    codes = [r["code"] for r in stored]
    assert codes[:3] == ["31", "31.73", "31.73.01"]
    assert all(c.startswith("31.73.01") for c in codes[2:]) and len(codes) > 3
    again = await load(db, JAKARTA_TEXT)  # the rest can follow later
    assert again.inserted == 318 - len(codes)
