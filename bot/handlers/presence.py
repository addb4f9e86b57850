"""The officer's answer to "Masih bertugas di posko?" (the question comes from the outbox)."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import StillHere
from bot.context import Ctx
from bot.handlers.common import edit_or_ignore, popup, pressed
from bot.texts import t
from storage import presence as presence_store
from storage.models import utcnow
from storage.presence import AnswerOutcome


async def still_here(update: Update, context: Ctx) -> None:
    """*Masih bertugas*: the officer confirms presence."""
    press = await pressed(update, context, StillHere)
    if press is None:
        return
    query, button, caller = press
    outcome = (await presence_store.answer(context.bot_data.db, button.check_id,
                                           caller.user_id, utcnow())
               if button else AnswerOutcome.STALE)
    if outcome is AnswerOutcome.NOT_YOURS:
        await popup(query, t(caller.lang, "button.not_yours"))
        return
    await query.answer()
    key = "presence.thanks" if outcome is AnswerOutcome.CONFIRMED else "presence.stale"
    await edit_or_ignore(query, t(caller.lang, key))
