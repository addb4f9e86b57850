"""A lean recording ``BaseRequest`` for the throughput benchmark.

Like ``tests/recording.py`` it answers Bot API calls the way Telegram would (a message object
for every send or edit, ``True`` for the rest), so PTB does all its usual work on both sides of
a call. Instead of keeping every call it counts them per method and remembers, per chat, the
last inline keyboard sent, so a scripted user can press the button the bot just offered.
"""

from __future__ import annotations

import itertools
import json
import time
from collections import Counter
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT = {"id": 123456, "is_bot": True, "first_name": "Posko", "username": "posko_bench_bot",
       "can_join_groups": True, "can_read_all_group_messages": False,
       "supports_inline_queries": False}


def _markup(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        loaded: dict[str, Any] = json.loads(value)
        return loaded
    return dict(value) if isinstance(value, dict) else {}


class LeanRequest(BaseRequest):
    """Answers like Telegram; counts calls and keeps the last inline keyboard of each chat."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        # chat id -> (message id, callback data of every button) of the last inline keyboard
        self.keyboards: dict[int, tuple[int, list[str]]] = {}
        self._ids = itertools.count(1000)

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None,
                         connect_timeout: Any = None, pool_timeout: Any = None,
                         ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        self.counts[api_method] += 1
        return 200, json.dumps({"ok": True, "result": self._result(api_method, params)}).encode()

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT
        if method == "getUpdates":
            return []
        if not method.startswith(("send", "edit")):
            return True
        chat_id = int(params.get("chat_id", 0))
        message_id = int(params.get("message_id") or next(self._ids))
        message: dict[str, Any] = {
            "message_id": message_id, "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group",
                     "first_name": "x", "title": "g"},
            "from": BOT, "text": params.get("text", ""),
        }
        markup = _markup(params.get("reply_markup"))
        if "inline_keyboard" in markup:
            message["reply_markup"] = markup
            self.keyboards[chat_id] = (message_id, [
                str(button.get("callback_data", "")) for row in markup["inline_keyboard"]
                for button in row])
        return message
