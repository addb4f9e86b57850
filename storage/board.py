"""The ``/rekap`` board: how a scope's desks stand now, and one page of what is in it.

A scope whose direct children have children of their own (the country, a provinsi, a kota)
is summarised per child unit; a scope of leaf desks (a kecamatan) lists its desks. Either way
the work is set-based, so a province of thousands of desks costs a few grouped queries:

1. In SQL, group the scope's desks without duty rules by (child unit, time zone, duty hours):
   per group, how many desks and how many would be short if on duty.
2. Evaluate the duty windows once per (time zone, duty hours), not once per desk.
3. Desks with weekday or date rules are evaluated one by one with their schedule.
4. Read per-desk rows (names, since when short) only for the desks on the page shown.

A list of desks shows risk-area desks (:mod:`storage.risks`) first, each with its labels.

The states are those of :mod:`storage.rules.duty`: *short* is on duty with fewer open shifts
than the window's ``min_staff``, *staffed* is on duty with enough, *off* is outside every window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from storage import desks as desks_store
from storage.desks import HAS_RULES, OPEN_SHIFTS, get_many, path_range, rules_for
from storage.models import Desk, from_db
from storage.risks import HAS_RISKS, labels_for
from storage.rules.duty import DeskState, DutySpan, Schedule, Spans, short_since
from storage.sqlite.engine import Database

PAGE = 10  # lines per page: with the header, the scope's own desk and a gap, 14 lines


class State(StrEnum):
    """How a desk stands at one moment."""

    SHORT = "short"
    STAFFED = "staffed"
    OFF = "off"


@dataclass(frozen=True, slots=True)
class Counts:
    """Desks of a unit by state."""

    short: int = 0
    staffed: int = 0
    off: int = 0
    rawan_short: int = 0  # of the short ones, those carrying risk labels (storage.risks)

    @property
    def total(self) -> int:
        """All desks counted."""
        return self.short + self.staffed + self.off

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.short + other.short, self.staffed + other.staffed,
                      self.off + other.off, self.rawan_short + other.rawan_short)


@dataclass(frozen=True, slots=True)
class Unit:
    """A child unit of the scope, with the counts of its whole subtree."""

    desk_id: int
    code: str
    name: str
    level: str
    counts: Counts


@dataclass(frozen=True, slots=True)
class DeskLine:
    """One desk as the board shows it; ``since`` is set for short desks."""

    desk_id: int
    code: str
    name: str
    level: str
    timezone: str
    state: State
    open_shifts: int
    min_staff: int
    since: datetime | None = None
    risks: tuple[str, ...] = ()  # risk labels (storage.risks): the board lists these first


@dataclass(frozen=True, slots=True)
class Board:
    """One page of the board of a scope (``scope`` None: every desk)."""

    scope: Desk | None
    counts: Counts
    page: int
    pages: int
    by_unit: bool
    own: DeskLine | None = None  # by unit: the scope's own desk, outside every child unit
    units: tuple[Unit, ...] = ()
    desks: tuple[DeskLine, ...] = ()




def _scope_where(scope: Desk | None) -> tuple[str, dict[str, Any]]:
    if scope is None:
        return "1", {}
    lo, hi = path_range(scope.path)
    return "d.path >= :lo AND d.path < :hi", {"lo": lo, "hi": hi}


async def single_root(db: Database) -> Desk | None:
    """The one root desk when there is exactly one (an installation of one province or kota)."""
    rows = await db.fetchall("SELECT id FROM desks WHERE parent_id IS NULL LIMIT 2")
    return await desks_store.get(db, rows[0][0]) if len(rows) == 1 else None


async def _has_grandchildren(db: Database, scope: Desk | None) -> bool:
    parent = "p.parent_id IS NULL" if scope is None else "p.parent_id = ?"
    return bool(await db.fetchval(
        f"SELECT EXISTS (SELECT 1 FROM desks p JOIN desks c ON c.parent_id = p.id "
        f"WHERE {parent})", () if scope is None else (scope.id,)))


async def _unit_counts(db: Database, scope: Desk | None,
                       spans: Spans) -> dict[int | None, Counts]:
    """Counts per child unit of the scope (key None: the scope's own desk)."""
    where, params = _scope_where(scope)
    # The child unit is the path component right after the scope's own path.
    params["n"] = len(scope.path if scope is not None else "/") + 1
    child = "substr(d.path, :n, max(instr(substr(d.path, :n), '/') - 1, 0))"
    found: dict[int | None, Counts] = {}

    def add(unit: str, counts: Counts) -> None:
        key = int(unit) if unit else None
        found[key] = found.get(key, Counts()) + counts

    for unit, zone_name, hours, total, short_if_on, rawan_if_on in await db.scan(
            f"SELECT {child} AS unit, d.timezone, d.duty_hours, count(*), "
            f"sum({OPEN_SHIFTS} < d.min_staff), sum({OPEN_SHIFTS} < d.min_staff AND {HAS_RISKS}) "
            f"FROM desks d WHERE NOT {HAS_RULES} AND {where} "
            "GROUP BY unit, d.timezone, d.duty_hours", params):
        # Without rules the staff required is the desk's own min_staff, already compared in
        # SQL, so the windows are all that is left to judge, once per group.
        if spans(Schedule(hours, 0), zone_name) is None:
            add(unit, Counts(off=total))
        else:
            add(unit, Counts(short=short_if_on, staffed=total - short_if_on,
                             rawan_short=rawan_if_on))
    # Across the whole country, drive from the (few) ruled desks instead of testing 91k rows;
    # within a scope the range scan is bounded already, however many rules exist elsewhere.
    ruled = "d.id IN (SELECT desk_id FROM duty_rules)" if scope is None else HAS_RULES
    special = await db.scan(
        f"SELECT d.id, {child}, d.timezone, d.duty_hours, d.min_staff, {OPEN_SHIFTS}, {HAS_RISKS} "
        f"FROM desks d WHERE {ruled} AND {where}", params)
    rules = await rules_for(db, [row[0] for row in special])
    for desk_id, unit, zone_name, hours, min_staff, open_shifts, rawan in special:
        span = spans(Schedule(hours, min_staff, rules.get(desk_id, ())), zone_name)
        state = _state(span, open_shifts)
        add(unit, Counts(short=state is State.SHORT, staffed=state is State.STAFFED,
                         off=state is State.OFF,
                         rawan_short=state is State.SHORT and bool(rawan)))
    return found


def _state(span: DutySpan | None, open_shifts: int) -> State:
    # DeskState (what desk_state returns) holds the one rule for "short"; the span was
    # evaluated once for its schedule by Spans.
    state = DeskState(span, open_shifts)
    if not state.on_duty:
        return State.OFF
    return State.SHORT if state.short else State.STAFFED


@dataclass(frozen=True, slots=True)
class _Judged:
    desk_id: int
    timezone: str
    state: State
    open_shifts: int
    min_staff: int
    since: datetime | None
    risks: tuple[str, ...] = ()


async def _judge(db: Database, where: str, params: dict[str, Any] | tuple[Any, ...],
                 spans: Spans) -> list[_Judged]:
    """State and since-when of the desks matching ``where`` (a bounded set)."""
    rows = await db.scan(
        f"SELECT d.id, d.timezone, d.duty_hours, d.min_staff, {OPEN_SHIFTS}, a.short_since, "
        "(SELECT max(e.ended_at) FROM shifts e WHERE e.desk_id = d.id), "
        f"{HAS_RULES}, {HAS_RISKS} FROM desks d "
        f"LEFT JOIN alerts a ON a.desk_id = d.id AND a.resolved_at IS NULL WHERE {where}",
        params)
    rules = await rules_for(db, [row[0] for row in rows if row[7]])
    risks = await labels_for(db, [row[0] for row in rows if row[8]])
    judged = []
    for desk_id, zone_name, hours, min_staff, open_shifts, alert_since, last_end, *_ in rows:
        span = spans(Schedule(hours, min_staff, rules.get(desk_id, ())), zone_name)
        state = _state(span, open_shifts)
        since = None
        if state is State.SHORT and span is not None:
            # The open alert knows when the episode began; without one, the duty rule says.
            since = (from_db(alert_since) if alert_since
                     else short_since(span, from_db(last_end) if last_end else None))
        judged.append(_Judged(desk_id, zone_name, state, open_shifts,
                              span.min_staff if span is not None else min_staff, since,
                              risks.get(desk_id, ())))
    return judged


async def _names(db: Database, ids: list[int]) -> dict[int, tuple[str, str, str]]:
    return {i: (d.code, d.name, d.level) for i, d in (await get_many(db, ids)).items()}


async def _lines(db: Database, judged: list[_Judged]) -> tuple[DeskLine, ...]:
    names = await _names(db, [j.desk_id for j in judged])
    return tuple(DeskLine(j.desk_id, *names[j.desk_id], j.timezone, j.state, j.open_shifts,
                          j.min_staff, j.since, j.risks) for j in judged if j.desk_id in names)


def _pages(count: int, page: int) -> tuple[int, int]:
    pages = max(1, -(-count // PAGE))
    return pages, min(max(page, 0), pages - 1)  # a stale page number shows the last page


_ORDER = {State.SHORT: 0, State.STAFFED: 1, State.OFF: 2}


def _worst_first(judged: list[_Judged], now: datetime) -> None:
    """Risk-area desks first; then short desks, longest-empty first; then staffed; then off."""
    judged.sort(key=lambda j: (not j.risks, _ORDER[j.state], j.since or now, j.desk_id))


async def desk_lines(db: Database, scope: Desk | None, now: datetime) -> list[DeskLine]:
    """Every desk of a scope (its own desk too), worst first: what a map of a kota or a
    smaller scope shows, one marker each."""
    where, params = _scope_where(scope)
    judged = await _judge(db, where, params, Spans(now))
    _worst_first(judged, now)
    return list(await _lines(db, judged))


async def load(db: Database, scope: Desk | None, now: datetime, page: int = 0) -> Board:
    """Page ``page`` (0-based) of the board of ``scope`` at ``now``."""
    board, _ = await load_with_units(db, scope, now, page)
    return board


async def load_with_units(db: Database, scope: Desk | None, now: datetime,
                          page: int = 0) -> tuple[Board, list[Unit]]:
    """The board page and, for a scope of units, every child unit with its counts, worst
    first (what a map of the scope shows, one marker per unit), from one count of the scope.
    """
    spans = Spans(now)
    if not await _has_grandchildren(db, scope):
        where, params = _scope_where(scope)
        judged = await _judge(db, where, params, spans)
        counts = Counts(*(sum(j.state is s for j in judged) for s in State))
        _worst_first(judged, now)
        pages, page = _pages(len(judged), page)
        shown = await _lines(db, judged[page * PAGE:(page + 1) * PAGE])
        return Board(scope, counts, page, pages, False, desks=shown), []
    per_unit = await _unit_counts(db, scope, spans)
    counts = sum(per_unit.values(), Counts())
    own = None
    if scope is not None:
        own_lines = await _lines(db, await _judge(db, "d.id = ?", (scope.id,), spans))
        own = own_lines[0] if own_lines else None
    # Worst first: most short risk-area desks, most short desks, then the largest share
    # short; then in code order.
    units = sorted(((unit, c) for unit, c in per_unit.items() if unit is not None),
                   key=lambda uc: (-uc[1].rawan_short, -uc[1].short,
                                   -uc[1].short / uc[1].total, uc[0]))
    pages, page = _pages(len(units), page)
    names = await _names(db, [unit for unit, _ in units])
    every = [Unit(unit, *names[unit], c) for unit, c in units if unit in names]
    rows = tuple(every[page * PAGE:(page + 1) * PAGE])
    return Board(scope, counts, page, pages, True, own=own, units=rows), every
