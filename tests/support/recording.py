"""A recording ``BaseRequest``: the real ``Application`` runs against it in-process.

It answers Bot API calls the way Telegram would (enough for the bot's needs) and records every
call, so handler tests assert on what the bot actually asked Telegram to do. Unlike the
stand-in server it keeps no chats: every call succeeds but one Telegram would refuse for its
text (unparsable HTML, or over a length limit), and no network is involved.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from telegram.request import BaseRequest, RequestData

from tests.support.botapi_rules import ApiError, check_lengths
from tests.support.telegram import JSON, ME, Call, bot_message, inline_keyboard


class TelegramLikeRequest(BaseRequest):
    """Answers Bot API calls the way Telegram would, in-process: a message object for every
    send or edit (with its inline keyboard, as Telegram echoes it), ``True`` for the rest.
    Subclasses say what to keep of each call in :meth:`record`."""

    # Refuse what Telegram refuses (HTML, lengths). The throughput benchmark turns it off: its
    # texts are known to fit, and parsing every text would add the same cost to both sides.
    check_texts = True

    def __init__(self) -> None:
        self._ids = itertools.count(1000)

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    def record(self, method: str, params: JSON) -> None:
        """Keep what a test or benchmark needs of one call (nothing here)."""

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None,
                         connect_timeout: Any = None, pool_timeout: Any = None,
                         ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        self.record(api_method, params)
        if self.check_texts:
            try:
                check_lengths(api_method, params)
            except ApiError as refused:
                return 400, json.dumps(refused.body()).encode()
        return 200, json.dumps({"ok": True, "result": self._result(api_method, params)}).encode()

    def _result(self, method: str, params: JSON) -> Any:
        if method == "getMe":
            return ME
        if method == "getUpdates":
            return []
        if method == "sendMediaGroup":  # an album answers with one message per item
            media = params.get("media") or []
            items = json.loads(media) if isinstance(media, str) else media
            return [self._result("sendPhoto", {**params, "media": None})
                    for _ in range(max(1, len(items)))]
        if method.startswith(("send", "edit")):
            chat_id = int(params.get("chat_id", 0))
            chat = {"id": chat_id, "type": "private" if chat_id > 0 else "group",
                    "first_name": "x", "title": "g"}
            message = bot_message(chat, int(params.get("message_id") or next(self._ids)),
                                  text=params.get("text", ""))
            if (inline := inline_keyboard(params.get("reply_markup"))) is not None:
                message["reply_markup"] = inline
            return message
        return True


class RecordingRequest(TelegramLikeRequest):
    """Answers like Telegram and remembers every call."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Call] = []

    def record(self, method: str, params: JSON) -> None:
        """Remember the call."""
        self.calls.append(Call(method, params))
