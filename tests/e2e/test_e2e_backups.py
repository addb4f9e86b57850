"""End to end: ``posko-bot run`` with ``POSKO_BACKUP_DIR`` takes a backup right after it
starts when the newest is older than ``POSKO_BACKUP_EVERY``; while it runs, ``posko-bot status``
shows it running with the last sweep and backup, and ``posko-bot restore`` (and a second
``run``) is refused; once it is stopped, the restore goes through and keeps the old file."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from datetime import timedelta
from pathlib import Path

from storage.backups import backup_name, backups
from storage.models import utcnow
from tests.support.botapi_stub import StubBotAPI
from tests.support.data import JAKARTA_CSV
from tests.support.e2e import BotProcess, bot_env, cli

WAIT = 60.0  # seconds: generous on a loaded machine


async def _wait_for(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not await asyncio.to_thread(check):
        assert time.monotonic() < deadline, f"no {what} within {WAIT} s"
        await asyncio.sleep(0.2)


def _kept(workdir: Path) -> list[Path]:
    """The databases a restore set aside."""
    return list(workdir.glob("posko.db.before-restore-*"))


async def test_backup_on_start_status_and_restore_refused_while_running(
        stub: StubBotAPI, tmp_path: Path) -> None:
    directory = tmp_path / "backups"
    env = bot_env(stub, tmp_path, POSKO_BACKUP_DIR=str(directory), POSKO_BACKUP_KEEP="5")
    assert (await cli(env, tmp_path, "import-desks", str(JAKARTA_CSV))).returncode == 0
    directory.mkdir()
    # The newest backup is from before a downtime longer than POSKO_BACKUP_EVERY (6 h).
    stale = directory / backup_name("posko.db", utcnow() - timedelta(hours=7))
    stale.write_bytes(b"an old backup")
    (directory / "README.txt").write_text("not a backup")
    db = tmp_path / "posko.db"
    bot = BotProcess(env, tmp_path)
    bot.start()
    try:
        await stub.wait_for_call("setMyCommands", timeout=60)
        await _wait_for(lambda: len(backups(directory, db)) == 2, "backup after start")
        fresh = backups(directory, db)[-1].path

        def sweep_recorded() -> bool:
            with closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)) as conn:
                return conn.execute("SELECT 1 FROM meta WHERE key = 'last_sweep_at'"
                                    ).fetchone() is not None

        await _wait_for(sweep_recorded, "sweep recorded")
        status = await cli(env, tmp_path, "status")
        assert status.returncode == 0, status.stderr
        lines = dict(line.split(None, 1) if not line.startswith(("last ", "open "))
                     else (line[:12].strip(), line[12:].strip())
                     for line in status.stdout.splitlines())
        assert lines["bot"] == "running on it"
        assert lines["desks"] == "318"
        assert "schema version" in lines["database"]
        assert "ago" in lines["last sweep"]
        assert str(fresh) in lines["last backup"] and "2 in" in lines["last backup"]

        refused = await cli(env, tmp_path, "restore", str(fresh))
        assert refused.returncode == 1
        assert refused.stderr.startswith("posko-bot: a bot is running on")
        assert len(refused.stderr.splitlines()) == 1
        second = await cli(env, tmp_path, "run")
        assert second.returncode == 1 and "another posko-bot run" in second.stderr
        assert bot.proc is not None and bot.proc.poll() is None
    finally:
        assert await bot.stop() == 0
        bot.kill()
    assert not _kept(tmp_path)

    restored = await cli(env, tmp_path, "restore", str(fresh))
    assert restored.returncode == 0, restored.stderr
    assert "restored" in restored.stdout
    assert len(_kept(tmp_path)) == 1
    after = await cli(env, tmp_path, "status")
    assert after.returncode == 0 and "not running on it" in after.stdout
    assert stale.read_bytes() == b"an old backup"  # never touched
    log = bot.log_text()
    assert log.count("written and checked") == 1, log
    assert "Traceback" not in log
