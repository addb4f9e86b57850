"""Light records: frozen dataclasses read from query rows by column name, cheaply and in bulk.

The pydantic models of :mod:`storage.models` validate what they read, one row at a time. The
records here are read by the thousand (84,000 open shifts in a presence pass, 25,000-row
exports), where validation would cost more than the query. Both kinds are built from a row by
column name, never by position: a SELECT names each column as its field (``c.id AS
check_id``), so reordering its columns changes nothing, and a column missing, misspelt or left
over is an error instead of a value in the wrong field.

A field says once how its stored value is read, as ``Annotated[type, Convert(fn)]`` (a stored
time is :data:`storage.models.StoredTime`); a NULL in a field that may be None is read as None
without calling ``fn``. Which column feeds which field is worked out once per record class and
column layout and compiled into one function, so a record costs what picking its values by
index by hand did.

Work over a whole result (building its records, judging each) goes through :func:`in_bulk`:
on a worker thread when it is big enough to stall the event loop, in place when it is not.
"""

from __future__ import annotations

import asyncio
import sqlite3
import types
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, fields
from operator import itemgetter
from typing import Annotated, Any, Generic, Self, TypeVar, Union, get_args, get_origin
from typing import get_type_hints as type_hints

R = TypeVar("R")
T = TypeVar("T")
# Items of bulk work (a row to build, a desk or shift to judge: tens of microseconds each)
# below which the work is done in place. A hop to a worker thread and back costs about what
# a few hundred items do, and every minute of a city's day pays it three times; above this,
# the event loop would stall long enough to delay an officer's check-in.
IN_PLACE = 1000


async def in_bulk(work: Callable[[], T], items: int) -> T:
    """``work()`` over ``items`` items: on a worker thread when there are many of them (so
    the bot keeps answering officers meanwhile; the thread yields the GIL every 5 ms),
    in place when there are few."""
    if items < IN_PLACE:
        return work()
    return await asyncio.to_thread(work)


Read = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Convert:
    """``Annotated`` metadata of a field: how its stored value is read."""

    read: Read


Flag = Annotated[bool, Convert(bool)]  # an SQL truth value, 0 or 1


class ColumnError(LookupError):
    """A result's columns do not match the fields of the record read from it."""


@dataclass(frozen=True, slots=True)
class Reader(Generic[R]):
    """How one record class is read from the rows of one result (one column layout)."""

    build: Callable[..., R]  # build(row, **given): the record of a row
    index: Mapping[str, int] | None  # every column of the layout by name; None: no rows

    def column(self, name: str) -> Callable[[sqlite3.Row], Any]:
        """The value of column ``name`` in a row of this layout (one the caller filters on)."""
        if self.index is None:
            return _no_rows
        if name not in self.index:
            raise ColumnError(f"no column {name!r} in this result")
        return itemgetter(self.index[name])


class RowRecord:
    """Mixin of a dataclass record read from query rows by column name."""

    __slots__ = ()

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Self:
        """The record of a row whose columns are exactly its fields."""
        build: Callable[[sqlite3.Row], Self] = _reader(cls, tuple(row.keys())).build
        return build(row)

    @classmethod
    def from_rows(cls, rows: Sequence[sqlite3.Row]) -> list[Self]:
        """The records of the rows of one result, in order."""
        build = cls.reader(rows).build
        return [build(row) for row in rows]

    @classmethod
    def reader(cls, rows: Sequence[sqlite3.Row], *, given: Collection[str] = (),
               other: Collection[str] = (), prefix: str = "") -> Reader[Self]:
        """The reader of the rows of one result (all in the layout of the first).

        ``given`` fields do not come from the row: each call passes them by name. ``other``
        columns are not fields but the caller's (see :meth:`Reader.column`). With a ``prefix``
        the record is one of several in a row: it reads the columns named ``prefix + field``
        and leaves the rest alone.
        """
        columns = tuple(rows[0].keys()) if rows else None
        return _reader(cls, columns, tuple(given), tuple(other), prefix)

    @classmethod
    def columns(cls, prefix: str = "") -> tuple[str, ...]:
        """The names of the columns this record reads from, in field order."""
        return tuple(prefix + name for name, _, _ in _fields(cls))


Field = tuple[str, Read | None, bool]  # name, conversion, may be None
Pick = Callable[[sqlite3.Row], tuple[Any, ...]]
_FIELDS: dict[type, tuple[Field, ...]] = {}
_READERS: dict[tuple[Any, ...], Reader[Any]] = {}
_PICKS: dict[tuple[tuple[str, ...], str], tuple[tuple[str, ...], Pick]] = {}


def named_columns(columns: tuple[str, ...], prefix: str = "") -> tuple[tuple[str, ...], Pick]:
    """The names (less the prefix) of the columns named ``prefix + name``, and a function
    returning their values from a row of this layout in the same order.

    Worked out once per layout: the pydantic records read one row at a time, on every update.
    """
    found = _PICKS.get((columns, prefix))
    if found is None:
        mine = _own(columns, prefix)
        pick: Pick = itemgetter(*mine.values()) if len(mine) > 1 else (
            lambda row: tuple(row[i] for i in mine.values()))
        found = _PICKS[(columns, prefix)] = tuple(mine), pick
    return found


def _own(columns: tuple[str, ...], prefix: str, other: tuple[str, ...] = ()) -> dict[str, int]:
    """Field name -> index of the columns named ``prefix + field`` (``other`` left out)."""
    mine = [(name.removeprefix(prefix), i) for i, name in enumerate(columns)
            if name.startswith(prefix) and name not in other]
    found = dict(mine)
    if len(found) != len(mine):
        twice = sorted({name for name, _ in mine if [n for n, _ in mine].count(name) > 1})
        raise ColumnError(f"columns named twice {twice} in {columns}")
    return found


def _fields(cls: type) -> tuple[Field, ...]:
    """The fields of a record class in order, worked out on its first read."""
    found = _FIELDS.get(cls)
    if found is None:
        hints = type_hints(cls, include_extras=True)
        found = _FIELDS[cls] = tuple((f.name, *_conversion(hints[f.name])) for f in fields(cls))
    return found


def _conversion(hint: Any) -> tuple[Read | None, bool]:
    if get_origin(hint) in (Union, types.UnionType):  # StoredTime | None
        found = (_conversion(arg)[0] for arg in get_args(hint))
        return next((read for read in found if read), None), type(None) in get_args(hint)
    if get_origin(hint) is Annotated:
        return next((m.read for m in hint.__metadata__ if isinstance(m, Convert)), None), False
    return None, False


def _reader(cls: type[R], columns: tuple[str, ...] | None, given: tuple[str, ...] = (),
            other: tuple[str, ...] = (), prefix: str = "") -> Reader[R]:
    """The reader of a record class for one layout (None: a result without rows)."""
    key = (cls, columns, given, other, prefix)
    found: Reader[R] | None = _READERS.get(key)
    if found is None:
        found = _READERS[key] = _compile(cls, columns, given, other, prefix)
    return found


def _compile(cls: type[R], columns: tuple[str, ...] | None, given: tuple[str, ...],
             other: tuple[str, ...], prefix: str) -> Reader[R]:
    names = [name for name, _, _ in _fields(cls)]
    if set(given) - set(names):
        raise ColumnError(f"{cls.__name__} has no fields {sorted(set(given) - set(names))}")
    if columns is None:
        return Reader(_no_rows, None)
    mine = _own(columns, prefix, other)
    wanted = {name for name in names if name not in given}
    problems = {"no column for": sorted(prefix + name for name in wanted - set(mine)),
                "unexpected columns": sorted(prefix + name for name in set(mine) - wanted),
                "missing other columns": sorted(set(other) - set(columns))}
    if any(problems.values()):
        raise ColumnError(f"reading {cls.__name__}: " + "; ".join(
            f"{what} {found}" for what, found in problems.items() if found))
    # Compiled as dataclasses compile __init__: one positional call with each value picked by
    # its index, so a bulk read looks up no names per row (84,000 rows in a presence pass).
    # The generated names start with __, which no field's name can (the class would mangle it).
    scope: dict[str, Any] = {"__cls": cls}
    args = []
    for name, read, nullable in _fields(cls):
        if name in given:
            args.append(name)
            continue
        value = f"__row[{mine[name]}]"
        if read is not None:
            scope[f"__read_{name}"] = read
            value = (f"(None if (__value := {value}) is None else __read_{name}(__value))"
                     if nullable else f"__read_{name}({value})")
        args.append(value)
    keywords = "".join(f", {name}" for name in given)
    exec(f"def build(__row{', *' if given else ''}{keywords}):\n"
         f"    return __cls({', '.join(args)})\n", scope)
    return Reader(scope["build"], {name: i for i, name in enumerate(columns)})


def _no_rows(row: sqlite3.Row, /, **given: Any) -> Any:  # never called: there are no rows
    raise ColumnError("a reader of an empty result has no layout")
