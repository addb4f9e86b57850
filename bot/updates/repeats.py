"""Dropping the updates Telegram sends again before python-telegram-bot builds objects of them.

Every ``getUpdates`` answer repeats the updates not yet confirmed (``bot.updates.ledger``,
step 4): up to 50 that the lanes are still handling. PTB builds an ``Update`` (message, chat,
sender, location) from each of them again, only for the loop to throw it away as known. At 200
check-ins a second that was 28 % of the bot's event loop (``docs/performance.md``, *Repeats
parsed again*). The getUpdates request hands each answer's body here first
(``bot.botapi.request``, ``on_body``):

1. An answer that is not a successful list of updates passes untouched (PTB reports errors).
2. The updates whose id the ledger knows are taken out, and their number is kept in
   :attr:`Repeats.dropped`, so that the loop still tells an answer of repeats only from an
   empty one (which means everything handled is confirmed).
3. The rest goes on to PTB as the answer; with nothing taken out, the body is not rewritten.

One getUpdates is under way at a time, and the loop reads :attr:`Repeats.dropped` right after
it returns, so the count always belongs to the answer just parsed.
"""

from __future__ import annotations

import json
from collections.abc import Callable


def _unknown(update_id: int) -> bool:
    return False


class Repeats:
    """Takes the known updates out of each getUpdates answer. See the module."""

    def __init__(self) -> None:
        self.known: Callable[[int], bool] = _unknown  # the polling loop's ledger, once it runs
        self.dropped = 0  # how many the last answer repeated

    def strip(self, body: bytes) -> bytes:
        """Steps 1–3: the answer without the updates the loop already holds."""
        self.dropped = 0
        try:
            answer = json.loads(body)
        except ValueError:
            return body
        result = answer.get("result") if isinstance(answer, dict) else None
        if not isinstance(result, list) or answer.get("ok") is not True:
            return body
        known = self.known
        kept = [u for u in result
                if not (isinstance(u, dict) and type(u.get("update_id")) is int
                        and known(u["update_id"]))]
        self.dropped = len(result) - len(kept)
        if not self.dropped:
            return body
        answer["result"] = kept
        return json.dumps(answer, ensure_ascii=False).encode()
