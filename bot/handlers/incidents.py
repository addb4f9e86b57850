"""Following reports up: *Tangani*, *Selesai* with its closing note, and ``/laporan``."""

from __future__ import annotations

import html

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationHandlerStop

from bot.callbacks import ReportFinish, ReportsPage, ReportTake
from bot.context import Ctx
from bot.handlers.access import Caller, identify
from bot.handlers.common import (
    ask_in_private,
    popup,
    pressed,
    private_supervisor,
    reply,
    turn_to,
)
from bot.handlers.relocation import move_button
from bot.texts import Markup, fmt_time, t
from bot.views.incidents import (
    follow_up_buttons,
    incident_text,
    member_name,
    severity_icon,
    status_line,
)
from bot.views.limits import TEXT_MAX, fit
from bot.views.pages import page_row
from storage import desks as desks_store
from storage import incidents as incidents_store
from storage import members as members_store
from storage import partners
from storage.incidents import FollowUp, Incident
from storage.models import Desk, utcnow

PAGE = 5
MIN_NOTE, MAX_NOTE = 3, 1000
# UTF-16 units of a closing note where it is one line among others: in the open-reports list
# and in a report's history (the report itself shows the note in full above the history).
LIST_NOTE_ROOM = 200
HISTORY_NOTE_ROOM = 300


async def _reachable(caller: Caller, context: Ctx, incident_id: int | None
                     ) -> tuple[Incident, Desk] | None:
    """The report and its desk if the caller may follow it up: a supervisor whose scope
    contains it, or a liaison in scope of an agency it concerns."""
    db = context.bot_data.db
    incident = await incidents_store.get(db, incident_id) if incident_id else None
    desk = await desks_store.get(db, incident.desk_id) if incident else None
    if incident is None or desk is None:
        return None
    agencies = await partners.agencies_of(db, incident.id) if caller.is_partner else ()
    return (incident, desk) if caller.can_follow_up(desk, agencies) else None


async def _refusal(caller: Caller, context: Ctx, incident_id: int | None) -> str:
    """Why the caller may not act on this report, in one short line."""
    db = context.bot_data.db
    incident = await incidents_store.get(db, incident_id) if incident_id else None
    desk = await desks_store.get(db, incident.desk_id) if incident else None
    if desk is None:
        return t(caller.lang, "button.stale")
    if caller.is_partner and caller.desk is not None \
            and desks_store.within(caller.desk.path, desk.path):
        return t(caller.lang, "incident.not_for_agency",
                 agency=context.bot_data.settings.routing.name(caller.agency or ""))
    if caller.follows_reports:  # a supervisor or liaison, but of another area
        return t(caller.lang, "out_of_scope", code=desk.code)
    return t(caller.lang, "supervisors_only")


async def _pressed_report(update: Update, context: Ctx,
                          kind: type[ReportTake] | type[ReportFinish]
                          ) -> tuple[CallbackQuery, Caller, Incident] | None:
    """A *Tangani*/*Selesai* press on a report the caller may act on; others get why not."""
    press = await pressed(update, context, kind)
    if press is None:
        return None
    query, button, caller = press
    incident_id = button.incident_id if button else None
    found = await _reachable(caller, context, incident_id)
    if found is None or caller.member is None:
        await popup(query, await _refusal(caller, context, incident_id), show_alert=True)
        return None
    return query, caller, found[0]


async def take(update: Update, context: Ctx) -> None:
    """*Tangani*: the report becomes ``ditangani`` by the caller; everyone sees who."""
    press = await _pressed_report(update, context, ReportTake)
    if press is None:
        return
    query, caller, incident = press
    db = context.bot_data.db
    outcome = await incidents_store.take(db, incident.id, caller.user_id, utcnow())
    if outcome is FollowUp.DONE:
        context.bot_data.sender.wake()
        await popup(query, t(caller.lang, "incident.taken", ref=incident.ref))
    elif outcome is FollowUp.CLOSED:
        await popup(query, t(caller.lang, "incident.closed", ref=incident.ref))
    else:
        current = await incidents_store.get(db, incident.id)
        handler = (await members_store.get(db, current.handler_id)
                   if current and current.handler_id else None)
        await popup(query, t(caller.lang, "incident.already", ref=incident.ref,
                             who=handler.full_name if handler else "?"))


async def finish(update: Update, context: Ctx) -> None:
    """*Selesai*: ask the caller, in private, for the closing note."""
    press = await _pressed_report(update, context, ReportFinish)
    if press is None:
        return
    query, caller, incident = press
    if incident.status == "selesai":
        await popup(query, t(caller.lang, "incident.closed", ref=incident.ref))
        return
    await incidents_store.ask_closing_note(context.bot_data.db, incident.id, caller.user_id,
                                           utcnow())
    if not await ask_in_private(update, context, query, caller,
                                t(caller.lang, "incident.note_ask", ref=incident.ref),
                                "incident.note_in_private"):
        await incidents_store.drop_note(context.bot_data.db, caller.user_id)


async def closing_note(update: Update, context: Ctx) -> None:
    """A private message from a supervisor who owes a closing note: it is that note.

    Runs before the report router and the other handlers; when it consumes the message it
    stops them, otherwise the message goes on as usual.
    """
    caller = await identify(update, context)
    # Only supervisors tap Selesai: officers' messages skip the lookup.
    if update.message is None or caller is None or caller.member is None \
            or not caller.follows_reports:
        return
    db = context.bot_data.db
    incident_id = await incidents_store.pending_note(db, caller.user_id)
    if incident_id is None:
        return
    if await _reachable(caller, context, incident_id) is None:
        return  # demoted or moved since Selesai: the report is no longer theirs to close
    text = update.message.text
    if text is None or not MIN_NOTE <= len(text.strip()) <= MAX_NOTE:
        await reply(update, t(caller.lang, "incident.note_bounds", min=MIN_NOTE, max=MAX_NOTE))
        raise ApplicationHandlerStop
    outcome, incident = await incidents_store.close(db, caller.user_id, text.strip(), utcnow())
    if incident is not None and outcome is FollowUp.DONE:
        context.bot_data.sender.wake()
        await reply(update, t(caller.lang, "incident.note_done", ref=incident.ref))
    elif incident is not None:
        await reply(update, t(caller.lang, "incident.closed", ref=incident.ref))
    raise ApplicationHandlerStop


async def open_reports(update: Update, context: Ctx) -> None:
    """``/laporan [LP-…]``: open reports in scope (paged), or one report with its history; a
    liaison sees those of their agency."""
    caller = await private_supervisor(update, context, partners=True)
    if caller is None:
        return
    if context.args:
        await _one(update, context, caller, context.args[0][:80])
        return
    text, markup = await page(context, caller, 0)
    await reply(update, text, reply_markup=markup)


async def page(context: Ctx, caller: Caller, number: int
               ) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of the open-reports list with follow-up and paging buttons."""
    db, routing = context.bot_data.db, context.bot_data.settings.routing
    total, found = await incidents_store.open_in_scope(db, caller.scope_path, number * PAGE,
                                                       PAGE, caller.agency)
    if total == 0:
        return t(caller.lang, "incidents.none"), None
    pages = (total + PAGE - 1) // PAGE
    if number >= pages:  # a page button from when more reports were open: the last page
        number = pages - 1
        total, found = await incidents_store.open_in_scope(db, caller.scope_path,
                                                           number * PAGE, PAGE, caller.agency)
    lines = [t(caller.lang, "incidents.header", n=total, page=number + 1, pages=pages)]
    rows: list[list[InlineKeyboardButton]] = []
    now = utcnow()
    for incident in found:
        desk = await desks_store.get(db, incident.desk_id)
        if desk is None:
            continue
        status = await status_line(db, incident, caller.lang, routing, LIST_NOTE_ROOM)
        lines.append(t(caller.lang, "incidents.line", icon=severity_icon(incident.severity),
                       ref=incident.ref, category=t(caller.lang, f"cat.{incident.category}"),
                       desk=desk.name,
                       time=fmt_time(caller.lang, incident.created_at, desk.tz, now),
                       status=Markup(status)))
        rows.extend(follow_up_buttons(incident, caller.lang, with_ref=True,
                                      hand_off=caller.is_supervisor))
    nav = page_row(ReportsPage, number, pages)
    return fit("\n".join(lines), TEXT_MAX), InlineKeyboardMarkup([*rows, nav] if nav else rows)


async def turn_page(update: Update, context: Ctx) -> None:
    """‹ / › under the open-reports list."""
    await turn_to(update, context, ReportsPage, page, partners=True)


async def _one(update: Update, context: Ctx, caller: Caller, ref: str) -> None:
    db, routing = context.bot_data.db, context.bot_data.settings.routing
    incident = await incidents_store.by_ref(db, ref)
    found = await _reachable(caller, context, incident.id if incident else None)
    if found is None:
        await reply(update, t(caller.lang, "incidents.unknown", ref=ref))
        return
    incident, desk = found
    lines = ["", t(caller.lang, "incidents.history")]
    for at, actor, status, note in await incidents_store.history(db, incident.id):
        who = await members_store.get(db, actor) if actor else None
        lines.append(t(caller.lang, "incidents.history_line",
                       time=fmt_time(caller.lang, at, desk.tz),
                       status=t(caller.lang, f"status.{status}"),
                       who=member_name(who, routing),
                       note=Markup(": " + fit(html.escape(note, quote=False), HISTORY_NOTE_ROOM))
                       if note else ""))
    text = await incident_text(db, incident, caller.lang, routing, after=lines, pointer=False)
    markup = follow_up_buttons(incident, caller.lang, hand_off=caller.is_supervisor)
    if (move := move_button(caller.lang, incident)) is not None:
        markup.append([move])
    await reply(update, text,
                reply_markup=InlineKeyboardMarkup(markup) if markup else None)
