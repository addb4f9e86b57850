"""The scheduler's jobs as plain specs: what to run and how often.

The bot registers each spec on its job queue. A job takes the store and the current time and
keeps no state between runs, so after a restart everything is re-derived from the database,
and a run that was missed while the bot was down is simply done at the next tick.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from scheduler.retention import purge_coordinates
from storage.db import Database

JobFunc = Callable[[Database, datetime], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class JobSpec:
    """A job run every ``interval``, first after ``first``."""

    name: str
    interval: timedelta
    run: JobFunc
    first: timedelta = timedelta(seconds=5)


def job_specs(*, location_retention: timedelta) -> list[JobSpec]:
    """All jobs of the scheduler, configured."""
    return [
        JobSpec("purge-coordinates", timedelta(hours=1),
                partial(purge_coordinates, retention=location_retention)),
    ]
