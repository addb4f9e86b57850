"""The Bot API methods the stand-in server answers, and the state they work on: the chats it
knows, the updates waiting for ``getUpdates``, and every message the bot sent (edits applied).

``StubBotAPI`` (``botapi_stub``) puts HTTP, fault injection and waiting around this.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from tests.support.botapi_rules import (
    NOT_MODIFIED,
    ApiError,
    check_lengths,
    render,
    split_markup,
)
from tests.support.telegram import JSON, ME, bot_message, buttons

SEND_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "sendVideo", "sendMediaGroup", "sendLocation"}
)


@dataclass
class SentMessage:
    """A message the bot sent, as the chat shows it now."""

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
        return buttons(self.reply_markup)


def _ok(params: JSON) -> bool:
    return True


class BotApiMethods:
    """Telegram's side of the conversation, without the transport."""

    def __init__(self) -> None:
        self.updates: list[JSON] = []  # not yet confirmed by a getUpdates offset
        self.chats: dict[int, JSON] = {}
        self.callback_ids = itertools.count(9_000_001)
        self._file_ids, self._update_ids = itertools.count(1), itertools.count(1)
        self._msg_ids: dict[int, int] = {}
        self._messages: dict[tuple[int, int], SentMessage] = {}
        self._blocked: set[int] = set()
        self._migrated: dict[int, int] = {}
        self._commands: dict[str, Any] = {}
        self._new_update, self._stopping = asyncio.Event(), asyncio.Event()
        self.webhook_url = ""  # what setWebhook set, as getWebhookInfo tells it
        self._methods: dict[str, Callable[[JSON], Any]] = {
            "getMe": lambda p: ME,
            "getUpdates": self._get_updates, "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook, "getWebhookInfo": lambda p: {
                "url": self.webhook_url, "has_custom_certificate": False,
                "pending_update_count": len(self.updates)},
            "setMyCommands": lambda p: self._my_commands("set", p),
            "getMyCommands": lambda p: self._my_commands("get", p),
            "deleteMyCommands": lambda p: self._my_commands("delete", p),
            "setChatMenuButton": _ok, "answerCallbackQuery": self._answer, "sendChatAction": _ok,
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

    def sent(self, chat_id: int | None = None) -> list[SentMessage]:
        """Bot messages in send order, edits applied; deleted ones stay with deleted=True."""
        return [m for m in self._messages.values() if chat_id is None or m.chat_id == chat_id]

    def pending_updates(self) -> int:
        return len(self.updates)

    def block(self, user_id: int) -> None:
        self._blocked.add(user_id)

    def migrate(self, chat_id: int, new_chat_id: int) -> None:
        self._migrated[chat_id] = new_chat_id
        title = self.chats.get(chat_id, {}).get("title", "Group")
        self.chats[new_chat_id] = {"id": new_chat_id, "type": "supergroup", "title": title}

    def check_chat(self, chat_id: int | None) -> None:
        """Refuse a call to a chat that moved, blocked the bot or does not exist."""
        if chat_id in self._migrated:
            raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                           {"migrate_to_chat_id": self._migrated[chat_id]})
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id not in self.chats:
            raise ApiError(400, "Bad Request: chat not found")

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

    def _set_webhook(self, p: JSON) -> bool:
        self.webhook_url = str(p.get("url", ""))
        return True

    def _delete_webhook(self, p: JSON) -> bool:
        if p.get("drop_pending_updates"):
            self.updates.clear()
        self.webhook_url = ""
        return True

    def _my_commands(self, action: str, p: JSON) -> Any:
        key = json.dumps([p.get("scope"), p.get("language_code")], sort_keys=True)
        if action == "set":
            self._commands[key] = p["commands"]
        elif action == "delete":
            self._commands.pop(key, None)
        return self._commands.get(key, []) if action == "get" else True

    def _answer(self, p: JSON) -> bool:
        check_lengths("answerCallbackQuery", p)
        return True

    def _get_chat(self, p: JSON) -> JSON:
        gifts = dict.fromkeys(("unlimited_gifts", "limited_gifts", "unique_gifts",
                               "premium_subscription", "gifts_from_channels"), False)
        return self.chats[p["chat_id"]] | {"accent_color_id": 0, "max_reaction_count": 11,
                                           "accepted_gift_types": gifts}

    def _store(self, method: str, p: JSON, body: JSON, text_key: str) -> JSON:
        chat_id, (inline, keyboard) = p["chat_id"], split_markup(p)
        text = render(p, text_key)
        msg = bot_message(self.chats[chat_id], self.next_message_id(chat_id), **body)
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
        inline = split_markup(p)[0]  # omitting reply_markup removes the inline keyboard
        raw = record.raw_text if key is None else p.get(key)
        if raw == record.raw_text and inline == record.reply_markup:
            raise ApiError(400, NOT_MODIFIED)
        data = record.data
        if key is not None:
            text = render(p, key)
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
