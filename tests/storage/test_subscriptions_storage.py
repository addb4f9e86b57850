"""Group subscriptions on a real SQLite file: several scopes per group, ending only those in a
scope, a group followed to its supergroup or gone, and databases of earlier releases."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import desks as desks_store
from storage import digests as digests_store
from storage import outbox as outbox_store
from storage import subscriptions as subscriptions_store
from storage.importer import import_desks, parse_desk_csv
from storage.models import to_db, utcnow
from storage.sqlite import engine as db_module
from storage.sqlite.engine import Database
from storage.sqlite.schema import MIGRATIONS
from tests.support.data import GAMBIR_CSV

KEC, KEL, KEL2, KOTA = "31.71.01", "31.71.01.1001", "31.71.01.1002", "31.71"
GROUP, SUPERGROUP = -555, -100555


@pytest.fixture
def db(gambir_db: Database) -> Database:
    """The five Gambir desks (tests.support.data.GAMBIR_CSV) on a fresh database."""
    return gambir_db


async def desk_id(db: Database, code: str) -> int:
    found = await desks_store.by_code(db, code)
    assert found is not None
    return found.id


async def subscribe(db: Database, chat: int, *codes: str) -> None:
    for code in codes:
        await subscriptions_store.subscribe(db, chat, await desk_id(db, code), "Posko", 1,
                                            utcnow())


async def codes(db: Database, chat: int) -> list[str]:
    return [s.code for s in await subscriptions_store.of_chat(db, chat)]


async def test_a_group_holds_one_subscription_per_scope(db: Database) -> None:
    await subscribe(db, GROUP, KEL, KEL2, KEL)  # the same desk twice: still one
    assert await codes(db, GROUP) == [KEL, KEL2]
    assert await db.fetchval("SELECT count(*) FROM subscriptions") == 2


async def test_ending_stays_within_the_scope(db: Database) -> None:
    await subscribe(db, GROUP, KOTA, KEL, KEL2)
    kel = await desks_store.by_code(db, KEL)
    assert kel is not None
    assert await subscriptions_store.unsubscribe(db, GROUP, kel.path) == ["Gambir"]
    assert await codes(db, GROUP) == [KOTA, KEL2]
    kec = await desks_store.by_code(db, KEC)
    assert kec is not None  # one named desk within the scope, and nothing twice
    assert await subscriptions_store.unsubscribe(db, GROUP, kec.path,
                                                 await desk_id(db, KOTA)) == []
    assert await subscriptions_store.unsubscribe(db, GROUP, kec.path,
                                                 await desk_id(db, KEL2)) == ["Cideng"]
    assert await codes(db, GROUP) == [KOTA]
    assert await subscriptions_store.unsubscribe(db, GROUP, None) == ["Jakarta Pusat"]
    assert await codes(db, GROUP) == []


async def test_a_desk_in_two_scopes_reaches_the_group_once(db: Database) -> None:
    await subscribe(db, GROUP, KEC, KEL)
    await subscribe(db, -777, KEL2)
    kel = await desks_store.by_code(db, KEL)
    assert kel is not None
    groups = await subscriptions_store.active(db)
    assert len(groups) == 3
    assert subscriptions_store.chats_within(groups, kel.path) == {GROUP}


async def test_an_upgraded_group_keeps_every_scope(db: Database) -> None:
    await subscribe(db, GROUP, KEC, KEL)
    await subscribe(db, SUPERGROUP, KEL, KEL2)  # someone ran /langganan there already
    await outbox_store.migrate_chat(db, GROUP, SUPERGROUP)
    assert await codes(db, GROUP) == []
    assert await codes(db, SUPERGROUP) == [KEC, KEL, KEL2]
    assert await db.fetchval("SELECT count(*) FROM subscriptions WHERE chat_id = ? AND "
                             "desk_id = ?", (SUPERGROUP, await desk_id(db, KEL))) == 1
    await outbox_store.migrate_chat(db, GROUP, SUPERGROUP)  # again: nothing changes
    await outbox_store.migrate_chat(db, SUPERGROUP, SUPERGROUP)
    assert await codes(db, SUPERGROUP) == [KEC, KEL, KEL2]


async def test_a_group_gone_ends_every_scope(db: Database) -> None:
    await subscribe(db, GROUP, KEC, KEL)
    await subscribe(db, -777, KEL)
    await outbox_store.deactivate_chat(db, GROUP, "Forbidden: bot was kicked", utcnow())
    assert await codes(db, GROUP) == []
    assert await codes(db, -777) == [KEL]


async def test_a_database_of_the_one_subscription_release_upgrades(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "posko.db"
    with monkeypatch.context() as patch:  # the release before group subscriptions by scope
        patch.setattr(db_module, "MIGRATIONS", MIGRATIONS[:6])
        old = await Database.open(path)
        try:
            await import_desks(old, parse_desk_csv(GAMBIR_CSV), "Asia/Jakarta")
            async with old.transaction() as tx:
                await tx.execute(
                    "INSERT INTO subscriptions (chat_id, desk_id, title, created_by, active, "
                    "created_at) VALUES (?, ?, 'Posko', 1, 1, ?), (-777, ?, NULL, 1, 0, ?)",
                    (GROUP, await desk_id(old, KEC), to_db(utcnow()),
                     await desk_id(old, KEL), to_db(utcnow())))
                await tx.execute("INSERT INTO digest_schedule (chat_id, desk_id, next_at) "
                                 "VALUES (?, ?, '2026-01-01T13:00:00+00:00')",
                                 (GROUP, await desk_id(old, KEC)))
        finally:
            await old.close()
    db = await Database.open(path)
    try:
        assert await db.fetchval("PRAGMA user_version") == len(MIGRATIONS)
        assert await codes(db, GROUP) == [KEC]  # the old rows, as they were
        assert await codes(db, -777) == []
        await subscribe(db, GROUP, KEL)  # and the new rules on them
        assert await codes(db, GROUP) == [KEC, KEL]
        kel = await desks_store.by_code(db, KEL)
        assert kel is not None
        assert subscriptions_store.chats_within(await subscriptions_store.active(db),
                                                kel.path) == {GROUP}
        due = await digests_store.due(db, utcnow())
        assert due == [(GROUP, await desk_id(db, KEC), due[0][2])]  # the missed digest
    finally:
        await db.close()
