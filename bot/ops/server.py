"""The operators' HTTP endpoints, on ``POSKO_STATUS_LISTEN:POSKO_STATUS_PORT`` (127.0.0.1:9180
by default; port 0 turns them off), beside Telegram's webhook when there is one:

* ``GET /healthz``: 200 while the process answers (a container's liveness probe);
* ``GET /readyz``: 200 when every readiness check passes, else 503; a JSON body with each
  check (``bot.ops.readiness``);
* ``GET /metrics``: Prometheus' text format (``bot.ops.metrics``).

Only GET and HEAD are answered, and nothing that names a person is ever shown. The endpoints
say nothing a monitoring system does not need, but they are not meant for the internet: keep
the default address, or put them behind a proxy that restricts who may read them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.ops.readiness import readiness

if TYPE_CHECKING:
    from bot.app import PoskoApp

_APP: web.AppKey[PoskoApp] = web.AppKey("posko")


class ListenError(Exception):
    """The endpoints' address cannot be listened on."""


def _bot_app(request: web.Request) -> PoskoApp:
    return request.app[_APP]


async def _healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _readyz(request: web.Request) -> web.Response:
    app = _bot_app(request)
    state = await readiness(app.bot_data, app.bot)
    body = {"ready": state.ready,
            "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in state.checks}}
    return web.json_response(body, status=200 if state.ready else 503)


async def _metrics(request: web.Request) -> web.Response:
    app = _bot_app(request)
    state = await readiness(app.bot_data, app.bot)
    body = app.bot_data.metrics.scraped(state.vitals, state.lag, state.ready,
                                        app.bot_data.backups)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


async def start(app: PoskoApp) -> web.AppRunner | None:
    """Serve the endpoints (None when ``POSKO_STATUS_PORT`` is 0); ListenError if the address
    is taken or not this machine's."""
    settings = app.bot_data.settings
    if settings.status_port == 0:
        return None
    server = web.Application()
    server[_APP] = app
    server.router.add_get("/healthz", _healthz)
    server.router.add_get("/readyz", _readyz)
    server.router.add_get("/metrics", _metrics)
    # A scrape every 15 s is not news.
    return await listen(server, settings.status_listen, settings.status_port,
                        "POSKO_STATUS_LISTEN, POSKO_STATUS_PORT; 0 turns the status endpoints off")


async def listen(server: web.Application, host: str, port: int, settings: str
                 ) -> web.AppRunner:
    """Serve ``server`` on ``host:port`` without an access log (it would show who asked for
    what, and a path may hold a token); ListenError, naming ``settings``, if the address is
    taken or not this machine's."""
    runner = web.AppRunner(server, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as exc:
        await runner.cleanup()
        raise ListenError(f"cannot listen on {host}:{port} ({settings}): "
                          f"{exc.strerror or exc}") from None
    return runner
