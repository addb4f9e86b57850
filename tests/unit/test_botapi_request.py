"""The bot's HTTP client (``bot.botapi.request``) against a small server of its own: bodies as
PTB sends them, timeouts and failures as PTB's errors, the answer hook, the connection cap."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from io import BytesIO

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.botapi.request import AiohttpRequest
from tests.support.e2e import free_port

TOKEN = "123456:" + "S" * 35
ME = {"id": 42, "is_bot": True, "first_name": "Posko", "username": "posko_bot"}


class Server:
    """Answers every method with ``True`` (getMe with a bot) after ``delay`` seconds, and
    keeps what it was sent."""

    def __init__(self) -> None:
        self.delay = 0.0
        self.forms: list[dict[str, object]] = []
        self.in_flight = 0
        self.most_in_flight = 0

    async def handle(self, request: web.Request) -> web.Response:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            form: dict[str, object] = {}
            if request.content_type == "multipart/form-data":
                reader = await request.multipart()
                async for part in reader:
                    data = await part.read()  # type: ignore[union-attr]
                    form[part.name or ""] = (part.filename, bytes(data))  # type: ignore[union-attr]
            else:
                form.update(await request.post())
            self.forms.append(form)
            await asyncio.sleep(self.delay)
            result = ME if request.match_info["method"] == "getMe" else True
            return web.json_response({"ok": True, "result": result},
                                     headers={"Date": "Tue, 01 Dec 2026 08:00:00 GMT"})
        finally:
            self.in_flight -= 1


@pytest.fixture
async def server() -> AsyncIterator[tuple[Server, str]]:
    state = Server()
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", state.handle)
    test_server = TestServer(app, host="127.0.0.1")
    await test_server.start_server()
    try:
        yield state, f"http://127.0.0.1:{test_server.port}/bot"
    finally:
        await test_server.close()


async def test_a_call_sends_a_form_and_the_hook_sees_the_answer(
        server: tuple[Server, str]) -> None:
    state, base = server
    seen: list[str] = []

    def hook(headers: Mapping[str, str]) -> None:
        seen.append(headers["date"])  # aiohttp's headers are case-blind

    async with Bot(TOKEN, base_url=base, request=AiohttpRequest(2, on_answer=hook)) as bot:
        assert await bot.send_chat_action(1001, "typing") is True
    assert state.forms[-1] == {"chat_id": "1001", "action": "typing"}
    assert seen[-1] == "Tue, 01 Dec 2026 08:00:00 GMT"


async def test_a_file_goes_as_multipart_with_its_fields(server: tuple[Server, str]) -> None:
    state, base = server
    async with Bot(TOKEN, base_url=base, request=AiohttpRequest(2)) as bot:
        await bot.send_document(1001, BytesIO(b"a,b\n1,2\n"), filename="rekap.csv",
                                caption="Rekap 🗳️")
    form = state.forms[-1]
    assert form["document"] == ("rekap.csv", b"a,b\n1,2\n")
    assert form["chat_id"] == (None, b"1001")
    assert form["caption"] == (None, "Rekap 🗳️".encode())


async def test_a_slow_answer_is_timed_out(server: tuple[Server, str]) -> None:
    state, base = server
    async with Bot(TOKEN, base_url=base, request=AiohttpRequest(2)) as bot:
        state.delay = 2.0
        with pytest.raises(TimedOut):
            await bot.send_chat_action(1001, "typing", read_timeout=0.2)


async def test_no_server_is_a_network_error_that_hides_the_token() -> None:
    request = AiohttpRequest(2)
    async with request:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{free_port()}/bot{TOKEN}/getMe")
    assert not isinstance(raised.value, TimedOut)
    assert TOKEN not in str(raised.value) and "S" * 35 not in repr(raised.value)


async def test_calls_beyond_the_connections_wait_for_one(server: tuple[Server, str]) -> None:
    state, base = server
    async with Bot(TOKEN, base_url=base, request=AiohttpRequest(4, pool_timeout=10)) as bot:
        state.delay = 0.2
        done = await asyncio.gather(*(bot.send_chat_action(1001, "typing") for _ in range(12)))
    assert done == [True] * 12
    assert state.most_in_flight == 4


async def test_a_request_not_initialized_refuses_to_send() -> None:
    with pytest.raises(RuntimeError):
        await AiohttpRequest(2).do_request("http://127.0.0.1:1/botx/getMe", "POST")
