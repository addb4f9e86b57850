"""Desk import from the desk CSV into the desk tree: the Jakarta list, re-imports, and malformed
files."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import desks as desks_store
from storage.importer import (
    CsvImportError,
    ImportResult,
    import_desks,
    parse_desk_csv,
    read_csv_file,
    zone_for_code,
)
from storage.models import Level
from storage.sqlite.engine import Database
from tests.support.data import GAMBIR_CSV

JAKARTA_CSV = Path(__file__).parent.parent / "data" / "wilayah_31_jakarta.csv"
JAKARTA_TEXT = read_csv_file(JAKARTA_CSV)
JAKARTA_ROWS = list(csv.DictReader(io.StringIO(JAKARTA_TEXT)))
HEADER = "code,name,level,parent_code,latitude,longitude"

# A small valid file: province, one kota, one kecamatan, two kelurahan (lines 2-6).
SMALL = GAMBIR_CSV
assert SMALL.startswith(HEADER + "\n")


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "posko.db")
    try:
        yield database
    finally:
        await database.close()


async def load(db: Database, text: str, default_timezone: str = "Asia/Jakarta") -> ImportResult:
    """Parse and import, as ``posko-bot import-desks`` does."""
    return await import_desks(db, parse_desk_csv(text), default_timezone)


async def all_desks(db: Database) -> dict[str, dict[str, object]]:
    rows = await db.fetchall("SELECT * FROM desks")
    return {row["code"]: dict(row) for row in rows}


async def in_range(db: Database, scope_path: str) -> set[str]:
    """Codes selected by the index range scan of a scope."""
    lo, hi = desks_store.path_range(scope_path)
    rows = await db.fetchall("SELECT code FROM desks WHERE path >= ? AND path < ?", (lo, hi))
    return {row["code"] for row in rows}


def descendants(code: str) -> set[str]:
    """Codes under ``code`` according to the CSV's parent_code column (not the store)."""
    children: dict[str, list[str]] = {}
    for row in JAKARTA_ROWS:
        children.setdefault(row["parent_code"], []).append(row["code"])
    found, todo = set(), [code]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def with_columns(text: str, extra: dict[str, dict[str, str]], columns: list[str]) -> str:
    """``text`` with optional ``columns`` appended: values from ``extra[code]``, else empty."""
    rows = list(csv.DictReader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*HEADER.split(","), *columns], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, **{c: extra.get(row["code"], {}).get(c, "") for c in columns}})
    return out.getvalue()


# --- the Jakarta list ----------------------------------------------------------------------


def test_fixture_shape() -> None:
    levels = Counter(row["level"] for row in JAKARTA_ROWS)
    assert levels == {"provinsi": 1, "kabupaten_kota": 6, "kecamatan": 44, "kelurahan_desa": 267}
    assert len(parse_desk_csv(JAKARTA_TEXT)) == 318


async def test_import_jakarta(db: Database) -> None:
    result = await load(db, JAKARTA_TEXT)
    assert (result.inserted, result.updated, result.unchanged) == (318, 0, 0)
    assert len(result.codes) == 318
    assert await desks_store.count(db) == 318

    stored = await all_desks(db)
    by_id = {desk["id"]: code for code, desk in stored.items()}
    for row in JAKARTA_ROWS:
        desk = stored[row["code"]]
        assert desk["name"] == row["name"]
        assert desk["level"] == row["level"]
        assert desk["latitude"] == pytest.approx(float(row["latitude"]))
        assert desk["longitude"] == pytest.approx(float(row["longitude"]))
        if row["parent_code"]:
            parent = stored[row["parent_code"]]
            assert by_id[desk["parent_id"]] == row["parent_code"]
            assert desk["path"] == f"{parent['path']}{desk['id']}/"
        else:
            assert desk["parent_id"] is None
            assert desk["path"] == f"/{desk['id']}/"


async def test_defaults_by_level(db: Database) -> None:
    await load(db, JAKARTA_TEXT)
    expected = {
        "provinsi": "08:00-19:00",
        "kabupaten_kota": "08:00-19:00",
        "kecamatan": "08:00-15:00",
        "kelurahan_desa": "08:00-14:00",
    }
    for desk in (await all_desks(db)).values():
        assert desk["duty_hours"] == expected[str(desk["level"])]
        assert desk["radius_m"] == 150
        assert desk["min_staff"] == 1
        assert desk["timezone"] == "Asia/Jakarta"


async def test_kelurahan_paths_start_with_their_kecamatan(db: Database) -> None:
    await load(db, JAKARTA_TEXT)
    stored = await all_desks(db)
    kelurahan = [row for row in JAKARTA_ROWS if row["level"] == "kelurahan_desa"]
    assert len(kelurahan) == 267
    for row in kelurahan:
        path = str(stored[row["code"]]["path"])
        parent_path = str(stored[row["parent_code"]]["path"])
        assert path.startswith(parent_path)
        assert desks_store.within(parent_path, path)
        assert path.count("/") == 5  # "/prov/kota/kec/kel/"


async def test_scope_of_the_province_is_everything(db: Database) -> None:
    await load(db, JAKARTA_TEXT)
    province = await desks_store.by_code(db, "31")
    assert province is not None
    assert await in_range(db, province.path) == {row["code"] for row in JAKARTA_ROWS}
    moment = datetime(2024, 11, 27, 3, 0, tzinfo=UTC)
    assert (await desks_store.summarize(db, province.path, moment)).total == 318


async def test_scope_of_each_kota_and_kecamatan(db: Database) -> None:
    await load(db, JAKARTA_TEXT)
    stored = await all_desks(db)
    for row in JAKARTA_ROWS:
        if row["level"] not in ("kabupaten_kota", "kecamatan"):
            continue
        path = str(stored[row["code"]]["path"])
        expected = {row["code"]} | descendants(row["code"])
        assert await in_range(db, path) == expected
        assert {code for code, desk in stored.items()
                if desks_store.within(path, str(desk["path"]))} == expected
    gambir = {row["code"] for row in JAKARTA_ROWS if row["parent_code"] == "31.71.01"}
    assert len(gambir) == 6
    assert len(await in_range(db, str(stored["31.71.01"]["path"]))) == 1 + len(gambir)


async def test_scope_of_a_kelurahan_is_itself(db: Database) -> None:
    await load(db, JAKARTA_TEXT)
    desk = await desks_store.by_code(db, "31.71.01.1001")
    assert desk is not None
    assert await in_range(db, desk.path) == {"31.71.01.1001"}


async def test_ancestors_nearest_first(db: Database) -> None:
    await load(db, JAKARTA_TEXT)
    desk = await desks_store.by_code(db, "31.71.01.1002")
    assert desk is not None
    assert [a.code for a in await desks_store.ancestors(db, desk)] == ["31.71.01", "31.71", "31"]


async def test_reimport_changes_nothing(db: Database) -> None:
    await load(db, JAKARTA_TEXT)
    before = await all_desks(db)
    result = await load(db, JAKARTA_TEXT)
    assert (result.inserted, result.updated, result.unchanged) == (0, 0, 318)
    assert result.codes == []
    assert await all_desks(db) == before  # updated_at included


async def test_modified_copy_updates_exactly_the_changed_rows(db: Database) -> None:
    await load(db, JAKARTA_TEXT)
    before = await all_desks(db)
    text = JAKARTA_TEXT.replace(",Cideng,", ",Cideng Baru,")
    text = with_columns(text, {"31.71.01.1003": {"radius_m": "300", "duty_hours": "20:00-8:00"}},
                        ["radius_m", "duty_hours"])
    result = await load(db, text)
    assert (result.inserted, result.updated, result.unchanged) == (0, 2, 316)
    assert sorted(result.codes) == ["31.71.01.1002", "31.71.01.1003"]

    after = await all_desks(db)
    assert after["31.71.01.1002"]["name"] == "Cideng Baru"
    assert after["31.71.01.1003"]["radius_m"] == 300
    assert after["31.71.01.1003"]["duty_hours"] == "20:00-08:00"  # stored canonical
    for code in ("31.71.01.1002", "31.71.01.1003"):
        assert after[code]["updated_at"] != before[code]["updated_at"]
        assert after[code]["id"] == before[code]["id"]
    changed = {code for code in after if after[code] != before[code]}
    assert changed == {"31.71.01.1002", "31.71.01.1003"}


async def test_empty_optional_columns_keep_stored_values(db: Database) -> None:
    with_settings = with_columns(
        SMALL, {"31.71.01.1001": {"radius_m": "300", "min_staff": "2", "duty_hours": "-",
                                  "timezone": "Asia/Makassar"}},
        ["timezone", "radius_m", "min_staff", "duty_hours"])
    await load(db, with_settings)
    before = await all_desks(db)
    assert before["31.71.01.1001"]["radius_m"] == 300
    assert before["31.71.01.1001"]["timezone"] == "Asia/Makassar"

    # The same columns present but empty: nothing changes.
    blank = with_columns(SMALL, {}, ["timezone", "radius_m", "min_staff", "duty_hours"])
    result = await load(db, blank)
    assert (result.updated, result.unchanged) == (0, 5)
    # The columns absent altogether: nothing changes either.
    result = await load(db, SMALL)
    assert (result.updated, result.unchanged) == (0, 5)
    after = await all_desks(db)
    assert after == before
    desk = after["31.71.01.1001"]
    assert (desk["radius_m"], desk["min_staff"], desk["duty_hours"], desk["timezone"]) == (
        300, 2, "-", "Asia/Makassar")


async def test_new_desks_are_added_below_existing_ones(db: Database) -> None:
    await load(db, SMALL)
    gambir = await desks_store.by_code(db, "31.71.01")
    assert gambir is not None
    result = await load(db, f"{HEADER}\n31.71.01.1003,Petojo Utara,kelurahan_desa,31.71.01,,\n")
    assert (result.inserted, result.updated, result.unchanged) == (1, 0, 0)
    new = await desks_store.by_code(db, "31.71.01.1003")
    assert new is not None
    assert new.parent_id == gambir.id
    assert new.path == f"{gambir.path}{new.id}/"
    assert not new.has_location
    assert await desks_store.count(db) == 6


async def test_moving_a_kecamatan_moves_its_kelurahan(db: Database) -> None:
    await load(db, JAKARTA_TEXT)
    moved = f"{HEADER}\n31.71.01,Gambir,kecamatan,31.72,-6.171454,106.818128\n"
    result = await load(db, moved)
    # The kecamatan and its six kelurahan (absent from the file) get new paths.
    assert result.updated == 7
    assert result.inserted == 0
    assert result.unchanged == 0
    timur = await desks_store.by_code(db, "31.72")
    assert timur is not None
    expected = {"31.72", "31.71.01"} | descendants("31.72") | descendants("31.71.01")
    assert await in_range(db, timur.path) == expected


async def test_zone_comes_from_the_province_code(db: Database) -> None:
    text = f"""{HEADER}
51,Bali,provinsi,,,
51.71,Kota Denpasar,kabupaten_kota,51,,
94,Papua,provinsi,,,
94.71,Kota Jayapura,kabupaten_kota,94,,
X1,Posko Khusus,provinsi,,,
"""
    await load(db, text, default_timezone="Asia/Makassar")
    zones = {code: desk["timezone"] for code, desk in (await all_desks(db)).items()}
    assert zones == {"51": "Asia/Makassar", "51.71": "Asia/Makassar", "94": "Asia/Jayapura",
                     "94.71": "Asia/Jayapura", "X1": "Asia/Makassar"}


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("31", "Asia/Jakarta"),
        ("31.71.01.1001", "Asia/Jakarta"),
        ("11.01", "Asia/Jakarta"),
        ("61.01", "Asia/Jakarta"),  # Kalimantan Barat and Tengah are WIB...
        ("62", "Asia/Jakarta"),
        ("63", "Asia/Makassar"),  # ...the rest of Kalimantan is WITA
        ("51", "Asia/Makassar"),
        ("73.71", "Asia/Makassar"),
        ("64.72.01", "Asia/Makassar"),
        ("81", "Asia/Jayapura"),
        ("91.01", "Asia/Jayapura"),
        ("96.01.01.2001", "Asia/Jayapura"),
        ("X1", "UTC"),
        ("ab.01", "UTC"),
        ("3", "UTC"),
        ("310", "UTC"),
    ],
)
def test_zone_for_code(code: str, zone: str) -> None:
    assert zone_for_code(code, "UTC") == zone


# --- malformed files -----------------------------------------------------------------------


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
    assert errors == [(1, "header lacks column(s): longitude")]


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


def test_levels_are_ordered_top_down() -> None:
    assert [level.depth for level in Level] == [0, 1, 2, 3]
