"""Readiness: whether the running bot does its job, check by check (``/readyz``, the metrics'
``posko_ready`` and the heartbeat's ``/fail``).

1. **store**: the store's writes work (no outage under way, ``storage.sqlite.faults``).
2. **updates**: with long polling, Telegram answered a ``getUpdates`` within the last
   2 minutes (a long poll is answered every few seconds even when nobody writes; counted from
   start-up until the first answer); with a
   webhook, Telegram holds this bot's URL (``getWebhookInfo``, asked at most once a minute).
3. **sweep**: the empty-desk sweep ran within 2 × ``POSKO_SWEEP_INTERVAL`` (counted from
   start-up until the first one).
4. **outbox**: the longest-waiting sendable message has waited less than 5 minutes.
5. **backup**, when scheduled backups are on (``POSKO_BACKUP_DIR``): the last attempt worked.

The process answering at all is ``/healthz``; it checks nothing else, so a restart is not
triggered by a passing outage that the bot will ride out.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from telegram import Bot
from telegram.error import TelegramError

from storage import vitals as vitals_store
from storage.models import utcnow
from storage.vitals import Vitals

if TYPE_CHECKING:
    from bot.context import BotData

FETCH_MAX_AGE = 120.0  # seconds without a getUpdates answer
OUTBOX_MAX_LAG = 300.0  # seconds a sendable message may wait
WEBHOOK_RECHECK = 60.0  # seconds between two getWebhookInfo


@dataclass(slots=True)
class Liveness:
    """When the loops of the running bot last did their work (monotonic seconds)."""

    started: float = field(default_factory=time.monotonic)
    last_fetch: float | None = None  # a getUpdates answered
    jobs: dict[str, float] = field(default_factory=dict)  # job name -> last run that worked
    webhook: tuple[float, bool] | None = None  # when asked, whether Telegram had our URL

    def fetched(self) -> None:
        """A getUpdates was answered."""
        self.last_fetch = time.monotonic()

    def job_done(self, name: str) -> None:
        """Job ``name`` ran to its end."""
        self.jobs[name] = time.monotonic()


@dataclass(frozen=True, slots=True)
class Check:
    """One readiness check's outcome."""

    name: str
    ok: bool
    detail: str


@dataclass(frozen=True, slots=True)
class Readiness:
    """Every check, and the counts read for them."""

    checks: tuple[Check, ...]
    vitals: Vitals
    lag: float

    @property
    def ready(self) -> bool:
        """Every check passes."""
        return all(check.ok for check in self.checks)


def _age(since: float | None, now: float) -> str:
    return "never" if since is None else f"{now - since:.0f} s ago"


async def _updates(data: BotData, bot: Bot, now: float) -> Check:
    """Step 2."""
    live = data.liveness
    if not data.settings.webhook_url:
        fresh = now - (live.last_fetch or live.started) < FETCH_MAX_AGE
        return Check("updates", fresh, f"last getUpdates answered {_age(live.last_fetch, now)} "
                     f"(at most {FETCH_MAX_AGE:.0f} s)")
    if live.webhook is None or now - live.webhook[0] >= WEBHOOK_RECHECK:
        try:
            info = await bot.get_webhook_info()
            live.webhook = (now, info.url == data.settings.webhook_url)
        except TelegramError as exc:
            return Check("updates", False, f"cannot ask Telegram for the webhook: {exc}")
    held = live.webhook[1]
    return Check("updates", held, "Telegram holds the webhook URL" if held
                 else "Telegram does not hold this bot's webhook URL")


async def readiness(data: BotData, bot: Bot) -> Readiness:
    """Steps 1–4 of the module docstring, now."""
    now, wall = time.monotonic(), utcnow()
    health, live, settings = data.store_health, data.liveness, data.settings
    store = Check("store", health.ok, "writes work" if health.ok else
                  f"writes fail since {health.failing_since:%H:%M:%S} UTC: {health.last_error}")
    updates = await _updates(data, bot, now)
    limit = 2 * settings.sweep_interval.total_seconds()
    swept = live.jobs.get("sweep")
    sweep = Check("sweep", now - (swept or live.started) < limit,
                  f"last sweep {_age(swept, now)} (at most {limit:.0f} s)")
    counts = await vitals_store.read(data.db, wall)
    lag = counts.outbox_lag(wall)
    outbox = Check("outbox", lag < OUTBOX_MAX_LAG,
                   f"{counts.outbox_pending} pending; the oldest sendable waits {lag:.0f} s")
    checks = [store, updates, sweep, outbox]
    record = data.backups
    if record is not None:
        last = (f"{record.last_success_at:%Y-%m-%d %H:%M} UTC" if record.last_success_at
                else "none yet")
        checks.append(Check("backup", not record.failing,
                            f"failing: {record.last_error}" if record.failing
                            else f"last backup {last}"))
    return Readiness(tuple(checks), counts, lag)
