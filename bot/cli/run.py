"""``posko-bot run``: long polling (``bot.updates.polling``) or a webhook; one-line failures."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
from typing import TYPE_CHECKING

from bot.cli.common import USAGE_ERROR, CliError, with_db
from bot.config import Settings
from storage.sqlite.engine import Database

if TYPE_CHECKING:  # telegram and the handlers load only when the bot runs
    from bot.app import PoskoApp


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the bot until interrupted."""
    from storage.sqlite.runlock import InUse, RunLock

    settings.require_token()
    lock = RunLock(settings.db_path)  # held while the bot runs: restore waits for it
    try:
        lock.acquire()
    except InUse:
        raise CliError(f"another posko-bot run is using {settings.db_path}; stop it first"
                       ) from None
    except OSError as exc:
        raise CliError(f"cannot lock {lock.path}: {exc.strerror or exc}") from None
    try:
        return _run(settings)
    finally:
        lock.release()


def _run(settings: Settings) -> int:
    """The bot, on a locked database."""
    from telegram.error import Conflict, InvalidToken, NetworkError

    from bot.app import build_application
    from bot.logs import RedactToken, setup_logging
    from bot.ops.server import ListenError
    from bot.updates import polling

    with_db(settings, _noop)  # fail fast, with one line, on an unusable database
    setup_logging(settings.log_level, settings.telegram_bot_token)
    if settings.webhook_secret:  # PTB logs setWebhook's parameters at DEBUG
        for handler in logging.getLogger().handlers:
            handler.addFilter(RedactToken(settings.webhook_secret))
    app = build_application(settings)
    settle_memory()
    try:
        if settings.webhook_url:
            _run_webhook(app, settings)
        else:
            # Never drop pending updates: reports sent while the bot was down must be handled;
            # and confirm each update only once it was handled (see bot/updates/polling.py).
            asyncio.run(polling.run(app))
    except ListenError as exc:
        raise CliError(str(exc)) from None
    except InvalidToken:
        raise CliError("Telegram rejected TELEGRAM_BOT_TOKEN (check it with @BotFather)",
                       USAGE_ERROR) from None
    except Conflict:
        raise CliError("another process is receiving this bot's updates (a second posko-bot "
                       "run, or a webhook set meanwhile); stop it first") from None
    except NetworkError as exc:
        raise CliError(f"cannot reach the Bot API at TELEGRAM_API_BASE_URL: {exc}") from None
    return 0


def settle_memory() -> None:
    """Take what start-up loaded out of the garbage collector's sight.

    The modules, PTB's and pydantic's classes, the texts: they live as long as the process,
    yet every full collection walked all of them, a pause of up to 134 ms at 200 check-ins a
    second (``benchmarks/bench_knee.py`` times collections), which every update in flight
    waited out. Frozen, a full collection walks only what came after.
    """
    gc.collect()
    gc.freeze()


def _run_webhook(app: PoskoApp, settings: Settings) -> None:
    """Serve the webhook (``bot.updates.webhook``); start-up failures as one line."""
    from telegram.error import BadRequest

    from bot.updates import webhook

    try:
        webhook.run(app, settings)
    except BadRequest as exc:
        raise CliError(f"Telegram refused a start-up request ({exc.message}); check "
                       "POSKO_WEBHOOK_URL", USAGE_ERROR) from None
    except OSError as exc:
        raise CliError(f"cannot listen on {settings.webhook_listen}:{settings.webhook_port} "
                       f"(POSKO_WEBHOOK_LISTEN, POSKO_WEBHOOK_PORT): {exc.strerror or exc}"
                       ) from None


async def _noop(db: Database) -> int:
    return 0
