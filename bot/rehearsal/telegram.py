"""A simulated Telegram: the Bot API answered in-process, every message kept.

The bot runs against it exactly as against Telegram (it is a ``BaseRequest``, the seam PTB
sends every call through), so what it records is what each recipient would get, rendered as
sent: text or caption with its HTML, and the buttons. It answers a send or an edit with the
message object Telegram would return, dated on the rehearsal's clock, and refuses a text over
Telegram's limits as Telegram would (``bot.views.limits`` measures as Telegram does). No
network, no token.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot.views.limits import CAPTION_MAX, POPUP_MAX, TEXT_MAX, within

JSON = dict[str, Any]
BOT_ID = 7_000_000
BOT_USER: JSON = {"id": BOT_ID, "is_bot": True, "first_name": "Posko (gladi)",
                  "username": "posko_gladi_bot", "can_join_groups": True,
                  "can_read_all_group_messages": False, "supports_inline_queries": False,
                  "can_connect_to_business": False, "has_main_web_app": False}
# Calls that put something in front of a person; the rest (getMe, setMyCommands) are not
# messages.
SHOWN = ("send", "edit", "answerCallbackQuery")


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message (or edit, or button answer) a recipient would get."""

    at: datetime
    chat_id: int
    method: str
    text: str
    buttons: tuple[tuple[str, str], ...] = ()
    message_id: int = 0

    @property
    def edit(self) -> bool:
        """An edit of a message already shown."""
        return self.method.startswith("edit")


@dataclass(slots=True)
class _Chat:
    """What a chat shows: the newest message with inline buttons (what an actor taps), and
    whether the newest message put a keyboard under the input field."""

    buttons: tuple[tuple[str, str], ...] = ()
    message_id: int = 0
    reply_keyboard: bool = False


def _over(text: str, limit: int) -> bool:
    """Longer than ``limit`` as Telegram counts."""
    return not within(text, limit)


def _markup(raw: object) -> JSON | None:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return None
    return raw if isinstance(raw, dict) else None


def _buttons(markup: JSON | None) -> tuple[tuple[str, str], ...]:
    rows = (markup or {}).get("inline_keyboard") or []
    return tuple((str(b.get("text", "")), str(b.get("callback_data") or b.get("url") or ""))
                 for row in rows for b in row)


@dataclass
class SimulatedTelegram(BaseRequest):
    """The Bot API in-process. ``now`` is the rehearsal's clock; ``keep`` False counts the
    messages without keeping their text (a national rehearsal's summary needs no timeline)."""

    now: Callable[[], datetime]
    keep: bool = True
    deliveries: list[Delivery] = field(default_factory=list)
    chats: dict[int, _Chat] = field(default_factory=dict)
    refused: int = 0
    listeners: list[Callable[[Delivery], None]] = field(default_factory=list)
    _next_id: int = 1000

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    def shown(self, chat_id: int) -> _Chat:
        """What ``chat_id`` shows now (its newest message with buttons)."""
        return self.chats.get(chat_id) or _Chat()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None,
                         connect_timeout: Any = None, pool_timeout: Any = None,
                         ) -> tuple[int, bytes]:
        api = url.rsplit("/", 1)[-1]
        params: JSON = dict(request_data.parameters) if request_data else {}
        problem = self._refusal(api, params)
        if problem:
            self.refused += 1
            return 400, json.dumps({"ok": False, "error_code": 400,
                                    "description": f"Bad Request: {problem}"}).encode()
        result = self._answer(api, params)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _refusal(self, api: str, params: JSON) -> str:
        """What Telegram would refuse of this call ('' when nothing)."""
        text, caption = params.get("text"), params.get("caption")
        if isinstance(text, str) and api.startswith(("send", "edit")):
            if not text.strip():
                return "message text is empty"
            if _over(text, TEXT_MAX):
                return "message is too long"
        if isinstance(caption, str) and _over(caption, CAPTION_MAX):
            return "message caption is too long"
        if api == "answerCallbackQuery" and len(str(params.get("text") or "")) > POPUP_MAX:
            return "text is too long"
        return ""

    def _answer(self, api: str, params: JSON) -> Any:
        if api == "getMe":
            return BOT_USER
        if api == "getUpdates":
            return []
        if api == "answerCallbackQuery":
            if params.get("text"):
                self._record(Delivery(self.now(), 0, api, str(params["text"])))
            return True
        if api == "sendMediaGroup":
            items = params.get("media") or []
            if isinstance(items, str):
                items = json.loads(items)
            chat_id = int(params.get("chat_id", 0))
            messages = []
            for item in items or [{}]:
                message_id = self._id()
                caption = str(item.get("caption") or "") if isinstance(item, dict) else ""
                self._record(Delivery(self.now(), chat_id, api, caption, (), message_id))
                messages.append(self._message(chat_id, message_id, caption, None))
            return messages
        if not api.startswith(("send", "edit")):
            return True
        chat_id = int(params.get("chat_id", 0))
        edit = api.startswith("edit")
        message_id = int(params.get("message_id") or 0) if edit else self._id()
        text = str(params.get("text") or params.get("caption") or "")
        markup = _markup(params.get("reply_markup"))
        buttons = _buttons(markup)
        self._record(Delivery(self.now(), chat_id, api, text, buttons, message_id))
        chat = self.chats.setdefault(chat_id, _Chat())
        if not edit:
            chat.reply_keyboard = bool(markup and "keyboard" in markup)
        if (buttons and not edit) or message_id == chat.message_id:
            chat.buttons, chat.message_id = buttons, message_id
        return self._message(chat_id, message_id, text, markup)

    def _record(self, delivery: Delivery) -> None:
        if self.keep:
            self.deliveries.append(delivery)
        for listener in self.listeners:
            listener(delivery)

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _message(self, chat_id: int, message_id: int, text: str, markup: JSON | None) -> JSON:
        chat: JSON = ({"id": chat_id, "type": "private", "first_name": "x"} if chat_id > 0
                      else {"id": chat_id, "type": "supergroup", "title": "g"})
        message: JSON = {"message_id": message_id, "date": int(self.now().timestamp()),
                         "chat": chat, "from": {k: BOT_USER[k] for k in
                                                ("id", "is_bot", "first_name", "username")},
                         "text": text}
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        return message
