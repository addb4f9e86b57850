"""The officer's answer to "Masih bertugas di posko?" (the question comes from the outbox)."""

from __future__ import annotations

from telegram import Update

from bot.context import Ctx
from bot.handlers.common import callback_id, edit_or_ignore, popup, pressed
from bot.outbox.presence import PRESENCE_PREFIX
from bot.texts import t
from storage import presence as presence_store
from storage.models import utcnow
from storage.presence import AnswerOutcome


async def still_here(update: Update, context: Ctx) -> None:
    """*Masih bertugas*: the officer confirms presence."""
    press = await pressed(update, context)
    if press is None:
        return
    query, data, caller = press
    check_id = callback_id(data, PRESENCE_PREFIX)
    outcome = (await presence_store.answer(context.bot_data.db, check_id, caller.user_id,
                                           utcnow())
               if check_id else AnswerOutcome.STALE)
    if outcome is AnswerOutcome.NOT_YOURS:
        await popup(query, t(caller.lang, "button.not_yours"))
        return
    await query.answer()
    key = "presence.thanks" if outcome is AnswerOutcome.CONFIRMED else "presence.stale"
    await edit_or_ignore(query, t(caller.lang, key))
