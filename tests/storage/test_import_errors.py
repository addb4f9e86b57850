"""Malformed desk files: every bad line named by its number, nothing written when any line is
bad, and the oddities of real files (quotes, BOM, CRLF, spaces in the header) accepted."""

from __future__ import annotations

import pytest

from storage import desks as desks_store
from storage.sqlite.engine import Database
from storage.tables import CsvImportError
from tests.support.desk_files import (
    HEADER,
    JAKARTA_TEXT,
    SMALL,
    all_desks,
    load,
    with_columns,
)


@pytest.fixture
def db(empty_db: Database) -> Database:
    """A fresh database with no desks yet."""
    return empty_db


async def refused(db: Database, text: str) -> list[tuple[int, str]]:
    """Import ``text`` expecting a CsvImportError; check nothing was written."""
    before = await all_desks(db)
    with pytest.raises(CsvImportError) as info:
        await load(db, text)
    assert await all_desks(db) == before
    assert info.value.errors
    assert str(info.value).startswith(f"line {info.value.errors[0][0]}: ")
    return info.value.errors


def lines(errors: list[tuple[int, str]]) -> list[int]:
    return [line for line, _ in errors]


async def test_missing_header_column(db: Database) -> None:
    errors = await refused(db, SMALL.replace(HEADER, "code,name,level,parent_code,latitude"))
    assert errors == [(1, "the first row must name the columns code, name, level, "
                          "parent_code, latitude, longitude; longitude missing (the first "
                          "row has: code, name, level, parent_code, latitude)")]


async def test_header_only(db: Database) -> None:
    errors = await refused(db, HEADER + "\n")
    assert lines(errors) == [1]
    assert "no desks" in errors[0][1]


@pytest.mark.parametrize(
    ("line", "bad_row", "message"),
    [
        (4, "31.71.01,Gambir,kecamatn,31.71,-6.17,106.81", "level 'kecamatn'"),
        (4, "31.71.01,Gambir,kecamatan,31.71,-6.17,", "both latitude and longitude"),
        (4, "31.71.01,Gambir,kecamatan,31.71,,106.81", "both latitude and longitude"),
        (4, "31.71.01,Gambir,kecamatan,31.71,enam,106.81", "not a number"),
        (4, "31.71.01,Gambir,kecamatan,31.71,95,106.81", "latitude '95'"),
        (4, "31.71.01,Gambir,kecamatan,31.71,-6.17,181", "longitude '181'"),
        (4, "31.71.01,Gambir,kecamatan,31.71,nan,106.81", "latitude"),
        (4, "31.71.01,,kecamatan,31.71,-6.17,106.81", "name"),
        (4, "31 71 01,Gambir,kecamatan,31.71,-6.17,106.81", "code"),
        (4, "31.71.01,Gambir,kecamatan,31.71,-6.17,106.81,extra", "more cells"),
    ],
)
async def test_bad_row_names_its_line(db: Database, line: int, bad_row: str,
                                      message: str) -> None:
    rows = SMALL.splitlines()
    rows[line - 1] = bad_row
    errors = await refused(db, "\n".join(rows) + "\n")
    assert lines(errors) == [line]
    assert message in errors[0][1]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("timezone", "Asia/Bandung", "timezone 'Asia/Bandung'"),
        ("duty_hours", "08:00-25:00", "duty_hours"),
        ("duty_hours", "08:00-12:00;11:00-13:00", "overlap"),
        ("radius_m", "5", "radius_m"),
        ("radius_m", "1.5", "radius_m"),
        ("min_staff", "-1", "min_staff"),
    ],
)
async def test_bad_optional_value_names_its_line(db: Database, column: str, value: str,
                                                 message: str) -> None:
    text = with_columns(SMALL, {"31.71.01.1001": {column: value}}, [column])
    errors = await refused(db, text)
    assert lines(errors) == [5]
    assert message in errors[0][1]


async def test_every_bad_line_is_listed(db: Database) -> None:
    rows = SMALL.splitlines()
    rows[2] = rows[2].replace("kabupaten_kota", "kota")
    rows[4] = rows[4].replace("-6.176384", "")
    errors = await refused(db, "\n".join(rows) + "\n")
    assert lines(errors) == [3, 5]


async def test_duplicate_code(db: Database) -> None:
    text = SMALL + "31.71.01.1001,Gambir Lagi,kelurahan_desa,31.71.01,,\n"
    errors = await refused(db, text)
    assert errors == [(7, "code 31.71.01.1001 already on line 5")]


async def test_unknown_parent(db: Database) -> None:
    text = SMALL + "31.71.02.1001,Harmoni,kelurahan_desa,31.71.02,,\n"
    errors = await refused(db, text)
    assert lines(errors) == [7]
    assert "parent_code 31.71.02" in errors[0][1]


async def test_parent_below_its_child(db: Database) -> None:
    text = SMALL + "31.71.09,Salah,kecamatan,31.71.01.1001,,\n"
    errors = await refused(db, text)
    assert lines(errors) == [7]
    assert "is not above" in errors[0][1]


async def test_parent_at_the_same_level(db: Database) -> None:
    text = SMALL + "31.71.01.1009,Salah,kelurahan_desa,31.71.01.1001,,\n"
    assert lines(await refused(db, text)) == [7]


async def test_relevelling_a_stored_parent_names_the_row_that_did_it(db: Database) -> None:
    await load(db, SMALL)
    # Gambir becomes a kelurahan while its stored kelurahan (absent from this file) remain.
    text = f"{HEADER}\n31.71.01,Gambir,kelurahan_desa,31.71,,\n"
    errors = await refused(db, text)
    assert lines(errors) == [2, 2]
    assert all("is not above" in message for _, message in errors)


async def test_quoted_name_with_comma_is_accepted(db: Database) -> None:
    text = SMALL + '31.71.01.1003,"Petojo Utara, Gambir",kelurahan_desa,31.71.01,,\n'
    result = await load(db, text)
    assert result.inserted == 6
    desk = await desks_store.by_code(db, "31.71.01.1003")
    assert desk is not None and desk.name == "Petojo Utara, Gambir"


async def test_unquoted_name_with_comma_is_refused(db: Database) -> None:
    text = SMALL + "31.71.01.1003,Petojo Utara, Gambir,kelurahan_desa,31.71.01,,\n"
    errors = await refused(db, text)
    assert lines(errors) == [7]


async def test_line_numbers_count_physical_lines(db: Database) -> None:
    # A quoted name spanning two lines moves every later line number by one.
    text = (SMALL + '31.71.01.1003,"Petojo\nUtara",kelurahan_desa,31.71.01,,\n'
            "31.71.01.1004,Petojo Selatan,desa,31.71.01,,\n")
    errors = await refused(db, text)
    assert lines(errors) == [9]


async def test_bom_and_crlf_are_accepted(db: Database) -> None:
    result = await load(db, "\ufeff" + SMALL.replace("\n", "\r\n"))
    assert result.inserted == 5


async def test_header_with_spaces_is_accepted(db: Database) -> None:
    result = await load(db, SMALL.replace(HEADER, "code, name, level, parent_code, latitude, "
                                                  "longitude"))
    assert result.inserted == 5


async def test_bad_last_row_of_a_large_file_writes_nothing(db: Database) -> None:
    # Row-level error, found while parsing.
    bad_level = JAKARTA_TEXT + "31.71.01.1099,Baru,desa,31.71.01,,\n"
    assert lines(await refused(db, bad_level)) == [320]
    # Hierarchy error, found inside the import transaction.
    bad_parent = JAKARTA_TEXT + "31.71.99.1001,Baru,kelurahan_desa,31.71.99,,\n"
    assert lines(await refused(db, bad_parent)) == [320]
    assert await desks_store.count(db) == 0


async def test_bad_last_row_leaves_an_existing_import_untouched(db: Database) -> None:
    await load(db, JAKARTA_TEXT)
    renamed = JAKARTA_TEXT.replace(",Gambir,", ",Gambir Baru,")
    assert renamed != JAKARTA_TEXT
    errors = await refused(db, renamed + "31.71.99.1001,Baru,kelurahan_desa,31.71.99,,\n")
    assert lines(errors) == [320]
    gambir = await desks_store.by_code(db, "31.71.01")
    assert gambir is not None and gambir.name == "Gambir"
    assert await desks_store.count(db) == 318
