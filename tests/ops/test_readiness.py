"""Readiness turning false for each failed check, and the heartbeat's pings: after a sweep that
ran (``/fail`` when not ready), none after one that failed, never waited for by the job."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import httpx
import pytest
from telegram import Bot

from bot.ops.heartbeat import Heartbeat
from bot.ops.metrics import Metrics, classify
from bot.ops.readiness import FETCH_MAX_AGE, OUTBOX_MAX_LAG, readiness
from storage.models import to_db, utcnow
from storage.sqlite.faults import RolledBack
from tests.support.botapi_stub import StubBotAPI
from tests.support.harness import Harness
from tests.support.settings import make_settings


def failed(state: object) -> list[str]:
    return [c.name for c in state.checks if not c.ok]  # type: ignore[attr-defined]


async def test_a_fresh_bot_is_ready(harness: Harness) -> None:
    state = await readiness(harness.app.bot_data, harness.app.bot)
    assert state.ready and failed(state) == []


async def test_a_failing_store_is_not_ready(harness: Harness) -> None:
    harness.app.bot_data.store_health.failed(RolledBack("database or disk is full"))
    state = await readiness(harness.app.bot_data, harness.app.bot)
    assert failed(state) == ["store"]
    assert "database or disk is full" in state.checks[0].detail
    harness.app.bot_data.store_health.worked()
    assert (await readiness(harness.app.bot_data, harness.app.bot)).ready


async def test_no_getupdates_answer_for_two_minutes_is_not_ready(harness: Harness) -> None:
    live = harness.app.bot_data.liveness
    live.started = live.last_fetch = time.monotonic() - FETCH_MAX_AGE - 1
    live.job_done("sweep")
    assert failed(await readiness(harness.app.bot_data, harness.app.bot)) == ["updates"]
    live.fetched()
    assert (await readiness(harness.app.bot_data, harness.app.bot)).ready


async def test_a_sweep_older_than_two_intervals_is_not_ready(harness: Harness) -> None:
    live = harness.app.bot_data.liveness
    interval = harness.app.bot_data.settings.sweep_interval.total_seconds()
    live.started = live.last_fetch = time.monotonic() - 3 * interval
    live.fetched()
    assert failed(await readiness(harness.app.bot_data, harness.app.bot)) == ["sweep"]
    live.jobs["sweep"] = time.monotonic() - 1.5 * interval  # within two intervals
    assert (await readiness(harness.app.bot_data, harness.app.bot)).ready


async def test_a_message_waiting_five_minutes_is_not_ready(harness: Harness) -> None:
    await harness.stop_sender()
    now = utcnow()
    async with harness.db.transaction() as tx:
        for chat, due in ((1, now - timedelta(seconds=OUTBOX_MAX_LAG + 60)),
                          (2, now + timedelta(hours=1))):  # a retry later: not late
            await tx.execute(
                "INSERT INTO outbox (chat_id, kind, payload, created_at, not_before) "
                "VALUES (?, 'text', '{}', ?, ?)", (chat, to_db(now), to_db(due)))
    state = await readiness(harness.app.bot_data, harness.app.bot)
    assert failed(state) == ["outbox"]
    assert state.vitals.outbox_pending == 2 and state.lag >= OUTBOX_MAX_LAG + 60


async def test_a_webhook_telegram_does_not_hold_is_not_ready(stub: StubBotAPI,
                                                             harness: Harness) -> None:
    url = "https://bot.example.org/posko/hook"
    data = harness.app.bot_data
    data.settings = make_settings(data.settings.db_path, POSKO_WEBHOOK_URL=url,
                                  POSKO_WEBHOOK_SECRET="s3cret")
    async with Bot(stub.token, base_url=stub.base_url) as bot:
        stub.webhook_url = "https://elsewhere.example.org/hook"
        state = await readiness(data, bot)
        assert failed(state) == ["updates"] and "does not hold" in state.checks[1].detail
        stub.webhook_url = url
        assert failed(await readiness(data, bot)) == ["updates"]  # asked once a minute
        data.liveness.webhook = None
        assert (await readiness(data, bot)).ready


def test_bot_api_results_and_labels_without_personal_data() -> None:
    assert [classify(s) for s in (200, 400, 403, 429, 500, 502)] == [
        "ok", "permanent", "permanent", "429", "5xx", "5xx"]
    metrics = Metrics()
    metrics.api_call("https://api.telegram.org/bot123:SECRET/sendMessage", "ok")
    metrics.api_call("https://api.telegram.org/file/bot123:SECRET/photos/file_7.jpg", "ok")
    text = metrics.scraped(_vitals(), 0.0, True).decode()
    assert 'method="sendMessage"' in text and 'method="file"' in text
    assert "SECRET" not in text and "file_7" not in text


def _vitals() -> object:
    from storage.vitals import Vitals
    return Vitals(0, 0, 0, 0, None)


class Monitor:
    """A stand-in for the heartbeat's monitoring service: the URLs it was sent."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.gate = asyncio.Event()
        self.gate.set()
        self.arrived = asyncio.Condition()

    async def handle(self, request: httpx.Request) -> httpx.Response:
        await self.gate.wait()
        async with self.arrived:
            self.paths.append(request.url.path)
            self.arrived.notify_all()
        return httpx.Response(200, text="OK")


async def pinged(monitor: Monitor, count: int) -> None:
    async with asyncio.timeout(10), monitor.arrived:
        await monitor.arrived.wait_for(lambda: len(monitor.paths) >= count)


@pytest.fixture
def monitor() -> Monitor:
    return Monitor()


def heartbeat(monitor: Monitor) -> Heartbeat:
    client = httpx.AsyncClient(transport=httpx.MockTransport(monitor.handle))
    return Heartbeat("https://hc.example.org/ping/uuid", client)


async def test_heartbeat_pings_when_ready_and_fail_when_not(monitor: Monitor) -> None:
    beat = heartbeat(monitor)
    ready = True

    async def check() -> bool:
        return ready

    beat.beat(check)
    await pinged(monitor, 1)
    ready = False
    beat.beat(check)
    await pinged(monitor, 2)
    assert monitor.paths == ["/ping/uuid", "/ping/uuid/fail"]
    await beat.close()


async def test_a_slow_monitor_is_never_waited_for_nor_piled_up(monitor: Monitor) -> None:
    beat = heartbeat(monitor)
    monitor.gate.clear()  # the monitor hangs

    async def check() -> bool:
        return True

    for _ in range(5):
        beat.beat(check)  # returns at once, the ping on its own task
    await asyncio.sleep(0.05)
    monitor.gate.set()
    await pinged(monitor, 1)
    await asyncio.sleep(0.05)
    assert monitor.paths == ["/ping/uuid"]  # one under way: the others were skipped
    await beat.close()


async def test_sweep_job_pings_after_success_only(harness: Harness, monitor: Monitor,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The job wrapper of bot.app: a sweep that ran pings, one that failed does not."""
    from bot import app as app_module
    from scheduler.jobs import JobSpec
    from scheduler.sweep import SweepReport

    data = harness.app.bot_data
    data.heartbeat = heartbeat(monitor)
    runs: list[str] = []

    async def sweep_ok(db: object, now: object) -> SweepReport:
        runs.append("ok")
        return SweepReport(examined=7)

    async def sweep_failing(db: object, now: object) -> None:
        runs.append("failed")
        raise RolledBack("database is locked")

    jobs = harness.app.job_queue
    assert jobs is not None
    for body in (sweep_ok, sweep_failing):
        existing = set(jobs.jobs())  # post_init's own, left alone
        app_module._schedule(harness.app, JobSpec("sweep", timedelta(hours=1), body,
                                                  first=timedelta(hours=1)))
        for job in set(jobs.jobs()) - existing:
            await job.run(harness.app)
        await pinged(monitor, 1)
    await asyncio.sleep(0.1)
    assert sorted(runs) == ["failed", "ok"]
    assert monitor.paths == ["/ping/uuid"]  # the failed sweep pinged nothing
    metrics = data.metrics.registry
    assert metrics.get_sample_value("posko_sweep_desks_examined") == 7
    assert metrics.get_sample_value("posko_job_runs_total", {"job": "sweep",
                                                             "result": "ok"}) == 1
    assert metrics.get_sample_value("posko_job_runs_total", {"job": "sweep",
                                                             "result": "failed"}) == 1
    await data.heartbeat.close()


async def test_a_failing_backup_is_not_ready_and_counted(harness: Harness) -> None:
    from scheduler.backup import BackupRecord

    data = harness.app.bot_data
    data.backups = record = BackupRecord(last_success_at=utcnow() - timedelta(hours=7))
    state = await readiness(data, harness.app.bot)
    assert state.ready and "last backup" in state.checks[-1].detail
    record.last_failure_at, record.last_error, record.failures = utcnow(), "disk full", 1
    state = await readiness(data, harness.app.bot)
    assert failed(state) == ["backup"] and "disk full" in state.checks[-1].detail
    text = data.metrics.scraped(state.vitals, state.lag, state.ready, record).decode()
    assert "posko_backup_failures 1.0" in text and "posko_ready 0.0" in text
    assert data.metrics.registry.get_sample_value(
        "posko_backup_last_success_timestamp_seconds") == record.last_success_at.timestamp()
    record.last_success_at = utcnow() + timedelta(seconds=1)  # the next one worked
    assert (await readiness(data, harness.app.bot)).ready
