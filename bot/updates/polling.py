"""Long polling that confirms an update to Telegram only after the bot has handled it.

python-telegram-bot's own updater confirms a batch (by asking for the next offset) as soon as
it has queued it, before any handler ran: a crash then loses every update still in the
queue. Here the loop is:

1. ``getUpdates`` for every unconfirmed update (Telegram keeps them for 24 hours, also over
   downtime: nothing is dropped). Right after a batch, ask from its last id + 1, which
   confirms it; after an empty answer, ask without an offset again. Update ids rise one by
   one, except after a week without updates, when Telegram starts them anew at random: an
   offset kept from before would confirm (drop) the new ones unseen.
2. In the first answer after a start, skip updates at or below the last id recorded as
   handled (a batch handled just before a crash, whose confirmation never reached Telegram)
   if that record is under 24 hours old: an older one can have no redelivery left, and its id
   may be from before such a restart of the numbering.
3. Handle the batch to completion (``Application.process_update``): each chat's updates in
   order, different chats at the same time (while one waits for Telegram to accept a reply,
   another is handled), so a shift change of thousands of officers is not one queue. Each
   update carries its time of arrival meanwhile (``bot.updates.clock``), against which a
   location's age is measured.
4. Record the batch's last id and the time in the database, and ask for the next batch
   (which confirms it) while that record commits: its disk flush overlaps the round trip to
   Telegram. The next record, and leaving, wait for it first.

An update handled but not yet recorded when the process dies is handled again after the
restart unless its confirmation reached Telegram; the handlers are idempotent for that (a
check-in, check-out, report or acknowledgement finds what the first delivery did).

A failing store (a full disk, a lock held by another process) never stops the loop: the
record of step 4 is retried with back-off (:class:`Recorder`) while updates go on being
handled, and catches up when the store works again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from datetime import datetime, timedelta

from telegram import Update
from telegram.error import InvalidToken, NetworkError, RetryAfter

from bot.app import PoskoApp, post_init, post_shutdown
from bot.outbox.sender import retry_seconds
from storage import meta
from storage.models import from_db, to_db, utcnow
from storage.sqlite.engine import Database

log = logging.getLogger(__name__)

POLL_TIMEOUT = 25  # seconds Telegram holds a getUpdates open when there is nothing new
MAX_BACKOFF = 30.0
RECORD_RETRY = 0.5  # first wait before recording again on a failing store
KEEPS = timedelta(hours=24)  # how long Telegram keeps an unconfirmed update
_KEY, _AT = "last_update_id", "last_update_at"


async def last_handled(db: Database, now: datetime) -> int:
    """The last update id recorded as handled, if recorded within :data:`KEEPS` (else 0).

    A store that cannot be read right now counts as no record: the handlers are made for
    a redelivered update.
    """
    try:
        value, at = await meta.get(db, _KEY), await meta.get(db, _AT)
    except Exception as exc:
        if not db.health.failed(exc):
            raise
        return 0
    if value is None or at is None or now - from_db(at) >= KEEPS:
        return 0
    return int(value)


async def record_handled(db: Database, update_id: int, now: datetime) -> None:
    """Remember that the batch ending with ``update_id`` has been handled, and when."""
    await meta.put_all(db, {_KEY: str(update_id), _AT: to_db(now)})


class Recorder:
    """Step 4: records handled batches, one at a time, without holding up the next poll.

    A storage fault (a full disk, another process holding the lock) is retried with back-off
    from :data:`RECORD_RETRY` doubling up to :data:`MAX_BACKOFF` seconds, never raised:

    1. While the store works, :meth:`record` waits for the previous record to land, so
       records land one at a time and in order.
    2. While it fails, the record keeps retrying in the background and :meth:`record` returns
       at once: a newer id takes the place of the one waiting, and the loop goes on polling
       and handling (users are told the problem is temporary).
    3. When a retry lands, the newest id is written next; the record catches up by itself.
    4. :meth:`settle` (leaving) makes one last attempt and, if the store still fails, gives
       up quietly: the batch is then handled again after a restart, which the handlers are
       made for.

    Any other error (a bug) ends the record and is raised by the next :meth:`record` or
    :meth:`settle`, once.
    """

    def __init__(self, db: Database):
        self._db = db
        self._task: asyncio.Task[None] | None = None
        self._wanted = 0  # the newest id to record
        self._failing = asyncio.Event()  # the record under way met a storage fault
        self._hurry = asyncio.Event()  # settle(): retry now, once
        self._last = False

    async def record(self, update_id: int) -> None:
        """Start recording ``update_id`` as handled, once the previous record has landed
        (or, while the store fails, in its place)."""
        await self._landed_or_failing()
        self._wanted = update_id
        if self._task is None:
            self._failing.clear()
            self._task = asyncio.create_task(self._keep_trying())

    async def settle(self) -> None:
        """Wait for the record under way; if the store fails, try once more, then give up."""
        task = self._task
        if task is None:
            return
        self._last = True
        self._hurry.set()
        try:
            await asyncio.wait({task})
        finally:
            self._last = False
            self._hurry.clear()
        self._done(task)

    async def _landed_or_failing(self) -> None:
        task = self._task
        if task is None:
            return
        if not task.done() and not self._failing.is_set():
            failing = asyncio.create_task(self._failing.wait())
            try:
                await asyncio.wait({task, failing}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                failing.cancel()
        if task.done():
            self._done(task)

    def _done(self, task: asyncio.Task[None]) -> None:
        if self._task is task:
            self._task = None
        task.result()  # a bug surfaces here, once

    async def _keep_trying(self) -> None:
        delay = RECORD_RETRY
        while True:
            update_id = self._wanted
            try:
                await record_handled(self._db, update_id, utcnow())
            except Exception as exc:
                if not self._db.health.failed(exc):  # logged once per outage by the store
                    raise
                self._failing.set()
                if self._last:
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._hurry.wait(), delay)
                delay = min(delay * 2, MAX_BACKOFF)
                continue
            if self._wanted == update_id:
                self._failing.clear()
                return
            delay = RECORD_RETRY  # a newer id came while this one waited: write it now


async def run(app: PoskoApp) -> None:
    """Run the bot until SIGINT/SIGTERM: initialise, poll as above, shut down cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with app:  # initialize() / shutdown()
        await post_init(app)
        try:
            await app.bot.delete_webhook(drop_pending_updates=False)
            await app.start()  # the job queue
            await _poll(app, stop)
        finally:
            if app.running:
                await app.stop()
            await post_shutdown(app)


async def _poll(app: PoskoApp, stop: asyncio.Event) -> None:
    db: Database = app.bot_data.db
    clock = app.bot_data.clock  # when each update arrived (bot.updates.clock)
    handled = await last_handled(db, utcnow())  # what the first answer may redeliver
    offset: int | None = None
    backoff = 1.0
    recorder = Recorder(db)
    stopping = asyncio.create_task(stop.wait())
    try:
        while not stop.is_set():
            fetch = asyncio.create_task(app.bot.get_updates(
                offset=offset, timeout=POLL_TIMEOUT, allowed_updates=Update.ALL_TYPES))
            await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if stop.is_set():
                fetch.cancel()
                with contextlib.suppress(asyncio.CancelledError, NetworkError):
                    await fetch
                break
            try:
                updates = fetch.result()
            except InvalidToken:
                raise
            except RetryAfter as exc:
                await _sleep(stop, retry_seconds(exc))
                continue
            except NetworkError as exc:  # also TimedOut
                log.warning("getUpdates failed (%s); retrying in %.0f s", exc, backoff)
                await _sleep(stop, backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff = 1.0
            batch = [u for u in updates if u.update_id > handled]
            # A location's age counts to its receipt, not to when its lane got to it.
            clock.stamp(u.update_id for u in batch)
            try:
                await handle_batch(app, batch)
            finally:
                clock.forget(u.update_id for u in batch)
            handled = 0  # the next answers hold only what this one did not
            offset = updates[-1].update_id + 1 if updates else None
            if updates:
                await recorder.record(updates[-1].update_id)
        await recorder.settle()
        if offset is not None:  # confirm the last batch before leaving
            with contextlib.suppress(NetworkError):
                await app.bot.get_updates(offset=offset, timeout=0)
    finally:
        stopping.cancel()
        await recorder.settle()  # a record under way lands before the store closes


async def handle_batch(app: PoskoApp, updates: list[Update]) -> None:
    """Handle a batch: one lane per chat (its updates in order), the lanes concurrently."""
    lanes: dict[int, list[Update]] = {}
    for update in updates:
        chat, user = update.effective_chat, update.effective_user
        key = chat.id if chat else user.id if user else -update.update_id
        lanes.setdefault(key, []).append(update)

    async def lane(queue: list[Update]) -> None:
        for update in queue:
            await app.process_update(update)

    await asyncio.gather(*(lane(queue) for queue in lanes.values()))


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
