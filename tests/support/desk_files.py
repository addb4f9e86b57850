"""The desk files the import tests read and how they import them: the Jakarta list, the five
Gambir desks as a small file, optional columns added to a file, and the desks as stored."""

from __future__ import annotations

import csv
import io

from storage.importer import ImportResult, import_desks, parse_desk_csv
from storage.sqlite.engine import Database
from storage.tables import read_table
from tests.support.data import GAMBIR_CSV, JAKARTA_CSV

JAKARTA_TEXT = read_table(JAKARTA_CSV)
JAKARTA_ROWS = list(csv.DictReader(io.StringIO(JAKARTA_TEXT)))
HEADER = "code,name,level,parent_code,latitude,longitude"

# A small valid file: province, one kota, one kecamatan, two kelurahan (lines 2-6).
SMALL = GAMBIR_CSV
assert SMALL.startswith(HEADER + "\n")


async def load(db: Database, text: str, default_timezone: str = "Asia/Jakarta") -> ImportResult:
    """Parse and import, as ``posko-bot import-desks`` does."""
    return await import_desks(db, parse_desk_csv(text), default_timezone)


async def all_desks(db: Database) -> dict[str, dict[str, object]]:
    rows = await db.fetchall("SELECT * FROM desks")
    return {row["code"]: dict(row) for row in rows}


def with_columns(text: str, extra: dict[str, dict[str, str]], columns: list[str]) -> str:
    """``text`` with optional ``columns`` appended: values from ``extra[code]``, else empty."""
    rows = list(csv.DictReader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*HEADER.split(","), *columns], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, **{c: extra.get(row["code"], {}).get(c, "") for c in columns}})
    return out.getvalue()
