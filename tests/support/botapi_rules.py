"""Telegram's rules as the stand-in Bot API server enforces them: error answers, the HTML
parse mode, text and button-data lengths, and the flood limits on sending."""

from __future__ import annotations

import html
import re
import time
from collections import deque

from tests.support.telegram import JSON, inline_buttons, inline_keyboard, utf16_len

DROP = 0  # ApiError code meaning "close the connection without answering"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_HTML_TAGS = frozenset({"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
                        "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"})
_TAG_RE = re.compile(r"<(/?)([A-Za-z][\w-]*)(\s[^<>]*)?>")


class ApiError(Exception):
    """An error answer of the Bot API (``ok: false``)."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        return body | ({"parameters": self.parameters} if self.parameters else {})


def too_many(seconds: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})


def _parse_error(problem: str, text: str, index: int) -> ApiError:
    offset = len(text[:index].encode())
    return ApiError(400, f"Bad Request: can't parse entities: {problem} at byte offset {offset}")


def strip_html(text: str) -> str:
    """Render Telegram HTML to plain text, rejecting markup that Telegram rejects."""
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    for m in [*_TAG_RE.finditer(text), None]:
        end = len(text) if m is None else m.start()
        if (stray := text.find("<", pos, end)) >= 0:
            raise _parse_error("Unexpected character '<'", text, stray)
        out.append(text[pos:end])
        if m is None:
            break
        closing, name = bool(m.group(1)), m.group(2).lower()
        if name not in _HTML_TAGS or (closing and (not stack or stack.pop() != name)):
            raise _parse_error(f"Unsupported or unmatched tag {m.group(0)!r}", text, end)
        if not closing:
            stack.append(name)
        pos = m.end()
    if stack:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"',
                           text, len(text))
    return html.unescape("".join(out))


def render(p: JSON, key: str) -> str | None:
    """The text (``key`` "text") or caption of a call as displayed, within Telegram's lengths."""
    if (raw := p.get(key)) is None:
        return None
    text = strip_html(str(raw)) if str(p.get("parse_mode")).lower() == "html" else str(raw)
    if key == "text" and not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(text) > (4096 if key == "text" else 1024):
        raise ApiError(400, f"Bad Request: message {'caption ' * (key != 'text')}is too long")
    return text


def check_lengths(method: str, p: JSON) -> None:
    """Refuse, as Telegram does, a call whose text, caption or button answer it would refuse:
    unparsable HTML, or too long once parsed (in UTF-16 code units)."""
    if method == "answerCallbackQuery":
        if utf16_len(str(p.get("text") or "")) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
    elif method.startswith(("send", "edit")):
        render(p, "text")
        render(p, "caption")


def split_markup(p: JSON) -> tuple[JSON | None, JSON | None]:
    """Split reply_markup into (inline keyboard, other keyboard)."""
    markup = p.get("reply_markup")
    if not isinstance(markup, dict):
        return None, None
    if inline_keyboard(markup) is None:
        return None, markup
    if any(len(str(b.get("callback_data", "")).encode()) > 64 for b in inline_buttons(markup)):
        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup, None


class FloodLimits:
    """30 messages/s overall, 1/s per private chat, 20/min per group."""

    OVERALL = 30  # messages in any second, all chats together

    def __init__(self) -> None:
        self._log: deque[tuple[float, int]] = deque()  # (monotonic time, chat id) of each send

    def wait(self, chat_id: int, *, per_chat: bool = True) -> float:
        """Seconds before a message to ``chat_id`` keeps within the limits (0: it may go now);
        without ``per_chat`` only the overall limit counts."""
        now, log = time.monotonic(), self._log
        while log and now - log[0][0] > 60:
            log.popleft()
        window, cap = (1.0, 1) if chat_id > 0 else (60.0, 20)
        in_chat = [t for t, c in log if c == chat_id and now - t < window] if per_chat else []
        overall = [t for t, _ in log if now - t < 1.0]
        wait = in_chat[-cap] + window - now if len(in_chat) >= cap else 0.0
        if len(overall) >= self.OVERALL:
            wait = max(wait, overall[-self.OVERALL] + 1.0 - now)
        return wait

    def sent(self, chat_id: int) -> None:
        self._log.append((time.monotonic(), chat_id))


def busiest_second(times: list[float]) -> int:
    """The most of ``times`` (seconds, any order) that fall within one second."""
    ordered, most, start = sorted(times), 0, 0
    for end, at in enumerate(ordered):
        while ordered[start] <= at - 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most
