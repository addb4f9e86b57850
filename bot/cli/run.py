"""``posko-bot run``: long polling (``bot.updates.polling``) or a webhook; one-line failures."""

from __future__ import annotations

import argparse
import asyncio
import logging
from typing import TYPE_CHECKING

from bot.cli.common import USAGE_ERROR, CliError, with_db
from bot.config import Settings
from storage.sqlite.engine import Database

if TYPE_CHECKING:  # telegram and the handlers load only when the bot runs
    from bot.app import PoskoApp


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the bot until interrupted."""
    from telegram.error import Conflict, InvalidToken, NetworkError

    from bot.app import build_application
    from bot.logs import RedactToken, setup_logging
    from bot.updates import polling

    settings.require_token()
    with_db(settings, _noop)  # fail fast, with one line, on an unusable database
    setup_logging(settings.log_level, settings.telegram_bot_token)
    if settings.webhook_secret:  # PTB logs setWebhook's parameters at DEBUG
        for handler in logging.getLogger().handlers:
            handler.addFilter(RedactToken(settings.webhook_secret))
    app = build_application(settings)
    try:
        if settings.webhook_url:
            _run_webhook(app, settings)
        else:
            # Never drop pending updates: reports sent while the bot was down must be handled;
            # and confirm each update only once it was handled (see bot/polling.py).
            asyncio.run(polling.run(app))
    except InvalidToken:
        raise CliError("Telegram rejected TELEGRAM_BOT_TOKEN (check it with @BotFather)",
                       USAGE_ERROR) from None
    except Conflict:
        raise CliError("another process is receiving this bot's updates (a second posko-bot "
                       "run, or a webhook set meanwhile); stop it first") from None
    except NetworkError as exc:
        raise CliError(f"cannot reach the Bot API at TELEGRAM_API_BASE_URL: {exc}") from None
    return 0


def _run_webhook(app: PoskoApp, settings: Settings) -> None:
    """Serve the path of POSKO_WEBHOOK_URL on POSKO_WEBHOOK_LISTEN:POSKO_WEBHOOK_PORT.

    PTB registers the URL and the secret with ``setWebhook``, then answers 403 to every request
    without the right ``X-Telegram-Bot-Api-Secret-Token`` header, before reading the update.
    post_init and post_shutdown run around it as with long polling.
    """
    import re

    from telegram import Update
    from telegram.error import BadRequest

    # PTB logs a failed start-up request (token, setWebhook) with its traceback before raising
    # it again; the one line below gives the reason.
    logging.getLogger("telegram.ext").addFilter(_start_up_failure_without_traceback)
    try:
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=re.escape(settings.webhook_path),  # tornado reads it as a regex
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,  # updates sent while the bot was down are handled
        )
    except BadRequest as exc:
        raise CliError(f"Telegram refused a start-up request ({exc.message}); check "
                       "POSKO_WEBHOOK_URL", USAGE_ERROR) from None
    except OSError as exc:
        raise CliError(f"cannot listen on {settings.webhook_listen}:{settings.webhook_port} "
                       f"(POSKO_WEBHOOK_LISTEN, POSKO_WEBHOOK_PORT): {exc.strerror or exc}"
                       ) from None


def _start_up_failure_without_traceback(record: logging.LogRecord) -> bool:
    if (record.exc_info and record.getMessage().startswith("Network Retry Loop")
            and logging.getLogger().level > logging.DEBUG):
        record.exc_info = record.exc_text = None
    return True


async def _noop(db: Database) -> int:
    return 0
