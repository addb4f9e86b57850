"""Commands for everyone: ``/bantuan`` (by role), ``/bahasa`` and ``/batal``."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardRemove, Update

from bot.callbacks import Language
from bot.context import Ctx
from bot.handlers.common import edit_or_ignore, popup, pressed, private_member, reply
from bot.texts import role_name, t
from storage import drafts as drafts_store
from storage import incidents as incidents_store
from storage import members as members_store
from storage import relocations
from storage.models import Role

_LANGUAGE_NAMES = {"id": "🇮🇩 Bahasa Indonesia", "en": "🇬🇧 English"}


async def help_command(update: Update, context: Ctx) -> None:
    """List what this user may do, by role."""
    caller = await private_member(update, context)
    if caller is None or caller.role is None:
        return
    routing = context.bot_data.settings.routing
    agency = routing.name(caller.agency) if caller.agency else None
    parts = [t(caller.lang, "help.header", role=role_name(caller.lang, caller.role, agency))]
    if caller.role is Role.OFFICER:
        parts.append(t(caller.lang, "help.officer"))
        parts.append(t(caller.lang, "help.report"))
    elif caller.role is Role.PARTNER:
        parts.append(t(caller.lang, "help.partner", agency=agency or "—"))
        parts.append(t(caller.lang, "help.report"))
    else:
        parts.append(t(caller.lang, "help.supervisor"))
        parts.append(t(caller.lang, "help.alerts"))
        parts.append(t(caller.lang, "help.incidents"))
        parts.append(t(caller.lang, "help.export"))
        parts.append(t(caller.lang, "help.digest"))
        parts.append(t(caller.lang, "help.rekap"))
        if context.bot_data.settings.dashboard_port:
            parts.append(t(caller.lang, "help.dashboard"))
        if caller.desk is not None:
            parts.append(t(caller.lang, "help.report"))
    parts.append(t(caller.lang, "help.common"))
    await reply(update, "\n\n".join(parts))


async def language(update: Update, context: Ctx) -> None:
    """Offer the UI languages as buttons."""
    caller = await private_member(update, context)
    if caller is None:
        return
    keyboard = InlineKeyboardMarkup([[
        InlineKeyboardButton(name, callback_data=Language(code).pack())
        for code, name in _LANGUAGE_NAMES.items()
    ]])
    await reply(update, t(caller.lang, "language.choose"), reply_markup=keyboard)


async def language_chosen(update: Update, context: Ctx) -> None:
    """Store the chosen language and confirm in it."""
    press = await pressed(update, context, Language)
    if press is None:
        return
    query, button, caller = press
    code = button.code if button else ""
    if code not in _LANGUAGE_NAMES or caller.member is None:
        await popup(query, t(caller.lang, "button.stale"))
        return
    await members_store.set_language(context.bot_data.db, caller.user_id, code)
    await query.answer()
    await edit_or_ignore(query, t(code, "language.set"))


async def cancel(update: Update, context: Ctx) -> None:
    """Leave any guided step: drop its state and the reply keyboard; nothing is saved.

    Personal like every guided step: in a group it would drop the caller's private draft
    and tell the group so; an unknown user has no step to leave.
    """
    caller = await private_member(update, context)
    if caller is None:
        return
    db = context.bot_data.db
    dropped = caller.member is not None and await drafts_store.discard_draft(db,
                                                                              caller.user_id)
    if caller.member is not None:
        await incidents_store.drop_note(db, caller.user_id)
        dropped = await relocations.drop_unfinished(db, caller.user_id) or dropped
    await reply(update, t(caller.lang, "lapor.cancelled" if dropped else "cancel.done"),
                reply_markup=ReplyKeyboardRemove())
