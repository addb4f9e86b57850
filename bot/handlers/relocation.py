"""Recording that a report's TPS moved (``storage.relocations``): the reason as buttons, then
the new place as a location or an address, asked in private.

*Catat pemindahan TPS* sits under the receipt of a ``lokasi_tps`` report with a TPS number and
under that report in ``/laporan``. The reporter, a supervisor whose scope holds the desk, or a
liaison of an agency the report concerns may record it; every press and answer re-reads the
report and the move.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationHandlerStop

from bot.callbacks import TpsMove
from bot.context import Ctx
from bot.handlers.access import Caller, identify
from bot.handlers.common import ask_in_private, edit_or_ignore, popup, pressed, reply
from bot.texts import t
from storage import desks as desks_store
from storage import incidents as incidents_store
from storage import partners, relocations
from storage.incidents import Incident
from storage.models import utcnow
from storage.relocations import REASONS, Begun

MIN_ADDRESS, MAX_ADDRESS = 5, 300


def move_button(lang: str, incident: Incident) -> InlineKeyboardButton | None:
    """*Catat pemindahan TPS* for a report that can record a move; None for any other."""
    if incident.category != relocations.MOVABLE or not incident.tps:
        return None
    return InlineKeyboardButton(t(lang, "move.button", tps=incident.tps),
                                callback_data=TpsMove(incident.id).pack())


async def _may_record(caller: Caller, context: Ctx, incident: Incident) -> bool:
    """The reporter, a supervisor in scope, or a liaison the report concerns."""
    if caller.member is None:
        return False
    if caller.user_id == incident.reporter_id:
        return True
    db = context.bot_data.db
    desk = await desks_store.get(db, incident.desk_id)
    agencies = await partners.agencies_of(db, incident.id) if caller.is_partner else ()
    return desk is not None and caller.can_follow_up(desk, agencies)


async def pressed_move(update: Update, context: Ctx) -> None:
    """The button under a report (ask the reason), or a reason chosen (ask the new place)."""
    press = await pressed(update, context, TpsMove)
    if press is None:
        return
    query, button, caller = press
    db, lang = context.bot_data.db, caller.lang
    incident = await incidents_store.get(db, button.incident_id) if button else None
    if button is None or incident is None or (button.reason and button.reason not in REASONS):
        await popup(query, t(lang, "button.stale"))
        return
    if not await _may_record(caller, context, incident):
        await popup(query, t(lang, "move.not_yours"), show_alert=True)
        return
    if not button.reason:
        begun = await relocations.begin(db, incident.id, caller.user_id, utcnow())
        if begun is not Begun.ASKED:
            key = "move.recorded" if begun is Begun.RECORDED else "move.not_movable"
            await popup(query, t(lang, key, ref=incident.ref), show_alert=True)
            return
        reasons = [InlineKeyboardButton(t(lang, f"move.reason.{reason}"),
                                        callback_data=TpsMove(incident.id, reason).pack())
                   for reason in REASONS]
        await ask_in_private(update, context, query, caller,
                             t(lang, "move.reason_ask", tps=incident.tps, ref=incident.ref),
                             "move.in_private",
                             reply_markup=InlineKeyboardMarkup([reasons[:2], reasons[2:]]))
        return
    if not await relocations.choose_reason(db, incident.id, caller.user_id, button.reason):
        await popup(query, t(lang, "move.recorded", ref=incident.ref), show_alert=True)
        return
    await query.answer()
    await edit_or_ignore(query, t(lang, "move.place_ask", tps=incident.tps, min=MIN_ADDRESS,
                                  max=MAX_ADDRESS))


async def place_input(update: Update, context: Ctx) -> None:
    """A private message while a move waits for its new place: it is that place.

    Runs before the other handlers; when it consumes the message it stops them (a location
    sent now is the TPS's, not a check-in), otherwise the message goes on as usual.
    """
    message = update.message
    caller = await identify(update, context)
    if message is None or caller is None or caller.member is None:
        return
    db = context.bot_data.db
    move = await relocations.waiting_for_place(db, caller.user_id)
    if move is None:
        return
    text = (message.text or "").strip()
    place = message.location
    valid = place is not None and -90 <= place.latitude <= 90 and -180 <= place.longitude <= 180
    if not valid and not MIN_ADDRESS <= len(text) <= MAX_ADDRESS:
        await reply(update, t(caller.lang, "move.place_only", tps=move.tps, min=MIN_ADDRESS,
                              max=MAX_ADDRESS))
        raise ApplicationHandlerStop
    incident = await incidents_store.get(db, move.incident_id)
    desk = await desks_store.get(db, move.desk_id)
    assert incident is not None and desk is not None  # a move's foreign keys
    # The desk's supervisors, its groups and the KPU liaisons: who organises the TPS.
    chats = [chat for chat in await incidents_store.recipients(db, desk, "info", ("kpu",))
             if chat != caller.user_id]
    if await relocations.place(db, move, latitude=place.latitude if place and valid else None,
                               longitude=place.longitude if place and valid else None,
                               address=None if valid else text, chats=chats, now=utcnow()):
        context.bot_data.sender.wake()
        await reply(update, t(caller.lang, "move.done", tps=move.tps))
    raise ApplicationHandlerStop
