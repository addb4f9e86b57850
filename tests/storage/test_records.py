"""Records are read from rows by column name: column order is free, a column off is an error."""

from __future__ import annotations

import importlib
import pkgutil
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

import pydantic
import pytest

import storage
from storage.models import Member, StoredTime, to_db
from storage.records import IN_PLACE, ColumnError, Convert, Flag, RowRecord, in_bulk

AT = datetime(2026, 11, 27, 1, 30, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Sample(RowRecord):
    id: int
    owner_id: int
    name: str
    label: Annotated[str, Convert(str.upper)]
    at: StoredTime
    until: StoredTime | None
    done: Flag


@dataclass(frozen=True, slots=True)
class Tagged(RowRecord):
    id: int
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Named(RowRecord):
    id: int
    name: str


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    conn.execute("CREATE TABLE t (id, owner_id, name, label, at, until, done, extra)")
    conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     [(1, 10, "a", "x", to_db(AT), None, 0, "e1"),
                      (2, 20, "b", "y", to_db(AT), to_db(AT), 1, "e2")])
    yield conn
    conn.close()


def rows(conn: sqlite3.Connection, columns: str) -> list[sqlite3.Row]:
    return list(conn.execute(f"SELECT {columns} FROM t ORDER BY id").fetchall())


EXPECTED = [Sample(1, 10, "a", "X", AT, None, False), Sample(2, 20, "b", "Y", AT, AT, True)]


@pytest.mark.parametrize("columns", ["id, owner_id, name, label, at, until, done",
                                     "done, until, at, label, name, owner_id, id"])
def test_the_column_order_does_not_matter(conn: sqlite3.Connection, columns: str) -> None:
    assert Sample.from_rows(rows(conn, columns)) == EXPECTED
    assert [Sample.from_row(row) for row in rows(conn, columns)] == EXPECTED


def test_fields_come_from_the_column_of_their_name(conn: sqlite3.Connection) -> None:
    found = Sample.from_rows(rows(
        conn, "owner_id AS id, id AS owner_id, label AS name, name AS label, at, until, done"))
    assert [(s.id, s.owner_id, s.name, s.label) for s in found] == [
        (10, 1, "x", "A"), (20, 2, "y", "B")]


def test_conversions_run_once_per_field_and_null_stays_none(conn: sqlite3.Connection) -> None:
    first, second = Sample.from_rows(rows(conn, "id, owner_id, name, label, at, until, done"))
    assert first.at == AT and first.at.tzinfo is not None and first.until is None
    assert second.until == AT and second.done is True and first.done is False


@pytest.mark.parametrize(("columns", "message"), [
    ("id, owner_id, name, label, at, until", "no column for ['done']"),
    ("id, owner_id, name, label, at, until, done, extra", "unexpected columns ['extra']"),
    ("id, owner_id, name, label, at, until, done AS dne", "unexpected columns ['dne']"),
    ("id, owner_id, name, label, at, until, done, id", "columns named twice ['id']"),
])
def test_a_missing_or_extra_column_is_an_error(conn: sqlite3.Connection, columns: str,
                                               message: str) -> None:
    with pytest.raises(ColumnError, match=message.replace("[", r"\[")):
        Sample.from_rows(rows(conn, columns))
    with pytest.raises(ColumnError, match=message.replace("[", r"\[")):
        Sample.from_row(rows(conn, columns)[0])


def test_other_columns_are_named_and_read_by_the_caller(conn: sqlite3.Connection) -> None:
    found = rows(conn, "extra, id, owner_id, name, label, at, until, done")
    read = Sample.reader(found, other=("extra",))
    extra = read.column("extra")
    assert [(extra(r), read.build(r)) for r in found] == list(zip(["e1", "e2"], EXPECTED,
                                                                  strict=True))
    with pytest.raises(ColumnError, match="missing other columns"):
        Sample.reader(found, other=("extra", "absent"))
    with pytest.raises(ColumnError, match="no column 'absent'"):
        read.column("absent")


def test_given_fields_are_passed_not_read(conn: sqlite3.Connection) -> None:
    found = rows(conn, "id")
    read = Tagged.reader(found, given=("tags",))
    assert [read.build(r, tags=(str(r["id"]),)) for r in found] == [
        Tagged(1, ("1",)), Tagged(2, ("2",))]
    with pytest.raises(ColumnError, match="no fields"):
        Tagged.reader(found, given=("tgas",))
    with pytest.raises(ColumnError, match=r"unexpected columns \['tags'\]"):
        Tagged.reader(rows(conn, "id, name AS tags"), given=("tags",))


def test_a_prefixed_record_reads_only_its_columns(conn: sqlite3.Connection) -> None:
    found = rows(conn, "id, name, extra AS n_name, owner_id AS n_id")
    read = Named.reader(found, prefix="n_")
    assert [read.build(r) for r in found] == [Named(10, "e1"), Named(20, "e2")]
    assert Named.columns("n_") == ("n_id", "n_name")
    with pytest.raises(ColumnError, match=r"no column for \['n_name'\]"):
        Named.reader(rows(conn, "id, extra AS name, id AS n_id"), prefix="n_")


@dataclass(frozen=True, slots=True)
class Plain(RowRecord):
    row: int
    value: StoredTime | None
    cls: str


def test_field_names_never_clash_with_the_compiled_reader(conn: sqlite3.Connection) -> None:
    found = rows(conn, "until AS value, name AS cls")
    read = Plain.reader(found, given=("row",))
    assert [read.build(r, row=7) for r in found] == [Plain(7, None, "a"), Plain(7, AT, "b")]


def test_an_empty_result_reads_nothing() -> None:
    empty: list[sqlite3.Row] = []
    assert Sample.from_rows(empty) == []
    read = Sample.reader(empty, given=("until",), other=("extra",))
    assert [read.build(r, until=None) for r in empty if read.column("extra")(r)] == []


def test_every_record_of_the_store_resolves_its_fields() -> None:
    for module in pkgutil.walk_packages(storage.__path__, "storage."):
        importlib.import_module(module.name)
    records = [cls for cls in _subclasses(RowRecord) if cls.__module__.startswith("storage.")]
    assert len(records) >= 12
    for cls in records:
        assert issubclass(cls, RowRecord)
        assert cls.columns()  # the annotations resolve, so the first read will not fail


def _subclasses(cls: type) -> list[type]:
    found: list[type] = []
    sub: type
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def test_validated_records_are_read_by_name_too(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE m (telegram_id, full_name, username, desk_id, role, language, "
                 "active)")
    conn.execute("INSERT INTO m VALUES (5, 'Budi', NULL, 7, 'officer', 'id', 1)")
    orders = ("telegram_id, full_name, username, desk_id, role, language, active",
              "active, language, role, desk_id, username, full_name, telegram_id")
    found = {Member.from_row(conn.execute(f"SELECT {o} FROM m").fetchone()) for o in orders}
    assert len(found) == 1 and next(iter(found)).desk_id == 7
    prefixed = conn.execute("SELECT 'x' AS other, " + ", ".join(
        f"{c} AS m_{c}" for c in orders[1].split(", ")) + " FROM m").fetchone()
    assert Member.from_row(prefixed, prefix="m_") in found
    with pytest.raises(pydantic.ValidationError, match="extra"):
        Member.from_row(conn.execute(f"SELECT {orders[0]}, 1 AS extra FROM m").fetchone())
    with pytest.raises(pydantic.ValidationError, match="active"):
        Member.from_row(conn.execute(f"SELECT {orders[0][:-8]} FROM m").fetchone())
    with pytest.raises(ColumnError, match="twice"):
        Member.from_row(conn.execute(f"SELECT {orders[0]}, role FROM m").fetchone())


async def test_bulk_work_leaves_the_event_loop_only_when_big() -> None:
    """A few rows are worked in place (a hop to a thread costs more); many on a worker
    thread, so the loop keeps answering meanwhile."""
    loop_thread = threading.get_ident()
    assert await in_bulk(threading.get_ident, IN_PLACE - 1) == loop_thread
    assert await in_bulk(threading.get_ident, IN_PLACE) != loop_thread
