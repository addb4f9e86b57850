"""The bot's own dead-man's switch: a ping to ``POSKO_HEARTBEAT_URL`` after every sweep.

A monitoring service such as Healthchecks expects the ping every sweep interval and alerts the
operator when it stops coming: the bot has stopped, or its sweep no longer runs. After a sweep
that ran, the bot pings the URL itself when it is ready, and the URL followed by ``/fail``
when a readiness check fails (``bot.ops.readiness``), so the operator hears of a full disk or a
stuck outbox too. A sweep that failed pings nothing.

A ping is an HTTP GET with a short timeout, sent on its own task: the sweep never waits for it,
and while one ping is still under way the next is skipped rather than queued. A failed ping is
logged once until one works again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import httpx

log = logging.getLogger(__name__)

TIMEOUT = 10.0  # seconds for one ping


class Heartbeat:
    """Pings one URL (see the module docstring)."""

    def __init__(self, url: str, client: httpx.AsyncClient | None = None) -> None:
        self.url = url
        self._client = client or httpx.AsyncClient(timeout=TIMEOUT)
        self._task: asyncio.Task[None] | None = None
        self._failing = False
        self.sent = 0  # pings answered with a 2xx, for the operator's status

    def beat(self, ready: Callable[[], Awaitable[bool]]) -> None:
        """On a task of its own, unless one is under way: ask ``ready`` and ping (``/fail``
        when not ready)."""
        if self._task is not None and not self._task.done():
            return
        self._task = asyncio.get_running_loop().create_task(self._ping(ready), name="heartbeat")

    async def _ping(self, ready: Callable[[], Awaitable[bool]]) -> None:
        try:
            target = self.url if await ready() else f"{self.url}/fail"
            response = await self._client.get(target)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            if not self._failing:
                log.warning("heartbeat ping failed (%s); the monitor will alert if this lasts",
                            type(exc).__name__)
            self._failing = True
            return
        self.sent += 1
        if self._failing:
            log.info("heartbeat ping works again")
        self._failing = False

    async def close(self) -> None:
        """Let a ping under way end, then close the connection pool."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        await self._client.aclose()
