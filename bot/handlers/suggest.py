"""The fallback: what the bot says to a private message no handler took, pointing at what the
sender most likely meant instead of only "not understood".

1. An unknown user is told how to register (and their Telegram ID).
2. A photo, video, voice note or file outside ``/lapor`` points to ``/lapor``.
3. A word that is nearly a command (``/chekin``, ``checkin`` without the slash) suggests it.
4. A member's text about being at the desk ("saya sudah di posko") suggests ``/checkin`` to an
   officer.
5. Anything else points at ``/bantuan``.
"""

from __future__ import annotations

import difflib
import re

from telegram import Message, Update

from bot.context import Ctx
from bot.handlers.access import identify
from bot.handlers.common import reply
from bot.texts import t

# Words of a message saying "I am at the desk": an officer then means /checkin.
_PRESENT = re.compile(r"\b(sudah (di|sampai|tiba)|hadir|absen|check ?in|posko|tiba di)\b",
                      re.IGNORECASE)
_WORD = re.compile(r"/?([a-z_]{3,32})(@\w+)?$", re.IGNORECASE)


def command_names() -> list[str]:
    """Every command name and alias of the registry."""
    from bot.handlers import COMMANDS  # the registry imports this module: read it when called

    return [name for command in COMMANDS for name in command.names if name != "start"]


def likely_command(text: str, names: list[str]) -> str | None:
    """The command a one-word message nearly names (``/chekin``, ``Checkin``), or None."""
    words = text.split()
    found = _WORD.match(words[0]) if len(words) == 1 else None
    if found is None:
        return None
    close = difflib.get_close_matches(found.group(1).lower(), names, n=1, cutoff=0.75)
    return close[0] if close else None


def _media(message: Message) -> bool:
    return any((message.photo, message.video, message.voice, message.document,
                message.video_note, message.audio))


async def fallback(update: Update, context: Ctx) -> None:
    """Anything unexpected in a private chat: the likely command, else /bantuan."""
    caller = await identify(update, context)
    message = update.message
    if caller is None:
        return
    lang = caller.lang
    if caller.role is None:
        await reply(update, t(lang, "unknown_user", id=caller.user_id))
    elif message is not None and _media(message):
        await reply(update, t(lang, "fallback.media"))
    elif message is not None and message.text and (
            command := likely_command(message.text, command_names())):
        await reply(update, t(lang, "fallback.did_you_mean", command=command))
    elif message is not None and message.text and caller.is_officer and _PRESENT.search(
            message.text):
        await reply(update, t(lang, "fallback.checkin"))
    else:
        await reply(update, t(lang, "fallback"))
