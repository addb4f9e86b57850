"""How the Bot API stand-in fails a real python-telegram-bot ``Bot`` when a test asks it to:
429s, 5xx, dropped connections and timeouts, blocked users, migrated groups, flood limits."""

from __future__ import annotations

import datetime as dtm
import os
import time

os.environ.setdefault("PTB_TIMEDELTA", "1")

import pytest
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from tests.support.botapi_stub import StubBotAPI

ALICE = 1001


async def test_fail_429_raises_retry_after(stub: StubBotAPI, bot: Bot) -> None:
    stub.user(ALICE, "Alice")
    stub.fail_next("sendMessage", "429")
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(ALICE, "a")
    assert info.value.retry_after == dtm.timedelta(seconds=1)
    await bot.send_message(ALICE, "b")
    assert [c.status for c in stub.calls if c.method == "sendMessage"] == [429, 200]


@pytest.mark.parametrize("kind", ["500", "502"])
async def test_fail_5xx_raises_network_error(stub: StubBotAPI, bot: Bot, kind: str) -> None:
    stub.user(ALICE, "Alice")
    stub.fail_next(None, kind)
    with pytest.raises(NetworkError) as info:
        await bot.send_message(ALICE, "a")
    assert not isinstance(info.value, (BadRequest, TimedOut))
    assert stub.calls[-1].status == int(kind)
    assert (await bot.send_message(ALICE, "b")).text == "b"


async def test_fail_restricted_to_chat(stub: StubBotAPI, bot: Bot) -> None:
    stub.user(ALICE, "Alice")
    stub.user(1002, "Budi")
    stub.fail_next(None, "500", chat_id=1002)
    assert await bot.get_updates() == ()  # getUpdates is never hit by method=None faults
    await bot.send_message(ALICE, "tetap terkirim")
    with pytest.raises(NetworkError):
        await bot.send_message(1002, "gagal")
    assert [m.text for m in stub.sent()] == ["tetap terkirim"]


async def test_fail_drop_raises_network_error(stub: StubBotAPI, bot: Bot) -> None:
    stub.user(ALICE, "Alice")
    stub.fail_next("sendMessage", "drop")
    with pytest.raises(NetworkError, match=r"disconnected|RemoteProtocolError|ReadError"):
        await bot.send_message(ALICE, "a")
    assert stub.calls[-1].status == 0
    assert (await bot.send_message(ALICE, "b")).message_id == 1


async def test_fail_timeout_raises_timed_out(stub: StubBotAPI) -> None:
    stub.user(ALICE, "Alice")
    stub.fail_next("sendMessage", "timeout")
    request = HTTPXRequest(read_timeout=1)
    async with Bot(stub.token, base_url=stub.base_url, request=request) as slow_bot:
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await slow_bot.send_message(ALICE, "a")
        assert time.monotonic() - started < 3
    assert stub.sent(ALICE) == []


async def test_block_raises_forbidden(stub: StubBotAPI, bot: Bot) -> None:
    stub.user(ALICE, "Alice")
    stub.user(1002, "Budi")
    stub.block(ALICE)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(ALICE, "a")
    assert (await bot.send_message(1002, "b")).chat.id == 1002


async def test_migrate_raises_chat_migrated(stub: StubBotAPI, bot: Bot) -> None:
    stub.group(-4001, "Posko Kecamatan")
    stub.migrate(-4001, -1004001)
    with pytest.raises(ChatMigrated) as info:
        await bot.send_message(-4001, "rapat")
    assert info.value.new_chat_id == -1004001
    msg = await bot.send_message(-1004001, "rapat")
    assert msg.chat.type == "supergroup" and msg.chat.title == "Posko Kecamatan"


async def test_enforce_limits_private_chat(stub: StubBotAPI, bot: Bot) -> None:
    stub.user(ALICE, "Alice")
    stub.enforce_limits = True
    outcomes = []
    for i in range(3):
        try:
            await bot.send_message(ALICE, f"burst {i}")
            outcomes.append("ok")
        except RetryAfter as exc:
            outcomes.append(f"429:{exc.retry_after}")
    assert outcomes == ["ok", "429:0:00:01", "429:0:00:01"]
    assert stub.limit_violations == 2
    assert len(stub.sent(ALICE)) == 1
