"""Data retention: precise check-in coordinates are personal data (UU PDP 27/2022)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from storage import shifts as shifts_store
from storage.sqlite.engine import Database

log = logging.getLogger(__name__)


async def purge_coordinates(db: Database, now: datetime, retention: timedelta) -> int:
    """Forget the coordinates of shifts that ended more than ``retention`` ago."""
    purged = await shifts_store.purge_locations(db, now - retention)
    if purged:
        log.info("forgot the coordinates of %d shift(s) older than %s", purged, retention)
    return purged
