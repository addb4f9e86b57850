"""What every callback gets: the typed ``bot_data`` (store and settings) and the context type."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeAlias

from telegram.ext import CallbackContext, ExtBot

from bot.config import Settings
from bot.outbox.sender import Sender
from bot.updates.clock import TelegramClock
from bot.updates.repeats import Repeats
from scheduler.backup import BackupRecord
from storage.logins import SESSION_TTL
from storage.members import Roster
from storage.sqlite.engine import Database
from storage.sqlite.faults import StoreHealth

if TYPE_CHECKING:
    from aiohttp import web

    from bot.handlers.throttle import Throttle
    from bot.ops.heartbeat import Heartbeat
    from bot.ops.metrics import Metrics
    from bot.ops.readiness import Liveness
    from bot.views.pledge import Pledge


class BotData:
    """Application-wide objects; filled by ``build_application`` and ``post_init``."""

    settings: Settings
    db: Database
    store_health: StoreHealth  # the store's outage, if one is under way (the store's own)
    roster: Roster  # who a caller is, cached until members or desks change
    clock: TelegramClock  # Telegram's time, and when each update was received
    repeats: Repeats  # takes the updates in hand out of each getUpdates answer
    throttle: Throttle  # repeated texts and unknown users lately answered
    sender: Sender
    sender_task: asyncio.Task[None]
    metrics: Metrics  # what /metrics shows (bot.ops)
    liveness: Liveness  # when polling and the jobs last worked, for /readyz
    heartbeat: Heartbeat | None = None  # pings POSKO_HEARTBEAT_URL after each sweep
    status_server: web.AppRunner | None = None  # /healthz, /readyz, /metrics
    dashboard_server: web.AppRunner | None = None  # the situation room (bot.dashboard)
    # How long a dashboard session lasts on the program's clock; the demo's day passes in
    # minutes, so its sessions last the whole day (bot.rehearsal).
    session_ttl: timedelta = SESSION_TTL
    pledge: Pledge | None = None  # the neutrality pledge members confirm, if one is set
    # The scheduled backups' last outcome (for readiness and metrics); None when they are off.
    backups: BackupRecord | None = None
    username: str = ""


Ctx: TypeAlias = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
