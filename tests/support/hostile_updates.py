"""Hypothesis strategies for the hostile-input test: updates of every kind Telegram sends —
messages with and without a sender, commands, locations, media and service messages in
private chats and groups, channel posts, edits, forged and stale buttons, membership changes —
from the people of ``hostile_cases`` and from anybody at all. One module, a little over 300
lines, because the strategies are built from each other: an update draws a message, which
draws a user, a chat and its contents."""

from __future__ import annotations

import time
from typing import Any

from hypothesis import strategies as st

from tests.support.hostile_cases import (
    CAMAT,
    COMMANDS,
    FRAGMENTS,
    ODD_IDS,
    OFFICER,
    STRANGER,
    UNKNOWN,
    USERNAME,
    World,
    real_ids,
)
from tests.support.settings import ADMIN_ID
from tests.support.telegram import BOT_USER

CHARACTERS = st.characters(exclude_categories=("Cs",))  # Telegram sends valid UTF-8 only
huge = st.builds(lambda part, n: (part * n)[:10_000],
                 st.sampled_from([*FRAGMENTS[:12], "x", "kata "]), st.integers(1, 10_000))
texts = st.one_of(st.sampled_from(FRAGMENTS), st.text(CHARACTERS, max_size=60), huge)
names = st.one_of(st.sampled_from(FRAGMENTS[:24]), st.text(CHARACTERS, min_size=1,
                                                           max_size=64))
words = st.one_of(st.sampled_from(FRAGMENTS), st.text(CHARACTERS, min_size=1, max_size=20),
                  huge).map(lambda w: "".join(w.split()) or "x")


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
