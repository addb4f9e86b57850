"""The fixture the stand-in server's tests share: a python-telegram-bot ``Bot`` talking to it
over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from tests.support.botapi_stub import StubBotAPI


@pytest.fixture
async def bot(stub: StubBotAPI) -> AsyncIterator[Bot]:
    async with Bot(stub.token, base_url=stub.base_url, base_file_url=stub.base_file_url) as b:
        yield b
