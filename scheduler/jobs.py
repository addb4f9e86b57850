"""The scheduler's jobs as plain specs: what to run and how often.

The bot registers each spec on its job queue and wakes its outbox sender after every run. A
job takes the store and the current time and keeps no state between runs, so after a restart
everything is re-derived from the database, and a run missed while the bot was down is simply
done at the next tick (the first one comes right after start-up).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from scheduler.presence import PresenceConfig, check_presence
from scheduler.retention import purge_coordinates
from scheduler.sweep import SweepConfig, sweep
from storage.db import Database

log = logging.getLogger(__name__)

JobFunc = Callable[[Database, datetime], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class JobSpec:
    """A job run every ``interval``, first after ``first``."""

    name: str
    interval: timedelta
    run: JobFunc
    first: timedelta = timedelta(seconds=5)


async def watch(db: Database, now: datetime, *, presence: PresenceConfig,
                desks: SweepConfig) -> None:
    """Presence first (it may close shifts), then the empty-desk sweep that sees the result."""
    asked = await check_presence(db, now, presence)
    report = await sweep(db, now, desks)
    if asked.asked or asked.timed_out or asked.duty_ended or report.messages:
        log.info("sweep: %d asked, %d timed out, %d closed at duty end; %d desks examined, "
                 "%d alerts opened, %d escalated, %d resolved, %d messages", asked.asked,
                 asked.timed_out, asked.duty_ended, report.examined, report.opened,
                 report.escalated, report.resolved, report.messages)


def job_specs(*, sweep_interval: timedelta, presence: PresenceConfig, desks: SweepConfig,
              location_retention: timedelta) -> list[JobSpec]:
    """All jobs of the scheduler, configured."""
    return [
        JobSpec("sweep", sweep_interval, partial(watch, presence=presence, desks=desks),
                first=timedelta(seconds=1)),
        JobSpec("purge-coordinates", timedelta(hours=1),
                partial(purge_coordinates, retention=location_retention)),
    ]
