"""One lane per chat: a chat's updates in order, the chats at the same time, each backlog bounded.

While one chat waits for Telegram to accept a reply, another is handled; and one chat that
floods the bot (hundreds of messages in a second) holds up nobody but itself:

1. An update goes to the lane of its chat (of its user when it has no chat; alone when it has
   neither). A lane is a queue with its own worker task, which handles the queue's updates one
   after the other and ends when the queue is empty; the lane is then forgotten.
2. A lane holds at most :data:`BACKLOG` updates (the one being handled included). Beyond that
   an update is dropped: reported as done at once, as if handled, so it is confirmed to
   Telegram with the rest. Once a lane has dropped one, it drops every further update until
   its backlog is handled: otherwise each answer would let a flood refill the lane, and the
   flood would hold the oldest unconfirmed update, and with it the window of what the loop
   asks Telegram for (``bot.updates.ledger``), for a round trip per message. A chat's first
   drop in a minute is logged and ``overflow`` is called with it (the bot tells the sender,
   ``bot.handlers.throttle``); the others are silent.
3. While the loop waits for room in its window (``bot.updates.ledger``: the next
   ``getUpdates`` waits until the oldest updates are handled), :meth:`Lanes.shed` drops the
   waiting updates of every lane that overflowed, keeping the one being handled: a flood then
   holds the window for one round trip, not one per message it queued.
4. Every update handled or dropped is reported to ``done``, exactly once, whatever happened
   in its handlers; :meth:`Lanes.join` waits until every lane is empty.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Update

log = logging.getLogger(__name__)

BACKLOG = 20  # updates one chat may have waiting; a person typing never gets near it
WARN_EVERY = 60.0  # seconds between two logs (and notices) of drops in the same chat


@dataclass(slots=True)
class _Lane:
    queue: deque[Update]  # the update being handled first, then those waiting
    overflowed: bool = False  # dropped one: drop all until the queue is empty


def lane_of(update: Update) -> int:
    """Step 1: the key of an update's lane."""
    chat, user = update.effective_chat, update.effective_user
    return chat.id if chat else user.id if user else -update.update_id


class Lanes:
    """The lanes of the updates being handled. See the module docstring."""

    def __init__(self, process: Callable[[Update], Awaitable[object]],
                 done: Callable[[Update], None] | None = None,
                 overflow: Callable[[Update], Awaitable[None]] | None = None,
                 backlog: int = BACKLOG) -> None:
        self._process, self._done, self._overflow = process, done, overflow
        self._backlog = backlog
        self._lanes: dict[int, _Lane] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._warned: OrderedDict[int, float] = OrderedDict()  # lane -> last drop logged
        self.dropped = 0

    def submit(self, update: Update) -> None:
        """Steps 1-2: queue ``update`` in its chat's lane, or drop it when the lane is full."""
        key = lane_of(update)
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = _Lane(deque([update]))
            self._start(self._run(key, lane.queue))
        elif lane.overflowed or len(lane.queue) >= self._backlog:
            lane.overflowed = True
            self._drop(key, update)
        else:
            lane.queue.append(update)

    def shed(self) -> None:
        """Step 3: drop what the lanes that overflowed still have waiting."""
        for key, lane in self._lanes.items():
            if lane.overflowed:
                while len(lane.queue) > 1:  # the first is being handled
                    self._drop(key, lane.queue.pop())

    async def join(self) -> None:
        """Step 4: wait until every lane is empty (and every notice of a drop sent)."""
        while self._tasks:
            await asyncio.gather(*self._tasks)

    def _start(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, key: int, queue: deque[Update]) -> None:
        while queue:
            update = queue[0]  # stays queued while handled: it counts toward the backlog
            try:
                await self._process(update)
            except Exception:  # a dead lane would never confirm again: log and go on
                log.exception("update %d was not handled", update.update_id)
            queue.popleft()
            self._report(update)
        del self._lanes[key]

    def _drop(self, key: int, update: Update) -> None:
        self.dropped += 1
        self._report(update)
        now = time.monotonic()
        while self._warned and now - next(iter(self._warned.values())) >= WARN_EVERY:
            self._warned.popitem(last=False)  # older than a minute: no longer needed
        if key in self._warned:
            return
        self._warned[key] = now
        log.warning("chat %d sent more than %d updates at once; dropping the newest",
                    key, self._backlog)
        if self._overflow is not None:
            self._start(self._notify(self._overflow, update))

    @staticmethod
    async def _notify(overflow: Callable[[Update], Awaitable[None]], update: Update) -> None:
        try:
            await overflow(update)
        except Exception:  # a notice is a courtesy; the lanes go on without it
            log.exception("could not tell chat %d about its dropped updates", lane_of(update))

    def _report(self, update: Update) -> None:
        if self._done is not None:
            self._done(update)
