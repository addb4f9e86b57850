"""The neutrality pledge (*pakta integritas netralitas ASN*), when an installation sets one:
shown at registration, asked before an officer's check-in until confirmed, confirmed with its
button (``PledgeAgree``)."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import PledgeAgree
from bot.context import Ctx
from bot.handlers.access import Caller
from bot.handlers.common import edit_or_ignore, popup, pressed, reply
from bot.texts import fmt_datetime, t
from storage import pledges as pledges_store
from storage.models import utcnow


async def offer(update: Update, context: Ctx, caller: Caller, lead: str | None = None) -> None:
    """Show the pledge in the chat of ``update`` (after ``lead``, a line saying why)."""
    pledge = context.bot_data.pledge
    if pledge is None:
        return
    text, markup = pledge.message(caller.lang)
    await reply(update, f"{lead}\n\n{text}" if lead else text, reply_markup=markup)


async def missing(update: Update, context: Ctx, caller: Caller) -> bool:
    """Whether the caller has yet to confirm the current pledge; if so it is shown, with why
    (before a check-in)."""
    pledge = context.bot_data.pledge
    if pledge is None or caller.member is None:
        return False
    if await pledges_store.confirmed_at(context.bot_data.db, caller.user_id,
                                        pledge.version) is not None:
        return False
    await offer(update, context, caller, t(caller.lang, "pledge.before_checkin"))
    return True


async def agree(update: Update, context: Ctx) -> None:
    """*Saya setuju*: record the confirmation of the text the button came with."""
    press = await pressed(update, context, PledgeAgree)
    if press is None:
        return
    query, button, caller = press
    pledge = context.bot_data.pledge
    if button is None or caller.member is None:  # forged, or not a member (any more)
        await popup(query, t(caller.lang, "button.stale"))
        return
    if pledge is None:  # the operator has since stopped asking for one
        await popup(query, t(caller.lang, "pledge.none"))
        return
    await query.answer()
    if button.version != pledge.version:  # the text changed since this one was shown
        await edit_or_ignore(query, t(caller.lang, "pledge.changed"))
        await offer(update, context, caller)
        return
    when = await pledges_store.confirm(context.bot_data.db, caller.user_id, pledge.version,
                                       utcnow())
    tz = caller.desk.tz if caller.desk is not None else context.bot_data.settings.tz
    await edit_or_ignore(query, t(caller.lang, "pledge.thanks",
                                  time=fmt_datetime(caller.lang, when, tz)))
