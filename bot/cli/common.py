"""What every ``posko-bot`` command shares: exit codes, the one-line error, the store."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from bot.config import Settings
from storage.sqlite.engine import Database

USAGE_ERROR, FAILURE = 2, 1


class CliError(Exception):
    """A one-line reason to stop with ``code``."""

    def __init__(self, message: str, code: int = FAILURE) -> None:
        super().__init__(message)
        self.code = code


def with_db(settings: Settings,
            work: Callable[[Database], Coroutine[Any, Any, int]]) -> int:
    """Run ``work`` on the opened store and close it, whatever happens."""
    async def runner() -> int:
        db = await Database.open(settings.db_path)
        try:
            return await work(db)
        finally:
            await db.close()

    return asyncio.run(runner())
