"""The error handler: log the failure (never the token) and tell a private user to retry."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError

from bot.context import Ctx
from bot.handlers.common import is_private, reply
from bot.texts import t

log = logging.getLogger(__name__)


async def on_error(update: object, context: Ctx) -> None:
    """Log an exception raised while handling an update; apologise in private chats."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        # Telegram unreachable or slow: transient, polling retries on its own.
        log.warning("network problem (update %s): %s", update_id, error)
        return
    log.error("error while handling update %s", update_id, exc_info=error)
    if not isinstance(update, Update) or not is_private(update) or isinstance(error, Forbidden):
        return
    try:
        await reply(update, t(context.bot_data.settings.language, "error"))
    except TelegramError as exc:  # the apology itself failed: nothing more to do
        log.warning("could not send the error notice: %s", exc)
