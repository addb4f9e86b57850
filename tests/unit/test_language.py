"""The Indonesian catalog keeps the style guide: no word of its *Words avoided* table appears.

The table in ``docs/language.md`` is the one list: a writer who adds a word there has it
checked here, and a text that slips back into *bisa*, *chat* or *hal.* fails with its key.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.texts import CATALOGS

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "language.md"
# What a text may carry without being prose: command examples, placeholders and tags.
NOT_PROSE = re.compile(r"<code>.*?</code>|\{[^}]*\}|<[^>]+>|/\w+", re.S)
ROW = re.compile(r"^\| `([^`]+)` \|", re.M)


def avoided_words() -> list[str]:
    """The first column of the guide's *Words avoided* table."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## Words avoided", 1)[1].split("\n## ", 1)[0]
    return ROW.findall(section)


def test_the_guide_lists_the_avoided_words() -> None:
    words = avoided_words()
    # A table the pattern stopped reading would let every word through.
    assert len(words) >= 20 and {"chat", "bisa", "hal."} <= set(words), words


@pytest.mark.parametrize("word", avoided_words())
def test_no_indonesian_text_uses_an_avoided_word(word: str) -> None:
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.I)
    found = {key: text for key, text in CATALOGS["id"].items()
             if pattern.search(NOT_PROSE.sub(" ", text))}
    assert not found, f"{word!r} in {found}"
