"""End to end: invite tokens never reach the logs, even at DEBUG.

``posko-bot run`` at ``POSKO_LOG_LEVEL=DEBUG`` logs every update it receives and every Bot API
call it makes, and an invite token travels in several of them: the ``/start <token>`` text,
the ``reg:<token>`` button data, the ``?start=<token>`` link ``/undang`` sends. Anyone who can
read the log could register with a live token, so the log must show none of them, while the
invites still work.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.botapi_stub import StubBotAPI
from tests.support.data import JAKARTA_CSV
from tests.support.e2e import BotProcess, bot_env, cli

CAMAT = "31.73.01"  # Kec. Cengkareng
LURAH = "31.73.01.1002"


async def test_invite_tokens_stay_out_of_debug_logs(stub: StubBotAPI, tmp_path: Path) -> None:
    env = bot_env(stub, tmp_path, POSKO_LOG_LEVEL="DEBUG")
    assert (await cli(env, tmp_path, "import-desks", str(JAKARTA_CSV))).returncode == 0
    done = await cli(env, tmp_path, "invite", "--desk", CAMAT, "--role", "supervisor")
    assert done.returncode == 0, done.stderr
    cli_token = re.search(r"start=([\w-]+)", done.stdout)
    assert cli_token, done.stdout
    tokens = [cli_token[1]]

    bot = BotProcess(env, tmp_path)
    bot.start()
    try:
        await stub.wait_for_call("setMyCommands", timeout=30)
        camat = stub.user(5101, "Camat", "Cengkareng")
        camat.send_text(f"/start {tokens[0]}")
        confirm = await stub.wait_for_message(5101, contains="Daftar sekarang?")
        camat.press(confirm, f"reg:{tokens[0]}")
        await stub.wait_for_message(5101, contains="Terdaftar sebagai")

        camat.send_text(f"/undang {LURAH}")
        choose = await stub.wait_for_message(5101, contains="Pilih peran")
        camat.press(choose, dict(choose.buttons())["Petugas"])
        link = await stub.wait_for_message(
            5101, predicate=lambda m: "start=" in (m.raw_text or m.text or ""))
        found = re.search(r"start=([\w-]+)", link.raw_text or link.text or "")
        assert found, link.text
        tokens.append(found[1])

        budi = stub.user(5102, "Budi", "Santoso")
        budi.send_text(f"/start {tokens[1]}")
        confirm = await stub.wait_for_message(5102, contains="Daftar sekarang?")
        budi.press(confirm, f"reg:{tokens[1]}")
        await stub.wait_for_message(5102, contains="Terdaftar sebagai Petugas")
    finally:
        assert await bot.stop() == 0
        bot.kill()

    log = bot.log_text()
    assert "getUpdates" in log and "DEBUG" in log  # the log really is at DEBUG
    for token in tokens:
        assert token not in log, [line for line in log.splitlines() if token in line]
