"""Desk queries and the one scope check.

A desk's ``path`` lists its ancestors' ids and its own (``/1/5/77/``). A scope is a desk and
everything below it, so membership is a prefix test and "desks in scope" is one range scan on
the ``desks_path`` index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from storage.models import Desk, to_db
from storage.rules.duty import (
    Schedule,
    desk_state,
    last_end,
    on_duty,
    parse_duty_hours,
    zone,
)
from storage.sqlite.engine import Database

# Columns of a desk query (alias ``d``): how many shifts are open there (a seek in
# shifts_open_by_desk), and whether the desk has weekday or date rules.
OPEN_SHIFTS = "(SELECT count(*) FROM shifts o WHERE o.desk_id = d.id AND o.ended_at IS NULL)"
HAS_RULES = "EXISTS (SELECT 1 FROM duty_rules r WHERE r.desk_id = d.id)"

Rule = tuple[str, str, int | None]  # (day key, duty_hours, min_staff)


async def rules_for(db: Database, desk_ids: list[int]) -> dict[int, tuple[Rule, ...]]:
    """The rules of the given desks (only desks that have any appear)."""
    found: dict[int, list[Rule]] = {}
    for row in await db.fetch_in("SELECT desk_id, day, duty_hours, min_staff FROM duty_rules "
                                 "WHERE desk_id IN ({keys})", desk_ids):
        found.setdefault(row[0], []).append((row[1], row[2], row[3]))
    return {desk_id: tuple(rules) for desk_id, rules in found.items()}


async def schedule_of(db: Database, desk: Desk) -> Schedule:
    """A desk's full schedule."""
    rules = await rules_for(db, [desk.id])
    return Schedule(desk.duty_hours, desk.min_staff, rules.get(desk.id, ()))


_COLUMNS = ("id, code, name, level, parent_id, path, latitude, longitude, timezone, radius_m, "
            "min_staff, duty_hours")


def within(scope_path: str, path: str) -> bool:
    """Whether the desk at ``path`` lies in the scope rooted at ``scope_path``."""
    return path.startswith(scope_path)


def chain(path: str) -> list[int]:
    """Desk ids from a desk (by its path) up to its root: index 0 is the desk itself."""
    return [int(part) for part in reversed(path.strip("/").split("/"))]


def in_scope(scope_path: str | None, alias: str = "d") -> tuple[str, tuple[str, ...]]:
    """`` AND d.path >= ? AND d.path < ?`` with its parameters; nothing for everything (None)."""
    if scope_path is None:
        return "", ()
    return f" AND {alias}.path >= ? AND {alias}.path < ?", path_range(scope_path)


def path_range(scope_path: str) -> tuple[str, str]:
    """Half-open text range ``[lo, hi)`` holding exactly the paths under ``scope_path``.

    Paths end in '/', and '0' is the character right after '/', so every path that starts
    with ``scope_path`` sorts before ``scope_path[:-1] + '0'``.
    """
    return scope_path, scope_path[:-1] + "0"


async def get(db: Database, desk_id: int) -> Desk | None:
    """The desk with this id."""
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM desks WHERE id = ?", (desk_id,))
    return Desk.from_row(row) if row else None


async def by_code(db: Database, code: str) -> Desk | None:
    """The desk with this code."""
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM desks WHERE code = ?", (code.strip(),))
    return Desk.from_row(row) if row else None


async def ids_in_scope(db: Database, scope_path: str | None) -> list[int]:
    """The ids of every desk in a scope (the scope's own desk too; None: every desk)."""
    where, params = in_scope(scope_path)
    return [row[0] for row in await db.scan(f"SELECT id FROM desks d WHERE 1 = 1{where}",
                                            params)]


async def get_many(db: Database, ids: list[int]) -> dict[int, Desk]:
    """The desks with these ids (those that exist), by id."""
    rows = await db.fetch_in(f"SELECT {_COLUMNS} FROM desks WHERE id IN ({{keys}})", ids)
    return {row["id"]: Desk.from_row(row) for row in rows}


async def children(db: Database, desk_id: int) -> list[Desk]:
    """The desks directly below a desk, by code."""
    rows = await db.scan(f"SELECT {_COLUMNS} FROM desks WHERE parent_id = ? ORDER BY code",
                         (desk_id,))
    return [Desk.from_row(row) for row in rows]


async def find_in_scope(db: Database, scope_path: str | None, text: str,
                        limit: int) -> list[Desk]:
    """Desks of a scope whose name contains ``text`` (any case) or whose code starts with it;
    whole-name matches first, then by level and code. At most ``limit``."""
    needle = text.strip().casefold()
    if not needle:
        return []
    like = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    where, params = in_scope(scope_path, alias="desks")
    rows = await db.scan(
        f"SELECT {_COLUMNS} FROM desks WHERE (lower(name) LIKE ? ESCAPE '\\' "
        f"OR code LIKE ? ESCAPE '\\'){where} "
        "ORDER BY lower(name) != ?, length(path), code LIMIT ?",
        (f"%{like}%", f"{like}%", *params, needle, limit))
    return [Desk.from_row(row) for row in rows]


async def ancestors(db: Database, desk: Desk) -> list[Desk]:
    """The desk's ancestors, nearest first."""
    ids = [int(part) for part in desk.path.strip("/").split("/")[:-1]]
    found = await get_many(db, ids)
    return [found[i] for i in reversed(ids) if i in found]


async def count(db: Database) -> int:
    """Number of desks."""
    return int(await db.scanval("SELECT count(*) FROM desks"))


@dataclass(frozen=True, slots=True)
class ScopeSummary:
    """Counts of desks in a scope at one moment."""

    total: int = 0
    on_duty: int = 0
    short: int = 0
    staffed: int = 0



async def summarize(db: Database, scope_path: str | None, moment: datetime) -> ScopeSummary:
    """How many desks of a scope are on duty, short of staff, and staffed at all.

    1. In SQL, group the scope's desks without duty rules by (time zone, duty hours): per
       group, how many desks, how many would be short if on duty, how many have anybody.
    2. Evaluate the duty windows once per group (a handful of groups for 91k desks).
    3. Desks with weekday or date rules are evaluated one by one with their schedule.
    """
    where, params = in_scope(scope_path)
    open_counts = ("LEFT JOIN (SELECT desk_id, count(*) AS n FROM shifts WHERE ended_at IS NULL "
                   "GROUP BY desk_id) s ON s.desk_id = d.id")
    total = duty = short = staffed = 0
    for zone_name, duty_hours, count_, short_if_on, with_staff in await db.scan(
            "SELECT d.timezone, d.duty_hours, count(*), sum(coalesce(s.n, 0) < d.min_staff), "
            f"sum(coalesce(s.n, 0) > 0) FROM desks d {open_counts} WHERE NOT {HAS_RULES}{where} "
            "GROUP BY d.timezone, d.duty_hours", params):
        total += count_
        staffed += with_staff
        if on_duty(parse_duty_hours(duty_hours), moment, zone(zone_name)):
            duty += count_
            short += short_if_on
    special = await db.scan(
        f"SELECT d.id, d.timezone, d.duty_hours, d.min_staff, coalesce(s.n, 0) FROM desks d "
        f"{open_counts} WHERE {HAS_RULES}{where}", params)
    rules = await rules_for(db, [row[0] for row in special])
    for desk_id, zone_name, duty_hours, min_staff, open_shifts in special:
        schedule = Schedule(duty_hours, min_staff, rules.get(desk_id, ()))
        state = desk_state(schedule, zone(zone_name), open_shifts, moment)
        total += 1
        staffed += open_shifts > 0
        duty += state.on_duty
        short += state.short
    return ScopeSummary(total, duty, short, staffed)


async def _pairs(db: Database) -> list[tuple[str, str]]:
    """Every distinct (zone, hours) pair of the desks, in order.

    Point reads seeking from one pair to the next on ``desks_schedule`` (a few per zone and a
    few per schedule, whatever the number of desks): ``SELECT DISTINCT`` would read the whole
    index, 14 ms at 91,599 desks, and this runs twice a minute.
    """
    pairs: list[tuple[str, str]] = []
    tz = await db.fetchval("SELECT min(timezone) FROM desks")
    while tz is not None:
        hours = await db.fetchval("SELECT min(duty_hours) FROM desks WHERE timezone = ?", (tz,))
        while hours is not None:
            pairs.append((tz, hours))
            hours = await db.fetchval("SELECT min(duty_hours) FROM desks WHERE timezone = ? "
                                      "AND duty_hours > ?", (tz, hours))
        tz = await db.fetchval("SELECT min(timezone) FROM desks WHERE timezone > ?", (tz,))
    return pairs


@dataclass(frozen=True, slots=True)
class DutyPairs:
    """The desks' daily (zone, hours) pairs at a moment (a handful for the whole country):
    the ones on duty, and when each other one's last span ended, for SQL that leaves every
    desk out whose pair says there is nothing to do."""

    live: list[tuple[str, str]]
    every: bool  # every pair of the desks is on duty: no desk is left out by its pair
    ended: list[tuple[str, str, str]] = field(default_factory=list)  # off duty: pair, stored end

    @property
    def sql(self) -> str:
        """A two-column row list, for ``(d.timezone, d.duty_hours) IN (<sql>)`` or a CTE."""
        return _rows(len(self.live), 2)

    @property
    def params(self) -> list[str]:
        """The parameters of :attr:`sql`."""
        return [x for pair in self.live for x in pair]

    @property
    def ended_sql(self) -> str:
        """A three-column row list (zone, hours, end as stored) of the pairs off duty."""
        return _rows(len(self.ended), 3)

    @property
    def ended_params(self) -> list[str]:
        """The parameters of :attr:`ended_sql`."""
        return [x for row in self.ended for x in row]


def _rows(count: int, width: int) -> str:
    """``VALUES (?, ?), …`` of ``count`` rows, or a select of no rows of that width."""
    if not count:
        return "SELECT " + ", ".join(["NULL"] * width) + " WHERE 0"
    row = "(" + ", ".join(["?"] * width) + ")"
    return "VALUES " + ", ".join([row] * count)


async def schedule_pairs(db: Database, moment: datetime, *, idle_counts: bool = False
                         ) -> DutyPairs:
    """The desks' daily (zone, hours) pairs on duty at ``moment``, and the end of the others'
    last span (two days back at most).

    The sweep and the presence pass use them to leave every off-duty desk out in SQL. With
    ``idle_counts`` a pair without any window ('-') counts as on duty too (nothing there ever
    ends).
    """
    live: list[tuple[str, str]] = []
    ended: list[tuple[str, str, str]] = []
    pairs = await _pairs(db)
    for tz, hours in pairs:
        on, end = _pair_state(tz, hours, moment)
        if on or (idle_counts and hours.strip() == "-"):
            live.append((tz, hours))
        elif end is not None:
            ended.append((tz, hours, end))
    return DutyPairs(live, len(live) == len(pairs), ended)


@lru_cache(maxsize=256)
def _pair_state(tz: str, hours: str, moment: datetime) -> tuple[bool, str | None]:
    """Whether daily ``hours`` in zone ``tz`` are on duty at ``moment``, and when they last
    ended (as stored) if not. Pure, so the presence pass and the sweep of one minute evaluate
    each pair once."""
    if on_duty(parse_duty_hours(hours), moment, zone(tz)):
        return True, None
    end = last_end(Schedule(hours, 0), moment, zone(tz))
    return False, None if end is None else to_db(end)
