"""Supervisor commands: ``/undang`` creates an invite link into the supervisor's own scope;
``/undangan`` lists the open invites of the scope, 10 a page, each with a 🚫 that asks and
then revokes it (its maker, or someone above them: ``bot.handlers.rank``). Every press re-reads
the invite and re-checks the presser; an invite that closed meanwhile is answered as such."""

from __future__ import annotations

from typing import TypeVar

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)

from bot.callbacks import InviteDesk, InviteRevoke, InviteRole, InvitesPage, RoleKey
from bot.context import Ctx
from bot.handlers.access import Caller
from bot.handlers.common import (
    edit_or_ignore,
    popup,
    pressed,
    private_supervisor,
    reply,
    turn_to,
)
from bot.handlers.rank import may_revoke
from bot.texts import fmt_datetime, role_name, t
from bot.views.invites import invite_link
from bot.views.pages import page_row
from storage import desks as desks_store
from storage import invites as invites_store
from storage.invites import OpenInvite, RevokeOutcome
from storage.models import Desk, Role, utcnow

MAX_USES = 500
PAGE = 10
CHOICES = 12  # desks offered as buttons under /undang
_ROLES: dict[RoleKey, Role] = {"o": Role.OFFICER, "s": Role.SUPERVISOR, "m": Role.PARTNER}
AGENCIES_PER_ROW = 3


async def invite(update: Update, context: Ctx) -> None:
    """``/undang [code or name] [uses]``: find the desk in the caller's scope, then the role."""
    caller = await private_supervisor(update, context)
    if caller is None:
        return
    args = list(context.args or [])
    uses = 1
    if args and args[-1].isascii() and args[-1].isdigit():
        uses = int(args.pop()[:4])
    if not 1 <= uses <= MAX_USES:
        await reply(update, t(caller.lang, "invite.usage", max=MAX_USES))
        return
    db, wanted = context.bot_data.db, " ".join(args).strip()[:80]
    if not wanted:
        if caller.desk is None:  # an admin: the whole country is too much to offer
            await reply(update, t(caller.lang, "invite.usage", max=MAX_USES))
            return
        below = await desks_store.children(db, caller.desk.id)
        choices = [caller.desk, *below][:CHOICES]
    else:
        exact = await desks_store.by_code(db, wanted)
        if exact is not None and not caller.can_oversee(exact):
            await reply(update, t(caller.lang, "out_of_scope", code=exact.code))
            return
        choices = [exact] if exact is not None else await desks_store.find_in_scope(
            db, caller.scope_path, wanted, CHOICES)
    if not choices:
        await reply(update, t(caller.lang, "invite.not_found", text=wanted))
        return
    if len(choices) == 1:
        text, markup = _role_choice(caller.lang, choices[0], uses)
        await reply(update, text, reply_markup=markup)
        return
    rows = [[InlineKeyboardButton(t(caller.lang, "invite.desk_button", desk=desk.name,
                                    code=desk.code),
                                  callback_data=InviteDesk(desk.id, uses).pack())]
            for desk in choices]
    key = "invite.choose_desk" if wanted else "invite.choose_desk_own"
    await reply(update, t(caller.lang, key, text=wanted, max=MAX_USES),
                reply_markup=InlineKeyboardMarkup(rows))


def _role_choice(lang: str, desk: Desk, uses: int) -> tuple[str, InlineKeyboardMarkup]:
    """The question "which role?" for an invite to ``desk``, with its two buttons."""
    keyboard = InlineKeyboardMarkup([[
        InlineKeyboardButton(t(lang, f"role.{role}"),
                             callback_data=InviteRole(desk.id, key, uses).pack())
        for key, role in _ROLES.items()
    ]])
    return t(lang, "invite.choose_role", desk=desk.name, code=desk.code, uses=uses), keyboard


DeskButton = TypeVar("DeskButton", InviteDesk, InviteRole)


async def _desk_pressed(update: Update, context: Ctx, kind: type[DeskButton]
                        ) -> tuple[CallbackQuery, DeskButton, Caller, Desk] | None:
    """A press of an /undang button naming a desk: that desk, if it exists and is in the
    presser's scope (re-checked at every press); otherwise the presser is told and None."""
    press = await pressed(update, context, kind)
    if press is None:
        return None
    query, button, caller = press
    desk = await desks_store.get(context.bot_data.db, button.desk_id) if button else None
    if button is None or desk is None:
        await popup(query, t(caller.lang, "button.stale"))
        return None
    if not caller.can_oversee(desk):
        await popup(query, t(caller.lang, "out_of_scope", code=desk.code), show_alert=True)
        return None
    return query, button, caller, desk


async def invite_desk_chosen(update: Update, context: Ctx) -> None:
    """A desk tapped under ``/undang``: ask for the role (scope checked again)."""
    found = await _desk_pressed(update, context, InviteDesk)
    if found is None:
        return
    query, button, caller, desk = found
    await query.answer()
    text, markup = _role_choice(caller.lang, desk, max(1, min(button.uses, MAX_USES)))
    await edit_or_ignore(query, text, reply_markup=markup)


async def invite_role_chosen(update: Update, context: Ctx) -> None:
    """Create the invite for the tapped role (scope checked again) and show its link."""
    # The link is shown where the button is: only in private, where /undang offers it (the
    # registry refuses a press anywhere else).
    found = await _desk_pressed(update, context, InviteRole)
    if found is None:
        return
    query, button, caller, desk = found
    settings, now = context.bot_data.settings, utcnow()
    role = _ROLES[button.role]
    count = max(1, min(button.uses, MAX_USES))
    agencies = settings.routing.agencies
    if role is Role.PARTNER and not button.agency:  # which agency? asked before the link
        await query.answer()
        choices = [InlineKeyboardButton(name, callback_data=InviteRole(
            desk.id, "m", count, key).pack()) for key, name in agencies.items()]
        await edit_or_ignore(query, t(caller.lang, "invite.choose_agency", desk=desk.name),
                             reply_markup=InlineKeyboardMarkup([
                                 choices[i:i + AGENCIES_PER_ROW]
                                 for i in range(0, len(choices), AGENCIES_PER_ROW)]))
        return
    if (role is Role.PARTNER) != bool(button.agency) or \
            (button.agency and button.agency not in agencies):
        await popup(query, t(caller.lang, "button.stale"))
        return
    agency = button.agency or None
    token = await invites_store.create(context.bot_data.db, desk.id, role, max_uses=count,
                                       ttl=settings.invite_ttl, created_by=caller.user_id, now=now,
                                       agency=agency)
    await query.answer()
    text = t(caller.lang, "invite.created",
             role=role_name(caller.lang, role, settings.routing.name(agency) if agency else None),
             desk=desk.name, uses=count,
             expires=fmt_datetime(caller.lang, now + settings.invite_ttl, desk.tz),
             link=invite_link(context.bot_data.username, token))
    await edit_or_ignore(query, text,
                         link_preview_options=LinkPreviewOptions(is_disabled=True))


def _describe(context: Ctx, lang: str, invite: OpenInvite, key: str, **values: object) -> str:
    """An open invite in one of the listing's texts."""
    agency = context.bot_data.settings.routing.name(invite.agency) if invite.agency else None
    return t(lang, key, role=role_name(lang, invite.role, agency), desk=invite.desk_name,
             code=invite.desk_code, left=invite.uses_left, max=invite.max_uses, **values)


async def _open_page(context: Ctx, caller: Caller, page: int
                     ) -> tuple[str, InlineKeyboardMarkup]:
    """One page of the open invites in the caller's scope, a 🚫 under those they may revoke."""
    db, lang, now = context.bot_data.db, caller.lang, utcnow()
    total, found = await invites_store.open_in_scope(db, caller.scope_path, now,
                                                     page * PAGE, PAGE)
    pages = max(1, (total + PAGE - 1) // PAGE)
    if page >= pages:  # a page from when more were open: the last one
        page = pages - 1
        total, found = await invites_store.open_in_scope(db, caller.scope_path, now,
                                                         page * PAGE, PAGE)
    scope = caller.desk.name if caller.desk is not None and not caller.is_admin \
        else t(lang, "status.all")
    lines = [t(lang, "invites.header", scope=scope, total=total)]
    if pages > 1:
        lines.append(t(lang, "rekap.page", page=page + 1, pages=pages))
    lines.append("")
    revoke = []
    desks = await desks_store.get_many(db, [invite.desk_id for invite in found])
    for n, invite in enumerate(found, start=page * PAGE + 1):
        desk = desks[invite.desk_id]
        lines.append(_describe(context, lang, invite, "invites.line", n=n,
                               expires=fmt_datetime(lang, invite.expires_at, desk.tz),
                               creator=invite.creator_name or t(lang, "invites.by_server")))
        if await may_revoke(context, caller, invite, desk):
            revoke.append(InlineKeyboardButton(t(lang, "invites.btn.revoke", n=n),
                                               callback_data=InviteRevoke(invite.id,
                                                                          "ask").pack()))
    lines.append(t(lang, "invites.hint") if revoke else "" if found else t(lang, "invites.none"))
    rows = [revoke[i:i + 5] for i in range(0, len(revoke), 5)]
    rows.append(page_row(InvitesPage, page, pages, t(lang, "rekap.refresh")))
    return "\n".join(lines).rstrip(), InlineKeyboardMarkup(rows)


async def open_invites(update: Update, context: Ctx) -> None:
    """``/undangan``: the open invites of the caller's scope."""
    caller = await private_supervisor(update, context)
    if caller is None:
        return
    text, markup = await _open_page(context, caller, 0)
    await reply(update, text, reply_markup=markup)


async def invites_page(update: Update, context: Ctx) -> None:
    """‹ 🔄 › under the open invites, and back from a revocation: that page, scope re-read."""
    await turn_to(update, context, InvitesPage, _open_page)


async def revoke(update: Update, context: Ctx) -> None:
    """🚫 under an open invite: ask, then revoke; the invite and the presser's right re-read."""
    press = await pressed(update, context, InviteRevoke)
    if press is None:
        return
    query, button, caller = press
    if button is None or caller.role is None:
        await popup(query, t(caller.lang, "button.stale"))
        return
    if not caller.is_supervisor:
        await popup(query, t(caller.lang, "supervisors_only"), show_alert=True)
        return
    db, lang, now = context.bot_data.db, caller.lang, utcnow()
    invite = await invites_store.get_open(db, button.invite_id, now)
    if invite is None:
        found = await invites_store.find(db, str(button.invite_id))
        revoked = found is not None and found.revoked_at is not None
        await popup(query, t(lang, "invites.already_revoked" if revoked
                             else "invites.not_open"), show_alert=True)
        return
    desk = await desks_store.get(db, invite.desk_id)
    if desk is None or not caller.can_oversee(desk):
        await popup(query, t(lang, "out_of_scope", code=invite.desk_code), show_alert=True)
        return
    if not await may_revoke(context, caller, invite, desk):
        await popup(query, t(lang, "invites.not_yours"), show_alert=True)
        return
    back = InlineKeyboardButton(t(lang, "invites.btn.back"),
                                callback_data=InvitesPage(0).pack())
    if button.step == "ask":
        await query.answer()
        yes = InlineKeyboardButton(t(lang, "invites.btn.yes"),
                                   callback_data=InviteRevoke(invite.id, "yes").pack())
        await edit_or_ignore(query, _describe(context, lang, invite, "invites.confirm_revoke"),
                             reply_markup=InlineKeyboardMarkup([[yes, back]]))
        return
    outcome = await invites_store.revoke(db, invite.id, now)
    if outcome is not RevokeOutcome.REVOKED:
        await popup(query, t(lang, "invites.already_revoked"), show_alert=True)
        return
    await query.answer()
    await edit_or_ignore(query, _describe(context, lang, invite, "invites.revoked"),
                         reply_markup=InlineKeyboardMarkup([[back]]))
