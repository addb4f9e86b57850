"""Sign-in to the dashboard: one-time login links and the browser sessions they open.

Both are random tokens of which only the SHA-256 is stored (``storage.invites.hash_token``),
so a copy of the database signs nobody in. A login link is valid for ``LINK_TTL`` and used
once: redeeming it is a conditional UPDATE that succeeds for one request only, however many
arrive at the same time, and it opens the session in the same transaction.

A session remembers the role and desk its member had when it opened. The web layer compares
them with the member's current ones on every request and calls :func:`end` when they differ,
so a member who is moved, demoted or removed loses the dashboard at once, not when the
cookie expires.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.invites import hash_token
from storage.models import StoredTime, to_db
from storage.records import RowRecord
from storage.sqlite.engine import Database, Tx

LINK_TTL = timedelta(minutes=10)
SESSION_TTL = timedelta(hours=12)
TOKEN_BYTES = 32
# Used and expired links are kept this long (for an audit of who signed in), then dropped.
KEEP_LINKS = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Session(RowRecord):
    """An open browser session: who, with the role and desk they had at sign-in."""

    member_id: int
    role: str
    desk_id: int | None
    csrf: str
    expires_at: StoredTime


async def create_link(db: Database, member_id: int, now: datetime,
                      ttl: timedelta = LINK_TTL) -> str:
    """A one-time login token for ``member_id`` (the only time the plain token exists),
    usable for ``ttl``."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    async with db.transaction() as tx:
        await tx.execute("DELETE FROM dashboard_logins WHERE expires_at < ?",
                         (to_db(now - KEEP_LINKS),))
        await tx.execute(
            "INSERT INTO dashboard_logins (token_hash, member_id, created_at, expires_at) "
            "VALUES (?, ?, ?, ?)", (hash_token(token), member_id, to_db(now),
                                    to_db(now + ttl)))
    return token


async def _open(tx: Tx, member_id: int, role: str, desk_id: int | None,
                now: datetime, ttl: timedelta) -> tuple[str, Session]:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session = Session(member_id, role, desk_id, secrets.token_urlsafe(TOKEN_BYTES), now + ttl)
    await tx.execute("DELETE FROM dashboard_sessions WHERE expires_at < ?",
                     (to_db(now - KEEP_LINKS),))
    await tx.execute(
        "INSERT INTO dashboard_sessions (token_hash, member_id, role, desk_id, csrf, "
        "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (hash_token(token), member_id, role, desk_id, session.csrf, to_db(now),
         to_db(session.expires_at)))
    return token, session


async def redeem_link(db: Database, token: str, role: str, desk_id: int | None,
                      now: datetime, ttl: timedelta = SESSION_TTL
                      ) -> tuple[str, Session] | None:
    """Use a login token once and open a session for its member with ``role`` and
    ``desk_id`` (the caller's current ones, checked by the caller); None when the token is
    unknown, expired or used. Returns the session's own token and the session."""
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "UPDATE dashboard_logins SET used_at = ? WHERE token_hash = ? AND used_at IS NULL "
            "AND expires_at > ? RETURNING member_id", (to_db(now), hash_token(token), to_db(now)))
        row = await cursor.fetchone()
        if row is None:
            return None
        return await _open(tx, int(row[0]), role, desk_id, now, ttl)


async def link_member(db: Database, token: str, now: datetime) -> int | None:
    """Whose a still usable login token is (nothing is changed): the caller checks the
    member's role before :func:`redeem_link` spends it."""
    value = await db.fetchval(
        "SELECT member_id FROM dashboard_logins WHERE token_hash = ? AND used_at IS NULL "
        "AND expires_at > ?", (hash_token(token), to_db(now)))
    return int(value) if value is not None else None


async def open_session(db: Database, member_id: int, role: str, desk_id: int | None,
                       now: datetime, ttl: timedelta = SESSION_TTL) -> tuple[str, Session]:
    """A session without a link (the Mini App, signed in by Telegram's ``initData``)."""
    async with db.transaction() as tx:
        return await _open(tx, member_id, role, desk_id, now, ttl)


async def session(db: Database, token: str, now: datetime) -> Session | None:
    """The open, unexpired session of a cookie's token, if any."""
    row = await db.fetchone(
        f"SELECT {', '.join(Session.columns())} FROM dashboard_sessions WHERE token_hash = ? "
        "AND ended_at IS NULL AND expires_at > ?", (hash_token(token), to_db(now)))
    return Session.from_row(row) if row else None


async def end(db: Database, token: str, now: datetime) -> bool:
    """End one session (sign-out, or its member changed); False if it had ended already."""
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "UPDATE dashboard_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
            (to_db(now), hash_token(token)))
        return cursor.rowcount == 1

