"""Telegram's clock, as its answers tell it, and when each update was received.

A location proves presence only if it is fresh (``POSKO_LOCATION_MAX_AGE``, 60 s). Its date is
Telegram's; comparing it with this server's clock refuses every check-in once the server's
clock is a minute off, and comparing it with the moment a handler runs refuses check-ins that
waited in a backlog. So the age of a location is measured against the moment its update was
received, on Telegram's clock:

1. Every ``getUpdates`` answer carries an HTTP ``Date`` header: Telegram's time when it
   answered. Its difference to this server's clock is the offset (whole seconds: a difference
   under two seconds is the header's rounding, not an offset).
2. When a batch arrives, each update is stamped with the server's time plus that offset; the
   stamp is dropped once the batch is handled.
3. An offset over 30 s is logged as a warning once (and again when it recovers): the duty
   windows, alerts and digests run on this server's clock, which should be fixed (NTP).

In webhook mode there is no ``getUpdates``: the offset stays zero and updates are not
stamped, so the age is measured against this server's clock when the handler runs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from storage.models import utcnow

log = logging.getLogger(__name__)

ROUNDING = timedelta(seconds=2)  # the Date header has whole seconds
WARN_AFTER = timedelta(seconds=30)


class TelegramClock:
    """The offset of Telegram's clock to this server's, and the receipt time of updates."""

    def __init__(self) -> None:
        self.offset = timedelta(0)
        self._received: dict[int, datetime] = {}
        self._warned = False

    def observe(self, telegram_now: datetime, local_now: datetime) -> None:
        """Step 1: one answer's Date against the server's clock when it arrived."""
        difference = telegram_now - local_now
        self.offset = difference if abs(difference) >= ROUNDING else timedelta(0)
        off = abs(self.offset) > WARN_AFTER
        if off and not self._warned:
            log.warning("this server's clock is %+.0f s off Telegram's; locations are dated by "
                        "Telegram's, but duty hours and alerts follow this clock: fix it (NTP)",
                        -self.offset.total_seconds())
        elif not off and self._warned:
            log.info("this server's clock agrees with Telegram's again")
        self._warned = off

    def on_answer(self, headers: Mapping[str, str]) -> None:
        """The request's hook (``bot.botapi.request``): the ``Date`` of a Bot API answer."""
        header = headers.get("Date")
        if header is None:
            return
        try:
            telegram_now = parsedate_to_datetime(header)
        except (TypeError, ValueError):
            return
        if telegram_now.tzinfo is not None:
            self.observe(telegram_now, utcnow())

    def now(self) -> datetime:
        """The current time on Telegram's clock, as far as its answers tell."""
        return utcnow() + self.offset

    def stamp(self, update_ids: Iterable[int], at: datetime | None = None) -> None:
        """Step 2: the updates of a batch were received now (or ``at``, Telegram's clock)."""
        moment = at or self.now()
        for update_id in update_ids:
            self._received[update_id] = moment

    def forget(self, update_ids: Iterable[int]) -> None:
        """The batch is handled: its stamps are no longer needed."""
        for update_id in update_ids:
            self._received.pop(update_id, None)

    def received(self, update_id: int) -> datetime:
        """When an update was received, on Telegram's clock (now, if it was not stamped)."""
        return self._received.get(update_id) or self.now()
