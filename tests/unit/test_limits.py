"""Fitting texts within Telegram's limits, checked against the stand-in's model of Telegram's
parser: tags removed, entities decoded, UTF-16 code units counted."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.reports.digest import digest_text
from bot.views.limits import ELLIPSIS, _pieces, fit, fit_plain, units, visible_length, within
from scheduler.digest import Digest
from storage.rules.coverage import Coverage
from tests.support.botapi_rules import strip_html
from tests.support.telegram import utf16_len

# Emoji (two units each, some joined), CJK, right-to-left scripts, markup characters.
_ALPHABET = st.sampled_from([
    "a", "Z", " ", "\n", "<", ">", "&", '"', "é", "😀", "👩‍👩‍👧", "🇮🇩", "中", "文", "ש", "ع",
    "\u200f", "\U0001f525", "&amp;", "x" * 40,
])
_RAW = st.lists(_ALPHABET, max_size=60).map("".join)
_TAGS = st.sampled_from(["b", "i", "u", "s", "code", "tg-spoiler"])


@st.composite
def _html(draw: st.DrawFn, depth: int = 0) -> str:
    """Valid Telegram HTML: escaped user text, nested tags and links."""
    parts = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.integers(0, 3 if depth < 3 else 0))
        if kind <= 1:
            parts.append(html.escape(draw(_RAW), quote=False))
        elif kind == 2:
            tag = draw(_TAGS)
            parts.append(f"<{tag}>{draw(_html(depth + 1))}</{tag}>")
        else:
            parts.append(f'<a href="tg://user?id=7">{draw(_html(depth + 1))}</a>')
    return "".join(parts)


def _long(text: str) -> st.SearchStrategy[str]:
    return st.integers(1, 40).map(lambda n: text * n)


_TEXTS = st.one_of(_html(), st.lists(_html(), max_size=40).map("\n".join))
_POINTER = st.sampled_from(["", "/laporan <b>LP-20261122-0007</b>", "Selengkapnya: /laporan"])


@settings(max_examples=400, deadline=None)
@given(text=_TEXTS, limit=st.integers(1, 600), more=_POINTER)
def test_a_fitted_text_stays_within_the_limit_and_parses(text: str, limit: int,
                                                         more: str) -> None:
    fitted = fit(text, limit, more)
    shown = strip_html(fitted)  # raises, as Telegram does, on unbalanced or broken markup
    assert utf16_len(shown) <= limit
    assert visible_length(fitted) == utf16_len(shown)
    if utf16_len(strip_html(text)) <= limit:
        assert fitted == text
    else:
        assert ELLIPSIS in shown
        if more and limit > 200:
            assert fitted.endswith(more)


@settings(max_examples=200, deadline=None)
@given(name=st.one_of(_long("😀"), _long("Kelurahan Menteng &amp; <b>Cikini</b> 中文 ")),
       limit=st.sampled_from([200, 1024, 4096]))
def test_long_names_are_cut_within_the_limit(name: str, limit: int) -> None:
    text = f"Posko: <b>{name}</b>\n" * 30
    fitted = fit(text, limit)
    assert utf16_len(strip_html(fitted)) <= limit


def test_the_measure_is_telegrams() -> None:
    assert visible_length("<b>&lt;aman&gt;</b> 😀") == 9
    assert visible_length("&copy;") == 6  # not an entity Telegram knows: shown as typed


def test_a_cut_prefers_a_line_break_and_closes_tags() -> None:
    text = "<b>first line</b>\n<i>" + "x" * 50 + "</i>"
    assert fit(text, 40) == "<b>first line</b>\n<i>" + "x" * 28 + "</i>…"
    assert fit("one\n" + "y" * 10 + "\n" + "z" * 30, 30, "/laporan") == \
        "one\n" + "y" * 10 + "…\n/laporan"


@given(text=st.lists(_ALPHABET, max_size=300).map("".join))
def test_a_popup_is_cut_in_utf16_units(text: str) -> None:
    fitted = fit_plain(text, 200)
    assert units(fitted) <= 200
    assert fitted == text or fitted.endswith(ELLIPSIS)


def test_a_digest_of_long_emoji_names_fits_one_message() -> None:
    # Desk and unit names come from the operator's desk file: any length, any script.
    name = "Kelurahan 🏛🇮🇩 &" + "🗳" * 200
    day = datetime(2026, 11, 22, tzinfo=UTC)
    digest = Digest(scope_name=name, scope_code="31", start=day - timedelta(days=1), end=day,
                    tz=ZoneInfo("Asia/Jakarta"), desks=12,
                    total=Coverage(duty=3600.0, staffed=1800.0),
                    units=[(name, Coverage(duty=60.0))] * 10,
                    worst=[(name, "31.73", Coverage(duty=60.0))] * 5)
    text = digest_text(digest, "id")
    assert utf16_len(strip_html(text)) <= 4096
    assert text.startswith("📊 <b>Rekap harian Kelurahan 🏛🇮🇩 &amp;🗳")


@given(st.lists(st.sampled_from(["a", "😀", "<b>", "</b>", "&lt;", "&#128512;", "&#x1F600;",
                                  "&amp;", "&copy;", "\n", "é"]), max_size=60).map("".join),
       st.integers(min_value=0, max_value=80))
@settings(max_examples=300)
def test_within_agrees_with_the_measure(text: str, limit: int) -> None:
    """The run-at-a-time measure counts what the piece-by-piece walk of a cut counts, and
    the shortcut that skips measuring a short text never says a long one fits."""
    assert visible_length(text) == sum(size for _, size in _pieces(text))
    assert within(text, limit) == (visible_length(text) <= limit)
