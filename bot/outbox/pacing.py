"""The one count of messages per second: shared by the outbox sender and every direct reply.

Telegram allows about 30 messages a second overall and answers more with 429 ("retry after
n"). Replies from handlers and outbox messages draw on that same allowance, so one
:class:`Pacing` counts them all, and :class:`PacedRequests` (PTB's rate-limiter hook, set on
the application's bot) puts every reply, popup and edit of a pressed message through it.
PTB's own ``AIORateLimiter`` (the ``rate-limiter`` extra) is not used. It counts a call in
a leaky bucket when the call starts, not when Telegram answers; it counts every call that
names a chat (``getChat``, ``sendChatAction`` too) and none that does not (a popup's
``answerCallbackQuery``); it keeps a second per-group bucket beside the sender's per-chat
slots; and it retries a 429 only with ``max_retries`` above its default of 0. Beside the
sender's gate it would be a second count of the same sends that disagrees with the first;
replacing the gate with it would lose the answer-dated window (step 3 below).

:meth:`Pacing.acquire` lets a send (or an edit) go when:

1. no 429 pause is running (a 429 to anyone pauses every counted send for ``retry_after``);
2. its slot on an even schedule of one send per ``1 / per_second`` s has come (within
   ``BURST`` slots: a timer that fires late does not cost the schedule its time), so sends
   leave evenly instead of in bursts of 30: fewer are in flight at any moment, which is what
   a crash can repeat (the Bot API has no idempotency key);
3. fewer than ``n = floor(per_second)`` sends are unanswered or were answered within the
   last ``n / per_second`` s (plus a small margin). A send is dated by its answer: Telegram
   counted it between request and answer, so however long requests take, no ``n + 1`` of
   them reach Telegram within one such window.

Waiters pass in the order they came (one lock). :meth:`Pacing.release` dates the answer.

:class:`PacedRequests` runs every Bot API call but ``getUpdates`` (which PTB never hands to
a rate limiter) that way: sends and edits through the gate, every call retried after
``retry_after`` on a 429, up to ``max_retries`` times, so an officer still gets a reply
that Telegram first refused with 429. The sender paces and retries its own calls (its rows
keep their attempts and back-off in the database): inside :func:`paced` the limiter passes a
call straight through.

Being the one hook on every call, the limiter also spares PTB work nobody uses: a send or
edit made inside :func:`unread` returns ``True`` instead of Telegram's answer, so PTB does
not build a ``Message`` (chat, sender, entities, keyboard) from it; the message's id, all the
outbox keeps of it, is noted in what :func:`unread` yields. PTB returns a ``True`` answer as
it is, as it does for an edit of an inline message. Building a ``Message`` was the largest
part of a send's own cost (``docs/performance.md``). A recording request in tests has no
limiter: there the answer is parsed as before.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

POLL_S = 1.0
# A margin on every interval, for the clocks and timers on both sides not agreeing exactly.
# Sends are dated by their answer, which Telegram's own count precedes by at least half a
# round trip, so the margin only covers timer jitter; on the 1 s window it is also what the
# backlog rate loses (30 per 1.02 s), so it stays small.
SLACK_S = 0.02
MAX_RETRIES = 3  # a reply refused with 429 is tried this many more times
# Sends a slot may run ahead of the even schedule: absorbs timers that fire late on a busy
# loop (each one late would otherwise push every later slot back) while keeping a burst to a
# few sends.
BURST = 3
# Methods that put a message in a chat or change one: what Telegram's 30 a second counts.
COUNTED = ("send", "edit", "copyMessage", "forwardMessage")
UNCOUNTED = frozenset({"sendChatAction"})

_paced: ContextVar[bool] = ContextVar("posko_paced", default=False)


@dataclass(slots=True)
class Unread:
    """What is kept of Telegram's answer to a send inside :func:`unread`: the id of the
    message (None until a limiter has seen an answer; without one, PTB's ``Message`` has it)."""

    message_id: int | None = None


_unread: ContextVar[Unread | None] = ContextVar("posko_unread", default=None)


def retry_seconds(exc: RetryAfter) -> float:
    """How long a 429 asks to wait: a timedelta, or whole seconds unless PTB_TIMEDELTA is set."""
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


@contextmanager
def paced() -> Iterator[None]:
    """Calls made inside have passed :meth:`Pacing.acquire` already (the sender's own)."""
    token = _paced.set(True)
    try:
        yield
    finally:
        _paced.reset(token)


@contextmanager
def unread() -> Iterator[Unread]:
    """Calls made inside return ``True`` for the message Telegram answered with (see the
    module docstring), its id noted in what this yields: for a send whose message the caller
    does not read, or of which it keeps only the id."""
    kept = Unread()
    token = _unread.set(kept)
    try:
        yield kept
    finally:
        _unread.reset(token)


def _answer(result: Any) -> Any:
    """What the caller gets back: a message's answer only if it is read."""
    kept = _unread.get()
    if kept is None or not isinstance(result, dict):
        return result
    message_id = result.get("message_id")
    kept.message_id = message_id if isinstance(message_id, int) else None
    return True


class Pacing:
    """The global gate. See the module docstring."""

    def __init__(self, per_second: float = 30.0) -> None:
        # "At most n sends in any n / rate seconds": with n = 30 that is Telegram's own rule of
        # 30 per second.
        self._window_n = max(1, math.floor(per_second))
        self._window_s = self._window_n / per_second + SLACK_S
        self._spacing = 1.0 / per_second
        self._answered: deque[float] = deque()
        self._unanswered = 0
        self._next_slot = -math.inf  # the even schedule: when the next send is due
        self._freed = asyncio.Event()
        self._lock = asyncio.Lock()  # FIFO: sends pass in the order they came
        self.paused_until = 0.0  # monotonic time a 429 pause ends

    async def acquire(self, stopping: asyncio.Event | None = None) -> bool:
        """Wait for a slot and take it; False if ``stopping`` was set meanwhile."""
        async with self._lock:
            while True:
                self._freed.clear()
                now = time.monotonic()
                while self._answered and self._answered[0] <= now - self._window_s:
                    self._answered.popleft()
                over = len(self._answered) + self._unanswered - self._window_n + 1
                early = (BURST - 1) * self._spacing
                at = max(self.paused_until, self._next_slot - early, now)
                if over > 0:  # wait until enough answered sends leave the window
                    at = max(at, self._answered[over - 1] + self._window_s
                             if over <= len(self._answered) else math.inf)
                if at <= now:
                    self._unanswered += 1
                    self._next_slot = max(self._next_slot, now) + self._spacing
                    return True
                with suppress(TimeoutError):  # an answer or a nudge may come sooner
                    await asyncio.wait_for(self._freed.wait(), min(at - now, POLL_S))
                if stopping is not None and stopping.is_set():
                    return False

    def release(self) -> None:
        """A send that passed :meth:`acquire` was answered (or failed): date it."""
        self._unanswered -= 1
        self._answered.append(time.monotonic())
        self._freed.set()

    def pause(self, seconds: float) -> float:
        """Telegram answered 429: no counted send for ``seconds``; the monotonic end."""
        until = time.monotonic() + seconds
        self.paused_until = max(self.paused_until, until)
        return until

    def nudge(self) -> None:
        """Make waiters look again (someone is stopping)."""
        self._freed.set()


Call = Callable[..., Coroutine[Any, Any, Any]]


class PacedRequests(BaseRateLimiter[None]):
    """PTB's rate-limiter hook on :class:`Pacing` (it takes no per-call arguments)."""

    def __init__(self, pacing: Pacing, max_retries: int = MAX_RETRIES) -> None:
        self.pacing, self.max_retries = pacing, max_retries

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def process_request(self, callback: Call, args: Any, kwargs: dict[str, Any],
                              endpoint: str, data: dict[str, Any],
                              rate_limit_args: None) -> Any:
        """Run one Bot API call within the shared count, retrying it after a 429."""
        if _paced.get():
            return _answer(await callback(*args, **kwargs))
        counted = endpoint.startswith(COUNTED) and endpoint not in UNCOUNTED
        retries = self.max_retries
        for attempt in range(retries + 1):
            if counted:
                await self.pacing.acquire()
            else:  # not counted, but a 429 pause holds for every call
                await asyncio.sleep(max(0.0, self.pacing.paused_until - time.monotonic()))
            try:
                return _answer(await callback(*args, **kwargs))
            except RetryAfter as exc:
                wait = retry_seconds(exc)
                self.pacing.pause(wait)
                if attempt == retries:
                    raise
                log.warning("%s to %s: flood control, retrying in %.0f s", endpoint,
                            data.get("chat_id"), wait)
            finally:
                if counted:
                    self.pacing.release()
        raise AssertionError("unreachable")  # the last attempt returned or raised
