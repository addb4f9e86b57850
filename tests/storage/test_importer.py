"""Desk import from the desk CSV into the desk tree: the Jakarta list, the scopes its paths
give, the time zone of each desk, and re-imports that change only what changed."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from storage import desks as desks_store
from storage.importer import parse_desk_csv, zone_for_code
from storage.models import Level
from storage.sqlite.engine import Database
from tests.support.desk_files import (
    HEADER,
    JAKARTA_ROWS,
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


# --- re-imports ----------------------------------------------------------------------------


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


# --- time zones and levels -----------------------------------------------------------------


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


def test_levels_are_ordered_top_down() -> None:
    assert [level.depth for level in Level] == [0, 1, 2, 3]
