"""A recording ``BaseRequest``: the real ``Application`` runs against it in-process.

It answers Bot API calls the way Telegram would (enough for the bot's needs) and records every
call, so handler tests assert on what the bot actually asked Telegram to do.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT = {"id": 123456, "is_bot": True, "first_name": "Posko", "username": "posko_test_bot",
       "can_join_groups": True, "can_read_all_group_messages": False,
       "supports_inline_queries": False}


@dataclass
class Call:
    """One Bot API call the bot made."""

    method: str
    params: dict[str, Any]

    @property
    def text(self) -> str:
        """Text (or caption) of a send/edit call."""
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def markup(self) -> dict[str, Any]:
        """The reply_markup as a dict ({} if none)."""
        markup = self.params.get("reply_markup") or {}
        return json.loads(markup) if isinstance(markup, str) else dict(markup)

    def buttons(self) -> list[tuple[str, str]]:
        """(text, callback_data or url) of an inline keyboard."""
        rows = self.markup.get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data") or b.get("url", "")) for row in rows
                for b in row]


class TelegramLikeRequest(BaseRequest):
    """Answers Bot API calls the way Telegram would, in-process: a message object for every
    send or edit (with its inline keyboard, as Telegram echoes it), ``True`` for the rest.
    Subclasses say what to keep of each call in :meth:`record`."""

    def __init__(self) -> None:
        self._ids = itertools.count(1000)

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    def record(self, method: str, params: dict[str, Any]) -> None:
        """Keep what a test or benchmark needs of one call (nothing here)."""

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None,
                         connect_timeout: Any = None, pool_timeout: Any = None,
                         ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        self.record(api_method, params)
        return 200, json.dumps({"ok": True, "result": self._result(api_method, params)}).encode()

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT
        if method == "getUpdates":
            return []
        if method == "sendMediaGroup":  # an album answers with one message per item
            media = params.get("media") or []
            items = json.loads(media) if isinstance(media, str) else media
            return [self._result("sendPhoto", {**params, "media": None})
                    for _ in range(max(1, len(items)))]
        if method.startswith(("send", "edit")):
            chat_id = int(params.get("chat_id", 0))
            message: dict[str, Any] = {
                "message_id": int(params.get("message_id") or next(self._ids)),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group",
                         "first_name": "x", "title": "g"},
                "from": BOT,
                "text": params.get("text", ""),
            }
            markup = params.get("reply_markup")
            if isinstance(markup, dict) and "inline_keyboard" in markup:
                message["reply_markup"] = markup
            return message
        return True


class RecordingRequest(TelegramLikeRequest):
    """Answers like Telegram and remembers every call."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Call] = []

    def record(self, method: str, params: dict[str, Any]) -> None:
        """Remember the call."""
        self.calls.append(Call(method, params))

    # --- helpers for tests -------------------------------------------------------------
    def sent(self, chat_id: int | None = None) -> list[Call]:
        """sendMessage/edit calls, optionally to one chat."""
        return [c for c in self.calls
                if c.method in ("sendMessage", "editMessageText", "sendPhoto", "sendDocument")
                and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)]

    def answers(self) -> list[Call]:
        """answerCallbackQuery calls."""
        return [c for c in self.calls if c.method == "answerCallbackQuery"]
