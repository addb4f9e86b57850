"""The dashboard's JSON endpoints. Each one first asks who is signed in (``auth.viewer``),
answers 401 without a session, and checks the scope of what it reads or changes on the
server: the page's own checks are only for show.

* ``GET /api/state?unit=ID&page=N``: everything the page shows of a unit (``views.state``);
  without ``unit`` the viewer's own scope; 403 for a unit outside it.
* ``POST /api/alerts/{id}/ack``: *Saya tangani* from the page, with the session's CSRF token
  in ``X-CSRF-Token``: the chat button's own path (``bot.handlers.alerts.take``), so the same
  conditional update takes the alert and every chat message announcing it is edited.
"""

from __future__ import annotations

from aiohttp import web

from bot.dashboard import views
from bot.dashboard.auth import BOT_DATA, Viewer, csrf_ok, viewer
from bot.handlers import alerts as alert_handlers
from bot.texts import plain_text


async def _signed_in(request: web.Request) -> Viewer:
    found = await viewer(request)
    if found is None:
        raise web.HTTPUnauthorized(text='{"error": "signed out"}',
                                   content_type="application/json")
    return found


def _number(request: web.Request, name: str) -> int | None:
    value = request.query.get(name, "")
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        raise web.HTTPBadRequest()
    return int(value)


async def state(request: web.Request) -> web.Response:
    """``GET /api/state``."""
    who = await _signed_in(request)
    try:
        body = await views.state(request.app[BOT_DATA], who.caller, who.session.csrf,
                                 _number(request, "unit"), _number(request, "page") or 0)
    except views.OutOfScope:
        raise web.HTTPForbidden(text='{"error": "out of scope"}',
                                content_type="application/json") from None
    return web.json_response(body)


async def take_alert(request: web.Request) -> web.Response:
    """``POST /api/alerts/{id}/ack``."""
    who = await _signed_in(request)
    lang = who.caller.lang
    if not csrf_ok(request, who.session):
        return web.json_response({"ok": False, "text": views.plain(lang, "dash.ack.csrf")},
                                 status=403)
    alert_id = request.match_info["id"]
    if not alert_id.isdigit() or len(alert_id) > 12:
        raise web.HTTPBadRequest()
    taken = await alert_handlers.take(request.app[BOT_DATA], who.caller, int(alert_id))
    return web.json_response({"ok": taken.taken, "text": plain_text(taken.text)},
                             status=403 if taken.refused else 200)
