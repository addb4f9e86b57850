"""The work a reply costs, through the real application, its polling loop and the stand-in
Bot API: a Bot API call imports nothing, the bot's calls share a bounded pool of
connections (calls beyond it wait for one rather than fail), and a reply nobody reads, or an
outbox message of which only the id is kept, is not parsed back into a ``Message``, with its
errors as before."""

from __future__ import annotations

import asyncio
import importlib.abc
import sqlite3
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

import pytest
from telegram import Bot, Message
from telegram._utils.types import JSONDict
from telegram.constants import ChatAction
from telegram.error import ChatMigrated

from bot.app import BOT_API_CONNECTIONS, build_application
from bot.outbox.message import Rendered, deliver
from bot.outbox.pacing import paced, unread
from bot.updates import polling
from tests.handlers.test_polling import running
from tests.support.botapi_stub import StubBotAPI
from tests.support.botapi_users import SimUser
from tests.support.settings import make_settings

USER = 7101
PNG = b"\x89PNG\r\n\x1a\n"  # a photo to upload (the stand-in does not look inside)


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(polling, "POLL_TIMEOUT", 0.2)  # stopping does not wait for a poll


class Lookups(importlib.abc.MetaPathFinder):
    """Records every module the import system is asked to find (and finds none itself)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        self.names.append(fullname)
        return None


def _officer(stub: StubBotAPI, db_path: Path) -> SimUser:
    """An officer of the first kelurahan desk, as the stand-in's user."""
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO members (telegram_id, full_name, desk_id, role, created_at, updated_at) "
            "SELECT ?, 'Budi', id, 'officer', '2026-01-01T00:00:00.000000Z', "
            "'2026-01-01T00:00:00.000000Z' FROM desks WHERE level = 'kelurahan_desa' "
            "ORDER BY code LIMIT 1", (USER,))
    conn.close()
    return stub.user(USER, "Budi")


def _parsed_messages(monkeypatch: pytest.MonkeyPatch) -> list[JSONDict]:
    """Every message python-telegram-bot builds from now on, as the data it was built from."""
    parsed: list[JSONDict] = []
    de_json = Message.de_json

    def recording(data: JSONDict | None, bot: Bot | None = None) -> Message | None:
        if data is not None:
            parsed.append(data)
        return de_json(data, bot)

    monkeypatch.setattr(Message, "de_json", recording)
    return parsed


async def test_a_reply_searches_the_import_path_for_nothing(stub: StubBotAPI,
                                                            db_path: Path) -> None:
    """A reply imports nothing: a module looked up on every call (as httpcore once looked for
    a missing sniffio on every lock) would search the whole import path each time."""
    user = _officer(stub, db_path)
    async with running(stub, db_path):
        user.send_text("/bantuan")  # the first reply may import what replies need
        await stub.wait_for_message(USER, timeout=20)
        lookups = Lookups()
        sys.meta_path.insert(0, lookups)
        try:
            user.send_text("/status")
            await stub.wait_for_message(USER, timeout=20, after=1)
        finally:
            sys.meta_path.remove(lookups)
    assert lookups.names == []


async def test_calls_beyond_the_pool_wait_for_a_connection(stub: StubBotAPI,
                                                           db_path: Path) -> None:
    """100 calls at once, each answered after 0.5 s: at most BOT_API_CONNECTIONS reach
    Telegram together, and the others are made as connections come free, 2 s later for the
    last ones (PTB's own limit: 256 connections, and failing after 1 s of waiting)."""
    stub.user(USER, "Budi")
    stub.latency = 0.5
    app = build_application(make_settings(db_path, TELEGRAM_BOT_TOKEN=stub.token,
                                          TELEGRAM_API_BASE_URL=stub.base_url))
    async with app:
        done = await asyncio.gather(*(app.bot.send_chat_action(USER, ChatAction.TYPING)
                                      for _ in range(100)))
    assert done == [True] * 100
    calls = [c for c in stub.calls if c.method == "sendChatAction"]
    first_answer = min(c.answered_at for c in calls)
    assert sum(c.time < first_answer for c in calls) == BOT_API_CONNECTIONS


async def test_a_reply_builds_no_message_from_telegrams_answer(
        stub: StubBotAPI, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Telegram answers a send with the whole message sent; nobody reads it after a reply."""
    user = _officer(stub, db_path)
    parsed = _parsed_messages(monkeypatch)
    async with running(stub, db_path):
        user.send_text("/status")
        await stub.wait_for_message(USER, timeout=20)
    assert [d for d in parsed if d.get("from", {}).get("is_bot")] == []
    assert {d["text"] for d in parsed} == {"/status"}  # the update itself


async def test_an_unread_send_keeps_its_errors(stub: StubBotAPI, db_path: Path) -> None:
    """Inside ``unread()`` only the answer changes: a 429 is still retried, a migrated group
    still raises ChatMigrated with its new id; outside, the message comes back."""
    stub.user(USER, "Budi")
    stub.group(-4001, "Posko Kecamatan")
    stub.migrate(-4001, -1004001)
    app = build_application(make_settings(db_path, TELEGRAM_BOT_TOKEN=stub.token,
                                          TELEGRAM_API_BASE_URL=stub.base_url))
    async with app:
        stub.fail_next("sendMessage", "429", retry_after=1, chat_id=USER)
        with unread():
            assert await app.bot.send_message(USER, "satu") is True
            with pytest.raises(ChatMigrated) as info:
                await app.bot.send_message(-4001, "dua")
        assert info.value.new_chat_id == -1004001
        sent = await app.bot.send_message(USER, "tiga")
    assert isinstance(sent, Message) and sent.text == "tiga"
    assert [(c.params["text"], c.status) for c in stub.calls if c.method == "sendMessage"] == [
        ("satu", 429), ("satu", 200), ("dua", 400), ("tiga", 200)]


async def test_the_outbox_keeps_the_id_of_what_it_sent_without_parsing_it(
        stub: StubBotAPI, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The outbox keeps only the id of a message it sends (to edit it later): through the
    application's limiter, Telegram's answer gives that id and no ``Message`` is built; a bare
    ``Bot`` (no limiter) parses the answer and gives the same."""
    stub.user(USER, "Budi")
    built = _parsed_messages(monkeypatch)
    app = build_application(make_settings(db_path, TELEGRAM_BOT_TOKEN=stub.token,
                                          TELEGRAM_API_BASE_URL=stub.base_url))
    async with app:
        with paced():  # as the sender sends
            text_id = await deliver(app.bot, USER, Rendered("satu"))
            photo_id = await deliver(app.bot, USER, Rendered("dua", photo=PNG))
            assert text_id is not None
            edited_id = await deliver(app.bot, USER, Rendered("satu!", edit=(USER, text_id)))
    assert built == []
    shown = stub.sent(USER)
    assert [m.message_id for m in shown] == [text_id, photo_id] and edited_id == text_id
    assert [m.text for m in shown] == ["satu!", "dua"]
    async with Bot(stub.token, base_url=stub.base_url) as bare:
        bare_id = await deliver(bare, USER, Rendered("tiga"))
    assert bare_id == stub.sent(USER)[-1].message_id and len(built) == 1
