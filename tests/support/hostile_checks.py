"""What the hostile-input test holds the bot to: the one answer each update is owed, in the
right chat, in valid Telegram HTML within Telegram's limits; and after a storm, a database
with nothing written that should not be."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from bot.texts import LANGUAGES, t
from tests.support.harness import Harness
from tests.support.hostile_cases import (
    COMMANDS,
    GROUP_COMMANDS_THAT_ANSWER_FREELY,
    REGISTERED,
    REPORTERS,
    SCOPES,
    USERNAME,
)
from tests.support.telegram import Call

PRIVATE_ONLY = {t(lang, "private_only") for lang in LANGUAGES}
OFF_SHIFT = {t(lang, "status.off_shift") for lang in LANGUAGES}

# Telegram's HTML: these tags, these entities, and nothing else unescaped.
TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
        "tg-emoji", "code", "pre", "blockquote"}
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)((?:\s+[a-z-]+=\"[^\"<>]*\")*)\s*>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


# --- what the bot must do with one update --------------------------------------------------

def addressed_command(message: dict[str, Any]) -> str | None:
    """The command of a message if it is one of ours and addressed to this bot."""
    entities = message.get("entities") or []
    text = message.get("text") or ""
    if not entities or entities[0]["type"] != "bot_command" or entities[0]["offset"] != 0:
        return None
    name, _, target = text[1:entities[0]["length"]].partition("@")
    if target and target.lower() != USERNAME.lower():
        return None
    return name.lower() if name.lower() in COMMANDS else None


def visible_length(html: str) -> int:
    """Characters Telegram counts (UTF-16 code units) once the markup is parsed."""
    plain = unescape(_TAG.sub("", html))
    return len(plain.encode("utf-16-le")) // 2


def check_html(html: str) -> None:
    """Valid Telegram HTML: known tags properly nested, and no stray ``<`` or ``&``."""
    stack: list[str] = []
    for match in _TAG.finditer(html):
        closing, tag = match[1] == "/", match[2].lower()
        assert tag in TAGS, f"unsupported tag <{tag}> in {html[:300]!r}"
        if closing:
            assert stack and stack.pop() == tag, f"misnested </{tag}> in {html[:300]!r}"
        else:
            stack.append(tag)
    assert not stack, f"unclosed {stack} in {html[:300]!r}"
    rest = _ENTITY.sub("", _TAG.sub("", html))
    assert "<" not in rest and "&" not in rest, f"unescaped markup in {html[:300]!r}"


def check_call(call: Call) -> None:
    """Telegram's limits and markup rules for one Bot API call."""
    allowed = {"sendMessage", "sendDocument", "editMessageText", "editMessageReplyMarkup",
               "answerCallbackQuery"}
    assert call.method in allowed, call
    if call.method in ("sendMessage", "editMessageText"):
        assert call.params.get("parse_mode") == "HTML"
        check_html(call.text)
        assert 0 < visible_length(call.text) <= 4096, call.text[:200]
    if call.method == "sendDocument":
        check_html(call.text)
        assert visible_length(call.text) <= 1024, call.text[:200]
    if call.method == "answerCallbackQuery":
        assert len(str(call.params.get("text") or "")) <= 200, call
    for _, data in call.buttons():
        assert 0 < len(data.encode()) <= 64, data


def chat_of(call: Call) -> int | None:
    chat = call.params.get("chat_id")
    return int(chat) if chat is not None else None


def check_answer(update: dict[str, Any], calls: list[Call]) -> str:
    """The bot's reaction to one update is the one it owes, in the right place; returns
    what kind of update it was, for the tally."""
    for call in calls:
        check_call(call)
    sent = [c for c in calls if c.method != "answerCallbackQuery"]
    if "callback_query" in update:
        query = update["callback_query"]
        answers = [c for c in calls if c.method == "answerCallbackQuery"]
        assert [str(c.params["callback_query_id"]) for c in answers] == [query["id"]], calls
        allowed = {query["from"]["id"]}
        if "message" in query:
            allowed.add(query["message"]["chat"]["id"])
        assert all(chat_of(c) in allowed for c in sent if chat_of(c) is not None), calls
        return "button, answered once"
    message = update.get("message")
    if message is None or "from" not in message:
        assert calls == [], f"expected silence, got {calls}"
        return "silence"
    chat = message["chat"]
    if chat["type"] == "private":
        assert any(c.method in ("sendMessage", "sendDocument") for c in sent), calls
        assert all(chat_of(c) == chat["id"] for c in sent), calls
        known = message["from"]["id"] in REGISTERED
        return f"private message from {'a member' if known else 'a stranger'}, answered"
    command = addressed_command(message)
    if command is None or command == "start":
        assert calls == [], f"group chatter must get silence, got {calls}"
        return "silence"
    assert sent and all(c.method == "sendMessage" and chat_of(c) == chat["id"]
                        for c in sent), calls
    if command not in GROUP_COMMANDS_THAT_ANSWER_FREELY:
        assert [c.text for c in sent] in ([text] for text in PRIVATE_ONLY), calls
    return "group command, one line"


# --- what must stay true in the database ---------------------------------------------------

async def rows(h: Harness, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in await h.db.fetchall(sql)]


async def frozen(h: Harness) -> dict[str, Any]:
    """What no update may change at all."""
    return {
        "desks": await rows(h, "SELECT * FROM desks ORDER BY id"),
        "duty_rules": await rows(h, "SELECT * FROM duty_rules ORDER BY id"),
        "members": await rows(h, "SELECT telegram_id, full_name, username, desk_id, role, "
                                 "active, invite_id FROM members ORDER BY telegram_id"),
        "shifts": await rows(h, "SELECT * FROM shifts ORDER BY id"),
        "presence_checks": await rows(h, "SELECT * FROM presence_checks ORDER BY id"),
        "alerts": await rows(h, "SELECT id, desk_id, short_since, opened_at, resolved_at "
                                "FROM alerts ORDER BY id"),
        "seeded invites": await rows(h, "SELECT * FROM invites WHERE created_by IS NULL "
                                        "ORDER BY id"),
        "seeded report": await rows(h, "SELECT id, ref, desk_id, reporter_id, category, "
                                       "severity, description FROM incidents "
                                       "ORDER BY id LIMIT 1"),
    }


def in_scope(who: int | None, code: str) -> bool:
    scope = SCOPES.get(who) if who is not None else None
    return scope is not None and (scope == "" or code == scope or code.startswith(scope + "."))


async def check_world(h: Harness, before: dict[str, Any]) -> None:
    """Nothing written that should not be: frozen tables as they were, every change by
    someone allowed to make it."""
    after = await frozen(h)
    for table, seeded in before.items():
        assert after[table] == seeded, f"{table} changed"
    for who, code in await rows(h, "SELECT a.acked_by, d.code FROM alerts a JOIN desks d "
                                   "ON d.id = a.desk_id WHERE a.acked_by IS NOT NULL"):
        assert in_scope(who, code), ("alert taken by", who, code)
    for who, reporter, code in await rows(
            h, "SELECT i.handler_id, i.reporter_id, d.code FROM incidents i JOIN desks d "
               "ON d.id = i.desk_id"):
        assert REPORTERS.get(reporter) == code, ("report by", reporter, code)
        assert who is None or in_scope(who, code), ("report handled by", who, code)
    for who, code in await rows(h, "SELECT c.member_id, d.code FROM closing_notes c JOIN "
                                   "incidents i ON i.id = c.incident_id JOIN desks d "
                                   "ON d.id = i.desk_id"):
        assert in_scope(who, code), ("closing note owed by", who, code)
    for who, code in await rows(h, "SELECT r.member_id, d.code FROM incident_drafts r JOIN "
                                   "desks d ON d.id = r.desk_id"):
        assert REPORTERS.get(who) == code, ("draft of", who, code)
    for who, code in await rows(h, "SELECT i.created_by, d.code FROM invites i JOIN desks d "
                                   "ON d.id = i.desk_id WHERE i.created_by IS NOT NULL"):
        assert in_scope(who, code), ("invite made by", who, code)
    for chat, who, code in await rows(h, "SELECT s.chat_id, s.created_by, d.code FROM "
                                         "subscriptions s JOIN desks d ON d.id = s.desk_id"):
        assert chat < 0 and in_scope(who, code), ("subscription", chat, who, code)
    for (language,) in await rows(h, "SELECT language FROM members"):
        assert language in (None, "id", "en")
