"""Benchmark: the CPU a Bot API call costs the bot, PTB's httpx request against ours on aiohttp.

A small Bot API server in a child process answers every ``sendMessage`` with a message the
size of a check-in reply. This process then sends ``--calls`` replies, ``--concurrency`` in
flight at a time (the reply gate lets 30 be unanswered), through each client in turn:

* ``httpx``: PTB's ``HTTPXRequest`` as the bot configured it before (pool of 32, wait 30 s);
* ``aiohttp``: ``bot.botapi.request.AiohttpRequest`` as the bot uses it now.

Each call goes through PTB's whole path (``Bot.send_message``: the request built, the answer
parsed into a ``Message``), so the difference is the client's alone. What is reported is this
process's CPU time per call (the server runs in its own process) and the calls per second,
for every round; the rounds alternate the two clients so a noisy machine hits both alike.

Usage (from the repository root):
    python -m benchmarks.bench_client [--calls 5000] [--concurrency 30] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time

from aiohttp import web
from telegram import Bot
from telegram.request import BaseRequest, HTTPXRequest

from bot.botapi.request import AiohttpRequest
from tests.support.e2e import free_port

TOKEN = "123456:" + "A" * 35
MESSAGE = {"message_id": 1, "date": 1_764_590_400,
           "chat": {"id": 1001, "type": "private", "first_name": "Siti"},
           "from": {"id": 42, "is_bot": True, "first_name": "Posko", "username": "posko_bot"},
           "text": "✅ Check-in tercatat di Posko Kelurahan Kedoya Utara pukul 08.02 WIB."}


def serve(port: int) -> None:
    """The child process: a Bot API answering getMe and sendMessage, nothing else."""
    me = {"id": 42, "is_bot": True, "first_name": "Posko", "username": "posko_bot"}

    async def handle(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        await request.read()
        result = me if method == "getMe" else MESSAGE
        return web.Response(body=json.dumps({"ok": True, "result": result}),
                            content_type="application/json")

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", handle)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def client(kind: str) -> BaseRequest:
    if kind == "httpx":
        return HTTPXRequest(connection_pool_size=32, pool_timeout=30.0)
    return AiohttpRequest(32, pool_timeout=30.0)


async def one_round(kind: str, port: int, calls: int, concurrency: int) -> tuple[float, float]:
    """CPU ms per call and calls per second for one client."""
    bot = Bot(TOKEN, base_url=f"http://127.0.0.1:{port}/bot", request=client(kind))
    async with bot:
        for _ in range(200):  # warm the pool and the code paths
            await bot.send_message(1001, "x")
        left = iter(range(calls))

        async def worker() -> None:
            for _ in left:
                await bot.send_message(1001, "✅ Check-in tercatat.")

        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return cpu / calls * 1000, calls / wall


async def main(args: argparse.Namespace, port: int) -> None:
    """Alternate the two clients ``--rounds`` times against the server on ``port``."""
    await asyncio.sleep(1.5)
    results: dict[str, list[tuple[float, float]]] = {"httpx": [], "aiohttp": []}
    for n in range(args.rounds):
        for kind in ("httpx", "aiohttp") if n % 2 == 0 else ("aiohttp", "httpx"):
            cpu, rate = await one_round(kind, port, args.calls, args.concurrency)
            results[kind].append((cpu, rate))
            print(f"round {n + 1} {kind:8} {cpu:.3f} ms CPU per call, {rate:,.0f} calls/s",
                  flush=True)
    for kind, runs in results.items():
        print(f"{kind:8} median {statistics.median(r[0] for r in runs):.3f} ms CPU per call,"
              f" {statistics.median(r[1] for r in runs):,.0f} calls/s")
    ratio = (statistics.median(r[0] for r in results["httpx"])
             / statistics.median(r[0] for r in results["aiohttp"]))
    print(f"aiohttp costs 1/{ratio:.2f} of httpx's CPU per call; load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]))
        raise SystemExit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "benchmarks.bench_client", "--serve",
                               str(port)])
    try:
        asyncio.run(main(parser.parse_args(), port))
    finally:
        server.terminate()
        server.wait()
