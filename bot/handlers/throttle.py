"""Keeping floods short before any handler works on them: repeated texts and unknown users.

The guard runs first for every update (group -4 of the registry, so for long polling and
webhooks alike), after nothing but who is asking:

1. A text message whose text (and replied-to message) is that of the sender's previous update
   in the same chat, accepted within :data:`REPEAT_WINDOW` seconds, is a repeat (a double send,
   a stuck key, a script) and stops here. Only text is compared: a location, a photo, a button
   press or an edit always carries something new, always goes on, and what follows it is not a
   repeat. The window counts from the accepted one, so a text sent again and again still gets
   through once per window; the same text with something else in between is no repeat.
2. An unknown user (no member with a desk, not an admin) is answered at most once per
   :data:`UNKNOWN_EVERY` seconds: the message that is answered starts the minute, the ones
   after it within the minute stop here unanswered. Only messages that would be answered count
   (private messages, and commands in groups); group chatter is silent anyway.
3. ``/start <token>`` always goes on, so an invite opened during or after a flood from the same
   account registers on the first try, and every new token is tried. Within the minute it is
   only marked :func:`quiet`: a valid token is offered as usual, an invalid one gets no answer.
4. The memory of both is bounded: entries older than their window are dropped first, and
   beyond :data:`REMEMBERED` entries the oldest go (a flood rotating user ids then only makes
   some of them answered early; it cannot grow the memory).

``tell_dropped`` is what a member hears when their chat's backlog overflows
(``bot.updates.lanes``); unknown users hear nothing more.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, cast

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop

from bot.context import Ctx
from bot.handlers.access import identify
from bot.handlers.common import is_private, reply
from bot.texts import t

log = logging.getLogger(__name__)

REPEAT_WINDOW = 5.0  # seconds within which the same text again is a repeat
UNKNOWN_EVERY = 60.0  # seconds between two answers to the same unknown user
REMEMBERED = 10_000  # entries each memory keeps at most
_QUIET = "posko_quiet"  # the update's context: answer only a valid invite


class Throttle:
    """The guard's memory: each sender's last text, and unknown users lately answered."""

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 remembered: int = REMEMBERED) -> None:
        self._clock, self._remembered = clock, remembered
        # (chat, sender) -> (their last text, when it was accepted); oldest first.
        self._last: OrderedDict[Hashable, tuple[Hashable, float]] = OrderedDict()
        # unknown user -> (None, when they were last answered); oldest first.
        self._answered: OrderedDict[Hashable, tuple[Hashable, float]] = OrderedDict()

    def repeated(self, sender: Hashable, text: Hashable | None) -> bool:
        """Step 1: whether ``text`` repeats ``sender``'s last update within the window.

        ``text`` is None for anything but a text message: never a repeat, and what follows
        it is not one either.
        """
        now = self._forget(self._last, REPEAT_WINDOW)
        last = self._last.get(sender)
        if text is not None and last is not None and last[0] == text:
            return True
        self._last.pop(sender, None)
        if text is not None:
            self._remember(self._last, sender, text, now)
        return False

    def answer_due(self, user_id: int) -> bool:
        """Step 2: whether an unknown user may be answered now; if so, the minute starts."""
        now = self._forget(self._answered, UNKNOWN_EVERY)
        if user_id in self._answered:
            return False
        self._remember(self._answered, user_id, None, now)
        return True

    def failed(self, sender: Hashable) -> None:
        """Handling ``sender``'s last update failed: the same text again is a retry, not a
        repeat (they were told to try again)."""
        self._last.pop(sender, None)

    def clear(self) -> None:
        """Forget everything (a clean slate for tests that hold each update to its answer)."""
        self._last.clear()
        self._answered.clear()

    def _forget(self, memory: OrderedDict[Hashable, tuple[Hashable, float]],
                window: float) -> float:
        """Step 4: drop the entries older than ``window``; the current time."""
        now = self._clock()
        while memory and now - next(iter(memory.values()))[1] >= window:
            memory.popitem(last=False)
        return now

    def _remember(self, memory: OrderedDict[Hashable, tuple[Hashable, float]],
                  key: Hashable, value: Hashable, now: float) -> None:
        memory[key] = (value, now)  # a new entry goes last: the newest
        while len(memory) > self._remembered:
            memory.popitem(last=False)


def _text(message: Message | None) -> Hashable | None:
    """What makes a text message the same as another (step 1); None for anything else.

    The text's hash stands for it, so the memory does not hold whole texts."""
    if message is None or message.text is None:
        return None
    reply_to = message.reply_to_message
    return hash(message.text), reply_to.message_id if reply_to else None


def _answered(message: Message) -> bool:
    """Whether the bot answers such a message at all (step 2)."""
    return message.chat.type == ChatType.PRIVATE or (message.text or "").startswith("/")


def _invite(message: Message) -> bool:
    """``/start`` with an argument in a private chat: an invite link opened (step 3)."""
    words = (message.text or "").split()  # as the command handler splits its arguments
    return (message.chat.type == ChatType.PRIVATE and len(words) > 1
            and words[0].split("@")[0].lower() == "/start")


async def guard(update: Update, context: Ctx) -> None:
    """Stop a repeated text, or an unknown user's message within the minute of an answer."""
    message, user = update.message, update.effective_user
    if user is None:
        return
    throttle = context.bot_data.throttle
    if throttle.repeated(sender(update), _text(message)):
        raise ApplicationHandlerStop
    if message is None or not _answered(message):
        return
    caller = await identify(update, context)
    if caller is None or caller.role is not None or throttle.answer_due(user.id):
        return
    if _invite(message):
        vars(context)[_QUIET] = True
        return
    raise ApplicationHandlerStop


def sender(update: Update) -> Hashable:
    """Whose texts are compared (step 1): one user in one chat."""
    chat, user = update.effective_chat, update.effective_user
    return chat.id if chat else None, user.id if user else None


def quiet(context: Ctx) -> bool:
    """Step 3: this update's sender was answered within the minute (a valid invite only)."""
    return bool(vars(context).get(_QUIET))


async def tell_dropped(app: Application[Any, Any, Any, Any, Any, Any], update: Update) -> None:
    """Tell a member, in their private chat, that their newest messages were skipped."""
    if not is_private(update):
        return
    context = cast(Ctx, app.context_types.context.from_update(update, app))
    caller = await identify(update, context)
    if caller is None or caller.role is None:
        return
    try:
        await reply(update, t(caller.lang, "flood.dropped"))
    except TelegramError as exc:
        log.info("could not tell chat %d about its skipped messages: %s", caller.user_id, exc)
