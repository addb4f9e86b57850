"""``deploy/posko-bot.service``: what it promises an operator, read from the file itself, and
``systemd-analyze verify`` on it where systemd's tools are installed.

``verify`` checks a unit on this machine: its programs must exist and be executable. So it
checks a copy whose ExecStart is this virtualenv's ``posko-bot`` and whose directories are
temporary ones, every other line as shipped."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.common import USAGE_ERROR
from tests.support.e2e import CLEAN_STOP_S, ROOT

UNIT = ROOT / "deploy" / "posko-bot.service"
HARDENING = {
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "NoNewPrivileges": "yes",
    "CapabilityBoundingSet": "",
    "RestrictSUIDSGID": "yes",
    "RestrictNamespaces": "yes",
    "ProtectKernelTunables": "yes",
    "ProtectKernelModules": "yes",
    "ProtectControlGroups": "yes",
    "LockPersonality": "yes",
    "SystemCallArchitectures": "native",
    "UMask": "0077",
}

Unit = dict[str, dict[str, list[str]]]


def parse_unit(text: str) -> Unit:
    """{section: {key: [values in order]}}: a key may be given more than once."""
    sections: Unit = {}
    current: dict[str, list[str]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        assert not line.endswith("\\"), f"continued line, not parsed here: {line}"
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, sep, value = line.partition("=")
        assert sep and current is not None, f"not a key=value line in a section: {line}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def seconds(value: str) -> float:
    """A systemd time span in plain seconds (``30``, ``30s``), the form the unit uses."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(s|sec)?", value)
    assert match, f"not a time span in seconds: {value}"
    return float(match[1])


@pytest.fixture(scope="module")
def unit() -> Unit:
    return parse_unit(UNIT.read_text(encoding="utf-8"))


def one(unit: Unit, section: str, key: str) -> str:
    values = unit[section].get(key)
    assert values and len(values) == 1, f"{key}= in [{section}]: {values}"
    return values[0]


def test_restarts_always_and_stops_with_sigterm_in_time(unit: Unit) -> None:
    assert one(unit, "Service", "Restart") == "always"
    assert 0 < seconds(one(unit, "Service", "RestartSec")) <= 60
    assert one(unit, "Unit", "StartLimitIntervalSec") == "0"  # never gives up restarting
    # A configuration error is the one exit a restart cannot cure.
    assert one(unit, "Service", "RestartPreventExitStatus") == str(USAGE_ERROR)
    assert one(unit, "Service", "KillSignal") == "SIGTERM"
    assert seconds(one(unit, "Service", "TimeoutStopSec")) > CLEAN_STOP_S
    assert one(unit, "Install", "WantedBy") == "multi-user.target"


def test_runs_the_virtualenvs_posko_bot_as_its_own_user_with_the_env_file(unit: Unit) -> None:
    assert one(unit, "Service", "User") == one(unit, "Service", "Group") == "posko"
    home = one(unit, "Service", "WorkingDirectory")
    assert one(unit, "Service", "EnvironmentFile") == f"{home}/.env"  # no "-": it must exist
    program, *args = one(unit, "Service", "ExecStart").split()
    assert program == f"{home}/.venv/bin/posko-bot"
    assert args == ["run"]
    done = subprocess.run([sys.executable, "-m", "bot", *args, "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr  # a command posko-bot has


def test_everything_is_read_only_but_the_database_directory(unit: Unit) -> None:
    service = {key: values[-1] for key, values in unit["Service"].items()}
    assert {key: service.get(key) for key in HARDENING} == HARDENING
    state = f"/var/lib/{one(unit, 'Service', 'StateDirectory')}"
    assert unit["Service"]["ReadWritePaths"] == [state]
    # The README puts the database there, where SQLite may write it and its -wal and -shm.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"POSKO_DB_PATH={state}/posko.db" in readme
    # Outbound HTTPS and DNS need the internet families; nothing else is allowed.
    assert set(one(unit, "Service", "RestrictAddressFamilies").split()) == {
        "AF_UNIX", "AF_INET", "AF_INET6"}


def verify(unit_file: Path) -> list[str]:
    """What ``systemd-analyze verify`` says about ``unit_file``: [] when nothing."""
    tool = shutil.which("systemd-analyze")
    assert tool is not None
    options = ["--man=no"]
    usage = subprocess.run([tool, "--help"], capture_output=True, text=True, timeout=60).stdout
    if "--recursive-errors" in usage:  # systemd >= 250: only this unit, not the host's units
        options.append("--recursive-errors=no")
    done = subprocess.run([tool, "verify", *options, str(unit_file)], capture_output=True,
                          text=True, timeout=120)
    said = [line for line in (done.stdout + done.stderr).splitlines()
            if unit_file.name in line]
    if done.returncode != 0:
        said.append(f"exit code {done.returncode}: {done.stderr.strip()}")
    return said


def local_copy(text: str, tmp_path: Path) -> str:
    """The unit with this machine's posko-bot and temporary directories in its paths."""
    program = Path(sys.executable).parent / "posko-bot"
    if not program.is_file():
        pytest.skip(f"no posko-bot script beside {sys.executable} (package not installed)")
    home, state = tmp_path / "opt", tmp_path / "state"
    home.mkdir()
    state.mkdir()
    (home / ".env").write_text("TELEGRAM_BOT_TOKEN=\n", encoding="utf-8")
    return (text.replace("/opt/posko-bot/.venv/bin/posko-bot", str(program))
            .replace("/opt/posko-bot", str(home))
            .replace("/var/lib/posko-bot", str(state)))


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not installed (systemd's tools are absent)")
def test_systemd_analyze_verifies_the_unit(tmp_path: Path) -> None:
    shipped = UNIT.read_text(encoding="utf-8")
    copy = local_copy(shipped, tmp_path)
    assert copy.count(str(tmp_path)) >= 4  # ExecStart, WorkingDirectory, EnvironmentFile, RW
    good = tmp_path / "posko-bot.service"
    good.write_text(copy, encoding="utf-8")
    assert verify(good) == []
    # The check would see a mistake: a misspelt key and a bad value are reported.
    bad = tmp_path / "posko-bot-bad.service"
    bad.write_text(copy.replace("ProtectHome=", "ProtectHom=")
                   .replace("Restart=always", "Restart=alway"), encoding="utf-8")
    said = verify(bad)
    assert any("ProtectHom" in line for line in said), said
    assert any("alway" in line for line in said), said
