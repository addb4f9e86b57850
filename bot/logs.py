"""Logging set-up that never writes a secret: not the bot token, whatever library logs a URL
containing it, and not an invite token, whatever update or Bot API call carries one."""

from __future__ import annotations

import logging
import re

from bot.callbacks import Registration

_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")
# An invite token is a live credential (anyone holding it can register) and at DEBUG it shows
# in the updates and calls PTB logs: the deep link's ``start=TOKEN``, the ``/start TOKEN`` the
# link opens (``/start@bot TOKEN`` in a group), and the *Daftar* button's callback data. Only
# these contexts are matched, and only 8 or more token characters (a real token has 22, see
# ``storage.invites.TOKEN_BYTES``), so a word after "/start" in the bot's own texts and the
# *Batal* button's ``reg:-`` stay readable.
_INVITE = re.compile(
    r"(start=|(?i:/start)(?:@\w+)?[ \t]+|(?<![\w-])"
    + re.escape(Registration.PREFIX) + r":)[A-Za-z0-9_-]{8,}")


class RedactToken(logging.Filter):
    """Replace anything shaped like a bot token (and the configured token), and every invite
    token, in every record."""

    def __init__(self, token: str = "") -> None:
        super().__init__()
        self.token = token

    def redact(self, text: str) -> str:
        """``text`` without tokens."""
        if self.token:
            text = text.replace(self.token, "<token>")
        return _INVITE.sub(r"\1<invite>", _TOKEN.sub("<token>", text))

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            # A mismatched format string would otherwise raise out of the logging call (the
            # handler never gets to catch it) and logging's own error report prints the raw
            # arguments: keep both, redacted, as plain text instead.
            record.msg = self.redact(f"{record.msg} (bad logging arguments: {record.args!r})")
            record.args = None
            message = record.msg
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        # Tracebacks too: an HTTP error's message may quote the request URL.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


def setup_logging(level: str, token: str) -> None:
    """Log to stderr through the redacting filter; keep the HTTP client's chatter down."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(token))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # httpx logs every request URL at INFO, and the URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
