"""Invites: random expiring tokens (stored hashed) that register a user at a desk with a role.

Redeeming is one transaction: a conditional UPDATE takes one use (only while the invite is
unexpired, unrevoked and not used up) and the member row is written with it, so a token can
never register more people than it allows, and a redelivered ``/start`` registers nobody twice.
A user removed earlier (``storage.membership``) is registered afresh by a new invite.

Revoking is one conditional UPDATE that sets ``revoked_at`` only where it is not set yet, so a
second revocation (a double tap, the CLI after the chat) changes nothing and says so.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from storage import alerts
from storage import desks as desks_store
from storage.models import Desk, Invite, Role, StoredTime, to_db
from storage.records import RowRecord
from storage.sqlite.engine import Database

TOKEN_BYTES = 16  # 22 URL-safe characters: fits Telegram's 64-character start parameter


def hash_token(token: str) -> str:
    """What is stored for a token."""
    return hashlib.sha256(token.encode()).hexdigest()


class InviteState(StrEnum):
    """Whether a token can be used now."""

    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED_UP = "used_up"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class InviteLookup:
    """An invite with its state and desk (both None when the token is unknown)."""

    state: InviteState
    invite: Invite | None = None
    desk: Desk | None = None


async def create(db: Database, desk_id: int, role: Role, *, max_uses: int, ttl: timedelta,
                 created_by: int | None, now: datetime, agency: str | None = None) -> str:
    """Create an invite and return its token (the only time the plain token exists).

    A partner's invite names the agency (checked against the configured ones by the caller);
    no other invite has one.
    """
    if role not in (Role.OFFICER, Role.SUPERVISOR, Role.PARTNER):
        raise ValueError("invites are for officers, supervisors and partners")
    if (role is Role.PARTNER) != (agency is not None):
        raise ValueError("a partner's invite, and only a partner's, names an agency")
    if max_uses < 1:
        raise ValueError("max_uses must be at least 1")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO invites (token_hash, desk_id, role, max_uses, expires_at, created_by, "
            "created_at, agency) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (hash_token(token), desk_id, role.value, max_uses, to_db(now + ttl), created_by,
             to_db(now), agency),
        )
    return token


_INVITE_COLUMNS = "id, desk_id, role, max_uses, uses, expires_at, revoked_at, agency"


def _state(invite: Invite, now: datetime) -> InviteState:
    if invite.revoked_at is not None:
        return InviteState.REVOKED
    if invite.expires_at <= now:
        return InviteState.EXPIRED
    if invite.uses >= invite.max_uses:
        return InviteState.USED_UP
    return InviteState.VALID


async def lookup(db: Database, token: str, now: datetime) -> InviteLookup:
    """What a token stands for, and whether it can be used at ``now``."""
    row = await db.fetchone(f"SELECT {_INVITE_COLUMNS} FROM invites WHERE token_hash = ?",
                            (hash_token(token),))
    if row is None:
        return InviteLookup(InviteState.UNKNOWN)
    invite = Invite.from_row(row)
    return InviteLookup(_state(invite, now), invite, await desks_store.get(db, invite.desk_id))


class RedeemOutcome(StrEnum):
    """Result of redeeming a token."""

    REGISTERED = "registered"  # new member, or moved to this desk/role
    ALREADY = "already"  # already a member at this desk with this role: no use taken
    ON_SHIFT = "on_shift"  # a member with an open shift cannot move desks
    INVALID = "invalid"  # see the lookup state


@dataclass(frozen=True, slots=True)
class Redeemed:
    """Outcome of :func:`redeem` with the lookup it was based on."""

    outcome: RedeemOutcome
    lookup: InviteLookup


async def redeem(db: Database, token: str, *, telegram_id: int, full_name: str,
                 username: str | None, now: datetime) -> Redeemed:
    """Register (or move) a user with an invite.

    1. Look the token up; an unknown token stops here.
    2. In one transaction: if the user is already an active member at this desk with this
       role, stop (nothing consumed) whatever the invite's state; otherwise anything but a
       valid invite stops here; a user with an open shift elsewhere is refused.
    3. Take one use with a conditional UPDATE; if it affects no row the invite was used up or
       expired meanwhile.
    4. Upsert the member row with the desk, the role and the invite that brought them.
    """
    found = await lookup(db, token, now)
    if found.invite is None:
        return Redeemed(RedeemOutcome.INVALID, found)
    invite = found.invite
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "SELECT desk_id, role, active, (SELECT count(*) FROM shifts WHERE member_id = ? "
            "AND ended_at IS NULL), removed_at IS NOT NULL, agency FROM members "
            "WHERE telegram_id = ?",
            (telegram_id, telegram_id),
        )
        current = await cursor.fetchone()
        # Checked before the invite's state: a double tap on "Daftar" or a redelivered update
        # with a single-use invite finds it used up by this very user, who is registered.
        if (current is not None and current[0] == invite.desk_id
                and current[1] == invite.role.value and current[2] and not current[4]
                and current[5] == invite.agency):
            return Redeemed(RedeemOutcome.ALREADY, found)
        if found.state is not InviteState.VALID:
            return Redeemed(RedeemOutcome.INVALID, found)
        if current is not None and current[3]:
            return Redeemed(RedeemOutcome.ON_SHIFT, found)
        cursor = await tx.execute(
            "UPDATE invites SET uses = uses + 1 WHERE id = ? AND uses < max_uses "
            "AND expires_at > ? AND revoked_at IS NULL",
            (invite.id, to_db(now)),
        )
        if cursor.rowcount != 1:
            # Used up or expired meanwhile: say so from the row as this transaction sees it
            # (the reader sees only what is committed, and the uses taken just before this
            # one may still be waiting for their group's commit).
            row = await (await tx.execute(f"SELECT {_INVITE_COLUMNS} FROM invites WHERE id = ?",
                                          (invite.id,))).fetchone()
            assert row is not None  # invites are never deleted
            taken = Invite.from_row(row)
            return Redeemed(RedeemOutcome.INVALID,
                            InviteLookup(_state(taken, now), taken, found.desk))
        stamp = to_db(now)
        await tx.execute(
            "INSERT INTO members (telegram_id, full_name, username, desk_id, role, invite_id, "
            "created_at, updated_at, agency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (telegram_id) DO UPDATE SET full_name = excluded.full_name, "
            "username = excluded.username, desk_id = excluded.desk_id, role = excluded.role, "
            "invite_id = excluded.invite_id, active = 1, removed_at = NULL, "
            "updated_at = excluded.updated_at, agency = excluded.agency",
            (telegram_id, full_name, username, invite.desk_id, invite.role.value, invite.id,
             stamp, stamp, invite.agency),
        )
        if invite.role is Role.SUPERVISOR:
            await alerts.tell_new_supervisor(tx, telegram_id, invite.desk_id, now)
    return Redeemed(RedeemOutcome.REGISTERED, found)



@dataclass(frozen=True, slots=True)
class OpenInvite(RowRecord):
    """An invite that can still register someone, as listed for revocation."""

    id: int
    desk_id: int
    desk_code: str
    desk_name: str
    desk_path: str
    timezone: str
    role: str
    max_uses: int
    uses: int
    expires_at: StoredTime
    created_by: int | None
    creator_name: str | None  # None: made on the server (``posko-bot invite``) or unknown
    agency: str | None  # a partner's invite

    @property
    def uses_left(self) -> int:
        """How many more people the invite may register."""
        return self.max_uses - self.uses


_OPEN = ("SELECT i.id, i.desk_id, d.code AS desk_code, d.name AS desk_name, "
         "d.path AS desk_path, d.timezone, i.role, i.max_uses, i.uses, i.expires_at, "
         "i.created_by, m.full_name AS creator_name, i.agency FROM invites i "
         "JOIN desks d ON d.id = i.desk_id LEFT JOIN members m ON m.telegram_id = i.created_by "
         "WHERE i.revoked_at IS NULL AND i.expires_at > ? AND i.uses < i.max_uses")


async def open_in_scope(db: Database, scope_path: str | None, now: datetime, offset: int = 0,
                        limit: int = 1_000) -> tuple[int, list[OpenInvite]]:
    """Invites in a scope (all when None) that are not expired, used up or revoked, the
    newest first; returns the total count and one page."""
    within, scope_params = desks_store.in_scope(scope_path)
    params: list[object] = [to_db(now), *scope_params]
    total = int(await db.scanval(f"SELECT count(*) FROM ({_OPEN}{within})", params))
    rows = await db.scan(f"{_OPEN}{within} ORDER BY i.id DESC LIMIT ? OFFSET ?",
                         [*params, limit, offset])
    return total, OpenInvite.from_rows(rows)


async def get_open(db: Database, invite_id: int, now: datetime) -> OpenInvite | None:
    """One invite as :func:`open_in_scope` lists it, while it is still open."""
    row = await db.fetchone(f"{_OPEN} AND i.id = ?", (to_db(now), invite_id))
    return OpenInvite.from_row(row) if row is not None else None


async def find(db: Database, token_or_id: str) -> Invite | None:
    """An invite by its number or its token (also inside its ``start=`` link)."""
    text = token_or_id.strip().rsplit("start=", 1)[-1]
    if text.isascii() and text.isdigit() and len(text) < 12:
        row = await db.fetchone(f"SELECT {_INVITE_COLUMNS} FROM invites WHERE id = ?",
                                (int(text),))
    else:
        row = await db.fetchone(f"SELECT {_INVITE_COLUMNS} FROM invites WHERE token_hash = ?",
                                (hash_token(text),))
    return Invite.from_row(row) if row is not None else None


class RevokeOutcome(StrEnum):
    """Result of revoking an invite."""

    REVOKED = "revoked"
    ALREADY = "already"  # revoked before: nothing changed
    UNKNOWN = "unknown"  # no such invite


async def revoke(db: Database, invite_id: int, now: datetime) -> RevokeOutcome:
    """Revoke an invite: its token registers nobody from now on; members it registered stay.

    Expired and used-up invites can be revoked too (nothing changes for anybody); only a
    second revocation is told apart, so the first one's time is kept.
    """
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            (to_db(now), invite_id))
        if cursor.rowcount == 1:
            return RevokeOutcome.REVOKED
        found = await (await tx.execute("SELECT 1 FROM invites WHERE id = ?",
                                        (invite_id,))).fetchone()
    return RevokeOutcome.ALREADY if found is not None else RevokeOutcome.UNKNOWN
