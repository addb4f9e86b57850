"""Logs never contain the bot token, wherever in a record it hides."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator

import pytest

from bot.logs import RedactToken, setup_logging

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
OTHER = "987654321:ZYXwvuTSRqpoNMLkjiHGFedcba-_0123"  # token-shaped, not the configured one
SHORT = "42:abc"  # a configured token too short for the pattern is still removed
URL = f"https://api.telegram.org/bot{TOKEN}/getUpdates"


@pytest.fixture
def capture() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A private logger writing through the filter into a string."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(RedactToken(TOKEN))
    logger = logging.getLogger(f"test_logs.{id(stream)}")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.addHandler(handler)
    yield logger, stream
    logger.removeHandler(handler)


def test_token_in_the_message(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    logger.info(f"HTTP Request: POST {URL} 200 OK")
    out = stream.getvalue()
    assert TOKEN not in out
    assert "123456789" not in out
    assert "https://api.telegram.org/bot<token>/getUpdates" in out


def test_token_in_percent_args(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    logger.warning("request to %s failed after %d tries", URL, 3)
    out = stream.getvalue()
    assert TOKEN not in out
    assert "bot<token>/getUpdates failed after 3 tries" in out


def test_token_in_mapping_args(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    logger.info("calling %(url)s", {"url": URL})
    assert TOKEN not in stream.getvalue()
    assert "bot<token>" in stream.getvalue()


def test_token_in_a_non_string_argument(capture: tuple[logging.Logger, io.StringIO]) -> None:
    class Request:
        def __str__(self) -> str:
            return f"<Request {URL}>"

    logger, stream = capture
    logger.debug("sending %s", Request())
    assert TOKEN not in stream.getvalue()
    assert "<Request https://api.telegram.org/bot<token>/getUpdates>" in stream.getvalue()


def test_any_token_shaped_string_is_removed(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    logger.info("old token %s and new token %s", OTHER, TOKEN)
    out = stream.getvalue()
    assert OTHER not in out and TOKEN not in out
    assert out.count("<token>") == 2


def test_configured_token_is_removed_even_if_not_token_shaped() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactToken(SHORT))
    logger = logging.getLogger("test_logs.short")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        logger.warning("token is %s", SHORT)
    finally:
        logger.removeHandler(handler)
    assert SHORT not in stream.getvalue()
    assert "token is <token>" in stream.getvalue()


def test_token_in_a_traceback(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    try:
        raise ConnectionError(f"cannot reach {URL}")
    except ConnectionError:
        logger.exception("polling failed")
    out = stream.getvalue()
    assert TOKEN not in out
    assert "polling failed" in out
    assert "Traceback (most recent call last)" in out
    assert "ConnectionError: cannot reach https://api.telegram.org/bot<token>/getUpdates" in out


def test_token_in_a_chained_exception(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    try:
        try:
            raise OSError(f"connect {URL}")
        except OSError as exc:
            raise RuntimeError("network error") from exc
    except RuntimeError as exc:
        logger.error("giving up on %s", OTHER, exc_info=exc)
    out = stream.getvalue()
    assert TOKEN not in out and OTHER not in out
    assert "OSError: connect https://api.telegram.org/bot<token>/getUpdates" in out
    assert "RuntimeError: network error" in out


def test_exc_info_tuple(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    try:
        raise ValueError(TOKEN)
    except ValueError:
        logger.warning("bad", exc_info=sys.exc_info())
    assert TOKEN not in stream.getvalue()
    assert "ValueError: <token>" in stream.getvalue()


def test_clean_messages_pass_unchanged(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    logger.info("desk %s: %d of %d staffed (%s)", "31.71.01", 2, 3, "12:30-14:00")
    assert stream.getvalue() == "INFO desk 31.71.01: 2 of 3 staffed (12:30-14:00)\n"


def test_filter_keeps_every_record() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "token %s", (TOKEN,), None)
    assert RedactToken(TOKEN).filter(record) is True
    assert record.getMessage() == "token <token>"


def test_redact() -> None:
    redact = RedactToken(TOKEN).redact
    assert redact(f"a {TOKEN} b {OTHER} c") == "a <token> b <token> c"
    assert redact("12:30 and 1234:short") == "12:30 and 1234:short"
    assert RedactToken().redact(OTHER) == "<token>"


@pytest.fixture
def restore_root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    httpx_level = logging.getLogger("httpx").level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(httpx_level)


@pytest.mark.usefixtures("restore_root_logging")
def test_setup_logging_redacts_and_quiets_httpx(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("INFO", TOKEN)
    logging.getLogger("posko.test").info("starting with %s", URL)
    logging.getLogger("httpx").info("HTTP Request: POST %s", URL)  # below WARNING: dropped
    err = capsys.readouterr().err
    assert TOKEN not in err
    assert "starting with https://api.telegram.org/bot<token>/getUpdates" in err
    assert "HTTP Request" not in err


def test_bad_format_arguments_neither_raise_nor_leak(
        capture: tuple[logging.Logger, io.StringIO], capsys: pytest.CaptureFixture[str]) -> None:
    logger, stream = capture
    logger.error("%d retries for %s", "many", URL)  # a bug in a log call must not crash
    out = stream.getvalue()
    assert TOKEN not in out
    assert "bad logging arguments" in out and "bot<token>" in out
    assert TOKEN not in capsys.readouterr().err  # logging's own error report stays quiet


INVITE = "XuWKbV3BSy7zutOHZJaxWA"  # secrets.token_urlsafe(16), as storage.invites makes them


@pytest.mark.parametrize(("logged", "kept"), [
    (f"text='https://t.me/posko_bot?start={INVITE}'", "?start=<invite>'"),
    (f"{{'text': '/start {INVITE}', 'entities': []}}", "'/start <invite>'"),
    (f"'/start@posko_bot {INVITE}'", "'/start@posko_bot <invite>'"),
    (f"InlineKeyboardButton(callback_data='reg:{INVITE}')", "callback_data='reg:<invite>'"),
    (f"{{'data': 'reg:-{INVITE[1:]}'}}", "'data': 'reg:<invite>'"),
])
def test_invite_tokens_are_removed(logged: str, kept: str) -> None:
    redacted = RedactToken(TOKEN).redact(logged)
    assert INVITE not in redacted and INVITE[1:] not in redacted
    assert kept in redacted


def test_words_near_invite_contexts_pass_unchanged() -> None:
    text = "press /start di sana; buttons reg:- and lang:en; prereg:abcdefghijk"
    assert RedactToken(TOKEN).redact(text) == text
