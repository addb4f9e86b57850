"""``posko-bot run``'s polling loop in the test's own event loop, against the stand-in Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.app import build_application, post_init, post_shutdown
from bot.updates import polling
from tests.support.botapi_stub import StubBotAPI
from tests.support.settings import make_settings


@asynccontextmanager
async def running(stub: StubBotAPI, db_path: Path) -> AsyncIterator[None]:
    """The loop polls ``stub`` while the block runs; leaving stops it as SIGTERM does."""
    app = build_application(make_settings(db_path, TELEGRAM_BOT_TOKEN=stub.token,
                                          TELEGRAM_API_BASE_URL=stub.base_url))
    stop = asyncio.Event()
    async with app:
        await post_init(app)
        loop = asyncio.create_task(polling._poll(app, stop))
        try:
            yield
        finally:
            stop.set()
            await loop
            await post_shutdown(app)
