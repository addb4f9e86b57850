"""A table rebuilt under a changed ``CREATE TABLE``, for what ``ALTER TABLE`` cannot change.

SQLite's documented procedure (*Making Other Kinds Of Table Schema Changes*), run inside the
migration's transaction with foreign keys off (``storage.sqlite.engine`` turns them off around
a migration that holds a :class:`~storage.sqlite.schema.Rebuild`, since the pragma does
nothing inside a transaction):

1. Read the table's ``CREATE TABLE`` and its indexes and triggers from ``sqlite_schema``.
2. Create ``<table>_rebuilt`` from the changed statement, copy every row into it column by
   column, drop the old table and rename the new one to its name.
3. Create the indexes and triggers again.
4. ``PRAGMA foreign_key_check``: a row the copy orphaned fails the migration, which is rolled
   back whole.
"""

from __future__ import annotations

from storage.sqlite.schema import Rebuild
from storage.sqlite.statements import Tx


async def rebuild(tx: Tx, step: Rebuild) -> None:
    """Steps 1–4 of the module docstring for one table."""
    table, temporary = step.table, f"{step.table}_rebuilt"
    rows = await tx.execute_fetchall(
        "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", (table,))
    if not rows:
        raise RuntimeError(f"no table {table} to rebuild")
    create = str(rows[0][0])
    head = f"CREATE TABLE {table} ("
    if not create.startswith(head) or step.old not in create:
        raise RuntimeError(f"the schema of {table} is not the one this migration expects")
    extras = [str(r[0]) for r in await tx.execute_fetchall(
        "SELECT sql FROM sqlite_schema WHERE tbl_name = ? AND type IN ('index', 'trigger') "
        "AND sql IS NOT NULL ORDER BY type, name", (table,))]
    columns = ", ".join(str(r[0]) for r in await tx.execute_fetchall(
        "SELECT name FROM pragma_table_info(?)", (table,)))
    changed = f"CREATE TABLE {temporary} (" + create[len(head):].replace(step.old, step.new)
    await tx.execute(changed)
    await tx.execute(f"INSERT INTO {temporary} ({columns}) SELECT {columns} FROM {table}")
    await tx.execute(f"DROP TABLE {table}")
    await tx.execute(f"ALTER TABLE {temporary} RENAME TO {table}")
    for statement in extras:
        await tx.execute(statement)
    orphans = await tx.execute_fetchall(f"PRAGMA foreign_key_check({table})")
    if orphans:
        raise RuntimeError(f"rebuilding {table} left {len(orphans)} rows without their parent")
