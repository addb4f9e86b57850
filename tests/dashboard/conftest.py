"""The dashboard's aiohttp application on an in-process bot, and the world it looks at."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.dashboard import server
from tests.support.dashboard import World, build_world, turn_on
from tests.support.harness import Harness

Client = TestClient[aiohttp.web.Request, aiohttp.web.Application]


@pytest.fixture
async def world(harness: Harness) -> World:
    await harness.stop_sender()  # the outbox keeps what the dashboard's actions queue
    turn_on(harness)
    return await build_world(harness)


@pytest.fixture
async def client(harness: Harness) -> AsyncIterator[Client]:
    """A browser without a session (its own cookie jar)."""
    async with TestClient(TestServer(server.build(harness.app))) as web:
        yield web


@pytest.fixture
async def other(harness: Harness) -> AsyncIterator[Client]:
    """A second browser."""
    async with TestClient(TestServer(server.build(harness.app))) as web:
        yield web
