"""Presence at the desk: ``/checkin`` with a location, live-location updates, ``/checkout``."""

from __future__ import annotations

from datetime import datetime, timedelta

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)

from bot.callbacks import Checkout
from bot.context import Ctx
from bot.handlers import pledge
from bot.handlers.access import Caller, identify
from bot.handlers.common import edit_or_ignore, popup, pressed, private_member, reply
from bot.texts import fmt_distance, fmt_duration, fmt_seconds, fmt_time, t
from storage import shifts as shifts_store
from storage.desks import schedule_of
from storage.models import Desk, EndReason, Shift, utcnow
from storage.rules.duty import desk_state
from storage.rules.geo import LocationCheck, LocationFacts, Verdict, check_location
from storage.shifts import StartOutcome


def _seconds(value: int | timedelta | None) -> int:
    if value is None:
        return 0
    return int(value.total_seconds()) if isinstance(value, timedelta) else int(value)


def location_facts(message: Message) -> LocationFacts | None:
    """The facts of a location message that the geofence rules judge."""
    location = message.location
    if location is None:
        return None
    return LocationFacts(
        latitude=location.latitude,
        longitude=location.longitude,
        sent_at=message.edit_date or message.date,
        forwarded=message.forward_origin is not None,
        venue=message.venue is not None,
        live=_seconds(location.live_period) > 0,
        accuracy_m=location.horizontal_accuracy,
    )


async def _officer(update: Update, context: Ctx) -> tuple[Caller, Desk] | None:
    """The calling officer and their desk, or None after saying why not."""
    caller = await private_member(update, context)
    if caller is None:
        return None
    if not caller.is_officer:
        await reply(update, t(caller.lang, "officers_only"))
        return None
    if caller.desk is None:
        await reply(update, t(caller.lang, "checkin.no_desk"))
        return None
    if await pledge.missing(update, context, caller):  # no duty before the pledge
        return None
    return caller, caller.desk


async def checkin(update: Update, context: Ctx) -> None:
    """Ask for the officer's current location with a *request location* button."""
    found = await _officer(update, context)
    if found is None:
        return
    caller, desk = found
    shift = await shifts_store.open_shift(context.bot_data.db, caller.user_id)
    if shift is not None:
        await reply(update, t(caller.lang, "checkin.already", desk=desk.name,
                              since=fmt_time(caller.lang, shift.started_at, desk.tz, utcnow())))
        return
    if context.bot_data.settings.require_live_location:
        # The request-location button sends a one-shot location, which is refused here.
        await reply(update, t(caller.lang, "checkin.ask_live", desk=desk.name))
        return
    await reply(update, t(caller.lang, "checkin.ask", desk=desk.name),
                reply_markup=_location_button(caller.lang))


def _location_button(lang: str) -> ReplyKeyboardMarkup:
    """The one-tap *send my location* keyboard (a one-shot location, see storage.rules.geo)."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(t(lang, "checkin.button"), request_location=True)]],
        resize_keyboard=True, one_time_keyboard=True)


def _rejection(caller: Caller, desk: Desk, check: LocationCheck, max_age: timedelta) -> str:
    lang = caller.lang
    if check.verdict is Verdict.TOO_FAR and check.distance_m is not None:
        return t(lang, "loc.too_far", desk=desk.name, distance=fmt_distance(lang, check.distance_m),
                 radius=fmt_distance(lang, desk.radius_m))
    if check.verdict is Verdict.IMPRECISE and check.accuracy_m is not None:
        return t(lang, "loc.imprecise", accuracy=fmt_distance(lang, check.accuracy_m),
                 radius=fmt_distance(lang, desk.radius_m))
    if check.verdict is Verdict.STALE:
        return t(lang, "loc.stale", max=fmt_seconds(lang, max_age))
    if check.verdict is Verdict.NO_DESK_LOCATION:
        return t(lang, "loc.no_desk_location", desk=desk.name)
    return t(lang, f"loc.{check.verdict}")


async def location(update: Update, context: Ctx) -> None:
    """A location from an officer: check in if off duty, refresh presence if live and on duty."""
    message = update.effective_message
    if message is None:
        return
    found = await _officer(update, context)
    if found is None:
        return
    caller, desk = found
    facts = location_facts(message)
    if facts is None:
        return
    db, settings = context.bot_data.db, context.bot_data.settings
    now = utcnow()
    # Fresh means fresh when it arrived, on Telegram's clock (bot.updates.clock).
    received = context.bot_data.clock.received(update.update_id)
    check = check_location(facts, desk.latitude, desk.longitude, desk.radius_m, received,
                           settings.location_max_age,
                           require_live=settings.require_live_location)
    if not check.ok:
        # The button comes back with every refusal a new location can mend, so an officer on
        # a cheap phone need not type /checkin again; not where only a live location will do.
        again = check.verdict not in (Verdict.NOT_LIVE, Verdict.NO_DESK_LOCATION)
        await reply(update, _rejection(caller, desk, check, settings.location_max_age),
                    reply_markup=_location_button(caller.lang) if again else None)
        return
    live_until = None
    if facts.live and message.location is not None:
        live_until = message.date + timedelta(seconds=_seconds(message.location.live_period))
    started = await shifts_store.start(db, member_id=caller.user_id, desk_id=desk.id,
                                       facts=facts, check=check, live_until=live_until,
                                       update_id=update.update_id, now=now)
    shift = started.shift
    if started.outcome is StartOutcome.ALREADY_OPEN:
        if facts.live:  # sharing live location while on duty keeps presence fresh
            await shifts_store.refresh(db, shift.id, facts=facts, distance=check.distance_m,
                                       inside=True, now=now)
        await reply(update, t(caller.lang, "checkin.already", desk=desk.name,
                              since=fmt_time(caller.lang, shift.started_at, desk.tz, now)),
                    reply_markup=ReplyKeyboardRemove())
        return
    lang = caller.lang
    text = t(lang, "checkin.ok", desk=desk.name, time=fmt_time(lang, shift.started_at, desk.tz),
             distance=fmt_distance(lang, shift.distance_m))
    if shift.live_until is not None:
        text += "\n" + t(lang, "checkin.ok_live", until=fmt_time(lang, shift.live_until, desk.tz))
    await reply(update, text, reply_markup=ReplyKeyboardRemove())


async def live_update(update: Update, context: Ctx) -> None:
    """An update of a shared live location: keeps the open shift's presence fresh (silently)."""
    message = update.edited_message
    if message is None or update.effective_user is None:
        return
    caller = await identify(update, context)
    if caller is None or not caller.is_officer or caller.desk is None:
        return
    facts = location_facts(message)
    db, settings = context.bot_data.db, context.bot_data.settings
    shift = await shifts_store.open_shift(db, caller.user_id)
    if facts is None or shift is None:
        return
    desk, now = caller.desk, utcnow()
    received = context.bot_data.clock.received(update.update_id)
    check = check_location(facts, desk.latitude, desk.longitude, desk.radius_m, received,
                           settings.location_max_age,
                           require_live=settings.require_live_location)
    # The last edit of a live location that has stopped carries no live period: with live
    # locations required it would read as NOT_LIVE, and it proves nothing either way.
    if check.verdict in (Verdict.STALE, Verdict.INVALID, Verdict.FORWARDED, Verdict.VENUE,
                         Verdict.IMPRECISE, Verdict.NOT_LIVE):
        return  # an old, bogus or imprecise update proves nothing either way
    await shifts_store.refresh(db, shift.id, facts=facts, distance=check.distance_m,
                               inside=check.ok, now=now)


def _checkout_keyboard(lang: str, shift: Shift) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(t(lang, "checkout.yes"),
                             callback_data=Checkout(shift.id, "y").pack()),
        InlineKeyboardButton(t(lang, "checkout.no"),
                             callback_data=Checkout(shift.id, "n").pack()),
    ]])


async def checkout(update: Update, context: Ctx) -> None:
    """End the open shift; ask first if that would leave the desk short during duty."""
    found = await _officer(update, context)
    if found is None:
        return
    caller, desk = found
    db, now = context.bot_data.db, utcnow()
    done = await shifts_store.ended_by(db, caller.user_id, update.update_id)
    if done is not None and done.ended_at is not None:  # this very update, delivered again
        await reply(update, _receipt(caller, desk, done, done.ended_at))
        return
    shift = await shifts_store.open_shift(db, caller.user_id)
    if shift is None:
        await reply(update, t(caller.lang, "checkout.none"))
        return
    left = await shifts_store.open_count(db, shift.desk_id) - 1
    state = desk_state(await schedule_of(db, desk), desk.tz, left, now)
    if state.short:
        await reply(update, t(caller.lang, "checkout.confirm_empty", desk=desk.name, left=left,
                              min=state.min_staff),
                    reply_markup=_checkout_keyboard(caller.lang, shift))
        return
    await reply(update, await _end(context, caller, desk, shift, now, update.update_id))


def _receipt(caller: Caller, desk: Desk, shift: Shift, ended: datetime) -> str:
    return t(caller.lang, "checkout.ok", time=fmt_time(caller.lang, ended, desk.tz),
             duration=fmt_duration(caller.lang, ended - shift.started_at))


async def _end(context: Ctx, caller: Caller, desk: Desk, shift: Shift, now: datetime,
               update_id: int) -> str:
    """Close the shift and word the receipt (a repeat closes nothing and gets 'not on duty')."""
    if not await shifts_store.end(context.bot_data.db, shift.id, EndReason.MANUAL, now,
                                  update_id):
        return t(caller.lang, "checkout.none")
    return _receipt(caller, desk, shift, now)


async def checkout_confirmed(update: Update, context: Ctx) -> None:
    """The answer to "leave the desk short?": check out, or stay."""
    press = await pressed(update, context, Checkout)
    if press is None:
        return
    query, button, caller = press
    shift = await shifts_store.get(context.bot_data.db, button.shift_id) if button else None
    if shift is None or shift.member_id != caller.user_id:
        await popup(query, t(caller.lang, "button.not_yours" if shift else "button.stale"))
        return
    if button is None or shift.ended_at is not None or caller.desk is None:
        await popup(query, t(caller.lang, "button.stale"))
        await edit_or_ignore(query, t(caller.lang, "checkout.none"))
        return
    await query.answer()
    if button.answer == "n":
        await edit_or_ignore(query, t(caller.lang, "checkout.kept"))
        return
    await edit_or_ignore(query, await _end(context, caller, caller.desk, shift, utcnow(),
                                           update.update_id))
