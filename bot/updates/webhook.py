"""Receiving updates by webhook: PTB's own server on ``POSKO_WEBHOOK_LISTEN:PORT``.

PTB registers the URL and the secret with ``setWebhook``, then answers 403 to every request
without the right ``X-Telegram-Bot-Api-Secret-Token`` header, before reading the update.
post_init and post_shutdown run around it as with long polling (``bot.updates.polling``).
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from telegram import Update

from bot.config import Settings

if TYPE_CHECKING:
    from bot.app import PoskoApp


def run(app: PoskoApp, settings: Settings) -> None:
    """Serve the path of POSKO_WEBHOOK_URL until interrupted.

    Raises what start-up raises: ``telegram.error.BadRequest`` when Telegram refuses the URL,
    ``OSError`` when the address cannot be listened on.
    """
    # PTB logs a failed start-up request (token, setWebhook) with its traceback before raising
    # it again; the caller gives the reason in one line.
    logging.getLogger("telegram.ext").addFilter(_start_up_failure_without_traceback)
    app.run_webhook(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=re.escape(settings.webhook_path),  # tornado reads it as a regex
        webhook_url=settings.webhook_url,
        secret_token=settings.webhook_secret,
        allowed_updates=Update.ALL_TYPES,
        drop_pending_updates=False,  # updates sent while the bot was down are handled
    )


def _start_up_failure_without_traceback(record: logging.LogRecord) -> bool:
    if (record.exc_info and record.getMessage().startswith("Network Retry Loop")
            and logging.getLogger().level > logging.DEBUG):
        record.exc_info = record.exc_text = None
    return True
