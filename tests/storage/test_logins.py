"""Login links and dashboard sessions (``storage.logins``): hashed, ten minutes, once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from storage import logins
from storage.invites import hash_token
from storage.members import ensure_admin
from storage.models import utcnow
from storage.sqlite.engine import Database

ADMIN = 9001


async def test_a_link_opens_one_session_and_only_its_hash_is_stored(gambir_db: Database
                                                                    ) -> None:
    await ensure_admin(gambir_db, ADMIN, "Admin", None)
    now = utcnow()
    token = await logins.create_link(gambir_db, ADMIN, now)
    stored = await gambir_db.fetchall("SELECT token_hash FROM dashboard_logins")
    assert [r[0] for r in stored] == [hash_token(token)] and token not in stored[0][0]
    assert await logins.link_member(gambir_db, token, now) == ADMIN
    opened = await logins.redeem_link(gambir_db, token, "admin", None, now)
    assert opened is not None
    cookie, session = opened
    assert session.member_id == ADMIN and session.role == "admin" and session.desk_id is None
    assert (await logins.session(gambir_db, cookie, now)) == session
    assert await gambir_db.fetchval("SELECT count(*) FROM dashboard_sessions "
                                    "WHERE token_hash = ?", (hash_token(cookie),)) == 1


async def test_a_link_is_used_once_even_by_two_requests_at_once(gambir_db: Database) -> None:
    await ensure_admin(gambir_db, ADMIN, "Admin", None)
    now = utcnow()
    token = await logins.create_link(gambir_db, ADMIN, now)
    both = await asyncio.gather(*(logins.redeem_link(gambir_db, token, "admin", None, now)
                                  for _ in range(2)))
    assert sum(found is not None for found in both) == 1
    assert await logins.redeem_link(gambir_db, token, "admin", None, now) is None  # replayed
    assert await logins.link_member(gambir_db, token, now) is None


async def test_a_link_expires_after_ten_minutes(gambir_db: Database) -> None:
    await ensure_admin(gambir_db, ADMIN, "Admin", None)
    now = utcnow()
    token = await logins.create_link(gambir_db, ADMIN, now)
    late = now + logins.LINK_TTL + timedelta(seconds=1)
    assert await logins.link_member(gambir_db, token, late) is None
    assert await logins.redeem_link(gambir_db, token, "admin", None, late) is None
    assert await logins.redeem_link(gambir_db, "not-a-token", "admin", None, now) is None


async def test_a_session_lasts_twelve_hours_and_ends_when_ended(gambir_db: Database) -> None:
    await ensure_admin(gambir_db, ADMIN, "Admin", None)
    now = utcnow()
    cookie, _ = await logins.open_session(gambir_db, ADMIN, "admin", None, now)
    assert await logins.session(gambir_db, cookie, now + timedelta(hours=11)) is not None
    assert await logins.session(gambir_db, cookie, now + timedelta(hours=12, seconds=1)) is None
    assert await logins.end(gambir_db, cookie, now)
    assert not await logins.end(gambir_db, cookie, now)  # already ended
    assert await logins.session(gambir_db, cookie, now) is None
