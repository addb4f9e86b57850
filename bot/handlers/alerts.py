"""Empty-desk alerts in chat: *Saya tangani*, *Lihat posko*, ``/peringatan``, ``/langganan``,
and the officer's answer to "Masih bertugas?"."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.context import Ctx
from bot.handlers.access import Caller, identify
from bot.handlers.common import (
    callback_id,
    edit_or_ignore,
    popup,
    pressed,
    private_supervisor,
    reply,
)
from bot.outbox.render import ACK_PREFIX, DESK_PREFIX, PRESENCE_PREFIX, Renderer, mention
from bot.texts import fmt_time, t
from storage import alerts as alerts_store
from storage import desks as desks_store
from storage import members as members_store
from storage import presence as presence_store
from storage import shifts as shifts_store
from storage import subscriptions as subscriptions_store
from storage.alerts import AckOutcome
from storage.desks import schedule_of
from storage.models import Desk, utcnow
from storage.presence import AnswerOutcome
from storage.rules.duty import desk_state


async def _desk_in_scope(caller: Caller, context: Ctx, desk_id: int | None) -> Desk | None:
    desk = await desks_store.get(context.bot_data.db, desk_id) if desk_id else None
    return desk if desk is not None and caller.can_oversee(desk) else None


async def acknowledge(update: Update, context: Ctx) -> None:
    """*Saya tangani*: take the alert (scope checked); every recipient's message shows who."""
    press = await pressed(update, context)
    if press is None:
        return
    query, data, caller = press
    db = context.bot_data.db
    alert_id = callback_id(data, ACK_PREFIX)
    found = await alerts_store.get_many(db, [alert_id]) if alert_id else []
    desk = await desks_store.get(db, found[0].desk_id) if found else None
    if desk is None:
        await popup(query, t(caller.lang, "button.stale"))
        return
    if caller.member is None or not caller.can_oversee(desk):
        await popup(query, t(caller.lang, "out_of_scope", code=desk.code), show_alert=True)
        return
    outcome = await alerts_store.acknowledge(db, found[0].id, caller.user_id, utcnow())
    if outcome is AckOutcome.ACKED:
        context.bot_data.sender.wake()
        await popup(query, t(caller.lang, "ack.done", desk=desk.name))
    elif outcome is AckOutcome.ALREADY:
        (current,) = await alerts_store.get_many(db, [found[0].id])
        taker = await members_store.get(db, current.acked_by) if current.acked_by else None
        await popup(query, t(caller.lang, "ack.already", who=taker.full_name if taker else "?"))
    else:
        await popup(query, t(caller.lang, "ack.resolved" if outcome is AckOutcome.RESOLVED
                             else "button.stale"))


async def desk_view(update: Update, context: Ctx) -> None:
    """*Lihat posko*: the desk's duty state, who is there, and its open alert."""
    press = await pressed(update, context)
    if press is None:
        return
    query, data, caller = press
    desk = await _desk_in_scope(caller, context, callback_id(data, DESK_PREFIX))
    if desk is None:
        await popup(query, t(caller.lang, "button.stale"))
        return
    await query.answer()
    db, now, lang = context.bot_data.db, utcnow(), caller.lang
    officers = await shifts_store.open_on_desk(db, desk.id)
    state = desk_state(await schedule_of(db, desk), desk.tz, len(officers), now)
    lines = [t(lang, "desk.title", desk=desk.name, code=desk.code)]
    lines.append(t(lang, "desk.duty_on", until=fmt_time(state.span.end, desk.tz, now),
                   open=len(officers), min=state.min_staff) if state.span
                 else t(lang, "desk.duty_off", open=len(officers)))
    for shift in officers:
        member = await members_store.get(db, shift.member_id)
        lines.append(t(lang, "desk.officer", who=mention(member),
                       since=fmt_time(shift.started_at, desk.tz, now)))
    alert = await alerts_store.open_for_desk(db, desk.id)
    if alert is not None:
        lines.append(t(lang, "desk.alert", since=fmt_time(alert.short_since, desk.tz, now)))
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, "\n".join(lines))


async def open_alerts(update: Update, context: Ctx) -> None:
    """``/peringatan``: open alerts in the caller's scope, each with its buttons."""
    caller = await private_supervisor(update, context)
    if caller is None:
        return
    db = context.bot_data.db
    alerts = await alerts_store.open_in_scope(db, caller.scope_path)
    if not alerts:
        await reply(update, t(caller.lang, "alerts.none"))
        return
    renderer = Renderer(db, context.bot_data.settings)
    lines = [t(caller.lang, "alerts.header", n=len(alerts)),
             *await renderer.alert_lines(alerts, caller.lang, utcnow())]
    await reply(update, "\n".join(lines),
                reply_markup=await renderer.alert_keyboard(alerts, caller.lang))


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


async def subscribe(update: Update, context: Ctx) -> None:
    """``/langganan [off]`` in a group: the group receives the alerts of the caller's scope."""
    caller = await identify(update, context)
    chat = update.effective_chat
    if caller is None or chat is None:
        return
    if chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):  # strangers: how to register
        await reply(update, t(caller.lang, "subscribe.groups_only" if caller.role is not None
                              else "unknown_user"))
        return
    if not caller.is_supervisor:
        await reply(update, t(caller.lang, "supervisors_only"))
        return
    db = context.bot_data.db
    if context.args and context.args[0].lower() in ("off", "stop", "berhenti"):
        stopped = await subscriptions_store.unsubscribe(db, chat.id)
        await reply(update, t(caller.lang, "subscribe.off" if stopped else "subscribe.none"))
        return
    desk = caller.desk
    if context.args:  # a code in the caller's scope narrows the subscription
        desk = await desks_store.by_code(db, context.args[0])
        if desk is None or not caller.can_oversee(desk):
            await reply(update, t(caller.lang, "out_of_scope", code=context.args[0][:40]))
            return
    if desk is None:  # an admin without a desk must name one
        await reply(update, t(caller.lang, "subscribe.usage"))
        return
    await subscriptions_store.subscribe(db, chat.id, desk.id, chat.title, caller.user_id,
                                        utcnow())
    await reply(update, t(caller.lang, "subscribe.done", scope=desk.name))
