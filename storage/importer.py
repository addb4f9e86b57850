"""Desk import from CSV (the wilayah format plus optional desk settings).

Algorithm of :func:`import_desks`:

1. Parse and validate every row (:func:`parse_desk_csv`); any error stops the import with the
   line numbers of the bad rows, before anything is written.
2. In one ``BEGIN IMMEDIATE`` transaction, read every existing desk and merge the file into it
   by code: optional columns that a row leaves empty keep the stored value (or take the
   default for a new desk).
3. Check the hierarchy over the merged set: every parent exists and sits at a higher level.
4. Recompute each desk's ancestor path, then insert the new desks and update only the desks
   whose stored values differ. A second import of the same file therefore changes nothing.
   A desk whose duty hours or staff change keeps its former schedule in its history first
   (:mod:`storage.schedule_history`), so past days are still judged by it.
5. A non-empty ``rawan`` cell replaces the desk's risk labels (:mod:`storage.risks`; ``-``
   removes them); an empty one keeps them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from storage import schedule_history
from storage.models import Level, to_db, utcnow
from storage.rules.duty import format_duty_hours, parse_duty_hours
from storage.rules.risk import parse_labels
from storage.sqlite.engine import Database
from storage.tables import CsvImportError, parse_rows

REQUIRED = ("code", "name", "level", "parent_code", "latitude", "longitude")
OPTIONAL = ("timezone", "radius_m", "min_staff", "duty_hours", "rawan")
DEFAULT_RADIUS_M = 150
DEFAULT_MIN_STAFF = 1
# Jakarta decree for the 2024 election; provinsi follows kota.
DEFAULT_DUTY = {
    Level.PROVINSI: "08:00-19:00",
    Level.KABUPATEN_KOTA: "08:00-19:00",
    Level.KECAMATAN: "08:00-15:00",
    Level.KELURAHAN_DESA: "08:00-14:00",
}
# Province code -> zone (Permendagri codes). Unlisted provinces: WIB.
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}
_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$")


def zone_for_code(code: str, fallback: str) -> str:
    """Time zone of an Indonesian region code by its province, else ``fallback``."""
    province = code.split(".", 1)[0]
    if not province.isdigit() or len(province) != 2:
        return fallback
    if province in _WIT:
        return "Asia/Jayapura"
    if province in _WITA:
        return "Asia/Makassar"
    return "Asia/Jakarta"


@dataclass(frozen=True, slots=True)
class DeskRow:
    """One validated CSV row; None in an optional field means "not given"."""

    line: int
    code: str
    name: str
    level: Level
    parent_code: str | None
    latitude: float | None
    longitude: float | None
    timezone: str | None = None
    radius_m: int | None = None
    min_staff: int | None = None
    duty_hours: str | None = None
    rawan: tuple[str, ...] | None = None  # risk labels (storage.risks); () removes them


def _number(value: str, what: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a number") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise ValueError(f"{what} {value!r} is outside {low}..{high}")
    return number


def _row(line: int, raw: dict[str, str]) -> DeskRow:
    """Validate one row; ValueError carries the reason."""
    cell = {key: (raw.get(key) or "").strip() for key in (*REQUIRED, *OPTIONAL)}
    if not _CODE.match(cell["code"]):
        raise ValueError(f"code {cell['code']!r} must be 1-40 letters, digits, '.', '_' or '-'")
    if not cell["name"] or len(cell["name"]) > 200:
        raise ValueError("name must be 1-200 characters")
    try:
        level = Level(cell["level"])
    except ValueError:
        raise ValueError(
            f"level {cell['level']!r} is not one of {', '.join(lv.value for lv in Level)}"
        ) from None
    lat_text, lon_text = cell["latitude"], cell["longitude"]
    if bool(lat_text) != bool(lon_text):
        raise ValueError("give both latitude and longitude, or neither")
    lat = _number(lat_text, "latitude", -90, 90) if lat_text else None
    lon = _number(lon_text, "longitude", -180, 180) if lon_text else None
    tz = cell["timezone"] or None
    if tz is not None:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"timezone {tz!r} is not an IANA zone like Asia/Jakarta") from None
    radius = min_staff = None
    if cell["radius_m"]:
        if not cell["radius_m"].isdigit() or not 10 <= int(cell["radius_m"]) <= 100_000:
            raise ValueError(f"radius_m {cell['radius_m']!r} must be a whole number 10-100000")
        radius = int(cell["radius_m"])
    if cell["min_staff"]:
        if not cell["min_staff"].isdigit() or int(cell["min_staff"]) > 1000:
            raise ValueError(f"min_staff {cell['min_staff']!r} must be a whole number 0-1000")
        min_staff = int(cell["min_staff"])
    duty = None
    if cell["duty_hours"]:
        try:
            duty = format_duty_hours(parse_duty_hours(cell["duty_hours"]))
        except ValueError as exc:
            raise ValueError(f"duty_hours: {exc}") from None
    risks = parse_labels(cell["rawan"]) if cell["rawan"] else None
    return DeskRow(line, cell["code"], cell["name"], level, cell["parent_code"] or None,
                   lat, lon, tz, radius, min_staff, duty, risks)


def parse_desk_csv(text: str) -> list[DeskRow]:
    """Validate a whole desk CSV; raises :class:`CsvImportError` listing every bad line."""
    return parse_rows(text, (REQUIRED, OPTIONAL), _row, "quote names with commas")


def within_scope(rows: list[DeskRow], scope: str) -> list[DeskRow]:
    """The rows of desk ``scope``, of every desk below it and of its ancestors (so one kota can
    be imported from the national file); raises :class:`CsvImportError` if the file lacks it."""
    by_code = {row.code: row for row in rows}
    if scope not in by_code:
        raise CsvImportError([(1, f"no desk in the file has the code {scope}")])
    ancestors: set[str] = set()
    parent = by_code[scope].parent_code
    while parent is not None and parent in by_code and parent not in ancestors:
        ancestors.add(parent)
        parent = by_code[parent].parent_code
    return [row for row in rows if row.code in ancestors or _under(row.code, scope, by_code)]


def _under(code: str, scope: str, by_code: dict[str, DeskRow]) -> bool:
    """Whether desk ``code`` is ``scope`` or lies below it in the file's hierarchy."""
    seen: set[str] = set()
    current: str | None = code
    while current is not None and current not in seen:
        if current == scope:
            return True
        seen.add(current)
        row = by_code.get(current)
        current = row.parent_code if row is not None else None
    return False


@dataclass
class ImportResult:
    """What an import changed."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    codes: list[str] = field(default_factory=list)
    relabelled: int = 0  # desks whose risk labels changed (the rawan column)


_COLUMNS = ("name", "level", "parent_id", "path", "latitude", "longitude", "timezone",
            "radius_m", "min_staff", "duty_hours")


async def import_desks(db: Database, rows: list[DeskRow], default_timezone: str,
                       now: datetime | None = None) -> ImportResult:
    """Merge validated rows into the store (see the module docstring for the steps); ``now``
    (default: the clock) is when the new desks begin and the changed schedules change."""
    moment = now or utcnow()
    now_text = to_db(moment)
    result = ImportResult()
    async with db.transaction() as tx:
        cursor = await tx.execute(f"SELECT id, code, {', '.join(_COLUMNS)} FROM desks")
        stored = {r["code"]: dict(r) for r in await cursor.fetchall()}
        merged: dict[str, dict[str, Any]] = {code: dict(v) for code, v in stored.items()}
        by_id = {v["id"]: code for code, v in stored.items()}
        parent_code = {code: by_id.get(v["parent_id"]) for code, v in stored.items()}
        next_id = max((v["id"] for v in stored.values()), default=0) + 1
        lines: dict[str, int] = {}
        for row in rows:
            old = stored.get(row.code)
            if old is None:
                merged[row.code] = {"id": next_id, "code": row.code}
                next_id += 1
            desk = merged[row.code]
            desk.update(name=row.name, level=row.level.value, latitude=row.latitude,
                        longitude=row.longitude)
            _optional(desk, "timezone", row.timezone, zone_for_code(row.code, default_timezone))
            _optional(desk, "radius_m", row.radius_m, DEFAULT_RADIUS_M)
            _optional(desk, "min_staff", row.min_staff, DEFAULT_MIN_STAFF)
            _optional(desk, "duty_hours", row.duty_hours, DEFAULT_DUTY[row.level])
            parent_code[row.code] = row.parent_code
            lines[row.code] = row.line
        _link(merged, parent_code, lines)
        inserts, updates, rescheduled = [], [], []
        for code, desk in sorted(merged.items(), key=lambda kv: kv[1]["path"].count("/")):
            values = tuple(desk[c] for c in _COLUMNS)
            old = stored.get(code)
            if old is None:
                inserts.append((desk["id"], code, *values, now_text, now_text))
                result.codes.append(code)
            elif tuple(old[c] for c in _COLUMNS) != values:
                updates.append((*values, now_text, desk["id"]))
                result.codes.append(code)
                if any(old[c] != desk[c] for c in ("duty_hours", "min_staff")):
                    rescheduled.append(desk["id"])
        assignments = ", ".join(f"{c} = ?" for c in _COLUMNS)
        await tx.executemany(
            f"INSERT INTO desks (id, code, {', '.join(_COLUMNS)}, created_at, updated_at) "
            f"VALUES ({', '.join('?' * (len(_COLUMNS) + 4))})",
            inserts,
        )
        await schedule_history.keep(tx, rescheduled, moment)  # past days keep their rules
        await tx.executemany(f"UPDATE desks SET {assignments}, updated_at = ? WHERE id = ?",
                             updates)
        # Here, not at the top: storage.risks reads its own CSV with this module's reader.
        from storage.risks import replace

        relabelled = await replace(tx, {merged[row.code]["id"]: row.rawan for row in rows
                                        if row.rawan is not None})
    result.inserted, result.updated = len(inserts), len(updates)
    # Not len(rows) - inserted - updated: moving a desk re-paths its descendants, which are
    # updated without being rows of the file.
    changed = set(result.codes)
    result.unchanged = sum(1 for row in rows if row.code not in changed)
    result.relabelled = relabelled
    return result


def _optional(desk: dict[str, Any], key: str, given: Any, default: Any) -> None:
    if given is not None:
        desk[key] = given
    elif key not in desk:
        desk[key] = default


def _link(merged: dict[str, dict[str, Any]], parent_code: dict[str, str | None],
          lines: dict[str, int]) -> None:
    """Set parent_id and path on every desk; raise for unknown parents or inverted levels."""
    errors: list[tuple[int, str]] = []
    for code, desk in merged.items():
        parent = parent_code[code]
        if parent is None:
            desk["parent_id"] = None
            continue
        if parent not in merged:
            errors.append((lines.get(code, 0), f"parent_code {parent} is not a known desk"))
            continue
        if Level(merged[parent]["level"]).depth >= Level(desk["level"]).depth:
            # A stored child absent from the file is broken by its parent's row: name that line.
            errors.append((lines.get(code) or lines.get(parent, 0),
                           f"parent {parent} ({merged[parent]['level']}) is not above "
                           f"{code} ({desk['level']})"))
            continue
        desk["parent_id"] = merged[parent]["id"]
    if errors:
        raise CsvImportError(sorted(errors))
    # Levels strictly increase downwards, so handling desks top-down gives parents first.
    for code, desk in sorted(merged.items(), key=lambda kv: Level(kv[1]["level"]).depth):
        parent = parent_code[code]
        prefix = merged[parent]["path"] if parent is not None else "/"
        desk["path"] = f"{prefix}{desk['id']}/"
