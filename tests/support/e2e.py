"""Running the real ``posko-bot`` as subprocesses against the stand-in Bot API server."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.botapi_stub import SimUser, StubBotAPI

ROOT = Path(__file__).resolve().parent.parent.parent


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
    })
    env.update(extra)
    return env


async def cli(env: dict[str, str], workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot ARGS`` to completion (off the event loop, so the stub keeps serving)."""
    return await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "bot", *args], env=env, cwd=workdir,
        capture_output=True, text=True, timeout=120)


async def register(stub: StubBotAPI, env: dict[str, str], workdir: Path, user: SimUser,
                   code: str, role: str) -> None:
    """A user registered the real way: ``posko-bot invite``, ``/start <token>``, *Daftar*."""
    done = await cli(env, workdir, "invite", "--desk", code, "--role", role)
    token = re.search(r"start=([\w-]+)", done.stdout)
    assert token, done.stdout + done.stderr
    user.send_text(f"/start {token[1]}")
    confirm = await stub.wait_for_message(user.id, contains="Daftar sekarang?")
    user.press(confirm, f"reg:{token[1]}")
    await stub.wait_for_message(user.id, contains="Terdaftar sebagai")


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
