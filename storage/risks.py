"""Risk labels of desks (*rawan*): the ``desk_risks`` table, reading labels, and the
``import-risk`` CSV.

Risk CSV (``posko-bot import-risk``), header row required::

    code,labels
    31.73.01.1001,perbatasan;psu
    31.73.01.1002,banjir
    31.73.01.1003,-

Each row *replaces* the labels of the desk with that code (``-`` or an empty cell: none), so
importing the same file again changes nothing; desks the file does not name keep theirs.
Labels are separated by ``;`` or ``,`` and normalised (:func:`storage.rules.risk.parse_labels`).
Any bad row stops the whole import with its line number, before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from storage import desks as desks_store
from storage.rules.risk import parse_labels
from storage.sqlite.engine import Database, Tx
from storage.tables import CsvImportError, parse_rows

LABELS_COLUMN = "labels"
# The same labels as a column of the desk CSV (storage/importer.py): empty keeps the stored ones.
DESK_COLUMN = "rawan"


@dataclass(frozen=True, slots=True)
class RiskRow:
    """One validated row of a risk CSV."""

    line: int
    code: str
    labels: tuple[str, ...]


def _risk_row(line: int, raw: dict[str, str]) -> RiskRow:
    code = (raw.get("code") or "").strip()
    cell = (raw.get(LABELS_COLUMN) or "").strip()
    if not code:
        raise ValueError("code is empty")
    return RiskRow(line, code, parse_labels(cell) if cell else ())


def parse_risk_csv(text: str) -> list[RiskRow]:
    """Validate a risk CSV; raises :class:`CsvImportError` listing every bad line."""
    return parse_rows(text, (("code", LABELS_COLUMN), ()), _risk_row,
                      "quote labels with the file's delimiter, or separate them with ';'")


@dataclass
class RiskImport:
    """What a risk import changed."""

    changed: int = 0
    unchanged: int = 0
    outside: int = 0  # rows for desks outside ``--scope``, left alone


async def import_risks(db: Database, rows: list[RiskRow],
                       scope_code: str | None = None) -> RiskImport:
    """Replace the labels of every desk the rows name, in one transaction; with
    ``scope_code``, only desks of that scope (the others' rows are counted, not applied).
    An unknown code stops the import (:class:`CsvImportError`) before anything is written."""
    scope_path = None
    if scope_code is not None:
        scope = await desks_store.by_code(db, scope_code)
        if scope is None:
            raise CsvImportError([(1, f"no desk has the code {scope_code}")])
        scope_path = scope.path
    result = RiskImport()
    async with db.transaction() as tx:
        known = {r[0]: (r[1], r[2]) for r in await tx.execute_fetchall(
            "SELECT code, id, path FROM desks")}
        errors = [(row.line, f"desk {row.code} is not a known desk (import desks first)")
                  for row in rows if row.code not in known]
        if errors:
            raise CsvImportError(errors)
        wanted: dict[int, tuple[str, ...]] = {}
        for row in rows:
            desk_id, path = known[row.code]
            if scope_path is not None and not desks_store.within(scope_path, path):
                result.outside += 1
                continue
            wanted[desk_id] = row.labels
        result.changed = await replace(tx, wanted)
    result.unchanged = len(rows) - result.outside - result.changed
    return result


async def replace(tx: Tx, wanted: Mapping[int, tuple[str, ...]]) -> int:
    """Give each desk of ``wanted`` exactly its labels (inside the caller's transaction);
    returns how many desks' labels really changed, so a re-import changes none."""
    if not wanted:
        return 0
    stored: dict[int, set[str]] = {}
    for desk_id, label in await tx.execute_fetchall("SELECT desk_id, label FROM desk_risks"):
        stored.setdefault(desk_id, set()).add(label)
    changed = [desk_id for desk_id, labels in wanted.items()
               if stored.get(desk_id, set()) != set(labels)]
    await tx.executemany("DELETE FROM desk_risks WHERE desk_id = ?", [(d,) for d in changed])
    await tx.executemany("INSERT INTO desk_risks (desk_id, label) VALUES (?, ?)",
                         [(d, label) for d in changed for label in wanted[d]])
    return len(changed)


async def labels_for(db: Database, desk_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """The labels of the given desks, sorted (only desks that have any appear)."""
    found: dict[int, list[str]] = {}
    for desk_id, label in await db.fetch_in(
            "SELECT desk_id, label FROM desk_risks WHERE desk_id IN ({keys}) "
            "ORDER BY desk_id, label", desk_ids):
        found.setdefault(desk_id, []).append(label)
    return {desk_id: tuple(labels) for desk_id, labels in found.items()}


# A column of a desk query (alias ``d``): whether the desk carries any label.
HAS_RISKS = "EXISTS (SELECT 1 FROM desk_risks k WHERE k.desk_id = d.id)"
# A column of a desk query (alias ``d``): its labels as one text, ``banjir, psu`` (NULL: none).
LABELS_TEXT = ("(SELECT group_concat(label, ', ') FROM (SELECT label FROM desk_risks k "
               "WHERE k.desk_id = d.id ORDER BY label))")


def floor_sql(floors: Mapping[str, int]) -> tuple[str, list[str | int]]:
    """An SQL expression (alias ``d``) for the most staff the desk's labels need, with its
    parameters: NULL for a desk without such a label, and always NULL without ``floors``."""
    if not floors:
        return "NULL", []
    values = ", ".join("(?, ?)" for _ in floors)
    return (f"(SELECT max(f.column2) FROM desk_risks k JOIN (VALUES {values}) f "
            "ON f.column1 = k.label WHERE k.desk_id = d.id)",
            [x for pair in floors.items() for x in pair])
