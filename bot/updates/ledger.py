"""Which fetched updates are handled, and the handled prefix that may be confirmed to Telegram.

Telegram confirms every update below the ``offset`` of a ``getUpdates``, so the loop may only
ask from the lowest update not yet handled: everything before it is handled, whatever the
lanes after it are still doing. The ledger keeps that account:

1. Each new update is added in the order Telegram delivered it (rising ids).
2. When an update is handled it is marked done; the done updates at the front leave the
   ledger, and the last of them is the end of the handled prefix (:attr:`Ledger.last`), the
   id the loop records in the database.
3. The offset to ask with is the first update still in the ledger; with none left, the one
   after the prefix; after an answer with nothing in it (:meth:`Ledger.idle`), none at all, so
   a numbering Telegram restarted lower is heard (``bot.updates.polling``).
4. Every answer repeats the updates still in the ledger, and one asked before the prefix moved
   on repeats some that just left it: both are :meth:`known` and not handled twice. An answer
   holds at most :data:`TELEGRAM_LIMIT` updates from the offset, so the repeats of a full
   ledger would leave no room for new ones, and each repeat is parsed again: the loop asks
   only while the ledger is :attr:`Ledger.roomy` (at most :data:`IN_FLIGHT` unconfirmed, so
   an answer holds at least as many new updates as repeats), else it waits for the prefix to
   move first.

It knows no Telegram objects, only update ids; ids are compared for equality only, never for
order, because a restarted numbering may be lower.
"""

from __future__ import annotations

import asyncio
from collections import deque

TELEGRAM_LIMIT = 100  # the most updates one getUpdates answer holds
IN_FLIGHT = TELEGRAM_LIMIT // 2  # ask again only with at most this many unconfirmed


class Ledger:
    """The unconfirmed updates in delivery order, and the handled prefix. See the module."""

    def __init__(self, in_flight: int = IN_FLIGHT) -> None:
        self._in_flight = in_flight
        self._order: deque[int] = deque()  # unconfirmed, in delivery order
        self._open: set[int] = set()  # in the ledger, not yet handled
        self._done: set[int] = set()  # in the ledger, handled, behind an open one
        # Ids that left the ledger lately: an answer asked before they left repeats them.
        # One answer repeats at most TELEGRAM_LIMIT, so twice that is plenty.
        self._left: deque[int] = deque(maxlen=2 * TELEGRAM_LIMIT)
        self._left_set: set[int] = set()
        self.last: int | None = None  # the end of the handled prefix since the last idle
        self.advanced = asyncio.Event()  # set whenever the prefix moves on

    def __len__(self) -> int:
        return len(self._order)

    @property
    def roomy(self) -> bool:
        """Step 4: few enough unconfirmed for an answer to bring mostly new updates."""
        return len(self._order) <= self._in_flight

    def known(self, update_id: int) -> bool:
        """Step 4: an update already being handled, handled, or just confirmed."""
        return update_id in self._open or update_id in self._done or update_id in self._left_set

    def add(self, update_id: int) -> None:
        """Step 1: a new update, delivered after every one added before."""
        self._order.append(update_id)
        self._open.add(update_id)

    def finish(self, update_id: int) -> None:
        """Step 2: ``update_id`` is handled; the prefix moves on if it was at its front."""
        if update_id not in self._open:
            return
        self._open.discard(update_id)
        self._done.add(update_id)
        moved = False
        while self._order and self._order[0] in self._done:
            first = self._order.popleft()
            self._done.discard(first)
            if len(self._left) == self._left.maxlen:
                self._left_set.discard(self._left[0])
            self._left.append(first)
            self._left_set.add(first)
            self.last, moved = first, True
        if moved:
            self.advanced.set()

    def offset(self) -> int | None:
        """Step 3: the ``offset`` of the next ``getUpdates``."""
        if self._order:
            return self._order[0]
        return self.last + 1 if self.last is not None else None

    def idle(self) -> None:
        """Step 3: an answer came back empty, so everything handled is confirmed."""
        if not self._order:
            self.last = None
