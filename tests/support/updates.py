"""Builders of Telegram update JSON for in-process handler tests."""

from __future__ import annotations

import itertools
import time
from typing import Any

from tests.support.telegram import bot_message, command_entities

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)


def user(user_id: int, first_name: str = "Budi", last_name: str | None = "Santoso",
         language_code: str = "id") -> dict[str, Any]:
    """A Telegram user object."""
    data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name,
                            "language_code": language_code}
    if last_name:
        data["last_name"] = last_name
    return data


def private_chat(u: dict[str, Any]) -> dict[str, Any]:
    """The private chat with a user."""
    return {"id": u["id"], "type": "private", "first_name": u["first_name"]}


def group_chat(chat_id: int = -100123, title: str = "Posko Kecamatan") -> dict[str, Any]:
    """A supergroup."""
    return {"id": chat_id, "type": "supergroup", "title": title}


def message(u: dict[str, Any], *, chat: dict[str, Any] | None = None, age_s: float = 0,
            **content: Any) -> dict[str, Any]:
    """A message update with arbitrary content fields."""
    msg = {"message_id": next(_message_ids), "date": int(time.time() - age_s), "from": u,
           "chat": chat or private_chat(u), **content}
    return {"update_id": next(_update_ids), "message": msg}


def text(u: dict[str, Any], body: str, **kw: Any) -> dict[str, Any]:
    """A text message; a leading /command gets its bot_command entity like in Telegram."""
    return message(u, text=body, **command_entities(body), **kw)


def location(u: dict[str, Any], lat: float, lon: float, *, live_period: int | None = None,
             forwarded: bool = False, venue: bool = False, accuracy: float | None = None,
             **kw: Any) -> dict[str, Any]:
    """A location message (own, forwarded, venue or live; ``accuracy`` in metres)."""
    loc: dict[str, Any] = {"latitude": lat, "longitude": lon}
    if accuracy is not None:
        loc["horizontal_accuracy"] = accuracy
    content: dict[str, Any] = {"location": loc}
    if live_period:
        loc["live_period"] = live_period
    if forwarded:
        content["forward_origin"] = {"type": "user", "sender_user": user(999, "Lain"),
                                     "date": int(time.time()) - 5}
    if venue:
        content["venue"] = {"location": loc, "title": "Kantor Lurah", "address": "Jl. Raya 1"}
    return message(u, **content, **kw)


def edited_location(original: dict[str, Any], lat: float, lon: float) -> dict[str, Any]:
    """A live-location update of an earlier location message."""
    msg = dict(original["message"])
    msg["location"] = {**msg["location"], "latitude": lat, "longitude": lon}
    msg["edit_date"] = int(time.time())
    return {"update_id": next(_update_ids), "edited_message": msg}


def edited_text(original: dict[str, Any], body: str) -> dict[str, Any]:
    """An edit of an earlier text message."""
    msg = {**original["message"], "text": body, "edit_date": int(time.time())}
    return {"update_id": next(_update_ids), "edited_message": msg}


def callback(u: dict[str, Any], data: str, *, message_id: int = 1,
             chat: dict[str, Any] | None = None) -> dict[str, Any]:
    """A button press on a bot message."""
    pressed = bot_message(chat or private_chat(u), message_id, text="…")
    return {"update_id": next(_update_ids),
            "callback_query": {"id": str(next(_update_ids)), "from": u, "chat_instance": "1",
                               "data": data, "message": pressed}}
