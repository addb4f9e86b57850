"""Webhook mode end to end: ``posko-bot run`` with POSKO_WEBHOOK_URL as a subprocess.

The stand-in Bot API records ``setWebhook``; the test then plays Telegram and POSTs updates to
the bot's webhook server itself. Only a request with the right
``X-Telegram-Bot-Api-Secret-Token`` is handled; any other is refused and changes nothing.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import signal
import socket
import sqlite3
import time
from pathlib import Path
from typing import Any

import aiohttp

from tests.support.botapi_stub import ApiError, StubBotAPI
from tests.support.data import JAKARTA_CSV
from tests.support.e2e import BotProcess, bot_env, cli, free_port

LURAH = "31.73.01.1001"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _webhook_env(stub: StubBotAPI, workdir: Path, port: int, secret: str,
                 **extra: str) -> dict[str, str]:
    # The path has a dot, which tornado would read as "any character" if it were not escaped.
    webhook = {"POSKO_WEBHOOK_URL": f"http://127.0.0.1:{port}/posko/hook.v1",
               "POSKO_WEBHOOK_SECRET": secret, "POSKO_WEBHOOK_PORT": str(port)}
    return bot_env(stub, workdir, **(webhook | extra))


def _take(stub: StubBotAPI, update_id: int) -> dict[str, Any]:
    """Remove an update a simulated user produced from the stub's getUpdates queue."""
    update = next(u for u in stub.updates if u["update_id"] == update_id)
    stub.updates.remove(update)
    return update


def _member_rows(db: Path, telegram_id: int) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT telegram_id, role FROM members WHERE telegram_id = ?",
                            (telegram_id,)).fetchall()


async def _wait_listening(port: int, bot: BotProcess, timeout: float = 15) -> None:  # noqa: ASYNC109
    """PTB calls setWebhook before its server listens: wait for the port to accept."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            assert bot.proc is not None and bot.proc.poll() is None, bot.log_text()
            assert time.monotonic() < deadline, "webhook server never listened"
            await asyncio.sleep(0.05)
            continue
        writer.close()
        await writer.wait_closed()
        return


async def test_only_requests_with_the_secret_are_handled(stub: StubBotAPI,
                                                         tmp_path: Path) -> None:
    port, secret = free_port(), "posko_" + secrets.token_urlsafe(24)
    # DEBUG: PTB then logs setWebhook's parameters, secret_token included, unless redacted.
    env = _webhook_env(stub, tmp_path, port, secret, POSKO_LOG_LEVEL="DEBUG")
    url = env["POSKO_WEBHOOK_URL"]
    done = await cli(env, tmp_path, "import-desks", str(JAKARTA_CSV))
    assert done.returncode == 0, done.stderr
    done = await cli(env, tmp_path, "invite", "--desk", LURAH, "--role", "officer")
    assert done.returncode == 0, done.stderr
    token = re.search(r"start=([\w-]+)", done.stdout)
    assert token, done.stdout
    db = tmp_path / "posko.db"

    bot = BotProcess(env, tmp_path)
    bot.start()
    try:
        call = await stub.wait_for_call("setWebhook", timeout=30)
        assert call.params["url"] == url
        assert call.params["secret_token"] == secret
        assert "callback_query" in call.params["allowed_updates"]
        assert call.params.get("drop_pending_updates") in (None, False)
        await _wait_listening(port, bot)

        budi = stub.user(4242, "Budi", "Santoso")
        start = _take(stub, budi.send_text(f"/start {token[1]}"))
        async with aiohttp.ClientSession() as http:
            refused: list[int] = []
            for headers in ({}, {HEADER: "wrong_" + secret[6:]}, {HEADER: secret[:-1]},
                            {HEADER: ""}):
                async with http.post(url, json=start, headers=headers) as response:
                    refused.append(response.status)
            assert refused == [403, 403, 403, 403]
            # Another path on the server is not the webhook, with or without the secret.
            async with http.post(url.replace("hook.v1", "hookXv1"), json=start,
                                 headers={HEADER: secret}) as response:
                assert response.status == 404
            await asyncio.sleep(0.5)  # time for a (wrongly) accepted update to be handled
            assert not stub.sent(4242)
            assert not [c for c in stub.calls if c.params.get("chat_id") == 4242]
            assert _member_rows(db, 4242) == []

            async with http.post(url, json=start, headers={HEADER: secret}) as response:
                assert response.status == 200
            confirm = await stub.wait_for_message(4242, contains="Daftar sekarang?")
            press = _take(stub, budi.press(confirm, f"reg:{token[1]}"))
            async with http.post(url, json=press, headers={HEADER: "nope"}) as response:
                assert response.status == 403
            await asyncio.sleep(0.3)
            assert _member_rows(db, 4242) == []
            async with http.post(url, json=press, headers={HEADER: secret}) as response:
                assert response.status == 200
            await stub.wait_for_message(4242, contains="Terdaftar sebagai Petugas")
            assert _member_rows(db, 4242) == [(4242, "officer")]

            # An unknown user gets the one polite line.
            siti = stub.user(5151, "Siti")
            hello = _take(stub, siti.send_text("/start"))
            async with http.post(url, json=hello, headers={HEADER: secret}) as response:
                assert response.status == 200
            await stub.wait_for_message(5151, contains="belum terdaftar")

        assert await bot.stop(signal.SIGTERM) == 0
    finally:
        bot.kill()
    log = bot.log_text()
    assert "ready" in log and "setWebhook" in log
    assert secret not in log and stub.token not in log
    methods = {c.method for c in stub.calls}
    assert "getUpdates" not in methods and "deleteWebhook" not in methods


async def test_missing_or_bad_secret_stops_start_up(stub: StubBotAPI, tmp_path: Path) -> None:
    port = free_port()
    for secret, reason in (("", "is required with POSKO_WEBHOOK_URL"),
                           ("has spaces and !", "must be 1-256 characters"),
                           ("x" * 257, "must be 1-256 characters")):
        done = await cli(_webhook_env(stub, tmp_path, port, secret), tmp_path, "run")
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith("posko-bot: configuration error: POSKO_WEBHOOK_SECRET: "
                                   + reason), lines
        if secret:
            assert secret not in done.stderr
    env = _webhook_env(stub, tmp_path, port, "ok_secret", POSKO_WEBHOOK_URL="ftp://x/hook")
    done = await cli(env, tmp_path, "run")
    assert done.returncode == 2
    assert done.stderr.startswith("posko-bot: configuration error: POSKO_WEBHOOK_URL: ")
    assert not stub.calls  # nothing reached the Bot API


async def test_start_up_failures_say_one_line(stub: StubBotAPI, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = await cli(_webhook_env(stub, tmp_path, port, "posko_secret"), tmp_path, "run")
    assert done.returncode == 1, done.stderr
    last = done.stderr.strip().splitlines()[-1]  # after the start-up log lines
    assert last.startswith(f"posko-bot: cannot listen on 127.0.0.1:{port} "
                           "(POSKO_WEBHOOK_LISTEN, POSKO_WEBHOOK_PORT): "), done.stderr
    assert "Traceback" not in done.stderr

    def refuse(params: dict[str, Any]) -> bool:
        raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")

    stub._methods["setWebhook"] = refuse  # as Telegram's cloud server answers an http:// URL
    done = await cli(_webhook_env(stub, tmp_path, free_port(), "posko_secret"), tmp_path, "run")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "posko-bot: Telegram refused a start-up request (Bad webhook: an https url must be "
        "provided for webhook); check POSKO_WEBHOOK_URL"), done.stderr
    assert "Traceback" not in done.stderr
