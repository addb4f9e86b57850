"""Small pieces every handler uses: replying, private-chat guard, stale buttons, fallback."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden

from bot.callbacks import CallbackData
from bot.context import Ctx
from bot.handlers.access import Caller, identify
from bot.outbox.pacing import unread
from bot.texts import plain_text, t
from bot.views.limits import POPUP_MAX, fit_plain

K = TypeVar("K", bound=CallbackData)
Callback = Callable[[Update, Ctx], Coroutine[Any, Any, None]]


async def reply(update: Update, text: str, **kwargs: Any) -> None:
    """Answer in the chat the update came from (HTML is the application default)."""
    message = update.effective_message
    if message is None:
        return
    with unread():  # nobody reads the message sent: PTB need not parse Telegram's answer
        await message.reply_text(text, do_quote=False, **kwargs)


def is_private(update: Update) -> bool:
    """Whether the update comes from a private chat with the bot."""
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


async def private_member(update: Update, context: Ctx) -> Caller | None:
    """Caller of a personal command, or None after telling them why it cannot run here.

    Personal commands only run in a private chat (a group never sees one person's data) and
    only for registered users; everyone else gets one polite line.
    """
    caller = await identify(update, context)
    if caller is None:
        return None
    if not is_private(update):
        await reply(update, t(caller.lang, "private_only"))
        return None
    if caller.role is None:
        await reply(update, t(caller.lang, "unknown_user", id=caller.user_id))
        return None
    return caller


async def private_supervisor(update: Update, context: Ctx, *, partners: bool = False
                             ) -> Caller | None:
    """Like :func:`private_member`, for commands only supervisors and admins may use (and
    partner liaisons, with ``partners``: following reports up)."""
    caller = await private_member(update, context)
    if caller is not None and not (caller.follows_reports if partners
                                   else caller.is_supervisor):
        await reply(update, t(caller.lang, "supervisors_only"))
        return None
    return caller


async def pressed(update: Update, context: Ctx, kind: type[K]
                  ) -> tuple[CallbackQuery, K | None, Caller] | None:
    """A button press: the query, its data parsed as ``kind`` (None: stale, foreign or
    forged) and who pressed it; None for a press without a user."""
    query = update.callback_query
    if query is None:
        return None
    caller = await identify(update, context)
    if caller is None:
        return None
    return query, kind.parse(query.data), caller


async def popup(query: CallbackQuery, text: str, *, show_alert: bool = False) -> None:
    """Answer a button with a text. A popup shows plain text, not HTML: the catalog's tags
    go and escaped values (``&amp;`` in a name) are shown as typed; a long one is cut."""
    await query.answer(fit_plain(plain_text(text), POPUP_MAX), show_alert=show_alert)


async def ask_in_private(update: Update, context: Ctx, query: CallbackQuery, caller: Caller,
                         text: str, where: str, **kwargs: Any) -> bool:
    """Send ``text`` (a question after a button) to the presser's private chat, and answer
    the press: nothing more in the private chat, where the question is right below; ``where``
    (a catalog key saying to look there) in a group. False, with the presser told to open the
    private chat first, when the bot may not write to them."""
    try:
        with unread():
            await context.bot.send_message(caller.user_id, text, **kwargs)
    except Forbidden:  # pressed in a group by someone who never opened a chat with the bot
        await popup(query, t(caller.lang, "incident.open_private_chat"), show_alert=True)
        return False
    if is_private(update):
        await query.answer()
    else:
        await popup(query, t(caller.lang, where))
    return True


async def edit_or_ignore(query: CallbackQuery, text: str, **kwargs: Any) -> None:
    """Edit the message of a button; "message is not modified" is not an error."""
    try:
        with unread():
            await query.edit_message_text(text, **kwargs)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


# One page of a supervisor's list for the caller: its text and buttons.
PageOf = Callable[[Ctx, Caller, int], Coroutine[Any, Any, tuple[str, InlineKeyboardMarkup | None]]]


async def turn_to(update: Update, context: Ctx, kind: type[CallbackData],
                  page_of: PageOf, *, partners: bool = False) -> None:
    """‹ 🔄 › under a supervisor's paged list (``kind`` has one field, ``page``): the message
    shows that page again, read anew for the presser, who must still be a supervisor (or a
    liaison, with ``partners``). Such lists live in private chats only, and the registry
    refuses presses anywhere else."""
    press = await pressed(update, context, kind)
    if press is None:
        return
    query, button, caller = press
    number = getattr(button, "page", None)
    if not isinstance(number, int) or caller.role is None:
        await popup(query, t(caller.lang, "button.stale"))
        return
    if not (caller.follows_reports if partners else caller.is_supervisor):
        await popup(query, t(caller.lang, "supervisors_only"), show_alert=True)
        return
    await query.answer()
    text, markup = await page_of(context, caller, number)
    await edit_or_ignore(query, text, reply_markup=markup)


async def stale_button(update: Update, context: Ctx) -> None:
    """Answer a button whose data is no longer understood (old keyboards, foreign data)."""
    query = update.callback_query
    if query is None:
        return
    caller = await identify(update, context)
    await popup(query, t(caller.lang if caller else context.bot_data.settings.language,
                         "button.stale"))


def own_chat_only(callback: Callback) -> Callback:
    """``callback`` for presses in the presser's own private chat with the bot only.

    Such a button is only ever sent there (a registration, a presence question, a draft), and
    its handler edits the pressed message. Forged data pressed under a message in a group (a
    routed report, an alert) would otherwise let anybody overwrite the bot's message there.
    """
    async def guarded(update: Update, context: Ctx) -> None:
        query = update.callback_query
        if query is None:
            return
        message = query.message
        if message is None or message.chat.id != query.from_user.id:
            await stale_button(update, context)
            return
        await callback(update, context)

    guarded.__doc__ = callback.__doc__
    return guarded
