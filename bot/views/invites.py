"""An invite as users receive it: the deep link that opens the bot with ``/start <token>``.

``/undang`` in the chat and ``posko-bot invite`` on the server hand out the same link.
"""

from __future__ import annotations


def invite_link(username: str, token: str) -> str:
    """The deep link that opens the bot with ``/start <token>``."""
    return f"https://t.me/{username}?start={token}"
