"""End to end: a group subscribed with /langganan receives the daily digest (text and chart)
from ``posko-bot run`` — after a restart that moved the digest time, and only once."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.support.botapi_stub import StubBotAPI
from tests.support.data import JAKARTA_CSV
from tests.support.e2e import BotProcess, bot_env, cli

KEC = "31.73.01"
CAMAT, GROUP = 7001, -1007001


async def test_subscribed_group_gets_digest(stub: StubBotAPI, tmp_path: Path) -> None:
    env = bot_env(stub, tmp_path, POSKO_SWEEP_INTERVAL="1", POSKO_DIGEST_TIME="03:00")
    assert (await cli(env, tmp_path, "import-desks", str(JAKARTA_CSV))).returncode == 0
    bot = BotProcess(env, tmp_path)
    bot.start()
    try:
        await stub.wait_for_call("setMyCommands", timeout=30)
        camat = stub.user(CAMAT, "Camat", "Cengkareng")
        group = stub.group(GROUP, "Desk Pilkada Cengkareng", supergroup=True)
        done = await cli(env, tmp_path, "invite", "--desk", KEC, "--role", "supervisor")
        token = re.search(r"start=([\w-]+)", done.stdout)
        assert token, done.stdout + done.stderr
        camat.send_text(f"/start {token[1]}")
        confirm = await stub.wait_for_message(CAMAT, contains="Daftar sekarang?")
        camat.press(confirm, f"reg:{token[1]}")
        await stub.wait_for_message(CAMAT, contains="Terdaftar sebagai")
        camat.send_text("/langganan", chat=group)
        await stub.wait_for_message(GROUP, contains="sekarang menerima")
        assert await bot.stop() == 0

        # The sekretariat moves the digest to a few seconds from now and restarts the bot.
        soon = datetime.now(ZoneInfo("Asia/Jakarta")) + timedelta(seconds=10)
        bot.env["POSKO_DIGEST_TIME"] = f"{soon:%H:%M:%S}"
        bot.start()
        text = await stub.wait_for_message(GROUP, contains="Rekap harian Cengkareng",
                                           timeout=30)
        body = text.text or ""
        assert "Posko dalam jam tugas" in body or "Tidak ada jam tugas" in body
        chart = await stub.wait_for_message(GROUP, predicate=lambda m: m.method == "sendPhoto",
                                            timeout=15)
        assert chart.params["photo"]["size"] > 5_000  # an uploaded PNG
        await stub.wait_for_message(CAMAT, contains="Rekap harian Cengkareng", timeout=15)
        await asyncio.sleep(3)  # several more scheduling passes: nothing is sent twice
        assert len([m for m in stub.sent(GROUP) if "Rekap harian" in (m.text or "")]) == 1
        assert await bot.stop() == 0
    finally:
        bot.kill()
