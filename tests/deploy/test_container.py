"""The container: ``Dockerfile``, ``.dockerignore`` and ``compose.yaml``.

Without a container engine their claims are checked against the project: the image is made of
the package's own files and nothing the ignore file drops, it runs ``posko-bot run`` as a user
of its own with the database on the volume, and its health check is a ``posko-bot`` command
that passes while the bot runs and is ready, and fails once it is gone. Where an engine
answers (``docker info``), the image is built and run against the stand-in Bot API and must
turn healthy and stop with exit code 0."""

from __future__ import annotations

import asyncio
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path, PurePosixPath

import pytest

from bot.cli.health import TIMEOUT as HEALTH_TIMEOUT
from tests.support.botapi_stub import StubBotAPI
from tests.support.e2e import CLEAN_STOP_S, ROOT, BotProcess, bot_env, free_port

DOCKERFILE = ROOT / "Dockerfile"
Instruction = tuple[str, str]  # (INSTRUCTION, arguments)


def instructions(text: str) -> list[Instruction]:
    """The Dockerfile's instructions, continued lines joined, comments dropped."""
    found: list[Instruction] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        whole = pending + line
        pending = ""
        word, _, args = whole.partition(" ")
        found.append((word.upper(), args.strip()))
    return found


def stages(text: str) -> list[list[Instruction]]:
    """The instructions grouped by build stage, each starting with its FROM."""
    grouped: list[list[Instruction]] = []
    for instruction in instructions(text):
        if instruction[0] == "FROM":
            grouped.append([])
        grouped[-1].append(instruction)
    return grouped


def last(stage: list[Instruction], word: str) -> str:
    values = [args for name, args in stage if name == word]
    assert values, f"no {word} in the stage"
    return values[-1]


def env_of(stage: list[Instruction]) -> dict[str, str]:
    """The ENV of a stage (KEY=value pairs, as the Dockerfile writes them)."""
    env: dict[str, str] = {}
    for name, args in stage:
        if name == "ENV":
            env.update(pair.split("=", 1) for pair in args.split())
    return env


def ignored(path: str, patterns: list[str]) -> bool:
    """Whether ``.dockerignore`` keeps ``path`` (relative, POSIX) out of the build context."""
    result = False
    parts = PurePosixPath(path).parts
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    for pattern in patterns:
        negated = pattern.startswith("!")
        glob = pattern.lstrip("!").rstrip("/").removeprefix("**/")
        if any(fnmatch.fnmatch(p, glob) or fnmatch.fnmatch(p.rsplit("/", 1)[-1], glob)
               for p in prefixes):
            result = not negated
    return result


@pytest.fixture(scope="module")
def dockerfile() -> list[list[Instruction]]:
    return stages(DOCKERFILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def compose_text() -> str:
    return (ROOT / "compose.yaml").read_text(encoding="utf-8")


def test_the_image_is_built_from_the_projects_own_files(
        dockerfile: list[list[Instruction]], ignore_patterns: list[str]) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    needed = {*project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"],
              "pyproject.toml", project["project"]["readme"]}
    copied = []
    for stage in dockerfile:
        for name, args in stage:
            if name == "COPY" and not args.startswith("--from"):
                copied += args.split()[:-1]
    assert set(copied) == needed
    for source in copied:
        assert (ROOT / source).exists(), source
        assert not ignored(source, ignore_patterns), f".dockerignore drops {source}"
    # Never the settings (the token), a database, the virtualenv or the history.
    for kept_out in (".env", ".venv/bin/python", ".git/HEAD", "posko.db", "posko.db-wal",
                     "bot/__pycache__/app.cpython-311.pyc"):
        assert ignored(kept_out, ignore_patterns), kept_out
    assert not ignored(".env.example", ignore_patterns)


def test_the_image_runs_posko_bot_as_its_own_user_on_the_data_volume(
        dockerfile: list[list[Instruction]]) -> None:
    final = dockerfile[-1]
    base = re.fullmatch(r"python:3\.(\d+)-slim(?:-\w+)?", last(final, "FROM"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    oldest = re.fullmatch(r">=3\.(\d+)", project["project"]["requires-python"])
    assert base and oldest and int(base[1]) >= int(oldest[1])
    assert last(final, "USER") not in ("root", "0")
    db_path = PurePosixPath(env_of(final)["POSKO_DB_PATH"])
    assert json.loads(last(final, "VOLUME")) == [str(db_path.parent)]
    assert last(final, "STOPSIGNAL") == "SIGTERM"
    command = json.loads(last(final, "ENTRYPOINT")) + json.loads(last(final, "CMD"))
    assert command == ["posko-bot", "run"]
    done = subprocess.run([sys.executable, "-m", "bot", *command[1:], "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    # Compose keeps the database there even when .env names another file, and gives the bot
    # more than its clean stop.
    compose = compose_text()
    assert f"POSKO_DB_PATH: {db_path}" in compose
    assert re.search(rf"^\s+- [\w-]+:{db_path.parent}$", compose, re.M)
    grace = re.search(r"^\s+stop_grace_period: (\d+)s$", compose, re.M)
    assert grace and int(grace[1]) > CLEAN_STOP_S
    assert re.search(r"^\s+restart: unless-stopped$", compose, re.M)
    assert re.search(r"^\s+env_file: \.env$", compose, re.M)
    # The self-hosted Bot API server is there, commented out.
    assert re.search(r"^\s+#\s+image: aiogram/telegram-bot-api", compose, re.M)
    assert re.search(r"^\s+#\s+TELEGRAM_API_BASE_URL: http://telegram-bot-api:8081/bot$",
                     compose, re.M)


def health_check(dockerfile: list[list[Instruction]]) -> tuple[dict[str, str], list[str]]:
    """The HEALTHCHECK's options and its command (exec form)."""
    args = last(dockerfile[-1], "HEALTHCHECK")
    options, _, command = args.partition("CMD ")
    parsed = dict(opt.removeprefix("--").split("=", 1) for opt in options.split())
    return parsed, json.loads(command)


def test_the_health_check_outlasts_the_commands_own_wait(
        dockerfile: list[list[Instruction]]) -> None:
    options, command = health_check(dockerfile)
    assert command == ["posko-bot", "health"]
    timeout = re.fullmatch(r"(\d+)s", options["timeout"])
    assert timeout and int(timeout[1]) > HEALTH_TIMEOUT  # the command says why, not Docker


async def test_the_health_check_asks_the_running_bot(
        dockerfile: list[list[Instruction]], stub: StubBotAPI, tmp_path: Path) -> None:
    """The command passes while the bot runs and is ready, fails once it is gone, and says
    so when the endpoints are off."""
    _, command = health_check(dockerfile)
    env = bot_env(stub, tmp_path, POSKO_STATUS_PORT=str(free_port()))

    def check(**extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot", *command[1:]], env=env | extra,
                              cwd=tmp_path, capture_output=True, text=True, timeout=120)

    bot = BotProcess(env, tmp_path)
    bot.start()
    try:
        await stub.wait_for_call("setMyCommands", timeout=30)
        done = await asyncio.to_thread(check)
        for _ in range(60):  # the first getUpdates and sweep come within seconds
            if done.returncode == 0:
                break
            await asyncio.sleep(0.5)
            done = await asyncio.to_thread(check)
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.splitlines()[-1] == "ready" and "ok   store:" in done.stdout
        assert await bot.stop() == 0
    finally:
        bot.kill()
    done = await asyncio.to_thread(check)
    assert done.returncode == 1
    assert "no answer from the bot" in done.stderr and "Traceback" not in done.stderr
    done = await asyncio.to_thread(check, POSKO_STATUS_PORT="0")
    assert done.returncode == 2 and "status endpoints are off" in done.stderr


def _answers(*argv: str) -> bool:
    """Whether ``argv`` runs and exits 0 (a missing program or an engine not running: no)."""
    if shutil.which(argv[0]) is None:
        return False
    try:
        return subprocess.run(argv, capture_output=True, timeout=20).returncode == 0
    except subprocess.TimeoutExpired:
        return False


@pytest.mark.skipif(not _answers("docker", "compose", "version"),
                    reason="docker compose is not installed")
def test_compose_accepts_the_file(tmp_path: Path) -> None:
    """``docker compose config`` parses and validates the file (it needs no engine)."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("compose.yaml", "Dockerfile"):
        shutil.copy(ROOT / name, project / name)
    (project / ".env").write_text("TELEGRAM_BOT_TOKEN=123456:x\n", encoding="utf-8")
    done = subprocess.run(["docker", "compose", "config", "--quiet"], cwd=project,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


async def _docker(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:  # noqa: ASYNC109
    """``docker ARGS`` off the event loop, so the stand-in Bot API keeps answering."""
    return await asyncio.to_thread(subprocess.run, ["docker", *args], capture_output=True,
                                   text=True, timeout=timeout)


async def _health(name: str) -> str:
    done = await _docker("inspect", "--format", "{{.State.Health.Status}}", name)
    return done.stdout.strip()


@pytest.mark.skipif(not _answers("docker", "info"),
                    reason="no container engine answers (docker info fails)")
async def test_the_image_builds_runs_healthy_and_stops_cleanly(stub: StubBotAPI) -> None:
    tag, name = f"posko-bot-test:{os.getpid()}", f"posko-bot-test-{os.getpid()}"
    built = await _docker("build", "--tag", tag, str(ROOT), timeout=1800)
    assert built.returncode == 0, built.stderr[-4000:]
    try:
        # The host's network, so the container reaches the stand-in on 127.0.0.1.
        started = await _docker(
            "run", "--detach", "--name", name, "--network", "host",
            "--env", f"TELEGRAM_BOT_TOKEN={stub.token}",
            "--env", f"TELEGRAM_API_BASE_URL={stub.base_url}",
            "--env", f"POSKO_STATUS_PORT={free_port()}",  # the host's network: no clash
            "--env", f"POSKO_DASHBOARD_PORT={free_port()}",
            "--health-interval", "2s", tag)
        assert started.returncode == 0, started.stderr
        await stub.wait_for_call("setMyCommands", timeout=180)
        for _ in range(180):  # the first checks run within seconds; a loaded machine is slower
            if await _health(name) == "healthy":
                break
            await asyncio.sleep(1)
        assert await _health(name) == "healthy"
        user = await _docker("exec", name, "id", "-u")
        assert user.returncode == 0 and user.stdout.strip() != "0"
        assert (await _docker("exec", name, "test", "-f", "/data/posko.db")).returncode == 0
        assert (await _docker("stop", "--time", "30", name)).returncode == 0
        code = await _docker("inspect", "--format", "{{.State.ExitCode}}", name)
        assert code.stdout.strip() == "0"
    finally:
        await _docker("rm", "--force", "--volumes", name)
        await _docker("rmi", "--force", tag)
