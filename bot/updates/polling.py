"""Long polling that confirms an update to Telegram only after the bot has handled it.

python-telegram-bot's own updater confirms a batch (by asking for the next offset) as soon as
it has queued it, before any handler ran: a crash then loses every update still in the
queue. Here an update is confirmed, and recorded as handled, only once it and every update
before it are handled; yet a chat that is slow or floods the bot holds up nobody else:

1. Fetch continuously: ``getUpdates`` from the lowest update not yet handled (the ledger,
   ``bot.updates.ledger``), which confirms every update before it. Telegram keeps unconfirmed
   updates for 24 hours, also over downtime: nothing is dropped. The answer repeats the
   updates still being handled; they are taken out before PTB builds objects of them
   (``bot.updates.repeats``), and only the new ones go on. Update ids rise one by one, except
   after a week without updates, when Telegram starts them anew at random: after an empty
   answer the loop asks without an offset, since an offset kept from before would confirm
   (drop) the new ones unseen.
2. Each new update is stamped with its time of arrival (``bot.updates.clock``: a location's
   age counts to its receipt, not to when its lane got to it) and goes to its chat's lane
   (``bot.updates.lanes``): a chat's updates in order, the chats at the same time, and no
   chat with more than a bounded backlog; a flood beyond it is dropped (and confirmed).
3. The next ``getUpdates`` goes out at once, not after the lanes are done. Two things hold it
   back. Every answer repeats the unconfirmed updates and holds at most 100 from the
   offset, so with more than half of that unconfirmed the loop waits until the oldest are
   handled, shedding meanwhile the waiting updates of the chats that flood
   (``Lanes.shed``). And an answer that brought nothing new (Telegram answers at once while
   any update is unconfirmed, instead of holding the request open) is followed by a pause of
   :data:`RECHECK`, cut short when every update is handled: then the request is held open
   until a new one arrives. An answer with only a few new updates is followed by a pause of
   :data:`GATHER` (20 ms), so that on a fast link the next answer brings several instead of
   one: each ``getUpdates`` costs as much as handling a check-in.
4. Before each ``getUpdates``, the end of the handled prefix is recorded in the database,
   with the time; the record commits while the request is under way (its disk flush overlaps
   the round trip). The next record, and leaving, wait for it first.
5. At a start, updates at or below the id recorded as handled are skipped (handled just before
   a crash, their confirmation never reached Telegram) until the first empty answer, if that
   record is under 24 hours old: an older one can have no redelivery left, and its id may be
   from before a restart of the numbering.
6. On leaving, no new update is taken; the lanes finish what they hold, the prefix is recorded
   and confirmed.

Unknown users, and the same text sent twice in a row, are kept short where the handlers decide
who is asking (``bot.handlers.throttle``), so that holds for webhooks too.

An update handled but not recorded as part of the prefix when the process dies is handled
again after the restart unless its confirmation reached Telegram (also one handled while an
older one in another chat was still in its lane); the handlers are idempotent for that (a
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
from collections.abc import Callable
from datetime import datetime, timedelta

from telegram import Update
from telegram.error import InvalidToken, NetworkError, RetryAfter

from bot.app import PoskoApp, post_init, post_shutdown
from bot.handlers import throttle
from bot.outbox.sender import retry_seconds
from bot.updates.lanes import Lanes
from bot.updates.ledger import Ledger
from storage import meta
from storage.models import from_db, to_db, utcnow
from storage.sqlite.engine import Database

log = logging.getLogger(__name__)

POLL_TIMEOUT = 25  # seconds Telegram holds a getUpdates open when there is nothing new
MAX_BACKOFF = 30.0
RECORD_RETRY = 0.5  # first wait before recording again on a failing store
RECHECK = 0.25  # seconds before asking again after an answer with nothing new
# After an answer with a few new updates, this long before asking again, so that the next
# answer brings several: on a fast link every update otherwise costs a getUpdates of its own
# (and a record of the handled prefix). A batch of GATHER_FULL or more asks again at once.
GATHER = 0.02
GATHER_FULL = 20
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
        try:
            # Inside the try: a start-up that fails half-way (the status port taken) still
            # closes what it opened, or the store's threads would keep the process alive.
            await post_init(app)
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
    handled = await last_handled(db, utcnow())  # what the first answers may redeliver
    ledger, recorder = Ledger(), Recorder(db)
    repeats = app.bot_data.repeats  # step 1: the answers come without the updates in hand
    repeats.known = ledger.known
    recorded: int | None = None

    def done(update: Update) -> None:
        clock.forget([update.update_id])
        ledger.finish(update.update_id)

    async def overflow(update: Update) -> None:
        await throttle.tell_dropped(app, update)

    lanes = Lanes(app.process_update, done, overflow)
    backoff, recheck, gather = 1.0, False, False
    stopping = asyncio.create_task(stop.wait())
    try:
        while not stop.is_set():
            if recheck:  # step 3: Telegram had nothing new a moment ago
                await _until(lambda: not ledger, ledger.advanced, stopping, RECHECK)
            elif gather:  # step 3: a few new ones; let more arrive
                await _sleep(stop, GATHER)
            if not ledger.roomy:  # step 3
                lanes.shed()
                await _until(lambda: ledger.roomy, ledger.advanced, stopping)
            if stop.is_set():
                break
            if ledger.last is not None and ledger.last != recorded:  # step 4
                recorded = ledger.last
                await recorder.record(recorded)
            fetch = asyncio.create_task(app.bot.get_updates(
                offset=ledger.offset(), timeout=POLL_TIMEOUT, allowed_updates=Update.ALL_TYPES))
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
            app.bot_data.liveness.fetched()  # for /readyz
            new = [u for u in updates if not ledger.known(u.update_id)]
            answered = bool(updates) or repeats.dropped > 0
            recheck = answered and not new
            gather = 0 < len(new) < GATHER_FULL
            if not answered:
                ledger.idle()  # step 1: everything handled is confirmed
                handled = 0  # step 5
            clock.stamp(u.update_id for u in new if u.update_id > handled)
            for update in new:  # step 2
                ledger.add(update.update_id)
                if update.update_id <= handled:
                    ledger.finish(update.update_id)
                else:
                    lanes.submit(update)
        await lanes.join()  # step 6
        if ledger.last is not None and ledger.last != recorded:
            await recorder.record(ledger.last)
        await recorder.settle()
        offset = ledger.offset()
        if offset is not None:  # confirm what was handled before leaving
            with contextlib.suppress(NetworkError):
                await app.bot.get_updates(offset=offset, timeout=0)
    finally:
        stopping.cancel()
        await lanes.join()
        await recorder.settle()  # a record under way lands before the store closes


async def handle_batch(app: PoskoApp, updates: list[Update]) -> None:
    """Handle ``updates`` in lanes as the loop does and wait for all (the throughput benchmark's
    step, which feeds batches without a ``getUpdates``)."""
    lanes = Lanes(app.process_update)
    for update in updates:
        lanes.submit(update)
    await lanes.join()


async def _until(done: Callable[[], bool], event: asyncio.Event, stopping: asyncio.Task[bool],
                 seconds: float | None = None) -> None:
    """Until ``done()`` (checked whenever ``event`` is set), the loop stops, or ``seconds``."""
    clock = asyncio.get_running_loop().time
    deadline = None if seconds is None else clock() + seconds
    while not done() and not stopping.done():
        remaining = None if deadline is None else deadline - clock()
        if remaining is not None and remaining <= 0:
            return
        event.clear()
        waiting = asyncio.ensure_future(event.wait())
        try:
            await asyncio.wait({waiting, stopping}, timeout=remaining,
                               return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiting.cancel()


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
