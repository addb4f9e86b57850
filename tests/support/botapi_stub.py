"""In-process stand-in for the Telegram Bot API HTTP server, used by the tests and benchmarks.

Owns: an aiohttp server on 127.0.0.1 (random port) that routes Bot API calls and file
downloads to the methods of ``botapi_methods``, the record of every call the bot made
(``calls``), fault injection (``fail_next``, ``block``, ``migrate``), optional enforcement of
Telegram's flood limits (``enforce_limits``: all of them; ``enforce_overall``: only 30 messages
a second overall, as for replies), a round trip (``latency``: every call but ``getUpdates``
takes effect at once and is answered that much later, so a bot killed meanwhile has sent a
message it never heard of, see ``in_flight``; ``getUpdates`` waits that long before it looks
for updates), and waiting for what the bot sends. Simulated
users and groups (``user``, ``group``) produce the updates. It holds no bot logic.

The end-to-end tests run the real ``posko-bot`` against it in a subprocess
(``tests/support/e2e.py`` points ``TELEGRAM_API_BASE_URL`` and ``TELEGRAM_BOT_TOKEN`` at it)::

    async def test_checkin(stub: StubBotAPI, tmp_path: Path) -> None:
        env = bot_env(stub, tmp_path)
        await cli(env, tmp_path, "import-desks", str(JAKARTA_CSV))
        bot = BotProcess(env, tmp_path)
        bot.start()
        await stub.wait_for_call("setMyCommands", timeout=30)
        budi = stub.user(4242, "Budi")
        # posko-bot invite, then /start with the token and the Daftar button pressed
        await register(stub, env, tmp_path, budi, "31.73.01.1001", "officer")
        budi.send_text("/checkin")
        await stub.wait_for_message(4242, contains="kirim lokasi")
        budi.send_location(lat, lon)  # at the desk
        await stub.wait_for_message(4242, contains="Check-in tercatat")
        assert await bot.stop() == 0

(the ``stub`` fixture of ``tests/conftest.py`` starts and stops it). A bot in the test's own
event loop talks to it as well, given ``stub.token`` and ``base_url=stub.base_url``: the
outbox sender's tests and the alert-storm benchmark use a ``telegram.Bot`` so, the polling
tests the whole application.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import math
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from aiohttp import web

from tests.support.botapi_faults import Fault, Faults
from tests.support.botapi_methods import SEND_METHODS, BotApiMethods, SentMessage
from tests.support.botapi_rules import DROP, ApiError, FloodLimits, busiest_second, too_many
from tests.support.botapi_users import SimChat, SimUser
from tests.support.telegram import JSON, Call

__all__ = ["ApiError", "SentMessage", "SimChat", "SimUser", "StubBotAPI"]

_TEXT_KEYS = frozenset(  # string parameters that must not be JSON-decoded
    {"text", "caption", "title", "address", "parse_mode", "callback_query_id", "url", "file_id",
     "action", "emoji", "description", "business_connection_id", "message_effect_id"}
)


def _decode(key: str, value: Any) -> Any:
    """PTB JSON-encodes non-string values; strings arrive as they are."""
    if not isinstance(value, str) or key in _TEXT_KEYS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _read_params(request: web.Request) -> JSON:
    raw: JSON = dict(request.query)
    if request.content_type == "application/json" and request.can_read_body:
        body = await request.json()
        raw.update(body if isinstance(body, dict) else {})
    else:  # urlencoded, or multipart when PTB uploads files
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                raw[key] = {"filename": value.filename, "size": len(value.file.read()),
                            "content_type": value.content_type}
            else:
                raw[key] = value
    return {key: _decode(key, value) for key, value in raw.items()}


class StubBotAPI(BotApiMethods):
    """The fake Bot API server. See the module docstring."""

    def __init__(self, token: str = "123456:TEST-token") -> None:
        super().__init__()
        self.token = token
        self.calls: list[Call] = []
        self.enforce_limits = False
        self.enforce_overall = False
        self.limit_violations = 0  # sends refused with 429 for a flood limit
        self.latency = 0.0  # seconds between a call taking effect and its answer
        self._faults = Faults()
        self._flood = FloodLimits()
        self._runner: web.AppRunner | None = None
        self._port = 0

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 2**20)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.*}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        self._stopping.set()  # releases long polls and "timeout" faults
        self._new_update.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> StubBotAPI:
        await self.start()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/file/bot"

    def user(self, user_id: int, first_name: str, last_name: str | None = None,
             username: str | None = None, language_code: str | None = "id") -> SimUser:
        sim = SimUser(self, user_id, first_name, last_name, username, language_code)
        self.chats[user_id] = sim.chat_dict()
        return sim

    def group(self, chat_id: int, title: str, supergroup: bool = False) -> SimChat:
        chat = SimChat(chat_id, title, supergroup)
        self.chats[chat_id] = chat.as_dict()
        return chat

    async def wait_for_message(
        self, chat_id: int, contains: str | None = None,
        predicate: Callable[[SentMessage], bool] | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109 - a polling deadline, not one awaited call
        after: int = 0,
    ) -> SentMessage:
        deadline = time.monotonic() + timeout
        while True:
            msgs = self.sent(chat_id)
            for msg in msgs[after:]:
                if (contains is None or contains in (msg.text or "")) and (
                    predicate is None or predicate(msg)
                ):
                    return msg
            if time.monotonic() >= deadline:
                got = "".join(f"\n  [{i}] {m.method}: {m.text!r}" for i, m in enumerate(msgs))
                raise AssertionError(f"no message to chat {chat_id} with contains={contains!r}"
                                     f" after={after} in {timeout}s; received:{got or ' none'}")
            await asyncio.sleep(0.02)

    async def wait_for_call(
        self, method: str, predicate: Callable[[Call], bool] | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109 - a polling deadline, not one awaited call
    ) -> Call:
        deadline = time.monotonic() + timeout
        while True:
            for call in self.calls:
                if call.method == method and (predicate is None or predicate(call)):
                    return call
            if time.monotonic() >= deadline:
                seen = [c.method for c in self.calls]
                raise AssertionError(f"no {method} call in {timeout}s; calls: {seen}")
            await asyncio.sleep(0.02)

    def in_flight(self) -> list[Call]:
        """Sends that took effect but whose answer is still on its way (see ``latency``)."""
        return [c for c in self.calls if c.method in SEND_METHODS and c.status == 0]

    def busiest_second(self) -> int:
        """The most sends the server accepted within any one second."""
        return busiest_second([c.time for c in self.calls
                               if c.method in SEND_METHODS and c.status == 200])

    def fail_next(self, method: str | None, kind: str, count: int = 1, retry_after: int = 1,
                  chat_id: int | None = None) -> None:
        """Fail the next ``count`` calls of ``method`` (None: any but getUpdates) as ``kind``
        says: "429", "500", "502", "timeout" or "drop"."""
        self._faults.add(Fault(method, kind, count, retry_after, chat_id))

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        name = request.match_info["method"]
        call = Call(self._canonical.get(name.lower(), name), await _read_params(request))
        self.calls.append(call)
        if self.latency and call.method == "getUpdates":
            await asyncio.sleep(self.latency)
        try:
            result = await self._dispatch(call)
        except ApiError as exc:
            if exc.code == DROP:
                if request.transport is not None:
                    request.transport.close()
                return web.Response(status=500)  # never reaches the client
            call.status, call.answered_at = exc.code, time.time()
            return web.json_response(exc.body(), status=exc.code)
        if self.latency and call.method != "getUpdates":
            await asyncio.sleep(self.latency)
        call.status, call.answered_at = 200, time.time()
        return web.json_response({"ok": True, "result": result})

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        return web.Response(body=b"stub-file:" + request.match_info["path"].encode())

    async def _dispatch(self, call: Call) -> Any:
        handler = self._methods.get(call.method)
        if handler is None:
            raise ApiError(404, "Not Found")
        chat_id = call.params.get("chat_id")
        chat_id = chat_id if isinstance(chat_id, int) else None
        if (fault := self._faults.take(call.method, chat_id)) is not None:
            await self._faults.apply(fault, self._stopping)
        if "chat_id" in call.params:
            self.check_chat(chat_id)
        send_chat = chat_id if call.method in SEND_METHODS else None
        if send_chat is not None and (self.enforce_limits or self.enforce_overall):
            self._check_limits(send_chat)
        try:
            result = handler(call.params)
            result = await result if inspect.isawaitable(result) else result
        except (KeyError, TypeError, ValueError) as exc:
            raise ApiError(400, f"Bad Request: invalid or missing parameter {exc}") from exc
        if send_chat is not None:
            self._flood.sent(send_chat)
        return result

    def _check_limits(self, chat_id: int) -> None:
        if (wait := self._flood.wait(chat_id, per_chat=self.enforce_limits)) > 0:
            self.limit_violations += 1
            raise too_many(max(1, math.ceil(wait)))
