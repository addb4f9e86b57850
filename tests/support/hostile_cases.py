"""The cast of the hostile-input test and what it throws at the bot verbatim: who is who,
every command, fragments of hostile text, ids that are no ids, the world forged buttons aim
at, and the fixed gauntlet of every button prefix and command with every odd value."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from bot import handlers
from bot.callbacks import KINDS
from tests.support.settings import ADMIN_ID
from tests.support.sweeping import KEC, KEL
from tests.support.telegram import BOT_USER

GAMBIR = "31.71.01"  # Kec. Gambir, Jakarta Pusat: another kecamatan
KOTA = "31.73"
OFFICER, CAMAT, STRANGER, OFFICER2 = 701, 702, 703, 706
UNKNOWN = (704, 705)
REGISTERED = {OFFICER, CAMAT, STRANGER, ADMIN_ID}
# Who may oversee what (desk-code prefix; "" is everything).
SCOPES = {CAMAT: KEC, STRANGER: GAMBIR, ADMIN_ID: ""}
REPORTERS = {OFFICER: KEL, CAMAT: KEC, STRANGER: GAMBIR}
USERNAME = str(BOT_USER["username"])

# Every command of the registry, so a new one is thrown at too; a group command answers in
# the group by design.
COMMANDS = [name for command in handlers.COMMANDS for name in command.names]
GROUP_COMMANDS_THAT_ANSWER_FREELY = {name for command in handlers.COMMANDS
                                     if command.who is handlers.Who.GROUP
                                     for name in command.names}

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


@dataclass(frozen=True)
class World:
    """The ids of the objects forged buttons aim at."""

    alert: int
    incident: int
    shift: int
    check: int
    desks: tuple[int, ...]


def real_ids(world: World) -> list[str]:
    return [str(n) for n in (world.alert, world.incident, world.shift, world.check,
                             *world.desks, 0, 1, 2, 3)]


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
