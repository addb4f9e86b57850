"""The outbox sender: the one way the bot sends messages that are not direct replies.

Intents are written by whoever caused them (storage.outbox.enqueue); this module renders and
sends them. Each loop of :meth:`Sender.run`:

1. Takes due rows (``storage.outbox.due``: the oldest pending row of each chat, in id order),
   leaving out chats with a send in flight and chats whose next slot has not opened yet:
   private chats (id > 0) get at most one message per ``private_interval`` s, groups (id < 0)
   one per ``group_interval`` s (20/min). At most ``max_in_flight`` rows are in flight.
   While sends are in flight, a finished send makes the sender look again only once a
   quarter of the places have come free since the last look (new rows, a row's time or a
   chat's slot coming make it look at once): a look walks past the chats in flight, and
   looking after every send of a long queue cost more than the sends.
2. Starts one task per row. The task renders the row (None: nothing to say any more, the row
   fails as "obsolete" without a call), then passes the global gate (``bot.outbox.pacing``,
   shared with every direct reply of the handlers: one count of sends per second for the
   whole bot): at most ``global_per_second`` sends or edits in any second, evenly spaced,
   and nothing while a 429 pause lasts. Sends are concurrent, so a backlog runs at the limits
   rather than at one round trip a time. A send is dated by its answer (Telegram counted it
   no later), so the limits hold however long requests take.
3. Telegram accepted the message: the row is marked sent with its message id at once, before
   anything else of the task; a mark the store refuses is retried until it lands (the
   message is not sent again for it). An edit whose text did not change ("message is not
   modified") counts as sent; an edit of a message that is gone or too old fails for good,
   the recipient stays active. A crash between Telegram's answer and that commit, or before
   the answer came, sends the message again: the Bot API has no idempotency key. The even
   spacing of step 2 keeps that to the few sends of one round trip, instead of a burst of 30
   answered at once whose marks queue behind each other.
4. RetryAfter (429): the row retries after ``retry_after``; that chat and all sending (replies
   too) pause that long.
5. TimedOut or another NetworkError (5xx, dropped connection): the row retries after 1 s, 2 s,
   4 s … capped at ``max_backoff``, plus up to 10 % jitter. The attempt count lives in the row.
   A timed-out send may have reached Telegram, so delivery is at least once, not exactly once.
6. Forbidden (blocked, kicked) or "chat not found" / "user is deactivated": the chat is
   deactivated (storage.outbox.deactivate_chat): its member or subscription stops receiving
   and every pending row for it fails. Never retried.
7. ChatMigrated: the refused chat (for an edit, the chat of the message edited) has its
   subscription and pending rows moved to the new id (storage.outbox.migrate_chat) and a send
   is tried again at once, there. A message of the old group cannot be edited under the new
   id, so an edit is sent as a new message in the new chat, and the row it edited points to
   that copy from then on (storage.outbox.retarget_message).
8. Any other BadRequest (unparsable HTML, text too long): the row fails, logged at ERROR.
9. Anything else (a renderer exception, a row of a kind or payload this version cannot read,
   a database hiccup): logged, the row retries with back-off. A write that fails (the file
   locked by another process, a full disk) is such a hiccup too, except the mark of a row
   Telegram accepted: that mark is retried, not the send (step 3). No exception ends the loop.
   Every retry counts in the row's ``attempts``; after ``max_attempts`` (about two hours of
   back-off) the row is given up (failed, logged at ERROR), so one row never holds up its
   chat's later messages for ever.
10. The loop then sleeps until the earliest of: the next row's ``not_before``, a chat's slot
    opening, a finished send, :meth:`Sender.wake`, or one second.

Every database access is one storage.outbox call, each its own transaction. The module is
somewhat over 300 lines because the ten steps above share the pacing state and read best
together; the Bot API call itself lives in ``bot.outbox.message``.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import replace
from datetime import timedelta

import telegram
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.outbox.message import Rendered, deliver
from bot.outbox.pacing import SLACK_S, Pacing, paced, retry_seconds
from storage import outbox
from storage.models import utcnow
from storage.outbox import OutboxRow
from storage.sqlite.engine import Database

log = logging.getLogger(__name__)

POLL_S = 1.0
GONE = ("chat not found", "user is deactivated", "group chat was deactivated",
        "peer_id_invalid", "bot was kicked")
# Back-off doubles from 1 s up to max_backoff (5 min): 30 attempts take about two hours, long
# enough to ride out an outage of Telegram, short enough that a row that can never be sent
# does not hold up its chat's later messages for the rest of the day.
MAX_ATTEMPTS = 30
# A mark that failed (step 3) is tried again after 0.1 s, 0.2 s … up to 5 s.
MARK_RETRY_S, MARK_RETRY_MAX_S = 0.1, 5.0
EDIT_GONE = ("message to edit not found", "message can't be edited")


Render = Callable[[OutboxRow], Awaitable[Rendered | None]]
__all__ = ["Render", "Sender", "retry_seconds"]


class Sender:
    """Drains the outbox within Telegram's flood limits. See the module docstring.

    ``pacing`` is the gate shared with the application's replies; without one the sender
    keeps its own, at ``global_per_second``.
    """

    def __init__(self, bot: telegram.Bot, db: Database, render: Render, *,
                 global_per_second: float = 30.0, private_interval: float = 1.0,
                 group_interval: float = 3.0, max_backoff: float = 300.0,
                 max_in_flight: int = 30, max_attempts: int = MAX_ATTEMPTS,
                 pacing: Pacing | None = None) -> None:
        self.bot, self.db, self.render = bot, db, render
        self.max_attempts = max_attempts
        self.private_interval, self.group_interval = private_interval, group_interval
        self.max_backoff, self.max_in_flight = max_backoff, max_in_flight
        self.pacing = pacing or Pacing(global_per_second)
        self._ready_at: dict[int, float] = {}  # chat -> monotonic time of its next slot
        self._tasks: dict[int, asyncio.Task[None]] = {}  # chat -> its send in flight
        self._wakeup = asyncio.Event()
        self._news = True  # something other than a finished send woke the loop: look now
        self._free_after = 0  # places left free by the last look
        self._stop = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self.settled = 0  # rows sent or failed by this sender
        self.given_up = 0  # rows failed after max_attempts since the start: a metric to watch

    def wake(self) -> None:
        """New rows were written: look now instead of at the next poll."""
        self._news = True
        self._wakeup.set()

    async def run(self) -> None:
        """Send until :meth:`stop`."""
        await self._loop(None, None)

    async def stop(self) -> None:
        """Stop taking rows, let the sends in flight finish, then return."""
        self._stop.set()
        self._wakeup.set()
        self.pacing.nudge()
        await self._idle.wait()

    async def drain(self, until_empty: bool = True,
                    timeout: float | None = None) -> int:  # noqa: ASYNC109 - a deadline
        """Run the loop until nothing is pending, or with ``until_empty`` False until nothing is
        due now, or for at most ``timeout`` s; return how many rows were settled meanwhile."""
        before = self.settled
        deadline = None if timeout is None else time.monotonic() + timeout
        await self._loop(until_empty, deadline)
        return self.settled - before

    async def _loop(self, until_empty: bool | None, deadline: float | None) -> None:
        if not self._idle.is_set():
            raise RuntimeError("the sender is already running")
        self._idle.clear()
        try:
            while not self._stop.is_set():
                self._wakeup.clear()  # before looking, so a wake() meanwhile is not lost
                try:
                    launched = 0 if self._later() else await self._launch()
                    pause, next_due = await self._pause()
                    if until_empty is not None and not launched and not self._tasks and (
                            await outbox.pending_count(self.db) == 0 if until_empty
                            else next_due is None or next_due > 0):
                        break
                except Exception:
                    log.exception("outbox: cannot read due rows")
                    pause = POLL_S
                if deadline is not None:
                    if time.monotonic() >= deadline:
                        break
                    pause = min(pause, deadline - time.monotonic())
                try:
                    await asyncio.wait_for(self._wakeup.wait(), max(pause, 0.0))
                except TimeoutError:
                    self._news = True  # a row's time or a chat's slot has come
        finally:
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)
            self._idle.set()

    def _later(self) -> bool:
        """Whether to leave looking for rows until more sends finish (step 1)."""
        free = self.max_in_flight - len(self._tasks)
        return free <= 0 or (bool(self._tasks) and not self._news
                             and free - self._free_after < max(1, self.max_in_flight // 4))

    async def _launch(self) -> int:
        """Start a task for every row that may go now; return how many."""
        free = self.max_in_flight - len(self._tasks)
        self._news = False
        now = time.monotonic()
        self._ready_at = {c: t for c, t in self._ready_at.items() if t > now}
        busy = frozenset(self._tasks) | frozenset(self._ready_at)
        rows = await outbox.due(self.db, utcnow(), free, busy)
        for row in rows:
            task = asyncio.create_task(self._send(row))
            self._tasks[row.chat_id] = task
            task.add_done_callback(functools.partial(self._finished, row.chat_id))
        self._free_after = free - len(rows)
        return len(rows)

    def _finished(self, chat_id: int, _task: asyncio.Task[None]) -> None:
        self._tasks.pop(chat_id, None)
        self._wakeup.set()  # the chat and an in-flight place are free again

    async def _pause(self) -> tuple[float, float | None]:
        """(How long to sleep, seconds until the next row's not_before or None)."""
        now, pause = time.monotonic(), POLL_S
        if self._ready_at:
            pause = min(pause, min(self._ready_at.values()) - now)
        nxt = await outbox.next_due_at(self.db)
        next_due = None if nxt is None else (nxt - utcnow()).total_seconds()
        # A due row of a busy chat makes next_due negative; finishing sends wake us for those.
        if next_due is not None and next_due > 0:
            pause = min(pause, next_due)
        return pause, next_due

    def _answer(self, chat_id: int) -> None:
        """A send was answered (or failed): date it, and space the chat's next one from it."""
        now = time.monotonic()
        self.pacing.release()
        interval = self.private_interval if chat_id > 0 else self.group_interval
        if interval > 0:  # none asked (a rehearsal): no slot to wait for, nor to wake at
            self._ready_at[chat_id] = max(self._ready_at.get(chat_id, 0.0),
                                          now + interval + SLACK_S)

    async def _send(self, row: OutboxRow) -> None:
        """Render, send and settle one row; never raises."""
        try:
            await self._attempt(row)
        except Exception as exc:
            log.exception("outbox row %s to %s failed unexpectedly", row.id, row.chat_id)
            try:
                await self._retry(row, f"{type(exc).__name__}: {exc}")
            except Exception:
                log.exception("outbox row %s: cannot schedule a retry", row.id)
                # Keep the chat quiet for a while rather than spin on a broken database.
                self._ready_at[row.chat_id] = time.monotonic() + self._backoff(row.attempts)

    async def _attempt(self, row: OutboxRow) -> None:
        db = self.db
        rendered = await self.render(row)
        if rendered is None:
            await outbox.mark_failed(db, row.id, "obsolete", utcnow())
            self.settled += 1
            return
        if not await self.pacing.acquire(self._stop):
            return  # stopping: the row stays pending for the next start
        try:
            try:
                with paced():
                    message_id = await deliver(self.bot, row.chat_id, rendered)
            finally:
                self._answer(row.chat_id)
        except RetryAfter as exc:
            wait = retry_seconds(exc)
            log.warning("outbox row %s: flood control, pausing %.0f s", row.id, wait)
            until = self.pacing.pause(wait)
            self._ready_at[row.chat_id] = max(self._ready_at.get(row.chat_id, 0.0), until)
            await outbox.retry_later(db, row.id, utcnow() + timedelta(seconds=wait), str(exc))
        except ChatMigrated as exc:
            await self._follow_migration(row, rendered, exc.new_chat_id)
        except Forbidden as exc:
            await self._deactivate(row, exc)
        except BadRequest as exc:  # before NetworkError: BadRequest is one of them in PTB
            error = str(exc).lower()
            if "message is not modified" in error and rendered.edit:
                await self._mark_sent(row, rendered.edit[1])
            elif any(text in error for text in GONE):
                await self._deactivate(row, exc)
            else:  # an edit of a vanished message is routine; anything else is our bug
                edit_gone = rendered.edit and any(text in error for text in EDIT_GONE)
                log.log(logging.INFO if edit_gone else logging.ERROR,
                        "outbox row %s (%s) rejected: %s", row.id, row.stored_kind, exc)
                await outbox.mark_failed(db, row.id, str(exc), utcnow())
                self.settled += 1
        except NetworkError as exc:  # TimedOut, 5xx, dropped connection
            log.warning("outbox row %s: %s; retrying", row.id, exc)
            await self._retry(row, f"{type(exc).__name__}: {exc}")
        else:
            await self._mark_sent(row, message_id)

    async def _follow_migration(self, row: OutboxRow, rendered: Rendered, new_chat_id: int
                                ) -> None:
        """Step 7: follow a group that became a supergroup."""
        refused = rendered.edit[0] if rendered.edit else row.chat_id
        log.info("chat %s migrated to %s", refused, new_chat_id)
        await outbox.migrate_chat(self.db, refused, new_chat_id)
        if rendered.edit is None:
            self.wake()  # the row now waits in the new chat: sent there at once
            return
        if not await self.pacing.acquire(self._stop):
            return
        try:
            with paced():
                message_id = await deliver(self.bot, new_chat_id, replace(rendered, edit=None))
        finally:
            self._answer(new_chat_id)
        if message_id is not None:
            await outbox.retarget_message(self.db, rendered.edit, (new_chat_id, message_id))
        await self._mark_sent(row, message_id)

    async def _mark_sent(self, row: OutboxRow, message_id: int | None) -> None:
        """Step 3's mark. Telegram has the message: a store that cannot write now (locked by
        another process, a full disk) gets the mark again, with back-off, until it takes it
        or the sender stops; sending again would repeat the message. The chat stays busy
        meanwhile, so its later messages keep their order."""
        delay, failed = MARK_RETRY_S, False
        while True:
            try:
                if await outbox.mark_sent(self.db, row.id, message_id, utcnow()):
                    self.settled += 1
            except Exception as exc:  # any failing write: the store may come back
                if not failed:
                    failed = True
                    log.warning("outbox row %s was sent but cannot be marked yet (%s); "
                                "retrying", row.id, exc)
                if self._stop.is_set():
                    log.warning("outbox row %s: stopping before its mark was written; it "
                                "will be sent again", row.id)
                    return
                with suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), delay)
                delay = min(delay * 2, self.max_backoff, MARK_RETRY_MAX_S)
                continue
            if failed:
                log.info("outbox row %s marked sent after the store came back", row.id)
            return

    async def _deactivate(self, row: OutboxRow, exc: Exception) -> None:
        log.info("chat %s is gone (%s); deactivating it", row.chat_id, exc)
        failed = await outbox.deactivate_chat(self.db, row.chat_id, str(exc), utcnow())
        # Added after the await: ``self.settled += await …`` read the count before it, and
        # the sends that settled meanwhile were lost from it.
        self.settled += failed

    async def _retry(self, row: OutboxRow, error: str) -> None:
        if row.attempts + 1 >= self.max_attempts:
            log.error("outbox row %s (%s) to %s given up after %d attempts: %s", row.id,
                      row.stored_kind, row.chat_id, row.attempts + 1, error)
            await outbox.mark_failed(self.db, row.id, f"given up after {row.attempts + 1} "
                                     f"attempts: {error}", utcnow())
            self.settled += 1
            self.given_up += 1
            return
        delay = self._backoff(row.attempts)
        await outbox.retry_later(self.db, row.id, utcnow() + timedelta(seconds=delay), error)

    def _backoff(self, attempts: int) -> float:
        base = min(self.max_backoff, 2.0 ** min(attempts, 30))
        return base + random.uniform(0, base / 10)

