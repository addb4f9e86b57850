"""Supervisor commands: ``/undang`` creates an invite link into the supervisor's own scope."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update

from bot.callbacks import InviteRole, RoleKey
from bot.context import Ctx
from bot.handlers.access import Caller
from bot.handlers.common import (
    edit_or_ignore,
    popup,
    pressed,
    private_supervisor,
    reply,
)
from bot.texts import fmt_datetime, t
from bot.views.invites import invite_link
from storage import desks as desks_store
from storage import invites as invites_store
from storage.models import Desk, Role, utcnow

MAX_USES = 500
_ROLES: dict[RoleKey, Role] = {"o": Role.OFFICER, "s": Role.SUPERVISOR}


async def _target(update: Update, context: Ctx, caller: Caller, code: str | None) -> Desk | None:
    """The desk an invite is for: the given code (in scope) or the caller's own desk."""
    if code is None:
        if caller.desk is None:
            await reply(update, t(caller.lang, "invite.usage"))
        return caller.desk
    desk = await desks_store.by_code(context.bot_data.db, code)
    if desk is None:
        await reply(update, t(caller.lang, "desk_unknown", code=code[:40]))
        return None
    if not caller.can_oversee(desk):
        await reply(update, t(caller.lang, "out_of_scope", code=desk.code))
        return None
    return desk


async def invite(update: Update, context: Ctx) -> None:
    """``/undang [code] [uses]``: choose the role of an invite into the caller's scope."""
    caller = await private_supervisor(update, context)
    if caller is None:
        return
    args = list(context.args or [])
    uses = 1
    if args and args[-1].isascii() and args[-1].isdigit() and len(args[-1]) <= 3:
        uses = int(args.pop())
    if len(args) > 1 or not 1 <= uses <= MAX_USES:
        await reply(update, t(caller.lang, "invite.usage"))
        return
    desk = await _target(update, context, caller, args[0] if args else None)
    if desk is None:
        return
    keyboard = InlineKeyboardMarkup([[
        InlineKeyboardButton(t(caller.lang, f"role.{role}"),
                             callback_data=InviteRole(desk.id, key, uses).pack())
        for key, role in _ROLES.items()
    ]])
    await reply(update, t(caller.lang, "invite.choose_role", desk=desk.name, code=desk.code),
                reply_markup=keyboard)


async def invite_role_chosen(update: Update, context: Ctx) -> None:
    """Create the invite for the tapped role (scope checked again) and show its link."""
    press = await pressed(update, context, InviteRole)
    if press is None:
        return
    query, button, caller = press
    desk = await desks_store.get(context.bot_data.db, button.desk_id) if button else None
    # The link is shown where the button is: only in private, where /undang offers it (the
    # registry refuses a press anywhere else).
    if button is None or desk is None:
        await popup(query, t(caller.lang, "button.stale"))
        return
    if not caller.can_oversee(desk):
        await popup(query, t(caller.lang, "out_of_scope", code=desk.code), show_alert=True)
        return
    settings, now = context.bot_data.settings, utcnow()
    role = _ROLES[button.role]
    count = max(1, min(button.uses, MAX_USES))
    token = await invites_store.create(context.bot_data.db, desk.id, role, max_uses=count,
                                       ttl=settings.invite_ttl, created_by=caller.user_id, now=now)
    await query.answer()
    text = t(caller.lang, "invite.created", role=t(caller.lang, f"role.{role}"), desk=desk.name,
             uses=count, expires=fmt_datetime(now + settings.invite_ttl, desk.tz),
             link=invite_link(context.bot_data.username, token))
    await edit_or_ignore(query, text,
                         link_preview_options=LinkPreviewOptions(is_disabled=True))
