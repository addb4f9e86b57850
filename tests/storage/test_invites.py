"""Invites: hashed expiring tokens, lookup states, redeeming, concurrency."""

from __future__ import annotations

import asyncio
import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest

from storage import desks as desks_store
from storage import invites
from storage import shifts as shifts_store
from storage.invites import InviteState, RedeemOutcome
from storage.models import Desk, EndReason, Role
from storage.rules.geo import LocationCheck, LocationFacts, Verdict
from storage.sqlite.engine import Database

NOW = datetime(2024, 11, 27, 2, 0, tzinfo=UTC)
TTL = timedelta(days=7)
@pytest.fixture
def db(gambir_db: Database) -> Database:
    """The five Gambir desks (tests.support.data.GAMBIR_CSV) on a fresh database."""
    return gambir_db


async def desk(db: Database, code: str) -> Desk:
    found = await desks_store.by_code(db, code)
    assert found is not None
    return found


async def new_invite(db: Database, code: str = "31.71.01.1001", role: Role = Role.OFFICER,
                     max_uses: int = 1) -> str:
    return await invites.create(db, (await desk(db, code)).id, role, max_uses=max_uses, ttl=TTL,
                                created_by=None, now=NOW)


async def redeem(db: Database, token: str, user: int, now: datetime = NOW) -> invites.Redeemed:
    return await invites.redeem(db, token, telegram_id=user, full_name=f"Petugas {user}",
                                username=f"p{user}", now=now)


async def uses(db: Database) -> list[int]:
    return [row[0] for row in await db.fetchall("SELECT uses FROM invites ORDER BY id")]


async def member_rows(db: Database) -> dict[int, tuple[object, ...]]:
    rows = await db.fetchall("SELECT telegram_id, desk_id, role, invite_id FROM members")
    return {row[0]: tuple(row) for row in rows}


# --- create and lookup ---------------------------------------------------------------------


async def test_token_is_url_safe_and_short(db: Database) -> None:
    tokens = {await new_invite(db) for _ in range(20)}
    assert len(tokens) == 20
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
        assert 16 <= len(token) <= 64  # Telegram's start parameter allows 64


async def test_only_the_hash_is_stored(db: Database) -> None:
    token = await new_invite(db)
    rows = await db.fetchall("SELECT * FROM invites")
    assert len(rows) == 1
    stored = [str(value) for value in tuple(rows[0])]
    assert all(token not in value for value in stored)
    assert rows[0]["token_hash"] == hashlib.sha256(token.encode()).hexdigest()


async def test_create_refuses_admin_role_and_zero_uses(db: Database) -> None:
    gambir = await desk(db, "31.71.01.1001")
    with pytest.raises(ValueError):
        await invites.create(db, gambir.id, Role.ADMIN, max_uses=1, ttl=TTL, created_by=None,
                             now=NOW)
    with pytest.raises(ValueError):
        await invites.create(db, gambir.id, Role.OFFICER, max_uses=0, ttl=TTL, created_by=None,
                             now=NOW)
    assert await db.fetchval("SELECT count(*) FROM invites") == 0


async def test_lookup_valid(db: Database) -> None:
    token = await new_invite(db, role=Role.SUPERVISOR, max_uses=2)
    found = await invites.lookup(db, token, NOW)
    assert found.state is InviteState.VALID
    assert found.invite is not None and found.desk is not None
    assert found.desk.code == "31.71.01.1001"
    assert found.invite.role is Role.SUPERVISOR
    assert (found.invite.uses, found.invite.max_uses) == (0, 2)
    assert found.invite.expires_at == NOW + TTL


async def test_lookup_unknown(db: Database) -> None:
    await new_invite(db)
    found = await invites.lookup(db, "no-such-token", NOW)
    assert found.state is InviteState.UNKNOWN
    assert found.invite is None and found.desk is None


async def test_lookup_expired(db: Database) -> None:
    token = await new_invite(db)
    assert (await invites.lookup(db, token, NOW + TTL - timedelta(seconds=1))).state is (
        InviteState.VALID)
    assert (await invites.lookup(db, token, NOW + TTL)).state is InviteState.EXPIRED
    assert (await invites.lookup(db, token, NOW + TTL + timedelta(days=1))).state is (
        InviteState.EXPIRED)


async def test_lookup_used_up(db: Database) -> None:
    token = await new_invite(db)
    assert (await redeem(db, token, 1)).outcome is RedeemOutcome.REGISTERED
    assert (await invites.lookup(db, token, NOW)).state is InviteState.USED_UP


async def test_lookup_revoked(db: Database) -> None:
    token = await new_invite(db)
    async with db.transaction() as tx:
        await tx.execute("UPDATE invites SET revoked_at = ?", ("2024-11-27T02:30:00.000000Z",))
    assert (await invites.lookup(db, token, NOW)).state is InviteState.REVOKED
    assert (await redeem(db, token, 1)).outcome is RedeemOutcome.INVALID
    assert await member_rows(db) == {}


# --- redeem --------------------------------------------------------------------------------


async def test_redeem_registers_with_desk_and_role(db: Database) -> None:
    token = await new_invite(db, code="31.71.01.1002", role=Role.SUPERVISOR)
    result = await redeem(db, token, 42)
    assert result.outcome is RedeemOutcome.REGISTERED
    assert result.lookup.desk is not None and result.lookup.desk.code == "31.71.01.1002"
    row = await db.fetchone("SELECT * FROM members WHERE telegram_id = 42")
    assert row is not None
    assert row["desk_id"] == (await desk(db, "31.71.01.1002")).id
    assert row["role"] == "supervisor"
    assert row["full_name"] == "Petugas 42"
    assert row["username"] == "p42"
    assert row["active"] == 1
    assert row["invite_id"] == await db.fetchval("SELECT id FROM invites")
    assert await uses(db) == [1]


async def test_redeeming_twice_is_already_and_takes_no_use(db: Database) -> None:
    token = await new_invite(db, max_uses=5)
    assert (await redeem(db, token, 1)).outcome is RedeemOutcome.REGISTERED
    again = await redeem(db, token, 1)
    assert again.outcome is RedeemOutcome.ALREADY
    assert again.lookup.desk is not None
    assert await uses(db) == [1]


async def test_redeeming_a_single_use_invite_twice_is_already(db: Database) -> None:
    # A double tap on "Daftar", or a redelivered update: the user is told they are registered,
    # not that the invite they just used is used up.
    token = await new_invite(db, max_uses=1)
    assert (await redeem(db, token, 1)).outcome is RedeemOutcome.REGISTERED
    again = await redeem(db, token, 1)
    assert again.outcome is RedeemOutcome.ALREADY
    assert again.lookup.invite is not None and again.lookup.desk is not None
    assert await uses(db) == [1]
    assert len(await member_rows(db)) == 1


async def test_single_use_invite_refuses_a_second_user(db: Database) -> None:
    token = await new_invite(db, max_uses=1)
    assert (await redeem(db, token, 1)).outcome is RedeemOutcome.REGISTERED
    second = await redeem(db, token, 2)
    assert second.outcome is RedeemOutcome.INVALID
    assert second.lookup.state is InviteState.USED_UP
    assert set(await member_rows(db)) == {1}
    assert await uses(db) == [1]


async def test_expired_invite_registers_nobody(db: Database) -> None:
    token = await new_invite(db)
    result = await redeem(db, token, 1, now=NOW + TTL)
    assert result.outcome is RedeemOutcome.INVALID
    assert result.lookup.state is InviteState.EXPIRED
    assert await member_rows(db) == {}
    assert await uses(db) == [0]


async def test_unknown_token_registers_nobody(db: Database) -> None:
    result = await redeem(db, "made-up", 1)
    assert result.outcome is RedeemOutcome.INVALID
    assert result.lookup.state is InviteState.UNKNOWN
    assert await member_rows(db) == {}


async def test_multi_use_invite_registers_exactly_max_uses(db: Database) -> None:
    token = await new_invite(db, max_uses=3)
    outcomes = [(await redeem(db, token, user)).outcome for user in (1, 2, 3, 4)]
    assert outcomes == [RedeemOutcome.REGISTERED] * 3 + [RedeemOutcome.INVALID]
    assert set(await member_rows(db)) == {1, 2, 3}
    assert await uses(db) == [3]


async def test_concurrent_redeems_never_exceed_max_uses(db: Database) -> None:
    token = await new_invite(db, max_uses=3)
    results = await asyncio.gather(*(redeem(db, token, user) for user in range(1, 6)))
    outcomes = [r.outcome for r in results]
    assert outcomes.count(RedeemOutcome.REGISTERED) == 3
    assert outcomes.count(RedeemOutcome.INVALID) == 2
    refused = [r for r in results if r.outcome is RedeemOutcome.INVALID]
    assert all(r.lookup.state is InviteState.USED_UP for r in refused)
    assert len(await member_rows(db)) == 3
    assert await uses(db) == [3]


async def test_concurrent_redeems_by_one_user_take_one_use(db: Database) -> None:
    token = await new_invite(db, max_uses=3)
    results = await asyncio.gather(*(redeem(db, token, 7) for _ in range(5)))
    outcomes = [r.outcome for r in results]
    assert outcomes.count(RedeemOutcome.REGISTERED) == 1
    assert outcomes.count(RedeemOutcome.ALREADY) == 4
    assert await uses(db) == [1]


async def test_member_moves_with_another_desks_invite(db: Database) -> None:
    first = await new_invite(db, code="31.71.01.1001")
    second = await new_invite(db, code="31.71.01.1002", role=Role.SUPERVISOR)
    await redeem(db, first, 1)
    assert (await redeem(db, second, 1)).outcome is RedeemOutcome.REGISTERED
    row = (await member_rows(db))[1]
    assert row[1:3] == ((await desk(db, "31.71.01.1002")).id, "supervisor")
    assert await uses(db) == [1, 1]


async def test_member_on_shift_cannot_move(db: Database) -> None:
    gambir = await desk(db, "31.71.01.1001")
    await redeem(db, await new_invite(db, code="31.71.01.1001"), 1)
    facts = LocationFacts(latitude=-6.176384, longitude=106.826707, sent_at=NOW)
    started = await shifts_store.start(db, member_id=1, desk_id=gambir.id, facts=facts,
                                       check=LocationCheck(Verdict.OK, 0.0), live_until=None,
                                       update_id=None, now=NOW)
    before_members, before_uses = await member_rows(db), await uses(db)

    other = await new_invite(db, code="31.71.01.1002")
    result = await redeem(db, other, 1)
    assert result.outcome is RedeemOutcome.ON_SHIFT
    assert await member_rows(db) == before_members
    assert await uses(db) == [*before_uses, 0]
    shift = await shifts_store.open_shift(db, 1)
    assert shift is not None and shift.id == started.shift.id and shift.desk_id == gambir.id

    # After checking out the move goes through.
    await shifts_store.end(db, started.shift.id, EndReason.MANUAL, NOW)
    assert (await redeem(db, other, 1)).outcome is RedeemOutcome.REGISTERED


async def test_registered_member_with_an_expired_copy_of_their_invite_is_already(
        db: Database) -> None:
    token = await new_invite(db, max_uses=2)
    await redeem(db, token, 1)
    result = await redeem(db, token, 1, now=NOW + TTL + timedelta(days=1))
    assert result.outcome is RedeemOutcome.ALREADY
    assert result.lookup.state is InviteState.EXPIRED
    # ...but an expired invite still registers nobody new.
    assert (await redeem(db, token, 2, now=NOW + TTL)).outcome is RedeemOutcome.INVALID
    assert await uses(db) == [1]


async def test_deactivated_member_is_reactivated_by_a_new_invite(db: Database) -> None:
    await redeem(db, await new_invite(db), 1)
    async with db.transaction() as tx:
        await tx.execute("UPDATE members SET active = 0 WHERE telegram_id = 1")
    result = await redeem(db, await new_invite(db), 1)
    assert result.outcome is RedeemOutcome.REGISTERED
    assert await db.fetchval("SELECT active FROM members WHERE telegram_id = 1") == 1
    assert await uses(db) == [1, 1]
