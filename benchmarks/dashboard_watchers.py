"""Open dashboards beside a benchmark: camat who keep the situation room open while the bot
works (``bench_peak --dashboards N``).

:func:`add_camat` registers one supervisor at each of N kecamatan of a prepared database
and a login link for each, written straight into the file as ``/dasbor`` would. Then
:func:`watch` signs each in and polls ``/api/state`` every ``POLL_S`` seconds, as the page
does, until told to stop; it returns how long each poll took.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import secrets
import sqlite3
import time
from pathlib import Path

import aiohttp

FIRST_CAMAT = 9_000_000
POLL_S = 4.0  # the page's own interval (bot/dashboard/static/dashboard.js)
STAMP = "2026-01-01T00:00:00.000000Z"
FAR = "2999-01-01T00:00:00.000000Z"


def add_camat(db_file: Path, count: int) -> list[str]:
    """A supervisor at each of the first ``count`` kecamatan, and their login tokens."""
    tokens = [secrets.token_urlsafe(32) for _ in range(count)]
    with sqlite3.connect(db_file) as conn:
        kecamatan = [r[0] for r in conn.execute(
            "SELECT id FROM desks WHERE level = 'kecamatan' ORDER BY code LIMIT ?", (count,))]
        ids = [FIRST_CAMAT + i for i in range(len(kecamatan))]
        conn.executemany(
            "INSERT INTO members (telegram_id, full_name, desk_id, role, created_at, updated_at) "
            "VALUES (?, ?, ?, 'supervisor', ?, ?)",
            [(uid, f"Camat {uid}", desk, STAMP, STAMP) for uid, desk in zip(ids, kecamatan,
                                                                            strict=True)])
        conn.executemany(
            "INSERT INTO dashboard_logins (token_hash, member_id, created_at, expires_at) "
            "VALUES (?, ?, ?, ?)",
            [(hashlib.sha256(token.encode()).hexdigest(), uid, STAMP, FAR)
             for token, uid in zip(tokens, ids, strict=True)])
    conn.close()
    return tokens[:len(kecamatan)]


async def _one(base: str, token: str, stop: asyncio.Event, timings: list[float],
               offset: float) -> None:
    await asyncio.sleep(offset)  # spread over the interval, as pages opened at random
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        for _ in range(300):  # the page listens right after the bot's start-up
            try:
                answer = await http.post(f"{base}/auth/link", json={"token": token})
                break
            except aiohttp.ClientConnectorError:
                await asyncio.sleep(0.1)
        async with answer:
            if answer.status != 200:
                raise RuntimeError(f"sign-in refused: {answer.status}")
        while not stop.is_set():
            started = time.perf_counter()
            async with http.get(f"{base}/api/state") as answer:
                await answer.read()
                if answer.status == 200:
                    timings.append((time.perf_counter() - started) * 1000)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), POLL_S)


async def watch(base: str, tokens: list[str], stop: asyncio.Event) -> list[float]:
    """Every dashboard polling until ``stop``; milliseconds per poll."""
    timings: list[float] = []
    await asyncio.gather(*(_one(base, token, stop, timings, POLL_S * i / len(tokens))
                           for i, token in enumerate(tokens)))
    return timings
