"""The polling loop (``bot.updates.polling``) against the stand-in Bot API: what it skips, what it
confirms, and update ids that Telegram starts anew after a week without updates."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.updates import polling
from storage import meta
from storage.models import utcnow
from storage.sqlite.engine import Database
from tests.support.botapi_stub import StubBotAPI
from tests.support.polling import running
from tests.support.settings import ADMIN_ID

USER = 7001


@pytest.fixture
async def stub(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[StubBotAPI]:
    monkeypatch.setattr(polling, "POLL_TIMEOUT", 0.2)  # empty answers come quickly
    async with StubBotAPI() as api:
        yield api


async def recorded(db_path: Path, update_id: int, age: timedelta) -> None:
    """The database as a run that handled ``update_id`` ``age`` ago left it."""
    db = await Database.open(db_path)
    try:
        await polling.record_handled(db, update_id, utcnow() - age)
    finally:
        await db.close()


def numbering_from(stub: StubBotAPI, first: int) -> None:
    stub._update_ids = itertools.count(first)


async def test_numbering_restarted_while_running_is_still_heard(stub: StubBotAPI,
                                                                db_path: Path) -> None:
    numbering_from(stub, 1000)
    admin = stub.user(ADMIN_ID, "Admin")  # answered every time (a stranger: once a minute)
    async with running(stub, db_path):
        admin.send_text("/bantuan")
        await stub.wait_for_message(ADMIN_ID)
        await asyncio.sleep(0.6)  # the batch confirmed, then a quiet poll or two
        numbering_from(stub, 5)  # a week later: Telegram numbers anew, lower
        admin.send_text("/help")
        await stub.wait_for_message(ADMIN_ID, after=1)
    assert stub.pending_updates() == 0


async def test_an_old_record_does_not_hide_new_numbers(stub: StubBotAPI,
                                                       db_path: Path) -> None:
    await recorded(db_path, 1000, age=timedelta(days=8))
    numbering_from(stub, 5)
    stub.user(USER, "Budi").send_text("/bantuan")
    async with running(stub, db_path):
        await stub.wait_for_message(USER)


async def test_a_batch_handled_before_a_crash_is_not_handled_again(stub: StubBotAPI,
                                                                    db_path: Path) -> None:
    """Handled and recorded, but its confirmation never reached Telegram."""
    await recorded(db_path, 1000, age=timedelta(minutes=5))
    numbering_from(stub, 1000)
    user = stub.user(USER, "Budi")
    user.send_text("/bantuan")  # 1000: handled before the crash
    user.send_text("/checkin")  # 1001: not yet
    async with running(stub, db_path):
        await stub.wait_for_message(USER)
        await asyncio.sleep(0.5)
    assert len(stub.sent(USER)) == 1
    db = await Database.open(db_path)
    try:
        assert await meta.get(db, "last_update_id") == "1001"
    finally:
        await db.close()


async def test_a_record_does_not_hold_up_the_next_poll(db_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """``record`` returns while the commit is under way; the next record and ``settle``
    wait for it, so records land one at a time and in order."""
    db = await Database.open(db_path)
    landed: list[str] = []
    release = asyncio.Event()
    put_all = meta.put_all

    async def slow_put_all(db: Database, values: dict[str, str]) -> None:
        await release.wait()  # a disk flush that takes its time
        await put_all(db, values)
        landed.append(values["last_update_id"])

    monkeypatch.setattr(meta, "put_all", slow_put_all)
    recorder = polling.Recorder(db)
    try:
        await recorder.record(10)
        assert landed == []  # not waited for
        second = asyncio.create_task(recorder.record(11))
        await asyncio.sleep(0.05)
        assert not second.done()  # the first one has not landed yet
        release.set()
        await second
        await recorder.settle()
        assert landed == ["10", "11"]
        assert await meta.get(db, "last_update_id") == "11"
    finally:
        await db.close()


async def test_a_failed_record_is_raised_by_the_next_step(db_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    db = await Database.open(db_path)

    async def full_disk(db: Database, values: dict[str, str]) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(meta, "put_all", full_disk)
    recorder = polling.Recorder(db)
    try:
        await recorder.record(10)
        with pytest.raises(OSError, match="disk full"):
            await recorder.settle()
        await recorder.settle()  # reported once
    finally:
        await db.close()


async def test_stopping_waits_for_the_record_under_way(stub: StubBotAPI, db_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    put_all = meta.put_all

    async def slow_put_all(db: Database, values: dict[str, str]) -> None:
        await asyncio.sleep(0.3)
        await put_all(db, values)

    monkeypatch.setattr(meta, "put_all", slow_put_all)
    numbering_from(stub, 500)
    user = stub.user(USER, "Budi")
    async with running(stub, db_path):
        user.send_text("/bantuan")
        await stub.wait_for_message(USER)  # handled; its record is still on its way
    db = await Database.open(db_path)
    try:
        assert await meta.get(db, "last_update_id") == "500"
    finally:
        await db.close()


async def test_the_batch_step_runs_a_bare_application() -> None:
    """The throughput benchmark feeds a bare PTB application through the same batch step,
    whose bot_data is a plain dict: every update is handled, each once."""
    from telegram import Update
    from telegram.ext import ApplicationBuilder, MessageHandler, filters

    from tests.support import updates as u
    from tests.support.recording import RecordingRequest

    seen: list[int] = []

    async def note(update: Update, _context: object) -> None:
        seen.append(update.update_id)

    request = RecordingRequest()
    app = (ApplicationBuilder().token("1:bare").request(request).get_updates_request(request)
           .build())
    app.add_handler(MessageHandler(filters.ALL, note))  # type: ignore[arg-type]
    async with app:
        batch = [Update.de_json(u.text(u.user(900 + i), "halo"), app.bot) for i in range(3)]
        await polling.handle_batch(app, batch)  # type: ignore[arg-type]
    assert seen == [update.update_id for update in batch]


async def test_the_loop_stamps_arrivals_and_reads_telegrams_clock(
        stub: StubBotAPI, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every getUpdates answer's Date is observed (the httpx hook of the real request), and
    each update of a batch is stamped on arrival and forgotten once handled."""
    from bot.updates.clock import TelegramClock

    observed: list[object] = []
    stamped: list[int] = []
    forgotten: list[int] = []
    real_observe, real_stamp, real_forget = (TelegramClock.observe, TelegramClock.stamp,
                                             TelegramClock.forget)

    def observe(self: TelegramClock, *args: object) -> None:
        observed.append(args)
        real_observe(self, *args)  # type: ignore[arg-type]

    def stamp(self: TelegramClock, ids: object, at: object = None) -> None:
        ids = list(ids)  # type: ignore[call-overload]
        stamped.extend(ids)
        real_stamp(self, ids, at)  # type: ignore[arg-type]

    def forget(self: TelegramClock, ids: object) -> None:
        ids = list(ids)  # type: ignore[call-overload]
        forgotten.extend(ids)
        real_forget(self, ids)

    monkeypatch.setattr(TelegramClock, "observe", observe)
    monkeypatch.setattr(TelegramClock, "stamp", stamp)
    monkeypatch.setattr(TelegramClock, "forget", forget)
    user = stub.user(USER, "Budi")
    async with running(stub, db_path):
        user.send_text("/bantuan")
        await stub.wait_for_message(USER)
        await asyncio.sleep(0.3)
    assert observed  # the stand-in's answers carry a Date header, as Telegram's do
    assert len(stamped) == 1 and stamped == forgotten


async def test_repeats_of_updates_in_flight_are_neither_handled_nor_stamped_again(
        stub: StubBotAPI, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While a chat's lane is busy, the loop asks again from its oldest unhandled update:
    Telegram's answer repeats it, and the repeat is ignored."""
    from bot.updates.clock import TelegramClock

    stamped: list[int] = []
    real_stamp = TelegramClock.stamp

    def stamp(self: TelegramClock, ids: object, at: object = None) -> None:
        ids = list(ids)  # type: ignore[call-overload]
        stamped.extend(ids)
        real_stamp(self, ids, at)  # type: ignore[arg-type]

    monkeypatch.setattr(TelegramClock, "stamp", stamp)
    stub.latency = 0.3  # each reply keeps its lane busy for a while
    numbering_from(stub, 40)
    admin = stub.user(ADMIN_ID, "Admin")
    first, second = admin.send_text("/bantuan"), admin.send_text("/help")
    async with running(stub, db_path):
        await stub.wait_for_message(ADMIN_ID, after=1)
    offsets = [call.params.get("offset") for call in stub.calls if call.method == "getUpdates"]
    assert offsets.count(first) + offsets.count(second) >= 1, offsets  # asked while in flight
    assert sorted(stamped) == [first, second]
    assert len(stub.sent(ADMIN_ID)) == 2 and stub.pending_updates() == 0


async def test_updates_repeated_while_in_hand_are_parsed_once(
        stub: StubBotAPI, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While replies take 0.4 s, the loop asks again and again, and every answer repeats the
    updates still in hand: PTB builds each update once, and each is answered once."""
    from telegram import Update

    parsed: list[int] = []
    real = Update.de_json.__func__  # type: ignore[attr-defined]

    def counting(cls: type[Update], data: dict[str, object], bot: object = None) -> Update:
        parsed.append(int(data["update_id"]))  # type: ignore[call-overload]
        return real(cls, data, bot)  # type: ignore[no-any-return]

    monkeypatch.setattr(Update, "de_json", classmethod(counting))
    stub.latency = 0.4
    users = [stub.user(USER + i, f"Warga {i}") for i in range(12)]
    async with running(stub, db_path):
        for user in users:
            user.send_text("/bantuan")
            await asyncio.sleep(0.05)  # arriving one by one, while earlier ones are in hand
        for user in users:
            await stub.wait_for_message(user.id, timeout=20)
        await asyncio.sleep(0.5)
    assert len(parsed) == len(set(parsed)) == 12
    assert [len(stub.sent(user.id)) for user in users] == [1] * 12
    assert stub.pending_updates() == 0


async def _asks_while_a_burst_arrives(stub: StubBotAPI, db_path: Path, first: int) -> int:
    """getUpdates calls made while ten updates arrive 10 ms apart and are answered."""
    users = [stub.user(first + i, f"Warga {i}") for i in range(10)]
    async with running(stub, db_path):
        await stub.wait_for_call("getUpdates")
        before = sum(call.method == "getUpdates" for call in stub.calls)
        for user in users:
            user.send_text("/bantuan")
            await asyncio.sleep(0.01)
        for user in users:
            await stub.wait_for_message(user.id, timeout=20)
        asked = sum(call.method == "getUpdates" for call in stub.calls) - before
    assert [len(stub.sent(user.id)) for user in users] == [1] * 10
    return asked


async def test_a_few_new_updates_wait_a_moment_for_more(
        stub: StubBotAPI, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a fast link, asking again at once would cost a getUpdates per update: after an
    answer with a few new ones the loop waits (here 0.3 s) and the rest come together."""
    monkeypatch.setattr(polling, "GATHER", 0.3)
    gathered = await _asks_while_a_burst_arrives(stub, db_path, USER + 100)
    monkeypatch.setattr(polling, "GATHER", 0.0)
    at_once = await _asks_while_a_burst_arrives(stub, db_path, USER + 200)
    assert gathered <= 4 < at_once, (gathered, at_once)
