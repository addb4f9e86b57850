"""The operators' endpoints of a running ``posko-bot run`` (``/healthz``, ``/readyz``,
``/metrics``) and its heartbeat, against the stand-in Bot API and a local monitor."""

from __future__ import annotations

import asyncio
import csv
import re
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
from aiohttp import web

from tests.support.botapi_stub import StubBotAPI
from tests.support.data import JAKARTA_CSV
from tests.support.e2e import BotProcess, bot_env, cli, free_port, register

LURAH = "31.73.01.1001"


@asynccontextmanager
async def monitor() -> AsyncIterator[tuple[str, list[str]]]:
    """A Healthchecks-like server on 127.0.0.1: its ping URL and the paths it was sent."""
    paths: list[str] = []

    async def ping(request: web.Request) -> web.Response:
        paths.append(request.path)
        return web.Response(text="OK")

    server = web.Application()
    server.router.add_get("/{tail:.*}", ping)
    runner = web.AppRunner(server)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/ping/3f2a-uuid", paths
    finally:
        await runner.cleanup()


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 when absent)."""
    want = ",".join(f'{key}="{value}"' for key, value in labels.items())
    pattern = re.escape(name) + (r"\{" + re.escape(want) + r"\}" if want else "") + r" (\S+)"
    found = re.search(r"^" + pattern + "$", text, re.MULTILINE)
    return float(found[1]) if found else 0.0


async def until_ready(http: aiohttp.ClientSession, base: str, bot: BotProcess) -> dict[str, object]:
    deadline = time.monotonic() + 30
    while True:
        async with http.get(f"{base}/readyz") as answer:
            body: dict[str, object] = await answer.json()
            if answer.status == 200:
                return body
        assert bot.proc is not None and bot.proc.poll() is None, bot.log_text()
        assert time.monotonic() < deadline, f"never ready: {body}"
        await asyncio.sleep(0.2)


async def test_health_readiness_metrics_and_heartbeat(stub: StubBotAPI, tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with monitor() as (ping_url, pings):
        env = bot_env(stub, tmp_path, POSKO_STATUS_PORT=str(port), POSKO_SWEEP_INTERVAL="1",
                      POSKO_HEARTBEAT_URL=ping_url)
        assert (await cli(env, tmp_path, "import-desks", str(JAKARTA_CSV))).returncode == 0
        bot = BotProcess(env, tmp_path)
        bot.start()
        try:
            await stub.wait_for_call("setMyCommands", timeout=30)
            budi = stub.user(4242, "Budi", "Santoso")
            await register(stub, env, tmp_path, budi, LURAH, "officer")
            async with aiohttp.ClientSession() as http:
                async with http.get(f"{base}/healthz") as answer:
                    assert answer.status == 200 and await answer.json() == {"status": "ok"}
                body = await until_ready(http, base, bot)
                checks = body["checks"]
                assert isinstance(checks, dict)
                assert sorted(checks) == ["outbox", "store", "sweep", "updates"]
                assert all(check["ok"] for check in checks.values())

                async with http.get(f"{base}/metrics") as answer:
                    assert answer.status == 200
                    assert answer.headers["Content-Type"].startswith("text/plain")
                    before = await answer.text()
                with JAKARTA_CSV.open(encoding="utf-8") as rows:
                    row = next(r for r in csv.DictReader(rows) if r["code"] == LURAH)
                seen = len(stub.sent(4242))
                stub.fail_next("sendMessage", "429")  # the reply is paced and sent again
                budi.send_location(float(row["latitude"]), float(row["longitude"]))
                await stub.wait_for_message(4242, contains="Check-in", after=seen, timeout=20)
                deadline = time.monotonic() + 30  # two sweeps, each followed by a ping
                while pings.count("/ping/3f2a-uuid") < 2:
                    assert time.monotonic() < deadline, (pings, bot.log_text())
                    await asyncio.sleep(0.1)
                async with http.get(f"{base}/metrics") as answer:
                    after = await answer.text()
                async with http.post(f"{base}/readyz") as answer:
                    assert answer.status == 405
        finally:
            assert await bot.stop() == 0
            bot.kill()
        location = {"kind": "message:location"}
        assert sample(after, "posko_updates_total", **location) == \
            sample(before, "posko_updates_total", **location) + 1
        assert sample(after, "posko_update_seconds_count", **location) >= 1
        sent = {"method": "sendMessage", "result": "ok"}
        assert sample(after, "posko_bot_api_calls_total", **sent) > \
            sample(before, "posko_bot_api_calls_total", **sent)
        throttled = {"method": "sendMessage", "result": "429"}
        assert sample(after, "posko_bot_api_calls_total", **throttled) == \
            sample(before, "posko_bot_api_calls_total", **throttled) + 1
        assert sample(after, "posko_bot_api_calls_total", method="getUpdates", result="ok") > 0
        assert sample(after, "posko_open_shifts") == 1 and sample(before, "posko_open_shifts") == 0
        assert sample(after, "posko_job_runs_total", job="sweep", result="ok") >= 2
        assert sample(after, "posko_ready") == 1
        # No personal data in any label: not the officer's id, name, nor the token.
        # (Labels only: a sample's value, such as a creation time, may hold any digits.)
        labels = " ".join(re.findall(r"\{([^}]*)\}", after))
        assert "4242" not in labels and "Budi" not in after and stub.token not in after
        # The monitor heard the bot after its sweeps, and never "/fail".
        assert not any(p.endswith("/fail") for p in pings)


async def on_a_taken_port(stub: StubBotAPI, tmp_path: Path, setting: str) -> tuple[int, str]:
    """``posko-bot run`` with the port ``setting`` names already taken: its exit code and the
    last line it printed, with the port."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        bot = BotProcess(bot_env(stub, tmp_path, **{setting: str(port)}), tmp_path)
        bot.start()
        try:
            assert bot.proc is not None
            code = await asyncio.to_thread(bot.proc.wait, 60)
        finally:
            bot.kill()
    assert code == 1
    return port, bot.log_text().strip().splitlines()[-1]


async def test_a_taken_status_port_stops_the_bot_with_one_line(stub: StubBotAPI,
                                                               tmp_path: Path) -> None:
    port, last = await on_a_taken_port(stub, tmp_path, "POSKO_STATUS_PORT")
    assert last.startswith(f"posko-bot: cannot listen on 127.0.0.1:{port} (POSKO_STATUS_LISTEN")


async def test_posko_bot_run_serves_the_dashboard_and_a_taken_port_stops_it(
        stub: StubBotAPI, tmp_path: Path) -> None:
    port = free_port()
    env = bot_env(stub, tmp_path, POSKO_DASHBOARD_PORT=str(port))
    bot = BotProcess(env, tmp_path)
    bot.start()
    try:
        menu = await stub.wait_for_call("setMyCommands", timeout=30)
        assert "dasbor" in str(menu.params["commands"])  # offered where there is a dashboard
        async with aiohttp.ClientSession() as http:
            for _ in range(100):  # it listens right after the command menu is set
                try:
                    answer = await http.get(f"http://127.0.0.1:{port}/")
                    break
                except aiohttp.ClientConnectorError:
                    await asyncio.sleep(0.1)
            async with answer:
                assert answer.status == 401  # served, and nothing without a session
                assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
            async with http.get(f"http://127.0.0.1:{port}/api/state") as answer:
                assert answer.status == 401
        assert await bot.stop() == 0
    finally:
        bot.kill()
    port, last = await on_a_taken_port(stub, tmp_path, "POSKO_DASHBOARD_PORT")
    assert last.startswith(f"posko-bot: cannot listen on 127.0.0.1:{port} "
                           "(POSKO_DASHBOARD_LISTEN")
