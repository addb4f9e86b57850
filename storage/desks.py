"""Desk queries and the one scope check.

A desk's ``path`` lists its ancestors' ids and its own (``/1/5/77/``). A scope is a desk and
everything below it, so membership is a prefix test and "desks in scope" is one range scan on
the ``desks_path`` index.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from storage.db import Database
from storage.duty import on_duty, parse_duty_hours
from storage.models import Desk

_COLUMNS = ("id, code, name, level, parent_id, path, latitude, longitude, timezone, radius_m, "
            "min_staff, duty_hours")


def within(scope_path: str, path: str) -> bool:
    """Whether the desk at ``path`` lies in the scope rooted at ``scope_path``."""
    return path.startswith(scope_path)


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


async def ancestors(db: Database, desk: Desk) -> list[Desk]:
    """The desk's ancestors, nearest first."""
    ids = [int(part) for part in desk.path.strip("/").split("/")[:-1]]
    if not ids:
        return []
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM desks WHERE id IN ({','.join('?' * len(ids))})", ids
    )
    found = {row["id"]: Desk.from_row(row) for row in rows}
    return [found[i] for i in reversed(ids) if i in found]


async def count(db: Database) -> int:
    """Number of desks."""
    return int(await db.fetchval("SELECT count(*) FROM desks"))


@dataclass(frozen=True, slots=True)
class ScopeSummary:
    """Counts of desks in a scope at one moment."""

    total: int = 0
    on_duty: int = 0
    short: int = 0
    staffed: int = 0


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


async def summarize(db: Database, scope_path: str | None, moment: datetime) -> ScopeSummary:
    """How many desks of a scope are on duty, short of staff, and staffed at all.

    1. In SQL, group the scope's desks by (time zone, duty hours): per group, how many desks,
       how many would be short if on duty, and how many have anybody checked in.
    2. Evaluate the duty windows once per group (a handful of groups for 91k desks).
    """
    sql = (
        "SELECT d.timezone, d.duty_hours, count(*), "
        "sum(coalesce(s.n, 0) < d.min_staff), sum(coalesce(s.n, 0) > 0) FROM desks d "
        "LEFT JOIN (SELECT desk_id, count(*) AS n FROM shifts WHERE ended_at IS NULL "
        "GROUP BY desk_id) s ON s.desk_id = d.id"
    )
    params: tuple[str, ...] = ()
    if scope_path is not None:
        sql += " WHERE d.path >= ? AND d.path < ?"
        params = path_range(scope_path)
    total = duty = short = staffed = 0
    for zone, duty_hours, count_, short_if_on, with_staff in await db.fetchall(
            sql + " GROUP BY d.timezone, d.duty_hours", params):
        total += count_
        staffed += with_staff
        if on_duty(parse_duty_hours(duty_hours), moment, _zone(zone)):
            duty += count_
            short += short_if_on
    return ScopeSummary(total, duty, short, staffed)
