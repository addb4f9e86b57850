"""The lanes of ``bot.updates.lanes`` for updates that arrive by webhook.

By webhook, PTB takes each update from its queue and hands it to the application's update
processor; its default handles one update at a time, so one chat waiting for a reply, or one
chat flooding the bot, would hold up every other. :class:`LaneProcessor` hands each update to
the lanes instead: a chat's updates in order, the chats at the same time, a flood dropped
beyond the backlog (its sender told, as with long polling). Telegram was answered ``200`` for
a dropped update as for any other, so it is not sent again, exactly as long polling confirms
the updates it drops.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.updates.lanes import Lanes

# Updates in hand at once, all chats together; each chat holds at most the lanes' backlog.
IN_HAND = 512


class LaneProcessor(BaseUpdateProcessor):
    """PTB's update processor, by lanes (see the module docstring)."""

    def __init__(self, overflow: Callable[[Update], Awaitable[None]] | None = None,
                 in_hand: int = IN_HAND) -> None:
        super().__init__(in_hand)
        self._running: dict[int, Awaitable[Any]] = {}  # update id -> its handlers' coroutine
        self._finished: dict[int, asyncio.Future[None]] = {}
        self._lanes = Lanes(self._handle, self._settle, overflow)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Queue ``update`` in its chat's lane and return when it was handled or dropped."""
        if not isinstance(update, Update):  # something put on the queue by hand
            await coroutine
            return
        finished = asyncio.get_running_loop().create_future()
        self._running[update.update_id] = coroutine
        self._finished[update.update_id] = finished
        self._lanes.submit(update)
        await finished

    async def _handle(self, update: Update) -> None:
        await self._running.pop(update.update_id)

    def _settle(self, update: Update) -> None:
        dropped = self._running.pop(update.update_id, None)
        if dropped is not None and hasattr(dropped, "close"):
            dropped.close()  # never started: no "coroutine was never awaited"
        finished = self._finished.pop(update.update_id, None)
        if finished is not None and not finished.done():
            finished.set_result(None)

    async def initialize(self) -> None:
        """Nothing to set up: the lanes start with the first update."""

    async def shutdown(self) -> None:
        """Wait until every lane is empty."""
        await self._lanes.join()
