"""``/anggota`` (``/members``): a supervisor's members, paged, each with move, role and remove.

1. ``/anggota`` lists the members of the caller's scope, 10 a page, with a button per name
   (``mb:<id>:v:<page>``) and ‹ 🔄 › (``mbp:<page>``).
2. A name opens the member: *Pindahkan* offers the desks around theirs in the caller's scope
   (``mv``, then ``to:<desk>``), *Jadikan petugas/pengawas* changes the role (``dm``, ``pm``),
   *Hapus* asks first (``rm``, then ``ry``).
3. A move or a promotion of someone on duty asks first (``ty``, ``py``): it ends their shift.
4. Every press re-reads the member and re-checks the presser (``bot.handlers.rank``): a
   keyboard outlives roles and desks, and its data can be forged. A member removed meanwhile
   is answered as such, never acted on twice. The member is told through the outbox.
"""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import MemberAction, MemberActionKey, MembersPage
from bot.context import Ctx
from bot.handlers.access import Caller
from bot.handlers.common import edit_or_ignore, popup, pressed, private_supervisor, reply, turn_to
from bot.handlers.rank import member_refusal
from bot.texts import Markup, role_name, t
from bot.views.pages import page_row
from storage import desks as desks_store
from storage import membership
from storage.membership import Change, MemberLine
from storage.models import Desk, Role, utcnow

PAGE = 10
DESK_PAGE = 12
Keyboard = list[list[InlineKeyboardButton]]


def _button(text: str, member: int, action: MemberActionKey, arg: int = 0
            ) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=MemberAction(member, action, arg).pack())


async def _list(context: Ctx, caller: Caller, page: int) -> tuple[str, InlineKeyboardMarkup]:
    """One page of the caller's members (a page past the end shows the last one)."""
    db = context.bot_data.db
    total, lines = await membership.list_in_scope(db, caller.scope_path, page * PAGE, PAGE)
    pages = max(1, (total + PAGE - 1) // PAGE)
    if page >= pages:
        page = pages - 1
        total, lines = await membership.list_in_scope(db, caller.scope_path, page * PAGE, PAGE)
    lang = caller.lang
    scope = caller.desk.name if caller.desk is not None and not caller.is_admin \
        else t(lang, "status.all")
    text = [t(lang, "members.header", scope=scope, total=total)]
    if pages > 1:
        text.append(t(lang, "members.page", page=page + 1, pages=pages))
    text.append("")
    picks = []
    for n, line in enumerate(lines, start=page * PAGE + 1):
        duty = t(lang, "members.line_on_duty") if line.on_duty else ""
        text.append(t(lang, "members.line", n=n, name=line.full_name,
                      role=_role(context, lang, line), desk=line.desk_name,
                      code=line.desk_code, duty=Markup(duty)))
        picks.append(_button(t(lang, "members.pick", n=n, name=Markup(line.full_name[:40])),
                             line.telegram_id, "v", page))
    text.append(t(lang, "members.hint") if lines else t(lang, "members.none"))
    rows: Keyboard = [picks[i:i + 2] for i in range(0, len(picks), 2)]
    rows.append(page_row(MembersPage, page, pages, t(lang, "members.refresh")))
    return "\n".join(text), InlineKeyboardMarkup(rows)


async def members(update: Update, context: Ctx) -> None:
    """``/anggota``: the first page of the members of the caller's scope."""
    caller = await private_supervisor(update, context)
    if caller is None:
        return
    text, markup = await _list(context, caller, 0)
    await reply(update, text, reply_markup=markup)


async def turn_page(update: Update, context: Ctx) -> None:
    """‹ 🔄 › under the member list, and back from a member: that page, scope re-read."""
    await turn_to(update, context, MembersPage, _list)


def _role(context: Ctx, lang: str, line: MemberLine) -> str:
    """The member's role as shown, a liaison's with the agency."""
    agency = context.bot_data.settings.routing.name(line.agency) if line.agency else None
    return role_name(lang, line.role, agency)


def _card(context: Ctx, lang: str, line: MemberLine) -> tuple[str, InlineKeyboardMarkup]:
    """A member with their actions (a liaison's role is not changed: see set_role)."""
    duty = "members.card_on_duty" if line.on_duty else "members.card_off_duty"
    text = t(lang, "members.card", name=line.full_name,
             username=f" @{line.username}" if line.username else "",
             role=_role(context, lang, line), desk=line.desk_name, code=line.desk_code,
             duty=t(lang, duty))
    who = line.telegram_id
    role = ([_button(t(lang, "members.btn.demote"), who, "dm")]
            if line.member_role is Role.SUPERVISOR
            else [] if line.member_role is Role.PARTNER
            else [_button(t(lang, "members.btn.promote"), who, "pm")])
    return text, InlineKeyboardMarkup([
        [_button(t(lang, "members.btn.move"), who, "mv"), *role],
        [_button(t(lang, "members.btn.remove"), who, "rm")],
        [InlineKeyboardButton(t(lang, "members.btn.back"),
                              callback_data=MembersPage(0).pack())]])


def _confirm(lang: str, line: MemberLine, question: str, yes: str, action: MemberActionKey,
             arg: int = 0) -> tuple[str, InlineKeyboardMarkup]:
    """A question with *Ya* and *Batal* (back to the member); warns when they are on duty."""
    lines = [question]
    if line.on_duty:
        lines.append(t(lang, "members.confirm_on_duty", name=line.full_name,
                       desk=line.desk_name))
    return "\n".join(lines), InlineKeyboardMarkup([[
        _button(t(lang, yes), line.telegram_id, action, arg),
        _button(t(lang, "members.btn.cancel"), line.telegram_id, "v")]])


async def _destinations(context: Ctx, caller: Caller, desk: Desk) -> list[Desk]:
    """Desks a member of ``desk`` may be moved to from the chat: the desk above theirs and the
    desks below it, and the desks below theirs, as far as the caller oversees them."""
    db = context.bot_data.db
    parent = await desks_store.get(db, desk.parent_id) if desk.parent_id is not None else None
    base = parent if parent is not None and caller.can_oversee(parent) else desk
    found = [base, *await desks_store.children(db, base.id)]
    if base.id != desk.id:
        found += await desks_store.children(db, desk.id)
    unique = {d.id: d for d in found if d.id != desk.id and caller.can_oversee(d)}
    return list(unique.values())


async def _picker(context: Ctx, caller: Caller, line: MemberLine, desk: Desk,
                  page: int) -> tuple[str, InlineKeyboardMarkup]:
    """The desks to move a member to, 12 a page."""
    lang, who = caller.lang, line.telegram_id
    desks = await _destinations(context, caller, desk)
    if not desks:
        return t(lang, "members.no_desks", desk=desk.name), InlineKeyboardMarkup(
            [[_button(t(lang, "members.btn.cancel"), who, "v")]])
    pages = (len(desks) + DESK_PAGE - 1) // DESK_PAGE
    page = min(page, pages - 1)
    shown = desks[page * DESK_PAGE:(page + 1) * DESK_PAGE]
    picks = [_button(d.name[:40], who, "to", d.id) for d in shown]
    rows: Keyboard = [picks[i:i + 2] for i in range(0, len(picks), 2)]
    nav = [_button("‹", who, "mv", page - 1)] if page > 0 else []
    nav.append(_button(t(lang, "members.btn.cancel"), who, "v"))
    if page + 1 < pages:
        nav.append(_button("›", who, "mv", page + 1))
    rows.append(nav)
    return t(lang, "members.choose_desk", name=line.full_name, desk=desk.name), \
        InlineKeyboardMarkup(rows)


async def act(update: Update, context: Ctx) -> None:
    """A member's button: show, move, change role or remove, the presser re-checked."""
    press = await pressed(update, context, MemberAction)
    if press is None:
        return
    query, button, caller = press
    if button is None or caller.role is None:
        await popup(query, t(caller.lang, "button.stale"))
        return
    if not caller.is_supervisor:
        await popup(query, t(caller.lang, "supervisors_only"), show_alert=True)
        return
    db, lang = context.bot_data.db, caller.lang
    line = await membership.get_line(db, button.telegram_id)
    desk = await desks_store.get(db, line.desk_id) if line is not None else None
    if line is None or desk is None:
        await popup(query, t(lang, "members.gone"), show_alert=True)
        return
    refusal = member_refusal(context, caller, line, desk)
    if refusal is not None:
        await popup(query, refusal, show_alert=True)
        return
    action, arg = button.action, button.arg
    view: tuple[str, InlineKeyboardMarkup] | None = None
    if action == "v":
        view = _card(context, lang, line)
    elif action == "mv":
        view = await _picker(context, caller, line, desk, arg)
    elif action == "rm":
        view = _confirm(lang, line, t(lang, "members.confirm_remove", name=line.full_name,
                                      role=_role(context, lang, line), desk=line.desk_name),
                        "members.btn.yes_remove", "ry")
    if view is not None:
        await query.answer()
        await edit_or_ignore(query, view[0], reply_markup=view[1])
        return
    await _change(query, context, caller, line, action, arg)


async def _change(query: CallbackQuery, context: Ctx, caller: Caller, line: MemberLine,
                  action: MemberActionKey, arg: int) -> None:
    """Carry out a move, a role change or a removal; ask first where it ends a shift."""
    db, lang, now = context.bot_data.db, caller.lang, utcnow()
    target: Desk | None = None
    if action in ("to", "ty"):
        target = await desks_store.get(db, arg)
        if target is None:
            await popup(query, t(lang, "button.stale"))
            return
        if not caller.can_oversee(target):
            await popup(query, t(lang, "out_of_scope", code=target.code), show_alert=True)
            return
        outcome = await membership.move(db, line.telegram_id, target.id,
                                        end_shift=action == "ty", now=now)
        done = t(lang, "members.moved", name=line.full_name, desk=target.name)
        ask = _confirm(lang, line, t(lang, "members.confirm_move", name=line.full_name,
                                     desk=line.desk_name, target=target.name),
                       "members.btn.yes_move", "ty", target.id)
    elif action == "ry":
        outcome = await membership.remove(db, line.telegram_id, end_shift=True, now=now)
        done = t(lang, "members.removed", name=line.full_name, desk=line.desk_name)
        ask = None
    else:  # dm, pm, py
        role = Role.OFFICER if action == "dm" else Role.SUPERVISOR
        outcome = await membership.set_role(db, line.telegram_id, role,
                                            end_shift=action == "py", now=now)
        done = t(lang, "members.role_set", name=line.full_name,
                 role=t(lang, f"role.{role}"), desk=line.desk_name)
        ask = _confirm(lang, line, t(lang, "members.confirm_promote", name=line.full_name,
                                     desk=line.desk_name), "members.btn.yes_promote", "py")
    if outcome is Change.GONE:
        await popup(query, t(lang, "members.gone"), show_alert=True)
        return
    await query.answer()
    back = InlineKeyboardMarkup([[InlineKeyboardButton(t(lang, "members.btn.back"),
                                                       callback_data=MembersPage(0).pack())]])
    if outcome is Change.ON_DUTY and ask is not None:
        await edit_or_ignore(query, ask[0], reply_markup=ask[1])
        return
    if outcome is Change.ALREADY:
        shown = target.name if target is not None else line.desk_name
        await edit_or_ignore(query, t(lang, "members.already", name=line.full_name,
                                      role=_role(context, lang, line), desk=shown),
                             reply_markup=back)
        return
    context.bot_data.sender.wake()
    await edit_or_ignore(query, done, reply_markup=back)
