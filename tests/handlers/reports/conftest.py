"""The fixture the report tests share: the bot with the people of every level above one
kelurahan, its background sender stopped."""

from __future__ import annotations

import pytest

from tests.support.harness import Harness
from tests.support.reports import people


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """The harness with its background sender stopped (the outbox keeps what handlers wrote
    and every recorded call is a handler's own), and the people of every level."""
    await harness.stop_sender()
    return await people(harness)
