"""Application wiring: build the PTB ``Application``, open the store, register jobs and handlers.

A job that meets a storage fault (``storage.sqlite.faults``) ends its run quietly and is run
again at its next tick, which catches up: a full disk or a locked database never stops a job.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import Any, TypeAlias

from telegram import Bot, BotCommand, BotCommandScopeDefault
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults, ExtBot
from telegram.request import BaseRequest

from bot.config import Settings
from bot.context import BotData, Ctx
from bot.dashboard import server as dashboard_server
from bot.handlers import COMMANDS, register
from bot.handlers.throttle import Throttle, tell_dropped
from bot.ops import server as status_server
from bot.ops.application import MeteredApplication
from bot.ops.heartbeat import Heartbeat
from bot.ops.metrics import MeteredRequest, Metrics
from bot.ops.readiness import Liveness, readiness
from bot.outbox.pacing import PacedRequests, Pacing
from bot.outbox.render import OutboxRenderer
from bot.outbox.sender import Sender
from bot.texts import LANGUAGES, t
from bot.updates.clock import TelegramClock
from bot.updates.repeats import Repeats
from bot.updates.webhook_lanes import LaneProcessor
from bot.views import pledge
from scheduler.backup import BackupConfig, BackupRecord
from scheduler.jobs import JobSpec, job_specs
from scheduler.presence import PresenceConfig
from scheduler.sweep import SweepConfig, SweepReport
from storage import meta
from storage.members import Roster
from storage.models import utcnow
from storage.sqlite.engine import Database
from storage.sqlite.faults import is_storage_fault

log = logging.getLogger(__name__)

PoskoApp: TypeAlias = Application[ExtBot[None], Ctx, dict[Any, Any], dict[Any, Any], BotData,
                                  Any]
# Connections the bot's calls (all but getUpdates) may hold open to Telegram. The gate lets
# 30 sends be unanswered at a time (bot.outbox.pacing), popups and file downloads come beside
# them; PTB's default of 256 only kept idle connections alive for nothing. A call finding none
# free waits for one (up to POOL_WAIT_S) instead of failing after PTB's 1 s.
BOT_API_CONNECTIONS = 32
POOL_WAIT_S = 30.0
# Telegram's command menu: every command but /start, in the registry's order, as (Indonesian
# name, the name English clients see).
MENU = [(c.names[0], c.names[-1]) for c in COMMANDS if c.names[0] != "start"]


def file_url(base_url: str) -> str:
    """The file endpoint matching an API base URL (``…/bot`` → ``…/file/bot``)."""
    root, sep, _ = base_url.rstrip("/").rpartition("/bot")
    return f"{root}/file/bot" if sep else base_url.rstrip("/") + "/file/bot"


def build_application(settings: Settings, request: BaseRequest | None = None, *,
                      pacing: Pacing | None = None) -> PoskoApp:
    """The bot, ready to ``run_polling`` (or to be driven by tests with a recording request).

    Talking to Telegram, every reply goes through the count of sends per second that the
    outbox sender uses too (``bot.outbox.pacing``), and is retried after a 429, and every
    call is counted in the metrics (``bot.ops``). A recording request answers at once and
    counts nothing, so it gets no call metrics, and no pacing unless given one (the
    rehearsal's simulated Telegram: its calls then take the live bot's path).
    """
    context_types = ContextTypes(bot_data=BotData)
    metrics = Metrics()
    builder = (
        ApplicationBuilder()
        .application_class(MeteredApplication)
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_url(settings.telegram_api_base_url))
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz))
        .context_types(context_types)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        # By webhook, updates go through PTB's update processor: by chat lanes, as polling's.
        .concurrent_updates(LaneProcessor(lambda update: tell_dropped(app, update)))
    )
    clock, repeats = TelegramClock(), Repeats()
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
        if pacing is not None:
            builder = builder.rate_limiter(PacedRequests(pacing))
    else:  # getUpdates answers tell Telegram's time (bot.updates.clock)
        builder = builder.request(MeteredRequest(
            metrics, BOT_API_CONNECTIONS, pool_timeout=POOL_WAIT_S),
        ).get_updates_request(MeteredRequest(
            # Two: a long poll cancelled on shutdown may still hold its connection while the
            # last getUpdates, which confirms what was handled, needs one.
            metrics, 2, on_answer=clock.on_answer, on_body=repeats.strip),
        ).rate_limiter(PacedRequests(pacing or Pacing()))
    app: PoskoApp = builder.build()
    app.bot_data.settings = settings
    app.bot_data.clock = clock
    app.bot_data.repeats = repeats
    app.bot_data.throttle = Throttle()
    app.bot_data.metrics = metrics
    app.bot_data.liveness = Liveness()
    app.bot_data.pledge = pledge.load(settings)
    register(app)
    return app


async def post_init(app: PoskoApp) -> None:
    """Open the store, remember the bot's username, publish the command menu, start jobs."""
    data = app.bot_data
    data.db = await Database.open(data.settings.db_path,
                                  busy_timeout=data.settings.db_busy_timeout.total_seconds())
    data.store_health = data.db.health
    data.roster = Roster(data.db)
    data.username = app.bot.username
    try:  # for the CLI's invite links; a full disk must not keep the bot from starting
        await meta.put(data.db, "bot_username", data.username)
    except Exception as exc:
        if not is_storage_fault(exc):
            raise
    # /dasbor only where there is a dashboard to sign in to.
    menu = [(name, english) for name, english in MENU
            if name != "dasbor" or data.settings.dashboard_port]
    for lang in LANGUAGES:
        commands = [BotCommand(english if lang == "en" else name, t(lang, f"cmd.{name}"))
                    for name, english in menu]
        await app.bot.set_my_commands(commands, scope=BotCommandScopeDefault(),
                                      language_code=None if lang == "id" else lang)
    settings = data.settings
    limiter = app.bot.rate_limiter
    data.sender = Sender(app.bot, data.db, OutboxRenderer(data.db, settings),
                         pacing=limiter.pacing if isinstance(limiter, PacedRequests) else None)
    # A plain task, not app.create_task: it starts before the application does and is
    # stopped by post_shutdown, after the updater and the job queue.
    data.sender_task = asyncio.create_task(data.sender.run(), name="outbox-sender")
    backup = None
    if settings.backup_dir:
        data.backups = BackupRecord()
        backup = (BackupConfig(Path(settings.backup_dir), settings.backup_every,
                               settings.backup_keep), data.backups)
    if app.job_queue is not None:
        for spec in scheduled_jobs(settings, backup):
            _schedule(app, spec)
    if settings.heartbeat_url:
        data.heartbeat = Heartbeat(settings.heartbeat_url)
    data.status_server = await status_server.start(app)
    data.dashboard_server = await dashboard_server.start(app)
    log.info("posko bot @%s ready (database %s)", data.username, data.db.path)


def scheduled_jobs(settings: Settings, backup: tuple[BackupConfig, BackupRecord] | None = None
                   ) -> list[JobSpec]:
    """The scheduler's jobs configured by the settings (a rehearsal runs the same ones)."""
    return job_specs(
        sweep_interval=settings.sweep_interval,
        presence=PresenceConfig(settings.presence_confirm_every,
                                settings.presence_confirm_timeout),
        desks=SweepConfig(settings.unattended_grace, tuple(settings.escalation_steps),
                          settings.risk_rules),
        location_retention=settings.location_retention,
        digest_time=settings.digest_time,
        default_tz=settings.tz,
        admin_ids=settings.admin_ids,
        backup=backup,
        weekly=settings.weekly_at,
    )


def _schedule(app: PoskoApp, spec: JobSpec) -> None:
    async def run(context: Ctx) -> None:
        data = context.bot_data
        started = time.perf_counter()
        try:
            outcome = await spec.run(data.db, utcnow())
        except Exception as exc:
            data.metrics.job_runs.labels(spec.name, "failed").inc()
            # A failing store is logged once per outage, not as a traceback every tick; the
            # job keeps no state, so its next run catches up on what this one could not do.
            if not data.store_health.failed(exc):
                raise
        else:
            data.metrics.job_runs.labels(spec.name, "ok").inc()
            data.metrics.job_seconds.labels(spec.name).observe(time.perf_counter() - started)
            data.liveness.job_done(spec.name)
            if isinstance(outcome, SweepReport):
                data.metrics.desks_examined.set(outcome.examined)
            if spec.name == "sweep" and data.heartbeat is not None:
                data.heartbeat.beat(lambda: _ready(data, context.bot))
        data.sender.wake()  # whatever the job queued goes out now

    assert app.job_queue is not None
    app.job_queue.run_repeating(run, interval=spec.interval, first=spec.first, name=spec.name,
                                job_kwargs={"misfire_grace_time": None, "coalesce": True})


async def _ready(data: BotData, bot: Bot) -> bool:
    return (await readiness(data, bot)).ready


async def post_shutdown(app: PoskoApp) -> None:
    """Stop the status endpoints, the dashboard and the heartbeat, let the sender finish what
    is in flight, then close the store."""
    for name in ("status_server", "dashboard_server"):
        runner = getattr(app.bot_data, name, None)
        if runner is not None:
            await runner.cleanup()
    heartbeat = getattr(app.bot_data, "heartbeat", None)
    if heartbeat is not None:
        await heartbeat.close()
    sender = getattr(app.bot_data, "sender", None)
    if sender is not None:
        await sender.stop()
        await app.bot_data.sender_task
    db = getattr(app.bot_data, "db", None)
    if db is not None:
        await db.close()
