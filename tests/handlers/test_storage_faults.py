"""A passing storage fault through the real application and the stand-in Bot API: another
process holds the database's write lock longer than the busy timeout. Users are told the
problem is temporary, nothing is saved or called saved, the polling loop keeps going, the log
has one line for the outage, and everything goes on by itself once the lock is released."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from telegram.ext import CallbackContext

from bot import app as app_module
from bot.app import PoskoApp, build_application, post_init, post_shutdown
from bot.updates import polling
from storage import desks as desks_store
from storage import drafts as drafts_store
from storage import invites as invites_store
from storage import meta
from storage import shifts as shifts_store
from storage.drafts import Step
from storage.models import Role, utcnow
from storage.sqlite.engine import Database
from tests.support.botapi_stub import StubBotAPI
from tests.support.faults import full_disk, held_lock
from tests.support.recording import RecordingRequest
from tests.support.settings import make_settings
from tests.support.sweeping import soon

OFFICER, LIVE = 7101, 7102
LURAH = "31.73.01.1001"
TEMPORARY_ID = "untuk sementara terganggu"


@pytest.fixture
async def stub(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[StubBotAPI]:
    monkeypatch.setattr(polling, "POLL_TIMEOUT", 0.2)  # empty answers come quickly
    async with StubBotAPI() as api:
        yield api


@asynccontextmanager
async def running(stub: StubBotAPI, db_path: Path
                  ) -> AsyncIterator[tuple[PoskoApp, asyncio.Task[None]]]:
    """``posko-bot run``'s polling loop in this process, with a short busy timeout."""
    app = build_application(make_settings(
        db_path, TELEGRAM_BOT_TOKEN=stub.token, TELEGRAM_API_BASE_URL=stub.base_url,
        POSKO_DB_BUSY_TIMEOUT="0.3"))
    stop = asyncio.Event()
    async with app:
        await post_init(app)
        loop = asyncio.create_task(polling._poll(app, stop))
        try:
            yield app, loop
        finally:
            stop.set()
            await asyncio.wait_for(loop, 60)  # ends cleanly: no storage error escapes
            await post_shutdown(app)


async def register(app: PoskoApp, user_id: int) -> tuple[float, float]:
    """An officer of the Duri Kosambi desk; returns the desk's coordinates."""
    db = app.bot_data.db
    desk = await desks_store.by_code(db, LURAH)
    assert desk is not None and desk.latitude is not None and desk.longitude is not None
    token = await invites_store.create(db, desk.id, Role.OFFICER, max_uses=1,
                                       ttl=timedelta(days=1), created_by=None, now=utcnow())
    await invites_store.redeem(db, token, telegram_id=user_id, full_name="Budi",
                               username=None, now=utcnow())
    return desk.latitude, desk.longitude


async def until(condition: Callable[[], Awaitable[bool]],
                timeout: float = 30.0) -> None:  # noqa: ASYNC109 - a polling deadline
    """Wait for ``condition()`` to hold (generous, for a loaded machine)."""
    deadline = time.monotonic() + timeout
    while not await condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


def outage_lines(caplog: pytest.LogCaptureFixture) -> tuple[list[str], list[str]]:
    failing = [r.getMessage() for r in caplog.records if "store failing" in r.getMessage()]
    back = [r.getMessage() for r in caplog.records if "store works again" in r.getMessage()]
    return failing, back


async def test_a_held_lock_is_temporary_for_users_and_the_bot_goes_on(
        stub: StubBotAPI, db_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    user, live = stub.user(OFFICER, "Budi"), stub.user(LIVE, "Siti")
    async with running(stub, db_path) as (app, loop):
        db = app.bot_data.db
        lat, lon = await register(app, OFFICER)
        await register(app, LIVE)
        user.send_text("/bahasa")
        choose = await stub.wait_for_message(OFFICER, contains="Pilih bahasa")
        live.send_location(lat, lon, live_period=3600)  # on duty, sharing a live location
        sharing = live.last_message_id
        await stub.wait_for_message(LIVE, contains="Check-in tercatat")
        async with held_lock(db_path):
            live.edit_live_location(sharing, lat, lon)  # its refresh fails: not an action
            live.send_text("/bantuan")
            await stub.wait_for_message(LIVE, contains="/checkin", after=1, timeout=30)
            assert not app.bot_data.store_health.ok  # the refresh did fail
            assert not [m for m in stub.sent(LIVE) if TEMPORARY_ID in (m.text or "")]
            seen = len(stub.sent(OFFICER))
            user.send_location(lat, lon)  # a check-in: its write waits, then fails
            told = await stub.wait_for_message(OFFICER, after=seen, timeout=30)
            assert TEMPORARY_ID in (told.text or "") and "satu menit" in (told.text or "")
            assert await shifts_store.open_shift(db, OFFICER) is None  # nothing saved
            user.press(choose, "lang:en")  # a button: a popup says it, in place
            answer = await stub.wait_for_call(
                "answerCallbackQuery", lambda c: TEMPORARY_ID in str(c.params.get("text")),
                timeout=30)
            assert answer.params.get("show_alert")
            user.send_text("/bantuan")  # reading still works, and the loop still polls
            await stub.wait_for_message(OFFICER, contains="/checkin", after=seen + 1,
                                        timeout=30)
            assert not loop.done()
            assert not app.bot_data.store_health.ok
            assert "database is locked" in (app.bot_data.store_health.last_error or "")
        # The lock is gone: the next check-in is saved, the record catches up.
        seen = len(stub.sent(OFFICER))
        last = user.send_location(lat, lon)
        await stub.wait_for_message(OFFICER, contains="Check-in tercatat", after=seen,
                                    timeout=30)
        assert await shifts_store.open_shift(db, OFFICER) is not None

        async def caught_up() -> bool:
            return await meta.get(db, "last_update_id") == str(last)

        await until(caught_up)
        assert app.bot_data.store_health.ok
        assert not loop.done()
    texts = [m.text or "" for m in stub.sent(OFFICER)]
    assert not any("terjadi kesalahan" in text for text in texts)
    failing, back = outage_lines(caplog)
    assert len(failing) == 1 and "database is locked" in failing[0]
    assert len(back) == 1
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]



async def test_the_record_waits_out_a_held_lock_without_holding_up_the_loop(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(polling, "RECORD_RETRY", 0.05, raising=False)
    db = await Database.open(db_path)
    await db._writer.execute("PRAGMA busy_timeout = 200")  # a lock past it is a fault
    recorder = polling.Recorder(db)

    async def recorded() -> str | None:
        return await meta.get(db, "last_update_id")

    async def caught_up() -> bool:
        return await recorded() == "12"

    try:
        async with held_lock(db_path):
            for update_id in (10, 11, 12):  # the loop goes on: no error, no waiting it out
                await asyncio.wait_for(recorder.record(update_id), 30)
            await asyncio.sleep(0.3)  # a few retries fail meanwhile
            assert await recorded() is None
        await until(caught_up)  # the newest id, once it can
        async with held_lock(db_path):
            await recorder.record(13)
            await asyncio.wait_for(recorder.settle(), 30)  # leaving: gives up, raises nothing
        assert await recorded() == "12"  # 13 is handled again after a restart
        assert db.health.failing_since is not None  # no write has worked since
        await recorder.record(14)
        await recorder.settle()
        assert await recorded() == "14" and db.health.ok
    finally:
        await db.close()


async def test_the_sweep_job_survives_a_held_lock_and_catches_up(
        db_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """A desk on duty round the clock and empty past the grace: the run under the lock opens
    nothing and raises nothing; the next run opens its alert."""
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(app_module, "utcnow", soon)
    errors: list[object] = []
    app = build_application(make_settings(db_path, POSKO_DB_BUSY_TIMEOUT="0.2"),
                            request=RecordingRequest())

    async def record(_update: object, context: CallbackContext) -> None:  # type: ignore[type-arg]
        errors.append(context.error)

    app.add_error_handler(record)
    async with app:
        await post_init(app)
        try:
            db = app.bot_data.db
            async with db.transaction() as tx:
                await tx.execute("UPDATE desks SET duty_hours = '00:00-24:00' WHERE code = ?",
                                 (LURAH,))
            assert app.job_queue is not None
            job = next(j for j in app.job_queue.jobs() if j.name == "sweep")
            context = CallbackContext.from_job(job, app)
            count = "SELECT COUNT(*) FROM alerts"
            async with held_lock(db_path):
                await job.callback(context)
                await job.callback(context)
                assert await db.fetchval(count) == 0
                assert not app.bot_data.store_health.ok
            await job.callback(context)
            assert await db.fetchval(count) >= 1
            assert app.bot_data.store_health.ok
        finally:
            await post_shutdown(app)
    assert not errors
    failing, back = outage_lines(caplog)
    assert len(failing) == 1 and len(back) == 1
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_a_full_disk_is_temporary_and_space_returning_lets_the_report_go_on(
        stub: StubBotAPI, db_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A report's description in Javanese script needs new pages of the file (1,500
    characters, 4,500 bytes): on a full disk its step is refused as temporary and not saved;
    once space returns the same answer moves the report on."""
    caplog.set_level(logging.INFO)
    description = "ꦥꦼꦩ꧀ꦧꦒꦶꦪꦤ꧀ꦄꦩ꧀ꦥ꧀ꦭꦺꦴꦥ꧀" * 75  # "handing out envelopes", 1,500 characters
    assert len(description) == 1500
    user = stub.user(OFFICER, "Budi")
    async with running(stub, db_path) as (app, loop):
        db = app.bot_data.db
        await register(app, OFFICER)
        user.send_text("/lapor")
        category = await stub.wait_for_message(OFFICER, contains="kategori")
        draft = await drafts_store.draft_of(db, OFFICER)
        assert draft is not None
        user.press(category, f"lp:{draft.id}:cat:politik_uang")
        severity = await stub.wait_for_message(
            OFFICER, predicate=lambda m: f"lp:{draft.id}:sev:sedang" in str(m.reply_markup))
        user.press(severity, f"lp:{draft.id}:sev:sedang")
        await stub.wait_for_message(OFFICER, contains="Tuliskan apa yang terjadi")
        async with full_disk(db):
            seen = len(stub.sent(OFFICER))
            user.send_text(description)
            told = await stub.wait_for_message(OFFICER, after=seen, timeout=30)
            assert TEMPORARY_ID in (told.text or "")
            draft = await drafts_store.draft_of(db, OFFICER)
            assert draft is not None and draft.step is Step.DESCRIPTION
            assert draft.description is None  # nothing half-saved
            # (The health record may already read "works" here: a small write that fits in
            # the file's free pages, like the handled-update record, succeeds on a "full"
            # disk. The outage line below says what failed.)
            assert not loop.done()
        seen = len(stub.sent(OFFICER))  # space returns
        last = user.send_text(description)
        await stub.wait_for_message(OFFICER, contains="lokasi", after=seen, timeout=30)
        draft = await drafts_store.draft_of(db, OFFICER)
        assert draft is not None and draft.step is Step.LOCATION
        assert draft.description == description

        async def caught_up() -> bool:
            return await meta.get(db, "last_update_id") == str(last)

        await until(caught_up)
        assert app.bot_data.store_health.ok
        assert await db.fetchval("PRAGMA integrity_check") == "ok"
    # The failed text got the apology alone (no "not understood" from a later handler group),
    # and the same text sent again at once was a retry, not a repeat to drop.
    texts = [m.text or "" for m in stub.sent(OFFICER)]
    assert sum(TEMPORARY_ID in text for text in texts) == 1
    assert not any("tidak mengerti" in text for text in texts), texts
    failing, back = outage_lines(caplog)
    assert len(failing) == 1 and "disk is full" in failing[0]
    assert len(back) == 1
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_the_bot_starts_while_another_process_holds_the_lock(
        stub: StubBotAPI, db_path: Path) -> None:
    """A restart during a long desk import: start-up's one write waits, fails, and the bot
    starts anyway."""
    app = build_application(make_settings(
        db_path, TELEGRAM_BOT_TOKEN=stub.token, TELEGRAM_API_BASE_URL=stub.base_url,
        POSKO_DB_BUSY_TIMEOUT="0.2"))
    async with app:
        async with held_lock(db_path):
            await post_init(app)
            assert "database is locked" in (app.bot_data.store_health.last_error or "")
        await post_shutdown(app)


async def test_an_unreadable_record_counts_as_none(db_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The first read of the polling loop meets a storage fault: no record, so the first
    batch is handled in full (the handlers are made for a redelivered update)."""
    db = await Database.open(db_path)
    try:
        await polling.record_handled(db, 500, utcnow())
        async with held_lock(db_path):
            other = sqlite3.connect(str(db_path), isolation_level=None, timeout=0)
            with pytest.raises(sqlite3.OperationalError) as locked:
                other.execute("BEGIN IMMEDIATE")  # a real fault, as SQLite raises it
            other.close()

        async def failing(_db: Database, _key: str) -> str | None:
            raise locked.value

        monkeypatch.setattr(meta, "get", failing)
        assert await polling.last_handled(db, utcnow()) == 0
        assert not db.health.ok
    finally:
        await db.close()
