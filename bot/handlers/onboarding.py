"""Registration by invite: ``/start [token]`` and its confirmation button."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import Registration
from bot.context import Ctx
from bot.handlers import pledge, throttle
from bot.handlers.access import identify
from bot.handlers.common import edit_or_ignore, is_private, pressed, reply
from bot.texts import role_name, t
from storage import invites as invites_store
from storage.invites import InviteState, RedeemOutcome
from storage.models import Role, utcnow


def _agency(context: Ctx, agency: str | None) -> str | None:
    """An agency's name as this installation calls it."""
    return context.bot_data.settings.routing.name(agency) if agency else None


async def start(update: Update, context: Ctx) -> None:
    """Greet a member, or show what an invite token offers and ask to confirm."""
    caller = await identify(update, context)
    if caller is None or not is_private(update):
        return
    token = context.args[0] if context.args else ""
    if not token:
        if caller.is_admin:
            await reply(update, t(caller.lang, "welcome_admin", name=caller.name))
        elif caller.role is not None and caller.desk is not None:
            await reply(update, t(caller.lang, "welcome_back", name=caller.name,
                                  role=role_name(caller.lang, caller.role,
                                                 _agency(context, caller.agency)),
                                  desk=caller.desk.name))
        else:
            await reply(update, t(caller.lang, "unknown_user", id=caller.user_id))
        return
    found = await invites_store.lookup(context.bot_data.db, token, utcnow())
    if found.state is not InviteState.VALID or found.invite is None or found.desk is None:
        if not throttle.quiet(context):  # an unknown user answered within the minute
            await reply(update, t(caller.lang, f"invite.{found.state}"))
        return
    keyboard = InlineKeyboardMarkup([[
        InlineKeyboardButton(t(caller.lang, "invite.confirm_yes"),
                             callback_data=Registration(token).pack()),
        InlineKeyboardButton(t(caller.lang, "invite.confirm_no"),
                             callback_data=Registration(Registration.DECLINE).pack()),
    ]])
    await reply(update, t(caller.lang, "invite.confirm",
                          role=role_name(caller.lang, found.invite.role,
                                         _agency(context, found.invite.agency)),
                          desk=found.desk.name, code=found.desk.code, name=caller.name),
                reply_markup=keyboard)


async def confirm(update: Update, context: Ctx) -> None:
    """Register the user who tapped *Daftar* (or drop the invite on *Batal*)."""
    press = await pressed(update, context, Registration)
    if press is None:
        return
    query, button, caller = press
    if button is not None and button.token == Registration.DECLINE:
        await query.answer()
        await edit_or_ignore(query, t(caller.lang, "invite.declined"))
        return
    token = button.token if button else ""
    user = query.from_user
    redeemed = await invites_store.redeem(
        context.bot_data.db, token, telegram_id=user.id, full_name=user.full_name,
        username=user.username, now=utcnow())
    await query.answer()
    found = redeemed.lookup
    if redeemed.outcome is RedeemOutcome.INVALID or found.invite is None or found.desk is None:
        text = t(caller.lang, f"invite.{found.state}")
    elif redeemed.outcome is RedeemOutcome.ON_SHIFT:
        text = t(caller.lang, "invite.on_shift")
    else:
        key = ("invite.registered" if redeemed.outcome is RedeemOutcome.REGISTERED
               else "invite.already")
        text = t(caller.lang, key, role=role_name(caller.lang, found.invite.role,
                                         _agency(context, found.invite.agency)),
                 desk=found.desk.name)
    await edit_or_ignore(query, text)
    # The pledge comes with the first day, for the ASN of the local government only.
    if redeemed.outcome is RedeemOutcome.REGISTERED and found.invite is not None \
            and found.invite.role is not Role.PARTNER:
        await pledge.offer(update, context, await identify(update, context) or caller)
