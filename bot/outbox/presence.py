"""The presence kinds of the outbox: "Masih bertugas di posko?" and a shift closed for the
officer."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import StillHere
from bot.config import Settings
from bot.outbox.message import Rendered
from bot.texts import fmt_duration, fmt_time, t
from storage import desks as desks_store
from storage import presence as presence_store
from storage import shifts as shifts_store
from storage.models import utcnow
from storage.outbox_kinds import PresenceCheckPayload, ShiftClosedPayload
from storage.sqlite.engine import Database


class PresenceRenderer:
    """Questions and notices to an officer about their own shift."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    async def check(self, payload: PresenceCheckPayload, lang: str) -> Rendered | None:
        """The question, with its one button; nothing when it no longer needs asking."""
        shift = await shifts_store.get(self.db, payload.shift)
        desk = await desks_store.get(self.db, shift.desk_id) if shift else None
        if shift is None or shift.ended_at is not None or desk is None:
            return None  # the shift is already over: do not ask
        if not await presence_store.is_waiting(self.db, payload.check):
            return None  # a live location answered it while the message waited to go out
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(
            t(lang, "presence.button"),
            callback_data=StillHere(payload.check).pack())]])
        return Rendered(t(lang, "presence.ask", desk=desk.name,
                          timeout=fmt_duration(lang, self.settings.presence_confirm_timeout)),
                        keyboard)

    async def shift_closed(self, payload: ShiftClosedPayload, lang: str) -> Rendered | None:
        """The officer's shift was closed for them (no answer, or duty over)."""
        shift = await shifts_store.get(self.db, payload.shift)
        desk = await desks_store.get(self.db, shift.desk_id) if shift else None
        if shift is None or desk is None or shift.ended_at is None:
            return None
        return Rendered(t(lang, f"shift_closed.{payload.reason}", desk=desk.name,
                          time=fmt_time(lang, shift.ended_at, desk.tz, utcnow())))
