"""The neutrality pledge as the bot shows it: the operator's texts, their version, the message
with its *Saya setuju* button."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import PledgeAgree
from bot.config import Settings
from bot.texts import t


@dataclass(frozen=True, slots=True)
class Pledge:
    """The pledge's text per language, and the version a confirmation is recorded for."""

    texts: dict[str, str]
    version: str

    def message(self, lang: str) -> tuple[str, InlineKeyboardMarkup]:
        """The pledge in ``lang`` (Indonesian when there is no text in it), with its button."""
        text = self.texts.get(lang) or self.texts["id"]
        button = InlineKeyboardButton(t(lang, "pledge.agree"),
                                      callback_data=PledgeAgree(self.version).pack())
        return t(lang, "pledge.show", text=text), InlineKeyboardMarkup([[button]])


def load(settings: Settings) -> Pledge | None:
    """The pledge of ``POSKO_PLEDGE_FILE`` (and ``_EN``), or None when none is set.

    The version is a digest of every text: a word changed in either language is a new text,
    which every member confirms again.
    """
    if not settings.pledge_file:
        return None
    texts = {"id": Path(settings.pledge_file).read_text(encoding="utf-8").strip()}
    if settings.pledge_file_en:
        texts["en"] = Path(settings.pledge_file_en).read_text(encoding="utf-8").strip()
    digest = hashlib.sha256("\0".join(texts[lang] for lang in sorted(texts)).encode())
    return Pledge(texts, digest.hexdigest()[:16])
