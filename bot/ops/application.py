"""The application class of the bot: PTB's, timing and counting every update it handles."""

from __future__ import annotations

import time
from typing import Any

from telegram.ext import Application, ExtBot

from bot.context import BotData, Ctx
from bot.ops.metrics import kind_of


class MeteredApplication(Application[ExtBot[None], Ctx, dict[Any, Any], dict[Any, Any],
                                     BotData, Any]):
    """The application, timing and counting every update it handles (polling and webhook
    both hand updates to ``process_update``)."""

    async def process_update(self, update: object) -> None:
        """Handle ``update`` as PTB does, then count it."""
        started = time.perf_counter()
        try:
            await super().process_update(update)
        finally:
            metrics = getattr(self.bot_data, "metrics", None)
            if metrics is not None:
                kind = kind_of(update)
                metrics.updates.labels(kind).inc()
                metrics.update_seconds.labels(kind).observe(time.perf_counter() - started)
