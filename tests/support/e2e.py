"""Running the real ``posko-bot`` as subprocesses against the stand-in Bot API server."""

from __future__ import annotations

import asyncio
import csv
import os
import re
import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bot.rehearsal import stage
from tests.support.botapi_stub import SimUser, StubBotAPI
from tests.support.data import JAKARTA_CSV

ROOT = Path(__file__).resolve().parent.parent.parent
# How long ``posko-bot run`` may take to stop cleanly after SIGTERM (test_e2e_shutdown.py); the
# stop timeouts of deploy/posko-bot.service and compose.yaml exceed it.
CLEAN_STOP_S = 10.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (for a server a test starts)."""
    return stage.free_port("127.0.0.1")


def bot_env(stub: StubBotAPI, workdir: Path, **extra: str) -> dict[str, str]:
    """Environment of a bot process: the stub as Bot API, a database in ``workdir``."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("POSKO_", "TELEGRAM_"))}
    env.update({
        "TELEGRAM_BOT_TOKEN": stub.token,
        "TELEGRAM_API_BASE_URL": stub.base_url,
        "POSKO_DB_PATH": str(workdir / "posko.db"),
        "PTB_TIMEDELTA": "1",
        "PYTHONPATH": str(ROOT),
        "POSKO_LOG_LEVEL": "INFO",
        "POSKO_STATUS_PORT": "0",  # status endpoints only where a test asks for them
        "POSKO_DASHBOARD_PORT": "0",  # the dashboard too
    })
    env.update(extra)
    return env


async def cli(env: dict[str, str], workdir: Path, *args: str, stdin: str = ""
              ) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot ARGS`` to completion (off the event loop, so the stub keeps serving),
    with ``stdin`` as what is typed (a pipe: never a terminal that could wait for input)."""
    return await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "bot", *args], env=env, cwd=workdir,
        capture_output=True, text=True, timeout=120, input=stdin)


async def register(stub: StubBotAPI, env: dict[str, str], workdir: Path, user: SimUser,
                   code: str, role: str, *more: str) -> None:
    """A user registered the real way: ``posko-bot invite`` (with ``more`` of its options,
    such as a partner's ``--agency``), ``/start <token>``, *Daftar*."""
    done = await cli(env, workdir, "invite", "--desk", code, "--role", role, *more)
    token = re.search(r"start=([\w-]+)", done.stdout)
    assert token, done.stdout + done.stderr
    user.send_text(f"/start {token[1]}")
    confirm = await stub.wait_for_message(user.id, contains="Daftar sekarang?")
    user.press(confirm, f"reg:{token[1]}")
    await stub.wait_for_message(user.id, contains="Terdaftar sebagai")


def kelurahan_file(path: Path, count: int, duty_hours: str = "-") -> list[dict[str, str]]:
    """Write the Jakarta desks to ``path``, every kelurahan with ``duty_hours`` and the desks
    above with none (``-``: no alerts, no question at check-out), and return the first
    ``count`` kelurahan."""
    with JAKARTA_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    kelurahan = [r for r in rows if r["level"] == "kelurahan_desa"]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, [*rows[0].keys(), "duty_hours"])
        writer.writeheader()
        writer.writerows({**row, "duty_hours": duty_hours if row["level"] == "kelurahan_desa"
                          else "-"} for row in rows)
    return kelurahan[:count]


def insert_members(db_file: Path, desks: list[dict[str, str]], first_id: int, role: str,
                   name: str) -> None:
    """Members ``first_id``, ``first_id + 1``, ... with ``role`` at ``desks``, named ``name 0``,
    ``name 1``, ..., straight into the database (for tests not about registration)."""
    conn = sqlite3.connect(db_file)
    try:
        with conn:
            for i, desk in enumerate(desks):
                conn.execute(
                    "INSERT INTO members (telegram_id, full_name, desk_id, role, created_at, "
                    "updated_at) SELECT ?, ?, id, ?, '2026-01-01T00:00:00.000000Z', "
                    "'2026-01-01T00:00:00.000000Z' FROM desks WHERE code = ?",
                    (first_id + i, f"{name} {i}", role, desk["code"]))
    finally:
        conn.close()


@dataclass
class BotProcess:
    """``posko-bot run`` in a subprocess; stderr goes to a log file for post-mortems."""

    env: dict[str, str]
    workdir: Path
    proc: subprocess.Popen[bytes] | None = None
    runs: int = 0
    # How to start ``posko-bot`` (``run`` is appended): the benchmarks may start another
    # checkout's bot, or the bot behind a launcher.
    command: list[str] = field(default_factory=lambda: [sys.executable, "-m", "bot"])
    logs: list[Path] = field(default_factory=list)

    def start(self) -> None:
        """Start (or restart) the bot."""
        self.runs += 1
        log = self.workdir / f"bot-{self.runs}.log"
        self.logs.append(log)
        with log.open("wb") as sink:
            self.proc = subprocess.Popen([*self.command, "run"], env=self.env,
                                         cwd=self.workdir, stdout=sink, stderr=subprocess.STDOUT)

    async def stop(self, sig: signal.Signals = signal.SIGTERM, wait_s: float = 15) -> int:
        """Send ``sig`` and wait for the exit code."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = await asyncio.to_thread(self.proc.wait, wait_s)
        return code

    def log_text(self) -> str:
        """Everything every run of the bot logged."""
        return "\n".join(p.read_text(errors="replace") for p in self.logs if p.exists())

    def kill(self) -> None:
        """Make sure nothing is left running (fixture teardown)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
