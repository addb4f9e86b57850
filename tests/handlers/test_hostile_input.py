"""Hostile and random updates through the real Application: bad input never crashes a handler
or the bot.

Hypothesis generates storms of updates of every kind — messages with and without a sender,
channel posts, edits, forged and stale buttons, huge texts, odd Unicode, markup and SQL in
text, absurd coordinates, forwards, venues, media, service messages, membership changes,
commands with random arguments and @suffixes — from unknown users, officers, supervisors and
the admin, in private chats, groups and supergroups. For every update:

- no handler raises (checked per update, and again by the harness at the end);
- a private message from a user always gets an answer in that chat and nowhere else; a button
  press gets exactly one answer; channel posts, edits, membership updates and group chatter
  get silence; a command in a group gets one line and never anybody's data;
- every text sent is valid Telegram HTML within Telegram's limits.

Before the random storms a fixed gauntlet runs every button prefix with every odd id and every
command with every odd argument, so the known-hostile cases are tried on every run.

After every storm the database holds nothing it should not (desks, members, shifts and
presence questions as seeded; alerts, reports, invites and subscriptions changed only by
someone allowed to), and a registered officer's /status still gets its normal answer.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from html import unescape
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import post_init
from bot.callbacks import KINDS
from bot.texts import LANGUAGES, t
from scheduler.presence import check_presence
from scheduler.sweep import sweep
from storage import desks as desks_store
from storage import drafts as drafts_store
from storage import incidents as incidents_store
from storage.drafts import Step
from storage.models import Role, utcnow
from tests.support.harness import Harness
from tests.support.settings import ADMIN_ID
from tests.support.sweeping import CONFIG, KEC, KEL, PRESENCE, WIB, check_in, only_these_need_staff
from tests.support.telegram import BOT_USER, Call

GAMBIR = "31.71.01"  # Kec. Gambir, Jakarta Pusat: another kecamatan
KOTA = "31.73"
OFFICER, CAMAT, STRANGER, OFFICER2 = 701, 702, 703, 706
UNKNOWN = (704, 705)
REGISTERED = {OFFICER, CAMAT, STRANGER, ADMIN_ID}
# Who may oversee what (desk-code prefix; "" is everything).
SCOPES = {CAMAT: KEC, STRANGER: GAMBIR, ADMIN_ID: ""}
REPORTERS = {OFFICER: KEL, CAMAT: KEC, STRANGER: GAMBIR}
USERNAME = str(BOT_USER["username"])

COMMANDS = ["start", "checkin", "checkout", "status", "rekap", "board", "lapor", "report",
            "laporan", "incidents", "ekspor", "export", "peringatan", "alerts", "undang",
            "invite", "langganan", "subscribe", "bahasa", "language", "batal", "cancel",
            "bantuan", "help"]
GROUP_COMMANDS_THAT_ANSWER_FREELY = {"langganan", "subscribe"}
PRIVATE_ONLY = {t(lang, "private_only") for lang in LANGUAGES}
OFF_SHIFT = {t(lang, "status.off_shift") for lang in LANGUAGES}

# Telegram's HTML: these tags, these entities, and nothing else unescaped.
TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
        "tg-emoji", "code", "pre", "blockquote"}
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)((?:\s+[a-z-]+=\"[^\"<>]*\")*)\s*>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")

FRAGMENTS = [
    "'; DROP TABLE members;--", "\" OR 1=1 --", "<script>alert(1)</script>", "<b>", "</b>",
    "<b>tebal</b>", "<i>", "&", "&amp;", "&lt;", "<a href=\"javascript:alert(1)\">x</a>",
    "\u200b", "\u200c\u200d", "\u200f", "\u202e", "\u2066abc\u2069", "\ufeff", "مرحبا بالعالم",
    "שלום", "𝕏🙂", "👨‍👩‍👧‍👦", "Z̤͔ͧ̑a̸l̶g̶o̴", "{name}", "{0}", "%s%n", "\\", "NULL",
    "LP-31.73.01.1001-0001", KEC, GAMBIR, KEL, KOTA, "99.99", "²", "١٢٣", "0", "-1",
    "9" * 40, "off", "OFF", "berhenti", "31/12/9999", "01/01/0001", "9999-12-31",
    "29/02/2025", "2026-11-20", "20-11-2026", "tps 7", "012", " ", "\n", "\t",
]
# Ids that are no ids: signs, spaces, other scripts' digits (``int`` takes "١٢" but not "²"),
# more digits than SQLite's 64-bit integers hold.
ODD_IDS = ["-1", "-0", "+1", " 1", "1 ", "0x10", "1e3", "1.5", "²", "١٢", "１２", "9" * 11,
           "9" * 12, "9" * 20, "9" * 58, "00000000001", "NaN", "∞", "1:2", "::", "x"]
CHARACTERS = st.characters(exclude_categories=("Cs",))  # Telegram sends valid UTF-8 only
huge = st.builds(lambda part, n: (part * n)[:10_000],
                 st.sampled_from([*FRAGMENTS[:12], "x", "kata "]), st.integers(1, 10_000))
texts = st.one_of(st.sampled_from(FRAGMENTS), st.text(CHARACTERS, max_size=60), huge)
names = st.one_of(st.sampled_from(FRAGMENTS[:24]), st.text(CHARACTERS, min_size=1,
                                                           max_size=64))
words = st.one_of(st.sampled_from(FRAGMENTS), st.text(CHARACTERS, min_size=1, max_size=20),
                  huge).map(lambda w: "".join(w.split()) or "x")


@dataclass(frozen=True)
class World:
    """The ids of the objects forged buttons aim at."""

    alert: int
    incident: int
    shift: int
    check: int
    desks: tuple[int, ...]


# --- strategies ----------------------------------------------------------------------------

def user_ids() -> st.SearchStrategy[int]:
    """Mostly the registered people, sometimes a stranger, sometimes anybody at all."""
    return st.sampled_from([OFFICER, OFFICER, CAMAT, CAMAT, STRANGER, ADMIN_ID, *UNKNOWN,
                            0]).flatmap(lambda n: st.just(n) if n else
                                        st.integers(10**6, 2**52))


@st.composite
def users(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = {"id": draw(user_ids()), "is_bot": False,
                            "first_name": draw(names)}
    if draw(st.booleans()):
        data["last_name"] = draw(names)
    code = draw(st.sampled_from([None, "id", "en", "xx", "zh-hans"]))
    if code:
        data["language_code"] = code
    if draw(st.booleans()):
        data["username"] = draw(st.from_regex(r"[a-z][a-z0-9_]{4,20}", fullmatch=True))
    return data


@st.composite
def group_chats(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["group", "supergroup"]))
    chat_id = draw(st.sampled_from([-4001, -4002])) if kind == "group" else \
        draw(st.sampled_from([-100123, -1001234567890]))
    return {"id": chat_id, "type": kind, "title": draw(names)}


CHANNEL = {"id": -1009999, "type": "channel", "title": "Kanal"}


def real_ids(world: World) -> list[str]:
    return [str(n) for n in (world.alert, world.incident, world.shift, world.check,
                             *world.desks, 0, 1, 2, 3)]


def numbers(world: World) -> st.SearchStrategy[str]:
    """Ids of real objects, odd ones, any integer, any short text."""
    return st.sampled_from([*real_ids(world), *ODD_IDS, "", ""]).flatmap(
        lambda n: st.just(n) if n else st.one_of(st.integers(-(2**70), 2**70).map(str),
                                                 st.text(CHARACTERS, max_size=12)))


@st.composite
def callback_data(draw: st.DrawFn, world: World) -> str | None:
    n = numbers(world)
    shape = draw(st.sampled_from(["ack", "desk", "pc", "inc:t", "inc:f", "incp", "rk", "co",
                                  "inv", "lp", "reg", "lang", "random", "none"]))
    if shape == "none":
        return None  # a game button: no data at all
    if shape == "random":
        return draw(st.text(CHARACTERS, max_size=64))
    if shape == "rk":
        data = f"rk:{draw(n)}:{draw(n)}"
    elif shape == "co":
        data = f"co:{draw(n)}:{draw(st.sampled_from(['y', 'n', 'x', '', 'y:y']))}"
    elif shape == "inv":
        data = f"inv:{draw(n)}:{draw(st.sampled_from(['o', 's', 'a', '']))}:{draw(n)}"
    elif shape == "lp":
        action = draw(st.sampled_from(["cat:kamtib", "cat:kondusif", "cat:x", "sev:tinggi",
                                       "sev:", "skip", "done", "send", "edit", "cancel", "",
                                       "cat", "send:1"]))
        data = f"lp:{draw(n)}:{action}"
    elif shape == "reg":
        data = "reg:" + draw(st.one_of(st.just("-"), st.text(CHARACTERS, max_size=60)))
    elif shape == "lang":
        data = "lang:" + draw(st.sampled_from(["id", "en", "xx", "", "EN", "id:en"]))
    else:
        data = f"{shape}:{draw(n)}"
    return data[:64] if draw(st.booleans()) else data  # Telegram's limit, and beyond it


@st.composite
def callbacks(draw: st.DrawFn, world: World) -> dict[str, Any]:
    who = draw(users())
    query: dict[str, Any] = {"id": str(draw(st.integers(1, 2**63))), "from": who,
                             "chat_instance": "ci"}
    data = draw(callback_data(world))
    if data is None:
        query["game_short_name"] = "game"
    else:
        query["data"] = data
    where = draw(st.sampled_from(["private", "group", "inaccessible", "inline"]))
    if where == "inline":
        query["inline_message_id"] = "inline-1"
    else:
        chat = ({"id": who["id"], "type": "private", "first_name": who["first_name"]}
                if where != "group" else draw(group_chats()))
        message: dict[str, Any] = {"message_id": draw(st.integers(1, 2**31)), "chat": chat}
        if where == "inaccessible":  # older than 48 hours: Telegram sends date 0
            message["date"] = 0
        else:
            message.update(date=int(time.time()), text="…", **{"from": BOT_USER})
        query["message"] = message
    return {"callback_query": query}


@st.composite
def commands(draw: st.DrawFn) -> dict[str, Any]:
    name = draw(st.one_of(st.sampled_from(COMMANDS), st.sampled_from(["START", "Status",
                                                                     "foo", "x" * 40])))
    suffix = draw(st.sampled_from(["", "", f"@{USERNAME}", f"@{USERNAME.upper()}",
                                   "@other_bot"]))
    head = f"/{name}{suffix}"
    args = draw(st.lists(words, max_size=3))
    body = " ".join([head, *args])
    return {"text": body, "entities": [{"type": "bot_command", "offset": 0,
                                        "length": len(head)}]}


def coordinates() -> st.SearchStrategy[tuple[float, float]]:
    absurd = st.sampled_from([1e308, -1e308, 91.0, -91.0, 181.0, -181.0, 0.0, 90.0, -90.0,
                              180.0, -180.0, 5e-324])
    far = st.tuples(st.floats(-90, 90), st.floats(-180, 180)).filter(
        lambda p: abs(p[0] + 6.14) > 0.05 or abs(p[1] - 106.73) > 0.05)
    return st.one_of(st.tuples(absurd, absurd), far)


@st.composite
def locations(draw: st.DrawFn, desk: tuple[float, float]) -> dict[str, Any]:
    """A location that must never open a shift: absurd or far, or the desk's own spot but
    forwarded, a venue or stale."""
    forwarded, venue, stale = draw(st.booleans()), draw(st.booleans()), draw(st.booleans())
    if draw(st.booleans()):
        lat, lon = desk
        if not (forwarded or venue or stale):
            forwarded = True
    else:
        lat, lon = draw(coordinates())
    loc: dict[str, Any] = {"latitude": lat, "longitude": lon}
    if draw(st.booleans()):
        loc["live_period"] = draw(st.sampled_from([60, 900, 86400, 0x7FFFFFFF]))
    if draw(st.booleans()):
        loc["horizontal_accuracy"] = draw(st.sampled_from([0.0, 5.0, 1500.0]))
    content: dict[str, Any] = {"location": loc}
    if forwarded:
        content["forward_origin"] = {"type": "user", "date": int(time.time()) - 5,
                                     "sender_user": {"id": 999, "is_bot": False,
                                                     "first_name": "Lain"}}
    if venue:
        content["venue"] = {"location": loc, "title": draw(names), "address": draw(names)}
    if stale:
        content["date"] = int(time.time()) - 3600
    return content


def _file(kind: str) -> dict[str, Any]:
    return {"file_id": f"{kind}-id", "file_unique_id": f"{kind}-u"}


PHOTO = [{**_file("thumb"), "width": 90, "height": 90},
         {**_file("photo"), "width": 1280, "height": 960}]
STICKER = {**_file("sticker"), "type": "regular", "width": 512, "height": 512,
           "is_animated": False, "is_video": False}
POLL = {"id": "poll-1", "question": "Aman?",
        "options": [{"text": "ya", "voter_count": 0, "persistent_id": "o1"},
                    {"text": "tidak", "voter_count": 0, "persistent_id": "o2"}],
        "total_voter_count": 0, "is_closed": False, "is_anonymous": True, "type": "regular",
        "allows_multiple_answers": False, "allows_revoting": True, "members_only": False}


@st.composite
def contents(draw: st.DrawFn, desk: tuple[float, float]) -> dict[str, Any]:
    kind = draw(st.sampled_from(["text", "text", "command", "command", "command", "command",
                                 "location", "location", "sticker", "photo", "document",
                                 "contact", "poll", "voice", "dice", "forward",
                                 "caption_command"]))
    if kind == "text":
        return {"text": draw(texts)}
    if kind == "command":
        return draw(commands())
    if kind == "location":
        return draw(locations(desk))
    if kind == "sticker":
        return {"sticker": STICKER}
    if kind == "photo":
        content: dict[str, Any] = {"photo": PHOTO}
        if draw(st.booleans()):
            content["caption"] = draw(texts)
        return content
    if kind == "document":
        return {"document": {**_file("doc"), "file_name": draw(names)},
                "caption": draw(texts)}
    if kind == "contact":
        return {"contact": {"phone_number": "+6281234567890", "first_name": draw(names),
                            "user_id": draw(user_ids())}}
    if kind == "poll":
        return {"poll": POLL}
    if kind == "voice":
        return {"voice": {**_file("voice"), "duration": 3}}
    if kind == "dice":
        return {"dice": {"emoji": "🎲", "value": 6}}
    if kind == "forward":
        return {"text": draw(texts),
                "forward_origin": {"type": "hidden_user", "date": int(time.time()) - 60,
                                   "sender_user_name": draw(names)}}
    return {"photo": PHOTO, "caption": "/status",  # a command in a caption is no command
            "caption_entities": [{"type": "bot_command", "offset": 0, "length": 7}]}


@st.composite
def service(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["joined", "bot_joined", "left", "title", "created",
                                 "migrated"]))
    if kind == "joined":
        return {"new_chat_members": [draw(users())]}
    if kind == "bot_joined":
        return {"new_chat_members": [BOT_USER]}
    if kind == "left":
        return {"left_chat_member": draw(st.sampled_from([BOT_USER, {"id": OFFICER,
                                                                "is_bot": False,
                                                                "first_name": "Budi"}]))}
    if kind == "title":
        return {"new_chat_title": draw(names)}
    if kind == "created":
        return {"group_chat_created": True}
    return {"migrate_to_chat_id": -1009876543210}


@st.composite
def messages(draw: st.DrawFn, desk: tuple[float, float]) -> dict[str, Any]:
    who = draw(users())
    where = draw(st.sampled_from(["private", "private", "private", "group", "group"]))
    chat = ({"id": who["id"], "type": "private", "first_name": who["first_name"]}
            if where == "private" else draw(group_chats()))
    if where == "private":
        content = draw(contents(desk))
    else:  # in a group: mostly commands, which are what the bot may answer there
        kind = draw(st.sampled_from(["command", "command", "content", "service"]))
        content = draw({"command": commands(), "content": contents(desk),
                        "service": service()}[kind])
    message: dict[str, Any] = {"message_id": draw(st.integers(1, 2**31)),
                               "date": int(time.time()), "chat": chat, **content}
    if draw(st.integers(0, 9)) == 0:  # no sender: an anonymous group admin, or worse
        if where == "group":
            message["sender_chat"] = chat
    else:
        message["from"] = who
    field = "message"
    if draw(st.integers(0, 4)) == 0:
        field = "edited_message"
        message["edit_date"] = int(time.time())
    return {field: message}


@st.composite
def channel_posts(draw: st.DrawFn, desk: tuple[float, float]) -> dict[str, Any]:
    post = {"message_id": draw(st.integers(1, 2**31)), "date": int(time.time()),
            "chat": CHANNEL, "sender_chat": CHANNEL, **draw(contents(desk))}
    if draw(st.booleans()):
        post["edit_date"] = int(time.time())
        return {"edited_channel_post": post}
    return {"channel_post": post}


@st.composite
def memberships(draw: st.DrawFn) -> dict[str, Any]:
    """The bot (or someone) added to or removed from a group; an inline query; a poll vote."""
    kind = draw(st.sampled_from(["my_chat_member", "chat_member", "inline_query",
                                 "poll_answer"]))
    who = draw(users())
    if kind == "inline_query":
        return {kind: {"id": "iq", "from": who, "query": draw(texts)[:256], "offset": ""}}
    if kind == "poll_answer":
        return {kind: {"poll_id": "poll-1", "user": who, "option_ids": [0],
                       "option_persistent_ids": ["o1"]}}
    old, new = draw(st.sampled_from([("left", "member"), ("member", "left")]))
    subject = BOT_USER if kind == "my_chat_member" else who
    return {kind: {"chat": draw(group_chats()), "from": who, "date": int(time.time()),
                   "old_chat_member": {"status": old, "user": subject},
                   "new_chat_member": {"status": new, "user": subject}}}


def updates(world: World, desk: tuple[float, float]) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(messages(desk), messages(desk), messages(desk), callbacks(world),
                     callbacks(world), channel_posts(desk), memberships())


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


# --- the world and what must stay true in it -----------------------------------------------

@dataclass(repr=False)
class Stage:
    """The bot with its world: the ids buttons aim at, what must not change, the desk's
    spot, and a tally of what the storms exercised."""

    h: Harness
    world: World
    before: dict[str, Any]
    spot: tuple[float, float]
    tally: Counter[str] = field(default_factory=Counter)

    def __repr__(self) -> str:  # Hypothesis prints a failing example's arguments
        return "Stage(...)"


async def seed(h: Harness) -> None:
    """Officer, camat, a camat elsewhere, an officer on shift with a pending presence
    question, an open alert on KEL and a report; the background sender stopped."""
    await h.stop_sender()
    db = h.db
    await only_these_need_staff(db, KEL)
    await h.set_desk(KEL, duty_hours="00:00-24:00")
    await h.member(OFFICER, KEL, Role.OFFICER)
    await h.member(OFFICER2, KEL, Role.OFFICER, name="Siti Aminah")
    await h.member(CAMAT, KEC, Role.SUPERVISOR, name="Bu Camat")
    await h.member(STRANGER, GAMBIR, Role.SUPERVISOR, name="Camat Gambir")
    moment = utcnow() + timedelta(minutes=20)
    if moment.astimezone(WIB).hour == 0 and moment.astimezone(WIB).minute < 20:
        moment += timedelta(minutes=20)  # today's window only just began
    assert (await sweep(db, moment, CONFIG)).opened == 1
    await check_in(db, OFFICER2, KEL, utcnow() - timedelta(hours=4))
    assert (await check_presence(db, utcnow(), PRESENCE)).asked == 1
    kel = await desks_store.by_code(db, KEL)
    assert kel is not None
    draft = await drafts_store.start_draft(db, OFFICER, kel.id, utcnow())
    await drafts_store.update_draft(db, draft.id, OFFICER, Step.CONFIRM, utcnow(),
                                    category="kamtib", severity="tinggi",
                                    description="Kericuhan kecil di dekat TPS 7.")
    _, incident = await incidents_store.submit(db, draft.id, OFFICER, [CAMAT], utcnow())
    assert incident is not None
    admin = {"id": ADMIN_ID, "is_bot": False, "first_name": "Admin"}
    await deliver(h, {"message": {  # the admin's member row is made on first contact
        "message_id": 1, "date": int(time.time()), "from": admin, "text": "halo",
        "chat": {"id": ADMIN_ID, "type": "private", "first_name": "Admin"}}})


async def world_of(h: Harness) -> World:
    db = h.db
    desks = tuple([int(await db.fetchval("SELECT id FROM desks WHERE code = ?", (code,)))
                   for code in (KEL, KEC, GAMBIR, KOTA)])
    return World(alert=int(await db.fetchval("SELECT min(id) FROM alerts")),
                 incident=int(await db.fetchval("SELECT min(id) FROM incidents")),
                 shift=int(await db.fetchval("SELECT min(id) FROM shifts")),
                 check=int(await db.fetchval("SELECT min(id) FROM presence_checks")),
                 desks=desks)


async def open_stage(db_path: Path) -> Stage:
    """The real Application on a copy of the Jakarta database, seeded."""
    h = Harness.build(db_path)
    await h.app.initialize()
    await post_init(h.app)
    await seed(h)
    kel = await desks_store.by_code(h.db, KEL)
    assert kel is not None and kel.latitude is not None and kel.longitude is not None
    assert abs(kel.latitude + 6.14) < 0.05 and abs(kel.longitude - 106.73) < 0.05
    return Stage(h, await world_of(h), await frozen(h), (kel.latitude, kel.longitude))


async def close_stage(stage: Stage) -> None:
    app = stage.h.app
    if app.post_shutdown:
        await app.post_shutdown(app)
    await app.shutdown()


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


_update_ids = itertools.count(1_000)


async def deliver(h: Harness, update: dict[str, Any]) -> list[Call]:
    """Send one generated update; fail at once, naming it, if a handler raised."""
    raised = len(h.errors)
    calls = await h.send({"update_id": next(_update_ids), **update})
    assert h.errors[raised:] == [], f"{h.errors[raised:]!r} for {json.dumps(update)[:2000]}"
    return calls


async def still_answers(h: Harness) -> None:
    """After a storm, a registered officer's /status gets its normal answer."""
    officer = {"id": OFFICER, "is_bot": False, "first_name": "Budi"}
    (status,) = await deliver(h, {"message": {
        "message_id": 1, "date": int(time.time()), "from": officer,
        "chat": {"id": OFFICER, "type": "private", "first_name": "Budi"}, "text": "/status",
        "entities": [{"type": "bot_command", "offset": 0, "length": 7}]}})
    assert status.method == "sendMessage" and chat_of(status) == OFFICER
    assert any(text in status.text for text in OFF_SHIFT), status.text
    assert "Cengkareng Barat" in status.text


PREFIXES = [kind.PREFIX + ":" for kind in KINDS]  # every button kind the bot declares
SUFFIXES = {"rk:": [":0", ":" + "9" * 20, ":²", ""], "co:": [":y", ":n", ""],
            "inv:": [":o:1", ":s:²", ":o:" + "9" * 20, ":a:1"],
            "lp:": [":send", ":cat:kamtib", ":skip", ":cancel"]}
ODD_ARGUMENTS = ["²", "9" * 20, "-1", "31/12/9999", "01/01/0001", "9999-12-31 9999-12-31",
                 "0001-01-01", "29/02/2025", "'; DROP TABLE members;--", "<b>x</b>", "x" * 5000]


def gauntlet(world: World) -> list[dict[str, Any]]:
    """The known-hostile cases, every one of them every time: each button prefix with each
    odd id, and each command with each odd argument, from each kind of user."""
    people = [OFFICER, CAMAT, STRANGER, ADMIN_ID, UNKNOWN[0]]
    found: list[dict[str, Any]] = []
    for who in people:
        person = {"id": who, "is_bot": False, "first_name": "Uji"}
        chat = {"id": who, "type": "private", "first_name": "Uji"}
        for prefix in PREFIXES:
            for number in [*ODD_IDS, *real_ids(world)]:
                for suffix in SUFFIXES.get(prefix, [""]):
                    found.append({"callback_query": {
                        "id": str(len(found) + 1), "from": person, "chat_instance": "ci",
                        "data": prefix + number + suffix,
                        "message": {"message_id": 7, "date": int(time.time()), "chat": chat,
                                    "text": "…", "from": BOT_USER}}})
        for name in COMMANDS:
            for argument in ODD_ARGUMENTS:
                body = f"/{name} {argument}"
                found.append({"message": {
                    "message_id": 8, "date": int(time.time()), "from": person, "chat": chat,
                    "text": body, "entities": [{"type": "bot_command", "offset": 0,
                                                "length": len(name) + 1}]}})
    return found


async def storm(stage: Stage, updates_: list[dict[str, Any]], tally: Counter[str]) -> None:
    """One storm, then the checks of the whole world and of the bot still answering."""
    for update in updates_:
        tally[check_answer(update, await deliver(stage.h, update))] += 1
    await check_world(stage.h, stage.before)
    await still_answers(stage.h)


# --- the test ------------------------------------------------------------------------------

def test_hostile_updates_never_break_the_bot(db_path: Path) -> None:
    """Hypothesis draws storms; one event loop and one bot serve every example, so state
    (drafts, taken alerts, languages) carries from storm to storm like in production."""
    with asyncio.Runner() as runner:
        stage = runner.run(open_stage(db_path))

        @settings(max_examples=250, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                         HealthCheck.large_base_example])
        @given(data=st.data())
        def storms(data: st.DataObject) -> None:
            drawn = data.draw(st.lists(updates(stage.world, stage.spot), min_size=8,
                                       max_size=40), label="storm")
            runner.run(storm(stage, drawn, stage.tally))

        try:
            runner.run(storm(stage, gauntlet(stage.world), Counter()))
            storms()
        finally:
            runner.run(close_stage(stage))
    assert stage.h.errors == [], f"handlers raised: {stage.h.errors!r}"
    tally = stage.tally
    # The storms really exercised every path (about a third of what these 250 storms make).
    assert tally["private message from a member, answered"] >= 150, tally
    assert tally["private message from a stranger, answered"] >= 60, tally
    assert tally["button, answered once"] >= 300, tally
    assert tally["group command, one line"] >= 30, tally
    assert tally["silence"] >= 500, tally
