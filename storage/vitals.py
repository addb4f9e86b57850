"""The installation's vital counts for its operator: open work and the outbox's backlog.

Read in one scan for the readiness check and the metrics (``bot.ops``) and for
``posko-bot status``, so every view of the installation counts the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.models import from_db, to_db
from storage.sqlite.engine import Database

# The outbox's backlog is judged like the sender judges it (storage.outbox.due): only each
# chat's first pending message can go, so a message queued behind one that waits for a retry
# is not late yet.
_FIRSTS = ("SELECT o.not_before FROM outbox o JOIN (SELECT min(id) AS first FROM outbox "
           "WHERE sent_at IS NULL AND failed_at IS NULL GROUP BY chat_id) f ON f.first = o.id")


@dataclass(frozen=True, slots=True)
class Vitals:
    """Counts at one moment."""

    open_shifts: int
    open_alerts: int
    open_reports: int
    outbox_pending: int  # messages not yet sent nor given up
    oldest_due: datetime | None  # since when the longest-waiting sendable message could go

    def outbox_lag(self, now: datetime) -> float:
        """Seconds the longest-waiting sendable message has waited (0 when none waits)."""
        if self.oldest_due is None:
            return 0.0
        return max(0.0, (now - self.oldest_due).total_seconds())


# One row of counts; its one parameter is now (to_db). Also read by storage.status through a
# read-only connection of its own.
SQL = ("SELECT (SELECT count(*) FROM shifts WHERE ended_at IS NULL), "
       "(SELECT count(*) FROM alerts WHERE resolved_at IS NULL), "
       "(SELECT count(*) FROM incidents WHERE status != 'selesai'), "
       "(SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL), "
       f"(SELECT min(not_before) FROM ({_FIRSTS}) WHERE not_before <= ?)")


def from_row(row: Sequence[Any]) -> Vitals:
    """The counts of :data:`SQL`'s row."""
    shifts, alerts, reports, pending, oldest = row
    return Vitals(int(shifts), int(alerts), int(reports), int(pending),
                  from_db(oldest) if oldest else None)


async def read(db: Database, now: datetime) -> Vitals:
    """The vital counts now."""
    rows = await db.scan(SQL, (to_db(now),))
    return from_row(rows[0])
