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


class TokenRefused(CliError):
    """Telegram refuses the token, or it is not shaped like one: another may be tried."""


def with_db(settings: Settings, work: Callable[[Database], Coroutine[Any, Any, int]], *,
            writes: bool = True) -> int:
    """Run ``work`` on the opened store and close it, whatever happens.

    A command that ``writes`` first checks that it can: a read-only database would otherwise
    fail halfway through, at its first write.
    """
    async def runner() -> int:
        db = await Database.open(settings.db_path,
                                 busy_timeout=settings.db_busy_timeout.total_seconds())
        try:
            if writes:
                await db.check_writable()
            return await work(db)
        finally:
            await db.close()

    return asyncio.run(runner())
