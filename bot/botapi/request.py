"""The HTTP client under every Bot API call: python-telegram-bot's ``BaseRequest`` on aiohttp.

PTB ships an httpx-based request (``HTTPXRequest``). Profiled through a real connection at
150 check-ins a second, the bot spent most of its event loop inside httpx, httpcore and
anyio: building the request and its headers in Python, the connection pool's bookkeeping (for
every call, each open connection is asked whether it expired), and the HTTP/1.1 state machine
(h11) parsing each answer byte by byte in Python. aiohttp parses with llhttp, in C, and keeps
its pool in a dictionary of idle connections per host, so a call costs a fraction of that
(``docs/performance.md``, *The HTTP client*). PTB documents ``BaseRequest`` as the place to
plug another client in; this one keeps PTB's behaviour:

* a body without files is sent form-encoded, with files as ``multipart/form-data``;
* ``connect_timeout`` covers opening a connection, ``pool_timeout`` waiting for a free one
  (both together are aiohttp's ``connect``), ``read_timeout`` each read of the answer;
  aiohttp has no write timeout, so ``write_timeout`` bounds the whole call together with the
  read (a stalled upload still ends);
* a timeout raises PTB's ``TimedOut``, any other failure of the connection ``NetworkError``
  (naming aiohttp's exception, never the URL: it holds the token).

``on_answer`` sees the headers of every answer (``bot.updates.clock`` reads Telegram's
``Date`` from the getUpdates answers), and ``on_body`` may rewrite a body before PTB parses
it (``bot.updates.repeats`` takes out the updates the polling loop already holds).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# PTB's HTTPXRequest defaults, kept so that a timeout means the same as before.
READ_S = 5.0
WRITE_S = 5.0
CONNECT_S = 5.0
POOL_S = 1.0
MEDIA_WRITE_S = 20.0  # an upload (a chart, an XLSX) gets longer, as PTB gives it

_FORM = {"Content-Type": "application/x-www-form-urlencoded"}

AnswerHook = Callable[[Mapping[str, str]], None]
BodyHook = Callable[[bytes], bytes]


def _seconds(value: object, default: float | None) -> float | None:
    """A timeout PTB passed, or ours when it passed ``DEFAULT_NONE``."""
    if value is BaseRequest.DEFAULT_NONE:
        return default
    return value if value is None else float(value)  # type: ignore[arg-type]


class AiohttpRequest(BaseRequest):
    """Bot API calls over one ``aiohttp.ClientSession`` of at most ``connections`` connections."""

    def __init__(self, connections: int = 32, *, read_timeout: float | None = READ_S,
                 write_timeout: float | None = WRITE_S, connect_timeout: float = CONNECT_S,
                 pool_timeout: float = POOL_S, on_answer: AnswerHook | None = None,
                 on_body: BodyHook | None = None) -> None:
        self._connections = connections
        self._read = read_timeout
        self._write = write_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout
        self._on_answer = on_answer
        self._on_body = on_body
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The read timeout of a call that names none (PTB adds a long poll's to it)."""
        return self._read

    async def initialize(self) -> None:
        """Open the session (it must be made on the running event loop)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connections, limit_per_host=0)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT},
                # Telegram's answers are JSON; nothing here reads cookies or follows a proxy
                # from the environment by surprise.
                cookie_jar=aiohttp.DummyCookieJar(), trust_env=False)

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = BaseRequest.DEFAULT_NONE,
                         write_timeout: Any = BaseRequest.DEFAULT_NONE,
                         connect_timeout: Any = BaseRequest.DEFAULT_NONE,
                         pool_timeout: Any = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        """One call: its status and body, or ``TimedOut`` / ``NetworkError``."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data else None
        read = _seconds(read_timeout, self._read)
        write = _seconds(write_timeout, MEDIA_WRITE_S if files else self._write)
        connect = _seconds(connect_timeout, self._connect)
        pool = _seconds(pool_timeout, self._pool)
        timeout = aiohttp.ClientTimeout(
            total=None if read is None or write is None else read + write + (connect or 0)
            + (pool or 0),
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect, sock_read=read)
        try:
            body = _body(request_data, files)
            headers = _FORM if isinstance(body, bytes) else None
            async with session.request(method, url, data=body, headers=headers,
                                       timeout=timeout) as response:
                payload = await response.read()
                if self._on_answer is not None:
                    self._on_answer(response.headers)
                if self._on_body is not None:
                    payload = self._on_body(payload)
                return response.status, payload
        except TimeoutError as exc:  # aiohttp's timeouts are its subclasses
            raise TimedOut(f"aiohttp.{type(exc).__name__}") from exc
        except aiohttp.ClientConnectorError as exc:  # says host and port, never the path
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc.os_error}") from exc
        except aiohttp.ClientError as exc:  # its text may hold the URL, and the URL the token
            raise NetworkError(f"aiohttp.{type(exc).__name__}") from exc


def _body(data: RequestData | None, files: dict[str, Any] | None) -> Any:
    """PTB's parameters as a form, or as multipart when files come with them."""
    if data is None:
        return None
    fields = data.json_parameters
    if not files:
        # Encoded here: aiohttp's FormData builds a multipart writer even for a plain form.
        return urlencode(fields).encode() if fields else None
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
