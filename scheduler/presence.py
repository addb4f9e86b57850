"""Presence: nobody stays "present" by forgetting to check out.

Algorithm of :func:`check_presence`, for every open shift:

1. A pending question whose shift saw a fresh in-radius live location after it was asked is
   answered by that location.
2. A pending question older than ``timeout`` closes the shift as ``presence_timeout``.
3. A shift still open after its desk's duty span ended closes as ``duty_end``.
4. An officer on duty not seen (check-in, answer, live location) for ``every`` is asked
   "Masih bertugas di posko?".

Closing a shift may make the desk short; the empty-desk sweep that runs right after sees it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from storage import presence as presence_store
from storage.models import EndReason
from storage.presence import OpenShift
from storage.records import in_bulk
from storage.rules.duty import Schedule, Spans
from storage.sqlite.engine import Database


@dataclass(frozen=True, slots=True)
class PresenceConfig:
    """How often to ask, and how long an answer may take."""

    every: timedelta
    timeout: timedelta


class Decision(StrEnum):
    """What to do with one open shift."""

    ANSWERED_BY_LOCATION = "answered_by_location"
    TIMEOUT = "timeout"
    DUTY_END = "duty_end"
    ASK = "ask"



def decide(shift: OpenShift, now: datetime, config: PresenceConfig,
           spans: Spans | None = None) -> Decision | None:
    """The one presence rule for a shift at ``now`` (pure; numbered steps above). ``spans``
    evaluates each schedule once for a whole pass."""
    asked = shift.asked_at if shift.check_id is not None else None
    if asked is not None:
        if shift.last_seen_at > asked:
            return Decision.ANSWERED_BY_LOCATION
        if now - asked >= config.timeout:
            return Decision.TIMEOUT
        # A question still waiting does not keep the shift open past the end of duty.
    schedule = Schedule(shift.duty_hours, shift.min_staff, shift.rules)
    spans = spans or Spans(now)
    if spans(schedule, shift.timezone) is None:
        ended = spans.last_end(schedule, shift.timezone)
        if ended is not None and ended > shift.started_at:
            return Decision.DUTY_END
        return None
    if asked is None and now - shift.last_seen_at >= config.every:
        return Decision.ASK
    return None


CHUNK = 500  # shifts per transaction


@dataclass
class PresenceReport:
    """What one pass did."""

    asked: int = 0
    timed_out: int = 0
    duty_ended: int = 0
    answered_by_location: int = 0


async def check_presence(db: Database, now: datetime, config: PresenceConfig) -> PresenceReport:
    """Apply :func:`decide` to every open shift, in transactions of ``CHUNK`` shifts."""
    report = PresenceReport()
    shifts = await presence_store.open_shifts(db, now, config.every, config.timeout)
    # Tens of thousands of open shifts at a national shift change: decided in a worker thread
    # so the bot keeps answering meanwhile (a few hundred, in place).
    spans = Spans(now)
    decided = await in_bulk(lambda: [(shift, step) for shift in shifts
                                     if (step := decide(shift, now, config, spans)) is not None],
                            len(shifts))
    # Each decision is its own conditional write, so nothing ties them together: a chunk at a
    # time keeps the event loop answering officers between chunks when duty ends for the
    # whole country at once.
    for start in range(0, len(decided), CHUNK):
        async with db.transaction() as tx:
            for shift, step in decided[start:start + CHUNK]:
                if step is Decision.ANSWERED_BY_LOCATION and shift.check_id is not None:
                    report.answered_by_location += await presence_store.settle_by_location(
                        tx, shift.check_id, now)
                elif step is Decision.TIMEOUT:
                    report.timed_out += await presence_store.close(
                        tx, shift, EndReason.PRESENCE_TIMEOUT, now)
                elif step is Decision.DUTY_END:
                    report.duty_ended += await presence_store.close(
                        tx, shift, EndReason.DUTY_END, now)
                elif step is Decision.ASK:
                    report.asked += await presence_store.ask(tx, shift, now)
    return report
