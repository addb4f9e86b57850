"""Telegram's length limits, measured as Telegram measures them, and fitting texts within.

Telegram counts a text after parsing its HTML (tags take no room, ``&lt;`` is one character)
in UTF-16 code units, so an emoji counts twice. Counting Python characters lets a text the bot
believes short enough be refused, and a refused edit leaves a stale message in every chat that
got it. Every text assembled from what users typed (descriptions, notes, names, desk names)
goes through :func:`fit` before it is sent.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

TEXT_MAX = 4096  # a message text
CAPTION_MAX = 1024  # the caption of a photo, video, document or album
POPUP_MAX = 200  # the answer to a button press
ELLIPSIS = "…"

# A tag, or one of the entities Telegram decodes (the four named ones and numeric ones). Any
# other ``&name;`` is shown as typed, so it is counted as typed: overcounting is harmless.
_MARKUP = re.compile(r"<[^<>]*>|&(?:lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([A-Za-z][\w-]*)")
# Keep at least this share of the room when backing up to a line break or a space; a cut
# further back would throw away more than it tidies.
_BACK_UP = 2 / 3


def units(text: str) -> int:
    """The length of plain ``text`` in UTF-16 code units (an emoji is 2)."""
    return len(text.encode("utf-16-le")) // 2


def _pieces(text: str) -> Iterator[tuple[str, int]]:
    """``text`` as tags, entities and single characters, each with its visible units."""
    pos = 0
    for match in _MARKUP.finditer(text):
        for char in text[pos:match.start()]:
            yield char, units(char)
        piece = match.group(0)
        yield piece, 0 if piece.startswith("<") else units(html.unescape(piece))
        pos = match.end()
    for char in text[pos:]:
        yield char, units(char)


def visible_length(text: str) -> int:
    """The length of HTML ``text`` as Telegram counts it against its limits."""
    # What :func:`_pieces` yields, summed a run of characters at a time: every message
    # rendered is measured, and character by character that was most of its rendering.
    total, pos = 0, 0
    for match in _MARKUP.finditer(text):
        total += units(text[pos:match.start()])
        piece = match.group(0)
        if not piece.startswith("<"):
            total += units(html.unescape(piece))
        pos = match.end()
    return total + units(text[pos:])


def within(text: str, limit: int) -> bool:
    """Whether HTML ``text`` fits in ``limit`` (measured only when it may not: a character
    is at most two UTF-16 units, and markup counts less than it is written)."""
    return 2 * len(text) <= limit or visible_length(text) <= limit


@dataclass
class _Cut:
    """A place the text may be cut: pieces kept, their units, the tags open there."""

    kept: int
    used: int
    open_tags: tuple[str, ...]


def fit(text: str, limit: int, more: str = "") -> str:
    """HTML ``text`` within ``limit``: unchanged if it fits, else cut at a line break (or a
    space, or any character when no break is near) and ended with "…" and ``more``, an HTML
    pointer to the full text on a line of its own. A cut never falls inside a tag or an
    entity, and tags left open are closed, so the result parses as the input did."""
    if within(text, limit):
        return text
    ending = ELLIPSIS + (f"\n{more}" if more else "")
    if visible_length(ending) >= limit:  # no room for the pointer: the ellipsis alone
        ending = ELLIPSIS
    room = limit - visible_length(ending)
    pieces: list[str] = []
    stack: list[str] = []
    used = 0
    line = space = None
    for piece, size in _pieces(text):
        if used + size > room:
            break
        if piece == "\n":
            line = _Cut(len(pieces), used, tuple(stack))
        elif piece.isspace():
            space = _Cut(len(pieces), used, tuple(stack))
        elif size == 0 and (tag := _TAG_NAME.match(piece)):
            closing, name = tag.group(1), tag.group(2).lower()
            if not closing:
                stack.append(name)
            elif stack and stack[-1] == name:
                stack.pop()
        pieces.append(piece)
        used += size
    cut = _Cut(len(pieces), used, tuple(stack))
    for better in (line, space):
        if better is not None and better.used >= used * _BACK_UP:
            cut = better
            break
    kept, open_tags = pieces[:cut.kept], list(cut.open_tags)
    # An opening tag with nothing after it would leave an empty entity: drop it instead.
    while kept and open_tags and _TAG_NAME.match(kept[-1]) and not kept[-1].startswith("</"):
        kept.pop()
        open_tags.pop()
    body = "".join(kept).rstrip()
    return body + "".join(f"</{name}>" for name in reversed(open_tags)) + ending


def fit_plain(text: str, limit: int) -> str:
    """Plain ``text`` (a popup) within ``limit`` UTF-16 units, ended with "…" if cut."""
    if units(text) <= limit:
        return text
    room, used, kept = limit - units(ELLIPSIS), 0, []
    for char in text:
        used += units(char)
        if used > room:
            break
        kept.append(char)
    return "".join(kept).rstrip() + ELLIPSIS
