"""The dashboard's web server, on ``POSKO_DASHBOARD_LISTEN:POSKO_DASHBOARD_PORT``
(127.0.0.1:8080; an empty port or 0 turns it off), in the bot's own process and event loop,
so it reads the same store and needs nothing else to run.

aiohttp, as the operators' endpoints (``bot.ops.server``): one framework for the pages the
project writes itself. Telegram's webhook stays python-telegram-bot's own server (tornado),
which the project does not touch.

* ``GET /``: the page (``static/dashboard.js`` draws it from ``/api/state``); without a
  session, 401 with the sign-in page instead.
* ``GET /login``: the sign-in page a ``/dasbor`` link opens (``/login#TOKEN``): its script
  posts the token from the fragment to ``POST /auth/link``. In the Mini App the same script
  posts Telegram's ``initData`` to ``POST /auth/webapp``.
* ``/api/…``: the JSON endpoints (``bot.dashboard.api``); ``/static/…``: the page's script,
  style and Leaflet (vendored, with its licence).

Every answer carries a Content-Security-Policy without inline script, and a POST from
another origin is refused. The access log is off: nothing a request carries is logged.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from aiohttp import web

from bot.dashboard import api, auth
from bot.dashboard.auth import BOT_DATA
from bot.ops.server import listen
from bot.texts import plain_text, t

if TYPE_CHECKING:
    from bot.app import PoskoApp
    from bot.config import Settings

STATIC = Path(__file__).parent / "static"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# Telegram's web clients show a Mini App in a frame of their own.
FRAMERS = "'self' https://web.telegram.org https://*.telegram.org"


def content_policy(settings: Settings) -> str:
    """The page's Content-Security-Policy: its own scripts and styles only, images from
    itself and the tile server."""
    images = "'self' data:"
    if settings.map_tiles:
        parts = urlsplit(settings.map_tiles)
        images += f" {parts.scheme}://{parts.netloc.replace('{s}', '*')}"
    return (f"default-src 'none'; script-src 'self'; style-src 'self'; img-src {images}; "
            f"connect-src 'self'; base-uri 'none'; form-action 'self'; "
            f"frame-ancestors {FRAMERS}")


@web.middleware
async def _guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse cross-origin POSTs; put the security headers on every answer."""
    if request.method == "POST":
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != request.host:
            raise web.HTTPForbidden()
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        response = exc
    headers = response.headers
    headers["Content-Security-Policy"] = request.app[_POLICY]
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    if not request.path.startswith("/static/"):
        headers["Cache-Control"] = "no-store"
    if isinstance(response, web.HTTPException):
        raise response
    return response


_POLICY: web.AppKey[str] = web.AppKey("posko_csp")


def _sign_in_page(lang: str, status: int) -> web.Response:
    """The sign-in page (no data): what to do, and the script that signs a link in."""
    body = f"""<!doctype html>
<html lang="{html.escape(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(plain_text(t(lang, "dash.page.title")))}</title>
<link rel="stylesheet" href="/static/dashboard.css"></head>
<body class="signin"><main>
<h1>{html.escape(plain_text(t(lang, "dash.page.title")))}</h1>
<p id="signed-out">{html.escape(plain_text(t(lang, "dash.page.signed_out")))}</p>
<p id="login-failed" hidden>{html.escape(plain_text(t(lang, "dash.page.login_failed")))}</p>
</main><script src="/static/login.js"></script></body></html>"""
    return web.Response(text=body, status=status, content_type="text/html")


async def _index(request: web.Request) -> web.StreamResponse:
    lang = request.app[BOT_DATA].settings.language
    if await auth.viewer(request) is None:
        return _sign_in_page(lang, 401)
    return web.FileResponse(STATIC / "dashboard.html")


async def _login(request: web.Request) -> web.Response:
    return _sign_in_page(request.app[BOT_DATA].settings.language, 200)


def build(app: PoskoApp) -> web.Application:
    """The dashboard's aiohttp application for a bot."""
    server = web.Application(middlewares=[_guard], client_max_size=16 * 1024)
    server[BOT_DATA] = app.bot_data
    server[_POLICY] = content_policy(app.bot_data.settings)
    server.router.add_get("/", _index)
    server.router.add_get("/login", _login)
    server.router.add_post("/auth/link", auth.login_link)
    server.router.add_post("/auth/webapp", auth.login_webapp)
    server.router.add_post("/auth/logout", auth.logout)
    server.router.add_get("/api/state", api.state)
    server.router.add_post("/api/alerts/{id}/ack", api.take_alert)
    server.router.add_static("/static/", STATIC, follow_symlinks=False)
    return server


async def start(app: PoskoApp) -> web.AppRunner | None:
    """Serve the dashboard (None when ``POSKO_DASHBOARD_PORT`` is 0); ListenError if the
    address is taken or not this machine's."""
    settings = app.bot_data.settings
    if settings.dashboard_port == 0:
        return None
    return await listen(build(app), settings.dashboard_listen, settings.dashboard_port,
                        "POSKO_DASHBOARD_LISTEN, POSKO_DASHBOARD_PORT; 0 turns the dashboard off")
