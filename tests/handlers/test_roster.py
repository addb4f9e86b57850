"""The caller cache (``storage.members.Roster``): answers from memory, never stale.

Every change to members or desks bumps the roster version through triggers, whichever
connection or process makes it; the cache is used only under the version it was filled at.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from bot.texts import t
from storage import desks as desks_store
from storage import invites
from storage import members as members_store
from storage.members import Roster
from storage.models import Role, utcnow
from storage.sqlite.engine import Database
from tests.support import updates as u
from tests.support.harness import Harness

OFFICER, STRANGER = 501, 502


@pytest.fixture
def db(gambir_db: Database) -> Database:
    """The five Gambir desks on a fresh database."""
    return gambir_db


async def join(db: Database, user: int, code: str = "31.71.01.1001",
               role: Role = Role.OFFICER) -> None:
    desk = await desks_store.by_code(db, code)
    assert desk is not None
    token = await invites.create(db, desk.id, role, max_uses=1, ttl=timedelta(days=1),
                                 created_by=None, now=utcnow())
    await invites.redeem(db, token, telegram_id=user, full_name=f"Petugas {user}",
                         username=None, now=utcnow())


def elsewhere(db: Database, sql: str, params: tuple[object, ...] = ()) -> None:
    """A change made by another process (the CLI): its own connection, its own commit."""
    conn = sqlite3.connect(db.path)
    try:
        with conn:
            conn.execute(sql, params)
    finally:
        conn.close()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids the roster had to read from the store (its cache misses)."""
    seen: list[int] = []
    real = members_store.get_with_desk

    async def counting(db: Database, telegram_id: int):  # type: ignore[no-untyped-def]
        seen.append(telegram_id)
        return await real(db, telegram_id)

    monkeypatch.setattr(members_store, "get_with_desk", counting)
    return seen


async def test_a_known_caller_is_read_once(db: Database, reads: list[int]) -> None:
    await join(db, OFFICER)
    roster = Roster(db)
    first = await roster.get_with_desk(OFFICER)
    again = await roster.get_with_desk(OFFICER)
    assert again == first
    assert first[0] is not None and first[1] is not None
    assert first[1].code == "31.71.01.1001"
    assert reads == [OFFICER]


async def test_a_stranger_is_cached_until_they_join(db: Database, reads: list[int]) -> None:
    roster = Roster(db)
    assert await roster.get_with_desk(STRANGER) == (None, None)
    assert await roster.get_with_desk(STRANGER) == (None, None)
    assert reads == [STRANGER]
    await join(db, STRANGER)
    member, desk = await roster.get_with_desk(STRANGER)
    assert member is not None and member.role is Role.OFFICER
    assert desk is not None and desk.code == "31.71.01.1001"


@pytest.mark.parametrize(("sql", "check"), [
    ("UPDATE members SET role = 'supervisor' WHERE telegram_id = ?",
     lambda m, d: m is not None and m.role is Role.SUPERVISOR),
    ("UPDATE members SET active = 0 WHERE telegram_id = ?",
     lambda m, d: m is not None and not m.active),
    ("DELETE FROM members WHERE telegram_id = ?", lambda m, d: m is None and d is None),
    ("UPDATE desks SET name = 'Gambir Baru' WHERE id = (SELECT desk_id FROM members "
     "WHERE telegram_id = ?)", lambda m, d: d is not None and d.name == "Gambir Baru"),
])
async def test_a_change_from_another_process_is_seen(db: Database, sql: str,
                                                     check: object) -> None:
    await join(db, OFFICER)
    roster = Roster(db)
    before = await roster.get_with_desk(OFFICER)
    elsewhere(db, sql, (OFFICER,))
    after = await roster.get_with_desk(OFFICER)
    assert after != before
    assert callable(check) and check(*after)


async def test_a_change_in_this_process_is_seen(db: Database) -> None:
    await join(db, OFFICER)
    roster = Roster(db)
    member, _ = await roster.get_with_desk(OFFICER)
    assert member is not None and member.language is None
    assert await members_store.set_language(db, OFFICER, "en")
    member, _ = await roster.get_with_desk(OFFICER)
    assert member is not None and member.language == "en"


async def test_other_writes_keep_the_cache(db: Database, reads: list[int]) -> None:
    await join(db, OFFICER)
    roster = Roster(db)
    await roster.get_with_desk(OFFICER)
    async with db.transaction() as tx:  # a check-in's kind of write: not the roster
        await tx.execute("INSERT INTO meta (key, value) VALUES ('x', '1')")
    await roster.get_with_desk(OFFICER)
    assert reads == [OFFICER]


async def test_a_full_cache_starts_over_and_stays_right(db: Database,
                                                        reads: list[int]) -> None:
    for user in (1, 2, 3):
        await join(db, user)
    roster = Roster(db, limit=2)
    for user in (1, 2, 3, 1):
        member, _ = await roster.get_with_desk(user)
        assert member is not None and member.telegram_id == user
    # 1 and 2 filled it; 3 emptied it; 1 had to be read again.
    assert reads == [1, 2, 3, 1]


async def test_the_bot_sees_a_promotion_made_by_the_cli(harness: Harness) -> None:
    """An officer refused /rekap is served once another process makes them a supervisor."""
    await harness.member(OFFICER, "31.71.01.1001")
    refusal = t("id", "supervisors_only")
    refused = await harness.send(u.text(u.user(OFFICER), "/rekap"))
    assert [call.text for call in refused] == [refusal]
    elsewhere(harness.db, "UPDATE members SET role = 'supervisor' WHERE telegram_id = ?",
              (OFFICER,))
    served = await harness.send(u.text(u.user(OFFICER), "/rekap"))
    assert served and refusal not in [call.text for call in served]
    assert "Gambir" in served[-1].text  # the board of their kelurahan
