"""Who is looking at the dashboard: sign-in by a one-time link or Telegram's Mini App
``initData``, the session cookie, and the check on every request that the member is still
the supervisor or admin of the same desk they signed in as.

Nothing here writes a token to the log: aiohttp's access log is off for the dashboard, the
login token travels in the URL's fragment (never sent to a server, so never in a proxy's
log or a Referer) and is posted by the page, and the cookie is HttpOnly.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from aiohttp import web

from bot.handlers.access import Caller
from storage import logins
from storage.logins import SESSION_TTL, Session
from storage.models import utcnow

if TYPE_CHECKING:
    from bot.context import BotData

COOKIE = "posko_dasbor"
CSRF_HEADER = "X-CSRF-Token"
INIT_DATA_MAX_AGE = timedelta(days=1)  # Telegram's initData older than this is refused
BOT_DATA: web.AppKey[BotData] = web.AppKey("posko_bot_data")


def init_data_user(init_data: str, bot_token: str, now: datetime) -> int | None:
    """The Telegram user id of a Mini App's ``initData`` if Telegram signed it for this bot
    and it is less than a day old; None otherwise.

    As Telegram documents it: the fields but ``hash``, as ``key=value`` sorted by key and
    joined by newlines, signed with HMAC-SHA256 under the key HMAC-SHA256("WebAppData",
    bot token); ``hash`` is that signature in hex.
    """
    try:
        fields = dict(parse_qsl(init_data, keep_blank_values=True, strict_parsing=True))
    except ValueError:
        return None
    given = fields.pop("hash", "")
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    expected = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    if not given or not hmac.compare_digest(expected, given):
        return None
    try:
        signed_at = datetime.fromtimestamp(int(fields["auth_date"]), now.tzinfo)
        user = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError):
        return None
    if now - signed_at > INIT_DATA_MAX_AGE or signed_at - now > timedelta(minutes=5):
        return None
    return user_id


@dataclass(frozen=True, slots=True)
class Viewer:
    """A signed-in member as one request sees them: the caller (role, scope, language) and
    the session with its CSRF token."""

    caller: Caller
    session: Session


async def _caller(data: BotData, member_id: int) -> Caller | None:
    """The member as a caller with their current role and desk (None: removed)."""
    member, desk = await data.roster.get_with_desk(member_id)
    if member is None:
        return None
    lang = member.language or data.settings.language
    return Caller(member_id, member.full_name, lang, member, desk,
                  member_id in data.settings.admin_ids)


async def viewer(request: web.Request) -> Viewer | None:
    """The signed-in member of a request, or None. A session whose member was removed,
    moved, demoted or is no longer an admin is ended here, at once."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    data = request.app[BOT_DATA]
    now = utcnow()
    session = await logins.session(data.db, token, now)
    if session is None:
        return None
    caller = await _caller(data, session.member_id)
    if (caller is None or not caller.is_supervisor or caller.role != session.role
            or (caller.desk.id if caller.desk else None) != session.desk_id):
        await logins.end(data.db, token, now)
        return None
    return Viewer(caller, session)


def _signed_in(request: web.Request, token: str) -> web.Response:
    response = web.json_response({"ok": True})
    data = request.app[BOT_DATA]
    # Lax, not Strict: a link opened from the Telegram app is a navigation from elsewhere,
    # which Strict would send without the cookie; Lax still keeps it off other sites' POSTs.
    response.set_cookie(COOKIE, token, max_age=int(SESSION_TTL.total_seconds()), path="/",
                        httponly=True, secure=data.settings.dashboard_https, samesite="Lax")
    return response


async def _supervisor(data: BotData, member_id: int | None) -> tuple[str, int | None]:
    """The role and desk a session of ``member_id`` opens with; 403 unless they are a
    supervisor or admin now."""
    caller = await _caller(data, member_id) if member_id is not None else None
    if caller is None or not caller.is_supervisor or caller.role is None:
        raise web.HTTPForbidden()
    return caller.role, caller.desk.id if caller.desk else None


async def _open_for(request: web.Request, member_id: int) -> web.Response:
    """A session for ``member_id`` if they are a supervisor or admin now."""
    data = request.app[BOT_DATA]
    role, desk_id = await _supervisor(data, member_id)
    token, _ = await logins.open_session(data.db, member_id, role, desk_id, utcnow(),
                                         data.session_ttl)
    return _signed_in(request, token)


async def login_link(request: web.Request) -> web.Response:
    """``POST /auth/link`` ``{"token": …}``: spend a login link and open its session."""
    token = str((await _body(request)).get("token", ""))
    data = request.app[BOT_DATA]
    now = utcnow()
    role, desk_id = await _supervisor(
        data, await logins.link_member(data.db, token, now) if token else None)
    opened = await logins.redeem_link(data.db, token, role, desk_id, now, data.session_ttl)
    if opened is None:  # spent by a request that came at the same moment
        raise web.HTTPForbidden()
    return _signed_in(request, opened[0])


async def login_webapp(request: web.Request) -> web.Response:
    """``POST /auth/webapp`` ``{"initData": …}``: the Mini App, signed in by Telegram."""
    data = request.app[BOT_DATA]
    if not data.settings.dashboard_https:  # Telegram opens Mini Apps over https only
        raise web.HTTPNotFound()
    user_id = init_data_user(str((await _body(request)).get("initData", "")),
                             data.settings.telegram_bot_token, utcnow())
    if user_id is None:
        raise web.HTTPUnauthorized()
    return await _open_for(request, user_id)


async def logout(request: web.Request) -> web.Response:
    """``POST /auth/logout``: end this browser's session."""
    token = request.cookies.get(COOKIE)
    if token:
        await logins.end(request.app[BOT_DATA].db, token, utcnow())
    response = web.json_response({"ok": True})
    response.del_cookie(COOKIE, path="/")
    return response


async def _body(request: web.Request) -> dict[str, object]:
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise web.HTTPBadRequest() from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest()
    return body


def csrf_ok(request: web.Request, session: Session) -> bool:
    """Whether a changing request carries the session's CSRF token in its header."""
    given = request.headers.get(CSRF_HEADER, "")
    return bool(given) and secrets.compare_digest(given, session.csrf)
