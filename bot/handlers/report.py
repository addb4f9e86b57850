"""``/lapor``: the guided incident report, a flow whose state is a draft row in SQLite.

category → severity → description → location (or skip) → attachments (or skip) → TPS number
(or skip) → summary with *Kirim* / *Ubah* / *Batal*. Because every step is stored, the draft
survives a restart; ``/batal`` deletes it; *Kirim* on the same draft twice makes one report.
Buttons carry the draft id, so a button of an older draft is recognised as stale.

*Ubah* lists the answers; the one chosen is asked again (its old answer dropped) and the draft
is marked ``revising``, so the next answer leads back to the summary, through only the
questions that answer left open (a category changed from *Kondusif* still needs a severity and
a description). The other answers, a typed description above all, are kept.

A button answered turns its own message into the next question (one edit, where removing the
buttons and sending a new question would take two calls), so the chat keeps one live question
with buttons. The location step is the exception: its 📍 button can only live under the input
field, and a message cannot carry that keyboard and inline buttons at once. So its *Lewati* and
*Batal* sit there too, as buttons that send their label, and the message that answers them takes
the keyboard away.
"""

from __future__ import annotations

import re
from contextlib import suppress

from telegram import (
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop

from bot.callbacks import ReportAction, ReportStep
from bot.context import Ctx
from bot.handlers.access import Caller, identify
from bot.handlers.common import edit_or_ignore, popup, pressed, private_member, reply
from bot.handlers.relocation import move_button
from bot.texts import t
from bot.views.report import (
    FIXABLE,
    MAX_TEXT,
    MIN_TEXT,
    draft_button,
    fix_menu,
    fixable,
    prompt,
)
from storage import desks as desks_store
from storage import drafts as drafts_store
from storage import incidents as incidents_store
from storage import partners
from storage.drafts import MAX_MEDIA, Draft, Step
from storage.incidents import ALL_CLEAR, CATEGORIES, SEVERITIES
from storage.models import utcnow

_TPS = re.compile(r"^\s*(?:tps\s*)?(\d{1,3})\s*$", re.IGNORECASE)
# A button counts only on the steps that ask it, with one of its values.
_STEPS_OF: dict[ReportAction, tuple[Step, ...]] = {
    "cat": (Step.CATEGORY,), "sev": (Step.SEVERITY,), "done": (Step.MEDIA,),
    "skip": (Step.LOCATION, Step.MEDIA, Step.TPS), "help": (Step.CATEGORY,),
    "edit": (Step.CONFIRM,), "fix": (Step.CONFIRM,), "back": (Step.CONFIRM,), "send": (),
    "cancel": tuple(Step)}
_VALUES = {"cat": CATEGORIES, "sev": SEVERITIES, "help": ("0", "1"), "fix": tuple(FIXABLE)}
# What reopening a question drops: its answer is asked anew. The category keeps the old one
# until the new arrives, which tells whether severity and description must be asked too.
_DROPPED: dict[Step, dict[str, object]] = {
    Step.CATEGORY: {}, Step.SEVERITY: {"severity": None}, Step.DESCRIPTION: {"description": None},
    Step.LOCATION: {"latitude": None, "longitude": None}, Step.MEDIA: {"media": []},
    Step.TPS: {"tps": None}}
_AFTER = {Step.MEDIA: Step.TPS, Step.TPS: Step.CONFIRM}  # the step a skip or done leads to


async def _drop_buttons(query: CallbackQuery) -> None:
    """Take the buttons off an answered question (failing changes nothing)."""
    with suppress(BadRequest):
        await query.edit_message_reply_markup(None)


async def _ask(update: Update, context: Ctx, caller: Caller, draft: Draft,
               query: CallbackQuery | None = None, *, hints: bool = False) -> None:
    """Ask the current step's question: in the pressed button's message when there is one,
    else as a new message (with the location button on the location step)."""
    desk = (caller.desk if caller.desk is not None and caller.desk.id == draft.desk_id
            else await desks_store.get(context.bot_data.db, draft.desk_id))
    text, markup = prompt(draft, caller.lang, desk.name if desk else "?", hints=hints)
    chat = update.effective_chat
    if chat is None:
        return
    if query is not None:
        if isinstance(markup, InlineKeyboardMarkup):
            try:
                await query.edit_message_text(text, reply_markup=markup)
                return
            except BadRequest as exc:  # deleted, or too old to edit: ask anew below
                if "not modified" in str(exc).lower():  # a double tap: already shown
                    return
        await _drop_buttons(query)
    await context.bot.send_message(chat.id, text, reply_markup=markup)


async def lapor(update: Update, context: Ctx) -> None:
    """Start a report at the caller's desk (officers and supervisors)."""
    caller = await private_member(update, context)
    if caller is None:
        return
    if caller.desk is None or caller.member is None:
        await reply(update, t(caller.lang, "lapor.no_desk"))
        return
    draft = await drafts_store.start_draft(context.bot_data.db, caller.user_id,
                                           caller.desk.id, utcnow(), update.update_id)
    await _ask(update, context, caller, draft)


async def _next(update: Update, context: Ctx, caller: Caller, draft: Draft, step: Step,
                query: CallbackQuery | None = None, **values: object) -> None:
    """Move the draft to ``step`` and ask its question (in the pressed message, if any).

    A draft being revised goes instead to the first required answer still missing, or back
    to the summary.
    """
    if draft.revising and step is not Step.CONFIRM:
        answers = {key: values.get(key, getattr(draft, key))
                   for key in ("category", "severity", "description")}
        step = next((Step(key) for key, value in answers.items() if value is None),
                    Step.CONFIRM)
    moved = await drafts_store.update_draft(context.bot_data.db, draft.id, caller.user_id,
                                               step, utcnow(), **values)
    if moved is not None:
        await _ask(update, context, caller, moved, query)
    elif query is not None:  # the draft went meanwhile (/batal): its buttons go too
        await _drop_buttons(query)


async def button(update: Update, context: Ctx) -> None:
    """A button of the flow: only the current draft's buttons for its current step count."""
    press = await pressed(update, context, ReportStep)
    if press is None:
        return
    query, button, caller = press
    # Only in the author's private chat: the registry refuses a press anywhere else.
    if button is None:
        await popup(query, t(caller.lang, "lapor.stale"))
        return
    action, value = button.action, button.value
    draft = await drafts_store.draft_of(context.bot_data.db, caller.user_id)
    if action == "send":  # first: a repeated Kirim must find the report it made
        await query.answer()
        await _submit(update, context, caller, button.draft_id)
        return
    if (draft is None or draft.id != button.draft_id or draft.step not in _STEPS_OF[action]
            or value not in _VALUES.get(action, ("",))
            or (action == "fix" and value not in fixable(draft))):
        await popup(query, t(caller.lang, "lapor.stale"))
        return
    await query.answer()
    if action == "cancel":
        await _drop_buttons(query)
        await _cancel(update, context, caller)
    elif action == "cat":
        if value == ALL_CLEAR:  # a zero report: straight to the summary
            await _next(update, context, caller, draft, Step.CONFIRM, query, category=value,
                        severity="info", description=t(caller.lang, "lapor.all_clear"))
        elif draft.category == ALL_CLEAR:  # no longer all clear: what it set is asked
            await _next(update, context, caller, draft, Step.SEVERITY, query, category=value,
                        severity=None, description=None)
        else:
            await _next(update, context, caller, draft, Step.SEVERITY, query, category=value)
    elif action == "help":
        await _ask(update, context, caller, draft, query, hints=value == "1")
    elif action == "sev":
        await _next(update, context, caller, draft, Step.DESCRIPTION, query, severity=value)
    elif draft.step is Step.LOCATION:  # skip: a *Lewati* under the "⤵️" of an older version
        await _drop_buttons(query)
        await _skip_location(update, context, caller, draft)
    elif action in ("skip", "done"):
        await _next(update, context, caller, draft, _AFTER[draft.step], query)
    elif action == "edit":
        text, markup = fix_menu(draft, caller.lang)
        await edit_or_ignore(query, text, reply_markup=markup)
    elif action == "back":
        await _ask(update, context, caller, draft, query)
    elif action == "fix":
        step = FIXABLE[value]
        reopened = await drafts_store.update_draft(context.bot_data.db, draft.id,
                                                   caller.user_id, step, utcnow(),
                                                   revising=True, **_DROPPED[step])
        if reopened is not None:
            await _ask(update, context, caller, reopened, query)


async def _cancel(update: Update, context: Ctx, caller: Caller) -> None:
    """Drop the caller's draft; the answer takes the 📍 keyboard away if it is showing."""
    await drafts_store.discard_draft(context.bot_data.db, caller.user_id)
    await reply(update, t(caller.lang, "lapor.cancelled"), reply_markup=ReplyKeyboardRemove())


async def _skip_location(update: Update, context: Ctx, caller: Caller, draft: Draft) -> None:
    """No location: the 📍 keyboard goes with a new message, then the attachments question."""
    await reply(update, t(caller.lang, "lapor.location_skipped"),
                reply_markup=ReplyKeyboardRemove())
    await _next(update, context, caller, draft, Step.MEDIA)


def _typed(text: str | None, lang: str, key: str) -> bool:
    """Whether ``text`` is the label of button ``key``, tapped or typed (without its emoji)."""
    if text is None:
        return False
    label = t(lang, key)
    return text.strip().casefold() in {label.casefold(), label.split(" ")[-1].casefold()}


async def _submit(update: Update, context: Ctx, caller: Caller, draft_id: int) -> None:
    """*Kirim*: commit the report, route it, and only then give the receipt."""
    db, routing = context.bot_data.db, context.bot_data.settings.routing
    draft = await drafts_store.draft_of(db, caller.user_id)
    chats: list[int] = []
    agencies: tuple[str, ...] = ()
    if draft is not None and draft.id == draft_id:
        desk = await desks_store.get(db, draft.desk_id)
        agencies = routing.agencies_for(draft.category or "")
        if desk is not None:
            # The reporter (a supervisor may report too) gets the receipt, not a copy.
            chats = [chat for chat in await incidents_store.recipients(
                db, desk, draft.severity or "info", agencies) if chat != caller.user_id]
    outcome, incident = await incidents_store.submit(db, draft_id, caller.user_id, chats,
                                                     utcnow(), agencies)
    if incident is None:
        await reply(update, t(caller.lang, "lapor.stale"))
        return
    if outcome is incidents_store.SubmitOutcome.CREATED:
        context.bot_data.sender.wake()
    routed = await incidents_store.routed_to(db, incident.id)
    text = t(caller.lang, "lapor.receipt", ref=incident.ref, n=routed)
    if concerned := await partners.agencies_of(db, incident.id):
        text += "\n" + t(caller.lang, "lapor.receipt_agencies",
                         agencies=", ".join(routing.name(a) for a in concerned))
    # The location step's keyboard is gone by now; a TPS that may have moved gets its button.
    button = move_button(caller.lang, incident)
    await reply(update, text, reply_markup=InlineKeyboardMarkup([[button]]) if button
                else ReplyKeyboardRemove())


def _attachment(message: Message) -> tuple[str, str] | None:
    if message.photo:
        return "photo", message.photo[-1].file_id  # the largest size
    if message.video:
        return "video", message.video.file_id
    if message.document:
        return "document", message.document.file_id
    return None


async def route_input(update: Update, context: Ctx) -> None:
    """A private message while a draft waits for input: it is that input.

    Runs before the other handlers; when it consumes the message it stops them, otherwise
    the message goes on to check-in and the fallback as usual.
    """
    message = update.message
    caller = await identify(update, context)
    if message is None or caller is None or caller.member is None:
        return
    draft = await drafts_store.draft_of(context.bot_data.db, caller.user_id)
    if draft is None or (message.location is not None and draft.step is not Step.LOCATION):
        return  # a location the report does not ask for is a check-in (a draft may be old)
    lang, text = caller.lang, message.text
    if draft.step is Step.DESCRIPTION:
        if text is None:
            await reply(update, t(lang, "lapor.text_only"))
        elif len(text.strip()) < MIN_TEXT:
            await reply(update, t(lang, "lapor.description_short", min=MIN_TEXT))
        elif len(text) > MAX_TEXT:
            await reply(update, t(lang, "lapor.description_long", n=len(text), max=MAX_TEXT))
        else:
            await _next(update, context, caller, draft, Step.LOCATION, description=text.strip())
    elif draft.step is Step.LOCATION:
        place = message.location
        if _typed(text, lang, "lapor.skip"):
            await _skip_location(update, context, caller, draft)
        elif _typed(text, lang, "lapor.cancel"):
            await _cancel(update, context, caller)
        elif place is None or not (-90 <= place.latitude <= 90 and -180 <= place.longitude <= 180):
            await reply(update, t(lang, "lapor.location_only"))
        else:
            await reply(update, t(lang, "lapor.location_saved"), reply_markup=ReplyKeyboardRemove())
            await _next(update, context, caller, draft, Step.MEDIA,
                        latitude=place.latitude,
                        longitude=place.longitude)
    elif draft.step is Step.MEDIA:
        await _media(update, context, caller, draft, message)
    elif draft.step is Step.TPS:
        match = _TPS.match(text or "")
        if match is None:
            await reply(update, t(lang, "lapor.tps_invalid"))
        else:
            await _next(update, context, caller, draft, Step.CONFIRM, tps=match[1].zfill(3))
    else:  # a step answered by buttons: show the question again
        await _ask(update, context, caller, draft)
    raise ApplicationHandlerStop


async def _media(update: Update, context: Ctx, caller: Caller, draft: Draft,
                 message: Message) -> None:
    found = _attachment(message)
    lang = caller.lang
    if found is None:
        await reply(update, t(lang, "lapor.media_only"))
        return
    if found in draft.media:  # the same attachment delivered again
        await reply(update, t(lang, "lapor.media_got", n=len(draft.media), max=MAX_MEDIA))
        return
    if len(draft.media) >= MAX_MEDIA:
        await reply(update, t(lang, "lapor.media_full", max=MAX_MEDIA))
        return
    media = [*draft.media, found]
    if await drafts_store.update_draft(context.bot_data.db, draft.id, caller.user_id,
                                       Step.MEDIA, utcnow(), media=media) is None:
        await reply(update, t(lang, "lapor.stale"))  # the draft went meanwhile: not kept
        return
    done = InlineKeyboardMarkup([[draft_button(lang, draft, "lapor.done", "done")]])
    await reply(update, t(lang, "lapor.media_got", n=len(media), max=MAX_MEDIA),
                reply_markup=done)
