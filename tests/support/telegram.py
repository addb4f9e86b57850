"""The Bot API as the tests see it: the bot's own user, the message objects Telegram answers
with, the record of one call the bot made, and the readers of keyboards and answers in it.

Both fake Telegrams speak it: the stand-in HTTP server (``botapi_stub``) and the in-process
recording request (``recording``); tests and benchmarks read what the bot sent with the same
readers whichever of the two carried it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]

BOT_USER: JSON = {"id": 123456, "is_bot": True, "first_name": "Posko",
                  "username": "posko_test_bot"}
# getMe answers with what only the bot's own account knows about itself.
ME: JSON = BOT_USER | {"can_join_groups": True, "can_read_all_group_messages": False,
                       "supports_inline_queries": False, "can_connect_to_business": False,
                       "has_main_web_app": False}
# What the bot shows in a chat: new messages, and questions edited into a pressed message.
SHOWN = ("sendMessage", "editMessageText")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def command_entities(text: str) -> JSON:
    """The ``entities`` Telegram gives a message whose text starts with a /command."""
    if not text.startswith("/"):
        return {}
    length = utf16_len(text.split(maxsplit=1)[0])
    return {"entities": [{"type": "bot_command", "offset": 0, "length": length}]}


def bot_message(chat: JSON, message_id: int, **content: Any) -> JSON:
    """A message of the bot's, as Telegram returns it for a send and puts it in updates."""
    return {"message_id": message_id, "date": int(time.time()), "chat": chat,
            "from": dict(BOT_USER), **content}


def inline_keyboard(markup: object) -> JSON | None:
    """``markup`` if it is an inline keyboard: the only kind a message carries afterwards."""
    return markup if isinstance(markup, dict) and "inline_keyboard" in markup else None


def inline_buttons(markup: object) -> list[JSON]:
    """The buttons of an inline keyboard, row after row; none for any other markup."""
    rows = (inline_keyboard(markup) or {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def buttons(markup: object) -> list[tuple[str, str]]:
    """(text, callback_data or url) of every inline button."""
    return [(b.get("text", ""), b.get("callback_data") or b.get("url") or "")
            for b in inline_buttons(markup)]


def callback_data(markup: object) -> list[str]:
    """What pressing each inline button sends back (URL buttons send nothing)."""
    return [str(b["callback_data"]) for b in inline_buttons(markup) if "callback_data" in b]


@dataclass
class Call:
    """One Bot API call the bot made, with its parameters decoded."""

    method: str
    params: JSON
    time: float = field(default_factory=time.time)
    status: int = 0  # HTTP status answered (stand-in server only); 0 while pending or dropped
    answered_at: float = 0.0  # time.time() of the answer (stand-in server only)

    @property
    def text(self) -> str:
        """Text (or caption) of a send or edit, as the bot wrote it."""
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def markup(self) -> JSON:
        """The reply_markup ({} if none)."""
        return dict(self.params.get("reply_markup") or {})

    def buttons(self) -> list[tuple[str, str]]:
        """(text, callback_data or url) of the inline keyboard."""
        return buttons(self.markup)


def only(calls: list[Call], *methods: str) -> list[Call]:
    """The calls of the given methods, in order."""
    return [c for c in calls if c.method in methods]


def sends(calls: list[Call]) -> list[Call]:
    """What the bot showed in chats (see ``SHOWN``)."""
    return only(calls, *SHOWN)


def answer(calls: list[Call]) -> Call:
    """The one answer to a pressed button."""
    (found,) = only(calls, "answerCallbackQuery")
    return found
