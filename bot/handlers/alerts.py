"""Empty-desk alerts in chat: *Saya tangani*, *Lihat posko* and ``/peringatan``."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Update

from bot.callbacks import AlertAck, AlertsPage, DeskView
from bot.context import BotData, Ctx
from bot.handlers.access import Caller
from bot.handlers.common import (
    popup,
    pressed,
    private_supervisor,
    reply,
    turn_to,
)
from bot.texts import Markup, fmt_time, fmt_until, t
from bot.views.alerts import PAGE, alert_list, mention
from bot.views.limits import TEXT_MAX, fit
from bot.views.pages import page_row
from storage import alerts as alerts_store
from storage import desks as desks_store
from storage import members as members_store
from storage import membership
from storage import shifts as shifts_store
from storage.alerts import AckOutcome
from storage.desks import schedule_of
from storage.membership import MemberLine
from storage.models import Role, utcnow
from storage.rules.duty import desk_state


@dataclass(frozen=True, slots=True)
class Taken:
    """What pressing *Saya tangani* came to: the answer for the presser, whether it is a
    refusal (shown as an alert box in the chat, 403 on the dashboard), whether they took it."""

    text: str
    refused: bool = False
    taken: bool = False


async def take(data: BotData, caller: Caller, alert_id: int) -> Taken:
    """Take an alert for ``caller`` if their scope holds its desk: the one conditional update
    (``storage.alerts.acknowledge``) behind the chat button and the dashboard's, which queues
    the edit of every message that announced it."""
    db = data.db
    found = await alerts_store.get_many(db, [alert_id])
    desk = await desks_store.get(db, found[0].desk_id) if found else None
    if desk is None:
        return Taken(t(caller.lang, "button.stale"))
    if caller.member is None or not caller.can_oversee(desk):
        return Taken(t(caller.lang, "out_of_scope", code=desk.code), refused=True)
    outcome = await alerts_store.acknowledge(db, found[0].id, caller.user_id, utcnow())
    if outcome is AckOutcome.ACKED:
        data.sender.wake()
        return Taken(t(caller.lang, "ack.done", desk=desk.name), taken=True)
    if outcome is AckOutcome.ALREADY:
        (current,) = await alerts_store.get_many(db, [found[0].id])
        taker = await members_store.get(db, current.acked_by) if current.acked_by else None
        return Taken(t(caller.lang, "ack.already", who=taker.full_name if taker else "?"))
    return Taken(t(caller.lang, "ack.resolved" if outcome is AckOutcome.RESOLVED
                   else "button.stale"))


async def acknowledge(update: Update, context: Ctx) -> None:
    """*Saya tangani*: take the alert (scope checked); every recipient's message shows who."""
    press = await pressed(update, context, AlertAck)
    if press is None:
        return
    query, button, caller = press
    if button is None:
        await popup(query, t(caller.lang, "button.stale"))
        return
    taken = await take(context.bot_data, caller, button.alert_id)
    await popup(query, taken.text, show_alert=taken.refused)


async def desk_view(update: Update, context: Ctx) -> None:
    """*Lihat posko*: the desk's duty state, who is there, and its open alert."""
    press = await pressed(update, context, DeskView)
    if press is None:
        return
    query, button, caller = press
    desk = await desks_store.get(context.bot_data.db, button.desk_id) if button else None
    if desk is None:
        await popup(query, t(caller.lang, "button.stale"))
        return
    if not caller.can_oversee(desk):  # say why: an officer under a group's alert, say
        await popup(query, t(caller.lang, "button.for_supervisors") if not caller.is_supervisor
                    else t(caller.lang, "out_of_scope", code=desk.code), show_alert=True)
        return
    await query.answer()
    db, now, lang = context.bot_data.db, utcnow(), caller.lang
    officers = await shifts_store.open_on_desk(db, desk.id)
    state = desk_state(await schedule_of(db, desk), desk.tz, len(officers), now)
    lines = [t(lang, "desk.title", desk=desk.name, code=desk.code)]
    lines.append(t(lang, "desk.duty_on", until=fmt_until(lang, state.span.end, desk.tz, now),
                   open=len(officers), min=state.min_staff) if state.span
                 else t(lang, "desk.duty_off", open=len(officers)))
    alert = await alerts_store.open_for_desk(db, desk.id)
    if alert is not None:
        lines.append(t(lang, "desk.alert", since=fmt_time(lang, alert.short_since, desk.tz, now)))
    for shift in officers:
        member = await members_store.get(db, shift.member_id)
        lines.append(t(lang, "desk.officer", who=mention(member),
                       since=fmt_time(lang, shift.started_at, desk.tz, now)))
    # Whom to call: everyone registered at the desk, each name a tap away.
    on_duty = {shift.member_id for shift in officers}
    others = [m for m in await membership.at_desk(db, desk.id) if m.telegram_id not in on_duty]
    off = [m for m in others if m.member_role is Role.OFFICER]
    heads = [m for m in others if m.member_role is Role.SUPERVISOR]
    if off:
        lines.append(t(lang, "desk.off_duty", who=_people(off)))
    if heads:
        lines.append(t(lang, "desk.supervisors", who=_people(heads)))
    if not officers and not off:
        lines.append(t(lang, "desk.no_officers", code=desk.code))
    chat = update.effective_chat
    if chat is not None:
        # A desk may list many people: the view stays within what Telegram takes.
        await context.bot.send_message(chat.id, fit("\n".join(lines), TEXT_MAX))


def _people(members: list[MemberLine]) -> Markup:
    """Tappable mentions of members, comma-separated (HTML)."""
    return Markup(", ".join(mention(member) for member in members))


async def open_alerts(update: Update, context: Ctx) -> None:
    """``/peringatan``: open alerts in the caller's scope, a page at a time, each takeable."""
    caller = await private_supervisor(update, context)
    if caller is None:
        return
    text, markup = await _page(context, caller, 0)
    await reply(update, text, reply_markup=markup)


async def _page(context: Ctx, caller: Caller, number: int
                ) -> tuple[str, InlineKeyboardMarkup | None]:
    """Page ``number`` of the open alerts in the caller's scope, with ‹ › when there are more."""
    db = context.bot_data.db
    total, alerts = await alerts_store.open_in_scope(db, caller.scope_path, number * PAGE, PAGE)
    pages = max(1, (total + PAGE - 1) // PAGE)
    if total and not alerts:  # a page button from when more alerts were open: the last page
        number = pages - 1
        total, alerts = await alerts_store.open_in_scope(db, caller.scope_path,
                                                         number * PAGE, PAGE)
    if not alerts:
        return t(caller.lang, "alerts.none"), None
    listed = await alert_list(db, alerts, caller.lang, utcnow())
    rows = list(listed.keyboard.inline_keyboard) if listed.keyboard else []
    nav = page_row(AlertsPage, number, pages)
    header = t(caller.lang, "alerts.header", n=total, page=number + 1, pages=pages)
    return listed.text(header), InlineKeyboardMarkup([*rows, nav] if nav else rows)


async def turn_page(update: Update, context: Ctx) -> None:
    """‹ / › under ``/peringatan``."""
    await turn_to(update, context, AlertsPage, _page)
