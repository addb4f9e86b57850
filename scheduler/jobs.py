"""The scheduler's jobs as plain specs: what to run and how often.

The bot registers each spec on its job queue and wakes its outbox sender after every run. A
job takes the store and the current time and keeps no state between runs, so after a restart
everything is re-derived from the database, and a run missed while the bot was down, or one
that met a storage fault (a full disk, a locked database), is simply done at the next tick
(the first one comes right after start-up).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from scheduler.backup import TICK, BackupConfig, BackupRecord, backup_if_due
from scheduler.digest import send_due
from scheduler.presence import PresenceConfig, check_presence
from scheduler.retention import purge_coordinates
from scheduler.sweep import SweepConfig, SweepReport, sweep
from scheduler.weekly import send_due_weekly
from storage import meta
from storage.models import to_db
from storage.sqlite.engine import Database

log = logging.getLogger(__name__)

JobFunc = Callable[[Database, datetime], Awaitable[object]]
WEEKLY_TICK = timedelta(minutes=5)
LAST_SWEEP = "last_sweep_at"  # meta key: when the last sweep finished (posko-bot status)


@dataclass(frozen=True, slots=True)
class JobSpec:
    """A job run every ``interval``, first after ``first``."""

    name: str
    interval: timedelta
    run: JobFunc
    first: timedelta = timedelta(seconds=5)


async def watch(db: Database, now: datetime, *, presence: PresenceConfig,
                desks: SweepConfig) -> SweepReport:
    """Presence first (it may close shifts), then the empty-desk sweep that sees the result;
    then the time of the sweep, for ``posko-bot status`` (one row, one write a minute)."""
    asked = await check_presence(db, now, presence)
    report = await sweep(db, now, desks)
    await meta.put(db, LAST_SWEEP, to_db(now))
    if asked.asked or asked.timed_out or asked.duty_ended or report.messages:
        log.info("sweep: %d asked, %d timed out, %d closed at duty end; %d desks examined, "
                 "%d alerts opened, %d escalated, %d resolved, %d messages", asked.asked,
                 asked.timed_out, asked.duty_ended, report.examined, report.opened,
                 report.escalated, report.resolved, report.messages)
    return report


async def digests(db: Database, now: datetime, *, at: time, default_tz: ZoneInfo,
                  admin_ids: list[int]) -> None:
    """Queue the daily digests that are due."""
    run = await send_due(db, now, at=at, default_tz=default_tz, admin_ids=admin_ids)
    if run.queued:
        log.info("digest: %d queued (%d recipients)", run.queued, run.scheduled)


async def weekly_reports(db: Database, now: datetime, *, weekday: int, at: time,
                         default_tz: ZoneInfo, admin_ids: list[int]) -> None:
    """Queue the weekly reports that are due."""
    run = await send_due_weekly(db, now, weekday=weekday, at=at, default_tz=default_tz,
                                admin_ids=admin_ids)
    if run.queued:
        log.info("weekly report: %d queued (%d recipients)", run.queued, run.scheduled)


def job_specs(*, sweep_interval: timedelta, presence: PresenceConfig, desks: SweepConfig,
              location_retention: timedelta, digest_time: time, default_tz: ZoneInfo,
              admin_ids: list[int], backup: tuple[BackupConfig, BackupRecord] | None = None,
              weekly: tuple[int, time] | None = None) -> list[JobSpec]:
    """All jobs of the scheduler, configured; ``backup`` None: no scheduled backups;
    ``weekly`` (weekday, time) None: no weekly report."""
    backups = [] if backup is None else [
        JobSpec("backup", min(TICK, backup[0].every),
                partial(backup_if_due, config=backup[0], record=backup[1]))]
    # A few hundred recipients a country: planned every five minutes, sent at most that late.
    weeklies = [] if weekly is None else [
        JobSpec("weekly", WEEKLY_TICK,
                partial(weekly_reports, weekday=weekly[0], at=weekly[1], default_tz=default_tz,
                        admin_ids=admin_ids), first=timedelta(seconds=3))]
    return [
        JobSpec("sweep", sweep_interval, partial(watch, presence=presence, desks=desks),
                first=timedelta(seconds=1)),
        JobSpec("digest", min(sweep_interval, timedelta(minutes=1)),
                partial(digests, at=digest_time, default_tz=default_tz, admin_ids=admin_ids),
                first=timedelta(seconds=2)),
        JobSpec("purge-coordinates", timedelta(hours=1),
                partial(purge_coordinates, retention=location_retention)),
        *backups,
        *weeklies,
    ]
