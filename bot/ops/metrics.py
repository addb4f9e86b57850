"""Prometheus metrics of the running bot, served at ``/metrics`` (``bot.ops.server``).

Counted where the work happens: every update through ``bot.ops.application``, every Bot API
call through :class:`MeteredRequest`, every job run in the application's job wrapper
(``bot.app``); the store's counts (open work, the outbox's backlog) are read when scraped.
Labels never carry personal data: update kinds, Bot API method names, job names and result
classes only, never a chat, a user, a desk or a file path.
"""

from __future__ import annotations

import re
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from telegram import Update
from telegram.error import NetworkError

from bot.botapi.request import AiohttpRequest
from scheduler.backup import BackupRecord
from storage.vitals import Vitals

_METHOD = re.compile(r"/bot[^/]*/(\w+)$")
# Update kinds, in the order Telegram's Update object lists them (the first present names it).
_KINDS = ("message", "edited_message", "channel_post", "edited_channel_post", "callback_query",
          "my_chat_member", "chat_member", "chat_join_request", "inline_query")
_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The bot's metrics, in a registry of its own (one per application, so tests can run
    several side by side)."""

    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry()
        self.updates = Counter("posko_updates", "Updates handled, by kind", ["kind"],
                               registry=registry)
        self.update_seconds = Histogram("posko_update_seconds",
                                        "Time from starting to finishing an update's handlers",
                                        ["kind"], buckets=_SECONDS, registry=registry)
        self.api_calls = Counter(
            "posko_bot_api_calls", "Bot API calls by method and result: ok, 429, 5xx, "
            "permanent (another 4xx) or network (no answer)", ["method", "result"],
            registry=registry)
        self.job_runs = Counter("posko_job_runs", "Scheduler job runs by job and result (ok, "
                                "failed)", ["job", "result"], registry=registry)
        self.job_seconds = Histogram("posko_job_seconds", "Duration of scheduler job runs",
                                     ["job"], buckets=_SECONDS, registry=registry)
        self.desks_examined = Gauge("posko_sweep_desks_examined",
                                    "Desks the last sweep examined", registry=registry)
        self.outbox_pending = Gauge("posko_outbox_pending",
                                    "Messages queued and not yet sent nor given up",
                                    registry=registry)
        self.outbox_lag = Gauge("posko_outbox_oldest_due_seconds",
                                "How long the longest-waiting sendable message has waited",
                                registry=registry)
        self.open_alerts = Gauge("posko_open_alerts", "Empty-desk alerts not yet resolved",
                                 registry=registry)
        self.open_reports = Gauge("posko_open_reports", "Incident reports not yet closed",
                                  registry=registry)
        self.open_shifts = Gauge("posko_open_shifts", "Officers checked in now",
                                 registry=registry)
        self.ready = Gauge("posko_ready", "1 when every readiness check passes, else 0",
                           registry=registry)
        self.backup_last = Gauge("posko_backup_last_success_timestamp_seconds",
                                 "When the last scheduled backup was taken (Unix time)",
                                 registry=registry)
        self.backup_failures = Gauge("posko_backup_failures",
                                     "Scheduled backups that failed since start-up",
                                     registry=registry)

    def api_call(self, url: str, result: str) -> None:
        """Count one Bot API call to ``url`` (its method only; a file download is ``file``)."""
        match = _METHOD.search(url)
        method = "file" if "/file/bot" in url else match[1] if match else "other"
        self.api_calls.labels(method, result).inc()

    def scraped(self, vitals: Vitals, lag: float, ready: bool,
                backups: BackupRecord | None = None) -> bytes:
        """The exposition text, with the store's counts read for this scrape."""
        if backups is not None:
            if backups.last_success_at is not None:
                self.backup_last.set(backups.last_success_at.timestamp())
            self.backup_failures.set(backups.failures)
        self.outbox_pending.set(vitals.outbox_pending)
        self.outbox_lag.set(lag)
        self.open_alerts.set(vitals.open_alerts)
        self.open_reports.set(vitals.open_reports)
        self.open_shifts.set(vitals.open_shifts)
        self.ready.set(1 if ready else 0)
        return generate_latest(self.registry)


def kind_of(update: object) -> str:
    """An update's kind; a message's says what it carries (command, location, text, media)."""
    if not isinstance(update, Update):
        return "other"
    kind = next((name for name in _KINDS if getattr(update, name, None) is not None), "other")
    message = update.message
    if kind == "message" and message is not None:
        if message.location is not None:
            return "message:location"
        if message.text is not None:
            return "message:command" if message.text.startswith("/") else "message:text"
        return "message:media" if message.effective_attachment else "message:other"
    return kind


def classify(status: int) -> str:
    """The result class of an HTTP status from the Bot API."""
    if 200 <= status < 300:
        return "ok"
    if status == 429:
        return "429"
    return "5xx" if status >= 500 else "permanent"


class MeteredRequest(AiohttpRequest):
    """The bot's HTTP request (``bot.botapi``), counting each call's method and result."""

    def __init__(self, metrics: Metrics, connections: int, **kwargs: Any) -> None:
        super().__init__(connections, **kwargs)
        self._metrics = metrics

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any
                         ) -> tuple[int, bytes]:
        """Send as PTB does; count the answer, or ``network`` when none came."""
        try:
            status, payload = await super().do_request(url, method, *args, **kwargs)
        except NetworkError:  # also TimedOut
            self._metrics.api_call(url, "network")
            raise
        self._metrics.api_call(url, classify(status))
        return status, payload
