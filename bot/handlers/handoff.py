"""*Teruskan*: a supervisor hands a report to a partner agency (``storage.partners``).

The button under a report (in a private chat or a group) offers the agencies in the
presser's private chat; the agency tapped there is recorded in one transaction, the report
goes to that agency's liaisons in scope, and the reporter is told. Both presses re-read the
report and re-check the presser: only a supervisor whose scope holds the report's desk.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import ReportHandOff, ReportHandTo
from bot.context import Ctx
from bot.handlers.access import Caller
from bot.handlers.common import ask_in_private, edit_or_ignore, popup, pressed
from bot.texts import t
from storage import desks as desks_store
from storage import incidents as incidents_store
from storage import partners
from storage.incidents import Incident
from storage.models import Desk, utcnow
from storage.partners import HandOff

PER_ROW = 3  # agency buttons per row


async def _report_of(caller: Caller, context: Ctx, incident_id: int | None
                     ) -> tuple[Incident, Desk] | str:
    """The open report and its desk if the caller is a supervisor in its scope; else why not."""
    db = context.bot_data.db
    incident = await incidents_store.get(db, incident_id) if incident_id else None
    desk = await desks_store.get(db, incident.desk_id) if incident else None
    if incident is None or desk is None:
        return t(caller.lang, "button.stale")
    if not caller.is_supervisor:
        return t(caller.lang, "supervisors_only")
    if not caller.can_oversee(desk):
        return t(caller.lang, "out_of_scope", code=desk.code)
    if incident.status == "selesai":
        return t(caller.lang, "incident.closed", ref=incident.ref)
    return incident, desk


async def offer(update: Update, context: Ctx) -> None:
    """*Teruskan*: the agencies the report does not concern yet, as buttons in private."""
    press = await pressed(update, context, ReportHandOff)
    if press is None:
        return
    query, button, caller = press
    found = await _report_of(caller, context, button.incident_id if button else None)
    if isinstance(found, str):
        await popup(query, found, show_alert=True)
        return
    incident, _ = found
    routing = context.bot_data.settings.routing
    concerned = set(await partners.agencies_of(context.bot_data.db, incident.id))
    choices = [InlineKeyboardButton(name, callback_data=ReportHandTo(incident.id, key).pack())
               for key, name in routing.agencies.items() if key not in concerned]
    if not choices:
        await popup(query, t(caller.lang, "handoff.none_left", ref=incident.ref),
                    show_alert=True)
        return
    rows = [choices[i:i + PER_ROW] for i in range(0, len(choices), PER_ROW)]
    text = t(caller.lang, "handoff.choose", ref=incident.ref,
             already=", ".join(routing.name(a) for a in sorted(concerned)) or "—")
    await ask_in_private(update, context, query, caller, text, "handoff.in_private",
                         reply_markup=InlineKeyboardMarkup(rows))


async def hand_to(update: Update, context: Ctx) -> None:
    """An agency tapped: hand the report over and say to how many of its liaisons."""
    press = await pressed(update, context, ReportHandTo)
    if press is None:
        return
    query, button, caller = press
    routing = context.bot_data.settings.routing
    if button is None or button.agency not in routing.agencies:
        await popup(query, t(caller.lang, "button.stale"))
        return
    found = await _report_of(caller, context, button.incident_id)
    if isinstance(found, str):
        await popup(query, found, show_alert=True)
        return
    incident, desk = found
    db, name = context.bot_data.db, routing.name(button.agency)
    chats = await partners.liaisons(db, desk.path, [button.agency])
    outcome = await partners.hand_off(db, incident.id, button.agency, name, caller.user_id,
                                      chats, utcnow())
    if outcome is HandOff.ALREADY:
        await popup(query, t(caller.lang, "handoff.already", ref=incident.ref, agency=name),
                    show_alert=True)
        return
    if outcome is not HandOff.DONE:
        await popup(query, t(caller.lang, "incident.closed" if outcome is HandOff.CLOSED
                             else "button.stale", ref=incident.ref), show_alert=True)
        return
    context.bot_data.sender.wake()
    await query.answer()
    key = "handoff.done" if chats else "handoff.done_nobody"
    await edit_or_ignore(query, t(caller.lang, key, ref=incident.ref, agency=name,
                                  n=len(chats)))
