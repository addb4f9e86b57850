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
KEEPS = timedelta(hours=24)  # how long Telegram keeps an unconfirmed update
_KEY, _AT = "last_update_id", "last_update_at"


async def last_handled(db: Database, now: datetime) -> int:
    """The last update id recorded as handled, if recorded within :data:`KEEPS` (else 0)."""
    value, at = await meta.get(db, _KEY), await meta.get(db, _AT)
    if value is None or at is None or now - from_db(at) >= KEEPS:
        return 0
    return int(value)


async def record_handled(db: Database, update_id: int, now: datetime) -> None:
    """Remember that the batch ending with ``update_id`` has been handled, and when."""
    await meta.put_all(db, {_KEY: str(update_id), _AT: to_db(now)})


class Recorder:
    """Step 4: records handled batches, one at a time, without holding up the next poll."""

    def __init__(self, db: Database):
        self._db = db
        self._pending: asyncio.Task[None] | None = None

    async def record(self, update_id: int) -> None:
        """Start recording ``update_id`` as handled, once the previous record has landed."""
        await self.settle()
        self._pending = asyncio.create_task(record_handled(self._db, update_id, utcnow()))

    async def settle(self) -> None:
        """Wait for the record under way (its error, a full disk, is raised here)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            await pending


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
