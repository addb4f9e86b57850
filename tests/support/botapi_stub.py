"""In-process stand-in for the Telegram Bot API HTTP server, used by the tests.

Owns: an aiohttp server on 127.0.0.1 (random port) speaking the Bot API subset the bot uses,
the simulated users and groups that produce updates, the record of every call the bot made
(``calls``, ``sent()``), fault injection (``fail_next``, ``block``, ``migrate``) and optional
enforcement of Telegram's flood limits (``enforce_limits``). It holds no bot logic.

Usage with pytest-asyncio::

    @pytest.fixture
    async def stub() -> AsyncIterator[StubBotAPI]:
        async with StubBotAPI() as api:
            yield api

    async def test_start(stub: StubBotAPI) -> None:
        env = {**os.environ, "TELEGRAM_API_BASE_URL": stub.base_url, "BOT_TOKEN": stub.token}
        proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", env=env)
        alice = stub.user(1001, "Alice")
        alice.send_text("/start")
        menu = await stub.wait_for_message(1001, contains="Selamat datang")
        alice.press(menu, menu.buttons()[0][1])
        await stub.wait_for_call("answerCallbackQuery")
        proc.terminate()
        await proc.wait()

``telegram.Bot(stub.token, base_url=stub.base_url, base_file_url=stub.base_file_url)`` in the
test's own event loop works as well.
"""

from __future__ import annotations

import asyncio
import copy
import html
import inspect
import itertools
import json
import math
import re
import time
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiohttp import web

JSON = dict[str, Any]
FAULT_KINDS = frozenset({"429", "500", "502", "timeout", "drop"})
SEND_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "sendVideo", "sendMediaGroup", "sendLocation"}
)
_TEXT_KEYS = frozenset(  # string parameters that must not be JSON-decoded
    {"text", "caption", "title", "address", "parse_mode", "callback_query_id", "url", "file_id",
     "action", "emoji", "description", "business_connection_id", "message_effect_id"}
)
_HTML_TAGS = frozenset({"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
                        "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"})
_TAG_RE = re.compile(r"<(/?)([A-Za-z][\w-]*)(\s[^<>]*)?>")
_DROP = 0  # ApiError code meaning "close the connection without answering"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


class ApiError(Exception):
    """An error answer of the Bot API (``ok: false``)."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        return body | ({"parameters": self.parameters} if self.parameters else {})


def _too_many(seconds: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})


@dataclass
class Call:
    method: str
    params: JSON
    time: float
    status: int = 0  # HTTP status answered; 0 while pending or when the connection was dropped


@dataclass
class SentMessage:
    chat_id: int
    message_id: int
    method: str
    text: str | None  # text or caption as displayed (HTML tags stripped), edits applied
    reply_markup: JSON | None  # current inline keyboard markup
    params: JSON  # parameters of the original send call
    data: JSON  # the message object as Telegram would return it now
    history: list[str | None] = field(default_factory=list)  # texts before each text edit
    reply_keyboard: JSON | None = None  # ReplyKeyboardMarkup/Remove/ForceReply sent with it
    raw_text: str | None = None  # text as sent, before parse_mode rendering
    deleted: bool = False

    def buttons(self) -> list[tuple[str, str]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b.get("text", ""), b.get("callback_data") or b.get("url") or "")
                for row in rows for b in row]


@dataclass
class _Fault:
    method: str | None
    kind: str
    count: int
    retry_after: int
    chat_id: int | None


def _ok(params: JSON) -> bool:
    return True


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _decode(key: str, value: Any) -> Any:
    """PTB JSON-encodes non-string values; strings arrive as they are."""
    if not isinstance(value, str) or key in _TEXT_KEYS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _parse_error(problem: str, text: str, index: int) -> ApiError:
    offset = len(text[:index].encode())
    return ApiError(400, f"Bad Request: can't parse entities: {problem} at byte offset {offset}")


def _strip_html(text: str) -> str:
    """Render Telegram HTML to plain text, rejecting markup that Telegram rejects."""
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    for m in [*_TAG_RE.finditer(text), None]:
        end = len(text) if m is None else m.start()
        if (stray := text.find("<", pos, end)) >= 0:
            raise _parse_error("Unexpected character '<'", text, stray)
        out.append(text[pos:end])
        if m is None:
            break
        closing, name = bool(m.group(1)), m.group(2).lower()
        if name not in _HTML_TAGS or (closing and (not stack or stack.pop() != name)):
            raise _parse_error(f"Unsupported or unmatched tag {m.group(0)!r}", text, end)
        if not closing:
            stack.append(name)
        pos = m.end()
    if stack:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"',
                           text, len(text))
    return html.unescape("".join(out))


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


class SimChat:
    """A group or supergroup (negative id) that simulated users can post in."""

    def __init__(self, chat_id: int, title: str, supergroup: bool = False) -> None:
        self.id, self.title = chat_id, title
        self.type = "supergroup" if supergroup else "group"

    def as_dict(self) -> JSON:
        return {"id": self.id, "type": self.type, "title": self.title}


class SimUser:
    """A user with a private chat with the bot (chat id == user id)."""

    def __init__(self, api: StubBotAPI, user_id: int, first_name: str, last_name: str | None,
                 username: str | None, language_code: str | None) -> None:
        self._api, self.id, self.first_name = api, user_id, first_name
        self.last_name, self.username, self.language_code = last_name, username, language_code
        self.last_message_id = 0
        self._located: dict[int, JSON] = {}  # message_id -> location message as last sent

    def as_dict(self) -> JSON:
        user = {"id": self.id, "is_bot": False, "first_name": self.first_name,
                "last_name": self.last_name, "username": self.username,
                "language_code": self.language_code}
        return {k: v for k, v in user.items() if v is not None}

    def chat_dict(self) -> JSON:
        chat = {"id": self.id, "type": "private", "first_name": self.first_name,
                "last_name": self.last_name, "username": self.username}
        return {k: v for k, v in chat.items() if v is not None}

    def _post(self, body: JSON, chat: SimChat | None, forward: bool = False,
              age_s: float = 0.0) -> tuple[int, JSON]:
        chat_obj, now = (chat.as_dict() if chat else self.chat_dict()), time.time()
        msg: JSON = {"message_id": self._api.next_message_id(chat_obj["id"]),
                     "date": int(now - age_s), "chat": chat_obj, "from": self.as_dict(), **body}
        if forward:
            msg["forward_origin"] = {"type": "user", "sender_user": self.as_dict(),
                                     "date": int(now - age_s - 60)}
        self.last_message_id = msg["message_id"]
        return self._api.push_update({"message": msg}), msg

    def send_text(self, text: str, *, chat: SimChat | None = None, forward: bool = False) -> int:
        body: JSON = {"text": text}
        if text.startswith("/"):
            length = _utf16_len(text.split(maxsplit=1)[0])
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self._post(body, chat, forward)[0]

    def send_location(self, lat: float, lon: float, *, live_period: int | None = None,
                      forwarded: bool = False, venue: bool = False, age_s: float = 0.0,
                      horizontal_accuracy: float | None = None,
                      chat: SimChat | None = None) -> int:
        location = {"latitude": lat, "longitude": lon, "live_period": live_period,
                    "horizontal_accuracy": horizontal_accuracy}
        body: JSON = {"location": {k: v for k, v in location.items() if v is not None}}
        if venue:
            body["venue"] = {"location": body["location"], "title": "Kantor Kelurahan",
                             "address": "Jl. Merdeka No. 1"}
        update_id, msg = self._post(body, chat, forwarded, age_s)
        self._located[msg["message_id"]] = msg
        return update_id

    def edit_live_location(self, message_id: int, lat: float, lon: float) -> int:
        msg = copy.deepcopy(self._located[message_id])
        msg["location"].update(latitude=lat, longitude=lon)
        msg["edit_date"] = int(time.time())
        self._located[message_id] = msg
        return self._api.push_update({"edited_message": msg})

    def send_photo(self, caption: str | None = None, *, chat: SimChat | None = None) -> int:
        body: JSON = {"photo": self._api.file_object("photo", {"size": 40_000})}
        return self._post(body | ({"caption": caption} if caption else {}), chat)[0]

    def send_sticker(self, *, chat: SimChat | None = None) -> int:
        sticker = self._api.file_object("sticker", None) | {
            "type": "regular", "width": 512, "height": 512, "is_animated": False,
            "is_video": False, "emoji": "👍"}
        return self._post({"sticker": sticker}, chat)[0]

    def send_document(self, filename: str = "laporan.pdf", mime_type: str = "application/pdf",
                      *, chat: SimChat | None = None) -> int:
        info = {"filename": filename, "content_type": mime_type, "size": 2048}
        return self._post({"document": self._api.file_object("document", info)}, chat)[0]

    def press(self, message: SentMessage, callback_data: str, *, strict: bool = True) -> int:
        """Press an inline button; ``strict`` insists that the message currently offers it."""
        rows = (message.reply_markup or {}).get("inline_keyboard", [])
        offered = [b.get("callback_data") for row in rows for b in row]
        if strict and (message.deleted or callback_data not in offered):
            raise AssertionError(f"no button {callback_data!r} on the message; has {offered}")
        query = {"id": str(next(self._api.callback_ids)), "from": self.as_dict(),
                 "chat_instance": f"ci{message.chat_id}", "data": callback_data,
                 "message": copy.deepcopy(message.data)}
        return self._api.push_update({"callback_query": query})


class StubBotAPI:
    """The fake Bot API server. See the module docstring."""

    def __init__(self, token: str = "123456:TEST-token", bot_id: int = 123456,
                 bot_username: str = "posko_test_bot") -> None:
        self.token, self.bot_id, self.bot_username = token, bot_id, bot_username
        self.calls: list[Call] = []
        self.updates: list[JSON] = []  # not yet confirmed by a getUpdates offset
        self.chats: dict[int, JSON] = {}
        self.enforce_limits = False
        self.limit_violations = 0
        self.callback_ids = itertools.count(9_000_001)
        self._file_ids, self._update_ids = itertools.count(1), itertools.count(1)
        self._msg_ids: dict[int, int] = {}
        self._messages: dict[tuple[int, int], SentMessage] = {}
        self._faults: list[_Fault] = []
        self._blocked: set[int] = set()
        self._migrated: dict[int, int] = {}
        self._commands: dict[str, Any] = {}
        self._send_log: deque[tuple[float, int]] = deque()
        self._new_update, self._stopping = asyncio.Event(), asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._methods: dict[str, Callable[[JSON], Any]] = {
            "getMe": lambda p: self.bot_user() | {
                "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False, "can_connect_to_business": False,
                "has_main_web_app": False},
            "getUpdates": self._get_updates, "deleteWebhook": self._delete_webhook,
            "setWebhook": _ok, "getWebhookInfo": lambda p: {
                "url": "", "has_custom_certificate": False,
                "pending_update_count": len(self.updates)},
            "setMyCommands": lambda p: self._my_commands("set", p),
            "getMyCommands": lambda p: self._my_commands("get", p),
            "deleteMyCommands": lambda p: self._my_commands("delete", p),
            "setChatMenuButton": _ok, "answerCallbackQuery": _ok, "sendChatAction": _ok,
            "close": _ok, "logOut": _ok, "getChat": self._get_chat,
            "getFile": lambda p: {"file_id": p["file_id"], "file_unique_id": f"u{p['file_id']}",
                                  "file_size": 1024, "file_path": f"files/{p['file_id']}.bin"},
            "sendMessage": self._send_message, "sendLocation": self._send_location,
            "sendPhoto": lambda p: self._send_media("sendPhoto", "photo", p),
            "sendDocument": lambda p: self._send_media("sendDocument", "document", p),
            "sendVideo": lambda p: self._send_media("sendVideo", "video", p),
            "sendMediaGroup": self._send_media_group, "deleteMessage": self._delete_message,
            "editMessageText": lambda p: self._edit(p, "text"),
            "editMessageCaption": lambda p: self._edit(p, "caption"),
            "editMessageReplyMarkup": lambda p: self._edit(p, None),
        }
        self._canonical = {name.lower(): name for name in self._methods}

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

    def push_update(self, payload: JSON) -> int:
        """Queue any update (``payload`` without ``update_id``); return its update_id."""
        update_id = next(self._update_ids)
        self.updates.append({"update_id": update_id, **payload})
        self._new_update.set()
        return update_id

    def next_message_id(self, chat_id: int) -> int:
        self._msg_ids[chat_id] = self._msg_ids.get(chat_id, 0) + 1
        return self._msg_ids[chat_id]

    def file_object(self, kind: str, upload: Any) -> Any:
        """A fake file object of ``kind`` for an upload record, a file_id or None."""
        n, info = next(self._file_ids), upload if isinstance(upload, dict) else {}
        file_id = upload if isinstance(upload, str) else f"{kind}-{n}"
        base = {"file_id": file_id, "file_unique_id": f"u-{kind}-{n}",
                "file_size": info.get("size", 1024)}
        if kind == "photo":
            return [base | {"file_id": f"{file_id}-s", "width": 90, "height": 68},
                    base | {"width": 1280, "height": 960}]
        if kind == "video":
            return base | {"width": 640, "height": 360, "duration": 1}
        if kind == "document":
            return base | {"file_name": info.get("filename", "file.bin"),
                           "mime_type": info.get("content_type", "application/octet-stream")}
        return base

    def bot_user(self) -> JSON:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Posko Test",
                "username": self.bot_username}

    def sent(self, chat_id: int | None = None) -> list[SentMessage]:
        """Bot messages in send order, edits applied; deleted ones stay with deleted=True."""
        return [m for m in self._messages.values() if chat_id is None or m.chat_id == chat_id]

    def pending_updates(self) -> int:
        return len(self.updates)

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

    def fail_next(self, method: str | None, kind: str, count: int = 1, retry_after: int = 1,
                  chat_id: int | None = None) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {sorted(FAULT_KINDS)}")
        self._faults.append(_Fault(method, kind, count, retry_after, chat_id))

    def block(self, user_id: int) -> None:
        self._blocked.add(user_id)

    def migrate(self, chat_id: int, new_chat_id: int) -> None:
        self._migrated[chat_id] = new_chat_id
        title = self.chats.get(chat_id, {}).get("title", "Group")
        self.chats[new_chat_id] = {"id": new_chat_id, "type": "supergroup", "title": title}

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        name = request.match_info["method"]
        call = Call(self._canonical.get(name.lower(), name), await _read_params(request),
                    time.time())
        self.calls.append(call)
        try:
            result = await self._dispatch(call)
        except ApiError as exc:
            if exc.code == _DROP:
                if request.transport is not None:
                    request.transport.close()
                return web.Response(status=500)  # never reaches the client
            call.status = exc.code
            return web.json_response(exc.body(), status=exc.code)
        call.status = 200
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
        if (fault := self._take_fault(call.method, chat_id)) is not None:
            await self._apply_fault(fault)
        if "chat_id" in call.params:
            self._check_chat(chat_id)
        send_chat = chat_id if call.method in SEND_METHODS else None
        if send_chat is not None and self.enforce_limits:
            self._check_limits(send_chat)
        try:
            result = handler(call.params)
            result = await result if inspect.isawaitable(result) else result
        except (KeyError, TypeError, ValueError) as exc:
            raise ApiError(400, f"Bad Request: invalid or missing parameter {exc}") from exc
        if send_chat is not None:
            self._send_log.append((time.monotonic(), send_chat))
        return result

    def _take_fault(self, method: str, chat_id: int | None) -> _Fault | None:
        for fault in self._faults:
            any_method = fault.method is None and method != "getUpdates"
            if (fault.method == method or any_method) and fault.chat_id in (None, chat_id):
                fault.count -= 1
                if fault.count <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    async def _apply_fault(self, fault: _Fault) -> None:
        if fault.kind == "429":
            raise _too_many(fault.retry_after)
        if fault.kind in ("500", "502"):
            text = "Internal Server Error" if fault.kind == "500" else "Bad Gateway"
            raise ApiError(int(fault.kind), text)
        if fault.kind == "timeout":  # outlast the client's read timeout
            with suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), 30)
        raise ApiError(_DROP, "connection dropped")

    def _check_chat(self, chat_id: int | None) -> None:
        if chat_id in self._migrated:
            raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                           {"migrate_to_chat_id": self._migrated[chat_id]})
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id not in self.chats:
            raise ApiError(400, "Bad Request: chat not found")

    def _check_limits(self, chat_id: int) -> None:
        """30 messages/s overall, 1/s per private chat, 20/min per group."""
        now, log = time.monotonic(), self._send_log
        while log and now - log[0][0] > 60:
            log.popleft()
        window, cap = (1.0, 1) if chat_id > 0 else (60.0, 20)
        in_chat = [t for t, c in log if c == chat_id and now - t < window]
        overall = [t for t, _ in log if now - t < 1.0]
        wait = in_chat[-cap] + window - now if len(in_chat) >= cap else 0.0
        if len(overall) >= 30:
            wait = max(wait, overall[-30] + 1.0 - now)
        if wait > 0:
            self.limit_violations += 1
            raise _too_many(max(1, math.ceil(wait)))

    async def _get_updates(self, p: JSON) -> list[JSON]:
        offset, limit = int(p.get("offset") or 0), int(p.get("limit") or 100)
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        elif offset < 0:
            self.updates = self.updates[offset:]
        deadline = time.monotonic() + float(p.get("timeout") or 0)
        while not self.updates and not self._stopping.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self._new_update.clear()
            with suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), remaining)
        return copy.deepcopy(self.updates[:limit])

    def _delete_webhook(self, p: JSON) -> bool:
        if p.get("drop_pending_updates"):
            self.updates.clear()
        return True

    def _my_commands(self, action: str, p: JSON) -> Any:
        key = json.dumps([p.get("scope"), p.get("language_code")], sort_keys=True)
        if action == "set":
            self._commands[key] = p["commands"]
        elif action == "delete":
            self._commands.pop(key, None)
        return self._commands.get(key, []) if action == "get" else True

    def _get_chat(self, p: JSON) -> JSON:
        gifts = dict.fromkeys(("unlimited_gifts", "limited_gifts", "unique_gifts",
                               "premium_subscription", "gifts_from_channels"), False)
        return self.chats[p["chat_id"]] | {"accent_color_id": 0, "max_reaction_count": 11,
                                           "accepted_gift_types": gifts}

    @staticmethod
    def _render(p: JSON, key: str) -> str | None:
        if (raw := p.get(key)) is None:
            return None
        text = _strip_html(str(raw)) if str(p.get("parse_mode")).lower() == "html" else str(raw)
        if key == "text" and not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if _utf16_len(text) > (4096 if key == "text" else 1024):
            raise ApiError(400, f"Bad Request: message {'caption ' * (key != 'text')}is too long")
        return text

    @staticmethod
    def _markup(p: JSON) -> tuple[JSON | None, JSON | None]:
        """Split reply_markup into (inline keyboard, other keyboard)."""
        markup = p.get("reply_markup")
        if not isinstance(markup, dict):
            return None, None
        if "inline_keyboard" not in markup:
            return None, markup
        if any(len(str(b.get("callback_data", "")).encode()) > 64
               for row in markup["inline_keyboard"] for b in row):
            raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup, None

    def _store(self, method: str, p: JSON, body: JSON, text_key: str) -> JSON:
        chat_id, (inline, keyboard) = p["chat_id"], self._markup(p)
        text = self._render(p, text_key)
        msg: JSON = {"message_id": self.next_message_id(chat_id), "date": int(time.time()),
                     "chat": self.chats[chat_id], "from": self.bot_user(), **body}
        entities_key = "entities" if text_key == "text" else "caption_entities"
        extra = {text_key: text, entities_key: p.get(entities_key), "reply_markup": inline}
        msg.update({k: v for k, v in extra.items() if v})
        record = SentMessage(chat_id, msg["message_id"], method, text, inline, p, msg,
                             reply_keyboard=keyboard, raw_text=p.get(text_key))
        self._messages[(chat_id, record.message_id)] = record
        return copy.deepcopy(msg)

    def _send_message(self, p: JSON) -> JSON:
        if p.get("text") is None:
            raise ApiError(400, "Bad Request: message text is empty")
        return self._store("sendMessage", p, {}, "text")

    def _send_media(self, method: str, kind: str, p: JSON) -> JSON:
        if p.get(kind) is None:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        return self._store(method, p, {kind: self.file_object(kind, p[kind])}, "caption")

    def _send_location(self, p: JSON) -> JSON:
        location = {"latitude": p["latitude"], "longitude": p["longitude"]}
        location |= {"live_period": p["live_period"]} if p.get("live_period") else {}
        return self._store("sendLocation", p, {"location": location}, "caption")

    def _send_media_group(self, p: JSON) -> list[JSON]:
        kinds = {item.get("type") for item in p["media"]}
        if "document" in kinds and len(kinds) > 1:  # Telegram's rule for albums
            raise ApiError(400, "Bad Request: document can't be mixed with other media types")
        group_id, result = str(next(self._file_ids)), []
        for item in p["media"]:
            media = item.get("media")
            if isinstance(media, str) and media.startswith("attach://"):
                item["media"] = media = p.pop(media.removeprefix("attach://"), None)
            body = {item["type"]: self.file_object(item["type"], media),
                    "media_group_id": group_id}
            result.append(self._store("sendMediaGroup", {"chat_id": p["chat_id"], **item},
                                      body, "caption"))
        return result

    def _edit(self, p: JSON, key: str | None) -> JSON:
        record = self._messages.get((p.get("chat_id", 0), p.get("message_id", 0)))
        if record is None or record.deleted:
            raise ApiError(400, "Bad Request: message to edit not found")
        if key == "text" and "text" not in record.data:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        inline = self._markup(p)[0]  # omitting reply_markup removes the inline keyboard
        raw = record.raw_text if key is None else p.get(key)
        if raw == record.raw_text and inline == record.reply_markup:
            raise ApiError(400, NOT_MODIFIED)
        data = record.data
        if key is not None:
            text = self._render(p, key)
            record.history.append(record.text)
            record.text, record.raw_text = text, raw
            data.pop(key, None)
            data.update({key: text} if text is not None else {})
        record.reply_markup = inline
        data.pop("reply_markup", None)
        data.update({"reply_markup": inline} if inline else {})
        data["edit_date"] = int(time.time())
        return copy.deepcopy(data)

    def _delete_message(self, p: JSON) -> bool:
        key = (p["chat_id"], p["message_id"])
        record = self._messages.get(key)
        if (record and record.deleted) or not 0 < key[1] <= self._msg_ids.get(key[0], 0):
            raise ApiError(400, "Bad Request: message to delete not found")
        if record is not None:
            record.deleted = True
        return True
