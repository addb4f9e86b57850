"""A table rebuilt by a migration (the role CHECK widened for partner liaisons): every row,
index and trigger kept, foreign keys checked and on again, and a rebuild that cannot run
leaves the database as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import storage.sqlite.engine as db_module
from storage import shifts as shifts_store
from storage.importer import import_desks, parse_desk_csv
from storage.sqlite.engine import Database
from storage.sqlite.schema import MIGRATIONS, Rebuild
from storage.tables import read_table
from tests.support.data import JAKARTA_CSV

BEFORE = 13  # the release before partner liaisons
KEL = "31.73.01.1001"


async def release_13(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database of the release before: an officer on shift and a supervisor, each with the
    invite that registered them."""
    with monkeypatch.context() as patch:
        patch.setattr(db_module, "MIGRATIONS", MIGRATIONS[:BEFORE])
        db = await Database.open(path)
        try:
            rows = [r for r in parse_desk_csv(read_table(JAKARTA_CSV))
                    if KEL.startswith(r.code)]
            await import_desks(db, rows, "Asia/Jakarta")
            desk = int(await db.fetchval("SELECT id FROM desks WHERE code = ?", (KEL,)))
            stamp = "2026-12-01T00:00:00.000000Z"
            async with db.transaction() as tx:  # written as that release wrote them
                for number, (user, role) in enumerate(((1, "officer"), (2, "supervisor")), 1):
                    await tx.execute(
                        "INSERT INTO invites (token_hash, desk_id, role, max_uses, uses, "
                        "expires_at, created_by, created_at) VALUES (?, ?, ?, 1, 1, ?, NULL, ?)",
                        (f"hash{number}", desk, role, "2026-12-02T00:00:00.000000Z", stamp))
                    await tx.execute(
                        "INSERT INTO members (telegram_id, full_name, desk_id, role, "
                        "invite_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (user, f"M{user}", desk, role, number, stamp, stamp))
            async with db.transaction() as tx:
                await tx.execute(
                    "INSERT INTO shifts (member_id, desk_id, started_at, last_seen_at, "
                    "distance_m) VALUES (1, ?, '2026-12-01T01:00:00.000000Z', "
                    "'2026-12-01T01:00:00.000000Z', 3.0)", (desk,))
            assert await db.fetchval("PRAGMA user_version") == BEFORE
        finally:
            await db.close()


def dump(path: Path) -> dict[str, object]:
    with sqlite3.connect(path) as conn:
        return {
            "members": conn.execute("SELECT telegram_id, full_name, desk_id, role, active, "
                                    "invite_id, created_at FROM members ORDER BY 1").fetchall(),
            "invites": conn.execute("SELECT id, desk_id, role, max_uses, uses, created_by "
                                    "FROM invites ORDER BY 1").fetchall(),
            "shifts": conn.execute("SELECT id, member_id FROM shifts").fetchall(),
        }


async def test_the_upgrade_keeps_everything_and_admits_partners(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "posko.db"
    await release_13(path, monkeypatch)
    before = dump(path)
    db = await Database.open(path)
    try:
        assert await db.fetchval("PRAGMA user_version") == len(MIGRATIONS)
        assert dump(path) == before
        names = {str(r[0]) for r in await db.fetchall(
            "SELECT name FROM sqlite_schema WHERE tbl_name = 'members'")}
        assert {"members", "members_desk", "members_insert_roster", "members_update_roster",
                "members_delete_roster"} <= names
        assert await db.fetchall("PRAGMA foreign_key_check") == []
        version = await db.fetchval("SELECT version FROM roster")
        async with db.transaction() as tx:  # the widened CHECK, and the triggers still fire
            await tx.execute("UPDATE members SET role = 'partner', agency = 'kpu' "
                             "WHERE telegram_id = 2")
        assert await db.fetchval("SELECT version FROM roster") != version
        assert (await shifts_store.open_shift(db, 1)) is not None
        with pytest.raises(sqlite3.IntegrityError):  # the CHECK is still there
            async with db.transaction() as tx:
                await tx.execute("UPDATE members SET role = 'boss' WHERE telegram_id = 1")
        with pytest.raises(sqlite3.IntegrityError):  # and foreign keys are on again
            async with db.transaction() as tx:
                await tx.execute("UPDATE shifts SET member_id = 999")
    finally:
        await db.close()


async def test_a_rebuild_that_cannot_run_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "posko.db"
    await release_13(path, monkeypatch)
    before = dump(path)
    broken = [*MIGRATIONS[:BEFORE], [Rebuild("members", "role IN ('nobody')", "x")]]
    monkeypatch.setattr(db_module, "MIGRATIONS", broken)
    with pytest.raises(RuntimeError, match="not the one this migration expects"):
        await Database.open(path)
    assert dump(path) == before
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == BEFORE
        assert conn.execute("SELECT count(*) FROM sqlite_schema WHERE name LIKE "
                            "'%_rebuilt'").fetchone()[0] == 0

