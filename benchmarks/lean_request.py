"""A lean recording request for the throughput benchmark.

It answers like the tests' ``RecordingRequest`` (``tests/support/recording.py``: a message
object for every send or edit, ``True`` for the rest), so PTB does all its usual work on both
sides of a call. Instead of keeping every call it counts them per method and remembers, per
chat, the last inline keyboard sent, so a scripted user can press the button the bot just
offered.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.support.recording import TelegramLikeRequest
from tests.support.telegram import JSON, callback_data


class LeanRequest(TelegramLikeRequest):
    """Counts calls and keeps the last inline keyboard of each chat."""

    check_texts = False  # the bot's texts are checked by the tests, not timed here

    def __init__(self) -> None:
        super().__init__()
        self.counts: Counter[str] = Counter()
        # chat id -> (message id, callback data of every button) of the last inline keyboard
        self.keyboards: dict[int, tuple[int, list[str]]] = {}

    def _result(self, method: str, params: JSON) -> Any:
        result = super()._result(method, params)
        markup = result.get("reply_markup") if isinstance(result, dict) else None
        if markup is not None:
            self.keyboards[int(params.get("chat_id", 0))] = (result["message_id"],
                                                             callback_data(markup))
        return result

    def record(self, method: str, params: JSON) -> None:
        """Count the call."""
        self.counts[method] += 1
