"""The simulated people of the stand-in Bot API server: users with a private chat with the
bot, and groups, whose messages, locations, files and button presses become updates."""

from __future__ import annotations

import copy
import time

from tests.support.botapi_methods import BotApiMethods, SentMessage
from tests.support.telegram import JSON, callback_data, command_entities


class SimChat:
    """A group or supergroup (negative id) that simulated users can post in."""

    def __init__(self, chat_id: int, title: str, supergroup: bool = False) -> None:
        self.id, self.title = chat_id, title
        self.type = "supergroup" if supergroup else "group"

    def as_dict(self) -> JSON:
        return {"id": self.id, "type": self.type, "title": self.title}


class SimUser:
    """A user with a private chat with the bot (chat id == user id)."""

    def __init__(self, api: BotApiMethods, user_id: int, first_name: str,
                 last_name: str | None, username: str | None,
                 language_code: str | None) -> None:
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
        return self._post({"text": text, **command_entities(text)}, chat, forward)[0]

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

    def press(self, message: SentMessage, data: str, *, strict: bool = True) -> int:
        """Press an inline button; ``strict`` insists that the message currently offers it."""
        offered = callback_data(message.reply_markup)
        if strict and (message.deleted or data not in offered):
            raise AssertionError(f"no button {data!r} on the message; has {offered}")
        query = {"id": str(next(self._api.callback_ids)), "from": self.as_dict(),
                 "chat_instance": f"ci{message.chat_id}", "data": data,
                 "message": copy.deepcopy(message.data)}
        return self._api.push_update({"callback_query": query})
