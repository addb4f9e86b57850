"""Managing members and invites in the store: revoking an invite, listing the open ones, and
moving, re-roling and removing a member, each one transaction that a second call repeats
without a second effect."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from storage import drafts as drafts_store
from storage import incidents as incidents_store
from storage import invites, membership
from storage import members as members_store
from storage.invites import InviteState, RedeemOutcome, RevokeOutcome
from storage.membership import Change
from storage.models import Role
from storage.outbox import Intent, enqueue
from storage.outbox_kinds import AlertsPayload, MemberChangedPayload, OutboxKind
from storage.sqlite.engine import Database
from tests.support.shifts import NOW, desk_id
from tests.support.sweeping import check_in

KEL, CIDENG, KEC = "31.71.01.1001", "31.71.01.1002", "31.71.01"
TTL = timedelta(days=7)
OFFICER, LURAH, CAMAT, OTHER = 501, 502, 503, 510


@pytest.fixture
def db(gambir_db: Database) -> Database:
    """The five Gambir desks (tests.support.data.GAMBIR_CSV) on a fresh database."""
    return gambir_db


async def register(db: Database, user: int, code: str, role: Role = Role.OFFICER) -> None:
    token = await invites.create(db, await desk_id(db, code), role, max_uses=1, ttl=TTL,
                                 created_by=None, now=NOW)
    redeemed = await invites.redeem(db, token, telegram_id=user, full_name=f"Nama {user}",
                                    username=None, now=NOW)
    assert redeemed.outcome is RedeemOutcome.REGISTERED


async def pending(db: Database, chat_id: int) -> list[str]:
    rows = await db.fetchall("SELECT kind FROM outbox WHERE chat_id = ? AND sent_at IS NULL "
                             "AND failed_at IS NULL ORDER BY id", (chat_id,))
    return [row[0] for row in rows]


async def queue(db: Database, chat_id: int, kind: OutboxKind = OutboxKind.ALERTS) -> None:
    async with db.transaction() as tx:
        await enqueue(tx, [Intent(chat_id, kind, AlertsPayload((1,)))], NOW)


# --- invites -------------------------------------------------------------------------------


async def test_revoking_is_idempotent_and_refuses_the_token(db: Database) -> None:
    token = await invites.create(db, await desk_id(db, KEL), Role.OFFICER, max_uses=500,
                                 ttl=TTL, created_by=LURAH, now=NOW)
    found = await invites.find(db, token)
    assert found is not None
    assert await invites.revoke(db, found.id, NOW) is RevokeOutcome.REVOKED
    first = await db.fetchval("SELECT revoked_at FROM invites WHERE id = ?", (found.id,))
    assert await invites.revoke(db, found.id, NOW + timedelta(hours=1)) is RevokeOutcome.ALREADY
    assert await db.fetchval("SELECT revoked_at FROM invites WHERE id = ?", (found.id,)) == first
    assert await invites.revoke(db, 9999, NOW) is RevokeOutcome.UNKNOWN
    assert (await invites.lookup(db, token, NOW)).state is InviteState.REVOKED
    redeemed = await invites.redeem(db, token, telegram_id=OFFICER, full_name="X",
                                    username=None, now=NOW)
    assert redeemed.outcome is RedeemOutcome.INVALID
    assert redeemed.lookup.state is InviteState.REVOKED
    assert await members_store.get(db, OFFICER) is None


async def test_an_invite_is_found_by_number_token_or_link(db: Database) -> None:
    token = await invites.create(db, await desk_id(db, KEL), Role.OFFICER, max_uses=1,
                                 ttl=TTL, created_by=None, now=NOW)
    by_token = await invites.find(db, token)
    assert by_token is not None
    assert await invites.find(db, str(by_token.id)) == by_token
    assert await invites.find(db, f"https://t.me/posko_bot?start={token}") == by_token
    assert await invites.find(db, "no-such-token") is None


async def test_open_invites_of_a_scope(db: Database) -> None:
    await register(db, LURAH, KEL, Role.SUPERVISOR)
    kel, cideng = await desk_id(db, KEL), await desk_id(db, CIDENG)
    made = {}
    for name, desk, uses in (("open", kel, 3), ("other desk", cideng, 1), ("used up", kel, 1),
                             ("expired", kel, 1), ("revoked", kel, 1)):
        ttl = timedelta(seconds=1) if name == "expired" else TTL
        made[name] = await invites.create(db, desk, Role.OFFICER, max_uses=uses, ttl=ttl,
                                          created_by=LURAH, now=NOW)
    await invites.redeem(db, made["open"], telegram_id=OFFICER, full_name="A", username=None,
                         now=NOW)
    await invites.redeem(db, made["used up"], telegram_id=OTHER, full_name="B",
                         username=None, now=NOW)
    revoked = await invites.find(db, made["revoked"])
    assert revoked is not None
    await invites.revoke(db, revoked.id, NOW)
    later = NOW + timedelta(minutes=1)

    kel_path = str(await db.fetchval("SELECT path FROM desks WHERE id = ?", (kel,)))
    total, listed = await invites.open_in_scope(db, kel_path, later)
    assert total == 1
    (only,) = listed
    assert (only.desk_code, only.role, only.uses_left, only.max_uses, only.created_by,
            only.creator_name) == (KEL, "officer", 2, 3, LURAH, f"Nama {LURAH}")
    assert only.expires_at == NOW + TTL
    total, listed = await invites.open_in_scope(db, None, later)
    # The lurah's own invite is one of them (register() makes one per member, used up).
    assert total == 2 and {i.desk_code for i in listed} == {KEL, CIDENG}
    assert await invites.get_open(db, only.id, later) == only
    assert await invites.get_open(db, revoked.id, later) is None


# --- members -------------------------------------------------------------------------------


async def test_members_of_a_scope(db: Database) -> None:
    await register(db, OFFICER, KEL)
    await register(db, LURAH, KEL, Role.SUPERVISOR)
    await register(db, CAMAT, KEC, Role.SUPERVISOR)
    await register(db, OTHER, CIDENG)
    await check_in(db, OFFICER, KEL, NOW)
    kel_path = str(await db.fetchval("SELECT path FROM desks WHERE code = ?", (KEL,)))
    total, lines = await membership.list_in_scope(db, kel_path)
    assert total == 2
    assert [(m.telegram_id, m.role, m.on_duty) for m in lines] == [
        (LURAH, "supervisor", False), (OFFICER, "officer", True)]
    total, lines = await membership.list_in_scope(db, None, offset=1, limit=2)
    assert total == 4 and [m.telegram_id for m in lines] == [LURAH, OFFICER]


async def test_moving_a_member(db: Database) -> None:
    await register(db, OFFICER, KEL)
    cideng = await desk_id(db, CIDENG)
    await drafts_store.start_draft(db, OFFICER, await desk_id(db, KEL), NOW)
    assert await membership.move(db, OFFICER, cideng, end_shift=False, now=NOW) is Change.DONE
    member = await members_store.get(db, OFFICER)
    assert member is not None and member.desk_id == cideng and member.role is Role.OFFICER
    assert await drafts_store.draft_of(db, OFFICER) is None  # it was for the old desk
    assert await pending(db, OFFICER) == ["member_changed"]
    assert await membership.move(db, OFFICER, cideng, end_shift=False, now=NOW) is \
        Change.ALREADY
    assert await pending(db, OFFICER) == ["member_changed"]  # told once


async def test_moving_an_officer_on_duty_needs_confirmation(db: Database) -> None:
    await register(db, OFFICER, KEL)
    shift = await check_in(db, OFFICER, KEL, NOW)
    cideng = await desk_id(db, CIDENG)
    assert await membership.move(db, OFFICER, cideng, end_shift=False, now=NOW) is \
        Change.ON_DUTY
    member = await members_store.get(db, OFFICER)
    assert member is not None and member.desk_id != cideng
    assert await pending(db, OFFICER) == []
    assert await membership.move(db, OFFICER, cideng, end_shift=True, now=NOW) is Change.DONE
    row = await db.fetchone("SELECT ended_at, end_reason FROM shifts WHERE id = ?", (shift,))
    assert row is not None and row[0] is not None and row[1] == "admin"
    payload = await db.fetchval("SELECT payload FROM outbox WHERE chat_id = ?", (OFFICER,))
    assert MemberChangedPayload.from_json(json.loads(payload)) == \
        MemberChangedPayload("moved", cideng, "officer", shift)


async def test_demoting_a_supervisor(db: Database) -> None:
    await register(db, LURAH, KEL, Role.SUPERVISOR)
    await queue(db, LURAH, OutboxKind.ALERTS)
    kel = await desk_id(db, KEL)
    assert await members_store.supervisors_of(db, [kel]) == {kel: [LURAH]}
    assert await membership.set_role(db, LURAH, Role.OFFICER, end_shift=False, now=NOW) is \
        Change.DONE
    member = await members_store.get(db, LURAH)
    assert member is not None and member.role is Role.OFFICER and member.desk_id == kel
    assert await members_store.supervisors_of(db, [kel]) == {}  # no more alerts
    assert await pending(db, LURAH) == ["member_changed"]  # the queued alert is dropped
    assert await membership.set_role(db, LURAH, Role.OFFICER, end_shift=False, now=NOW) is \
        Change.ALREADY
    with pytest.raises(ValueError):
        await membership.set_role(db, LURAH, Role.ADMIN, end_shift=False, now=NOW)


async def test_removing_a_member_on_duty(db: Database) -> None:
    """The shift ends, queued messages fail, the draft goes, the history stays, and the
    member is unknown to the bot from then on; a second removal changes nothing."""
    await register(db, OFFICER, KEL)
    await register(db, CAMAT, KEC, Role.SUPERVISOR)
    kel = await desk_id(db, KEL)
    shift = await check_in(db, OFFICER, KEL, NOW)
    draft = await drafts_store.start_draft(db, OFFICER, kel, NOW)
    await drafts_store.update_draft(db, draft.id, OFFICER, drafts_store.Step.CONFIRM, NOW,
                                    category="kamtib", severity="tinggi",
                                    description="Kericuhan kecil di dekat TPS 7.")
    _, incident = await incidents_store.submit(db, draft.id, OFFICER, [CAMAT], NOW)
    assert incident is not None
    await drafts_store.start_draft(db, OFFICER, kel, NOW)  # a second report, not sent
    await queue(db, OFFICER)

    assert await membership.remove(db, OFFICER, end_shift=False, now=NOW) is Change.ON_DUTY
    assert (await members_store.get_with_desk(db, OFFICER))[0] is not None
    assert await membership.remove(db, OFFICER, end_shift=True, now=NOW) is Change.DONE

    assert await members_store.get_with_desk(db, OFFICER) == (None, None)  # unknown now
    member = await members_store.get(db, OFFICER)  # the row stays for the history
    assert member is not None and member.full_name == f"Nama {OFFICER}" and not member.active
    row = await db.fetchone("SELECT ended_at, end_reason FROM shifts WHERE id = ?", (shift,))
    assert row is not None and row[0] is not None and row[1] == "admin"
    assert await drafts_store.draft_of(db, OFFICER) is None
    assert (await incidents_store.get(db, incident.id)) is not None
    assert await pending(db, OFFICER) == ["member_changed"]
    failed = await db.fetchall("SELECT error FROM outbox WHERE chat_id = ? AND failed_at "
                               "IS NOT NULL", (OFFICER,))
    assert [r[0] for r in failed] == ["member removed"]
    total, _ = await membership.list_in_scope(db, None)
    assert total == 1  # the camat only
    await members_store.reactivate(db, OFFICER)  # writing to the bot does not undo it
    assert await members_store.get_with_desk(db, OFFICER) == (None, None)
    assert await membership.remove(db, OFFICER, end_shift=True, now=NOW) is Change.GONE
    assert await membership.move(db, OFFICER, kel, end_shift=True, now=NOW) is Change.GONE
    assert await pending(db, OFFICER) == ["member_changed"]


async def test_a_removed_member_is_registered_again_by_a_new_invite(db: Database) -> None:
    await register(db, OFFICER, KEL)
    assert await membership.remove(db, OFFICER, end_shift=False, now=NOW) is Change.DONE
    await register(db, OFFICER, KEL)  # the same desk and role: a fresh registration
    member, desk = await members_store.get_with_desk(db, OFFICER)
    assert member is not None and member.active and desk is not None and desk.code == KEL
    assert (await membership.get_line(db, OFFICER)) is not None


async def test_admins_and_strangers_are_not_changed(db: Database) -> None:
    await members_store.ensure_admin(db, 900, "Admin", None)
    kel = await desk_id(db, KEL)
    assert await membership.remove(db, 900, end_shift=True, now=NOW) is Change.GONE
    assert await membership.move(db, 901, kel, end_shift=True, now=NOW) is Change.GONE
    assert await membership.set_role(db, 901, Role.OFFICER, end_shift=True, now=NOW) is \
        Change.GONE
    assert await db.fetchval("SELECT count(*) FROM outbox") == 0
