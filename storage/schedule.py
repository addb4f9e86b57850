"""Duty rules: weekday and date exceptions to a desk's daily hours, and their CSV import.

Schedule CSV (``posko-bot import-schedule``), header row required::

    desk,level,day,duty_hours,min_staff
    31,kelurahan_desa,2026-11-27,00:00-24:00,3
    31.73.01,,sun,-,
    31.73.01.1001,,2026-11-27,default,

(voting day: every kelurahan of DKI on duty 24 h with 3 staff; no duty on Sundays anywhere
in Kec. Cengkareng; the voting-day rule removed again for one kelurahan.)

``desk`` is the root of the subtree the row applies to; ``level`` (optional) narrows it to
one level; ``day`` is a date (YYYY-MM-DD) or a weekday (mon…sun, senin…minggu, 1…7);
``duty_hours`` as in the desk CSV, or ``default`` to delete the rule; ``min_staff`` optional.
Like the desk import, any bad row stops the whole import with its line number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from storage import desks as desks_store
from storage import schedule_history
from storage.models import Level, to_db, utcnow
from storage.rules.duty import format_duty_hours, parse_duty_hours
from storage.sqlite.engine import Database, Tx
from storage.tables import CsvImportError, csv_reader

_WEEKDAYS = {name: str(i) for names in (
    ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
    ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu"),
) for i, name in enumerate(names, start=1)} | {str(i): str(i) for i in range(1, 8)}
DEFAULT = "default"


@dataclass(frozen=True, slots=True)
class RuleRow:
    """One validated schedule row."""

    line: int
    desk_code: str
    level: Level | None
    day: str
    duty_hours: str | None  # None: delete the rule
    min_staff: int | None


def _day(text: str) -> str:
    key = text.strip().lower()
    if key in _WEEKDAYS:
        return _WEEKDAYS[key]
    try:
        return date.fromisoformat(key).isoformat()
    except ValueError:
        raise ValueError(f"day {text!r} is neither YYYY-MM-DD nor a weekday (mon…sun)") from None


def parse_schedule_csv(text: str) -> list[RuleRow]:
    """Validate a schedule CSV; raises CsvImportError listing every bad line."""
    reader = csv_reader(text, ("desk", "day", "duty_hours"), ("level", "min_staff"))
    rows: list[RuleRow] = []
    errors: list[tuple[int, str]] = []
    for raw in reader:
        line = reader.line_num
        cell = {key: (value or "").strip() for key, value in raw.items() if key is not None}
        try:
            level = None
            if cell.get("level"):
                if cell["level"] not in Level.__members__.values():
                    raise ValueError(f"level {cell['level']!r} is not one of "
                                     f"{', '.join(lv.value for lv in Level)}")
                level = Level(cell["level"])
            hours = cell["duty_hours"]
            duty = None if hours.lower() == DEFAULT else format_duty_hours(parse_duty_hours(hours))
            staff_text = cell.get("min_staff", "")
            if staff_text and (not staff_text.isdigit() or int(staff_text) > 1000):
                raise ValueError(f"min_staff {staff_text!r} must be a whole number 0-1000")
            if not cell["desk"]:
                raise ValueError("desk is empty")
            rows.append(RuleRow(line, cell["desk"], level, _day(cell["day"]), duty,
                                int(staff_text) if staff_text else None))
        except ValueError as exc:
            errors.append((line, str(exc)))
    if errors:
        raise CsvImportError(errors)
    if not rows:
        raise CsvImportError([(1, "no rules in the file")])
    return rows


async def import_rules(db: Database, rows: list[RuleRow],
                       now: datetime | None = None) -> tuple[int, int]:
    """Apply rule rows to their subtrees in one transaction; returns (set, deleted) counts.

    Every desk whose rules change keeps its former schedule in its history first (as of
    ``now``, default the clock), so past days are still judged by the rules of that day.
    """
    targets: list[tuple[RuleRow, list[int]]] = []
    errors: list[tuple[int, str]] = []
    for row in rows:
        root = await desks_store.by_code(db, row.desk_code)
        if root is None:
            errors.append((row.line, f"desk {row.desk_code} is not a known desk"))
            continue
        lo, hi = desks_store.path_range(root.path)
        sql = "SELECT id FROM desks WHERE path >= ? AND path < ?"
        params: list[str] = [lo, hi]
        if row.level is not None:
            sql += " AND level = ?"
            params.append(row.level.value)
        targets.append((row, [r[0] for r in await db.scan(sql, params)]))
    if errors:
        raise CsvImportError(errors)
    moment = now or utcnow()
    stamp = to_db(moment)
    upserts: list[tuple[int, str, str, int | None, str]] = []
    deletes: list[tuple[int, str]] = []
    for row, desk_ids in targets:
        for desk_id in desk_ids:
            if row.duty_hours is None:
                deletes.append((desk_id, row.day))
            else:
                upserts.append((desk_id, row.day, row.duty_hours, row.min_staff, stamp))
    async with db.transaction() as tx:
        await schedule_history.keep(tx, await _changed(tx, deletes, upserts), moment)
        await tx.executemany("DELETE FROM duty_rules WHERE desk_id = ? AND day = ?", deletes)
        await tx.executemany(
            "INSERT INTO duty_rules (desk_id, day, duty_hours, min_staff, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (desk_id, day) DO UPDATE SET "
            "duty_hours = excluded.duty_hours, min_staff = excluded.min_staff", upserts)
    return len(upserts), len(deletes)


async def _changed(tx: Tx, deletes: list[tuple[int, str]],
                   upserts: list[tuple[int, str, str, int | None, str]]) -> set[int]:
    """The desks whose rules the deletes and then the upserts really change (a re-import of
    the same file changes none, and keeps no history)."""
    before = {(r[0], r[1]): (r[2], r[3]) for r in await tx.execute_fetchall(
        "SELECT desk_id, day, duty_hours, min_staff FROM duty_rules")}
    after = dict(before)
    for key in deletes:
        after.pop(key, None)
    for desk_id, day, hours, staff, _ in upserts:
        after[(desk_id, day)] = (hours, staff)
    return {key[0] for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
