"""The error handler: log the failure (never the token) and tell a private user to retry.

A storage fault (``storage.sqlite.faults``: a full disk, a lock held by another process) is
passing, not a bug: the store logs one line per outage, so here it is not logged again, and
the user is told in their language that the problem is temporary and to try again in a
minute: a button press with a popup (wherever the button is), a private message with a reply,
a live location's update with nothing. Nothing was saved, and nobody was told it was.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.context import Ctx
from bot.handlers import throttle
from bot.handlers.access import known
from bot.handlers.common import is_private, popup, reply
from bot.texts import t
from storage.sqlite.faults import is_storage_fault

log = logging.getLogger(__name__)


async def on_error(update: object, context: Ctx) -> None:
    """Log an exception raised while handling an update and apologise in private chats; a
    storage fault is answered as temporary instead. Nothing else handles that update then."""
    if isinstance(update, Update):
        # The user is told to try again: the same text at once is a retry, not a repeat.
        context.bot_data.throttle.failed(throttle.sender(update))
        await _answer(update, context)
        # The handler groups after the failed one would answer it too ("tidak mengerti"
        # after the apology) or act on a half-handled update: stop here.
        raise ApplicationHandlerStop
    await _answer(update, context)


async def _answer(update: object, context: Ctx) -> None:
    """Log the error and tell the user what they need to know (the module docstring)."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        # Telegram unreachable or slow: transient, polling retries on its own.
        log.warning("network problem (update %s): %s", update_id, error)
        return
    if error is not None and is_storage_fault(error):
        context.bot_data.store_health.failed(error)  # logged once per outage
        if isinstance(update, Update):
            await _store_unavailable(update, context)
        return
    log.error("error while handling update %s", update_id, exc_info=error)
    if not isinstance(update, Update) or not is_private(update) or isinstance(error, Forbidden):
        return
    try:
        await reply(update, t(context.bot_data.settings.language, "error"))
    except TelegramError as exc:  # the apology itself failed: nothing more to do
        log.warning("could not send the error notice: %s", exc)


async def _store_unavailable(update: Update, context: Ctx) -> None:
    """Tell the user the store cannot save for now and to try again in a minute.

    Only for what the user did: a live location's updates (edited messages, every few
    seconds) go unanswered, the next one refreshes presence anyway.
    """
    if update.callback_query is None and (update.message is None or not is_private(update)):
        return
    text = t(await _language(update, context), "store_unavailable")
    try:
        if update.callback_query is not None:
            await popup(update.callback_query, text, show_alert=True)
        else:
            await reply(update, text)
    except TelegramError as exc:  # answered already, or Telegram unreachable
        log.warning("could not send the storage notice: %s", exc)


async def _language(update: Update, context: Ctx) -> str:
    """The user's language: the caller's if the handler got that far, else the roster's."""
    caller = known(context)
    if caller is not None:
        return caller.lang
    data, user = context.bot_data, update.effective_user
    if user is not None:
        try:
            member, _desk = await data.roster.get_with_desk(user.id)
        except Exception as exc:
            if not is_storage_fault(exc):
                raise
            member = None
        if member is not None and member.language:
            return member.language
    return data.settings.language
