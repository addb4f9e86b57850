"""Fixtures of the sender tests: an empty store and a ``telegram.Bot`` on the stand-in server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from storage.sqlite.engine import Database
from tests.support.botapi_stub import StubBotAPI


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "posko.db")
    yield database
    await database.close()


@pytest.fixture
async def bot(stub: StubBotAPI) -> AsyncIterator[Bot]:
    # Short timeouts so that an injected "timeout" fault costs one second, not five.
    request = HTTPXRequest(connection_pool_size=64, read_timeout=1, connect_timeout=1,
                           write_timeout=1, pool_timeout=1)
    async with Bot(stub.token, base_url=stub.base_url, request=request) as b:
        yield b
