"""The import contracts bite: a copy of the code with one forbidden import fails ``lint-imports``.

A contract that stopped matching anything (a renamed package, a mistyped module) would pass
silently in CI; so each case here plants a violation in a copy of the three packages and expects
``lint-imports`` to name that contract, and only that one, as broken.
"""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

import storage

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "scheduler", "storage")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def contracts() -> dict[str, dict[str, Any]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    # lint-imports puts its working directory first on the import path, so the copy is what
    # it analyses, not the installed project.
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=tree,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the project's packages and configuration."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_unmodified_tree_keeps_every_contract(tree: Path) -> None:
    result = lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    for contract in contracts().values():
        assert f"{contract['name']} KEPT" in result.stdout


@pytest.mark.parametrize(("path", "line", "broken"), [
    ("storage/x.py", "import scheduler.sweep", "layers"),
    ("scheduler/x.py", "import bot.config", "layers"),
    ("storage/x.py", "import telegram", "no-telegram-below-bot"),
    ("scheduler/x.py", "from telegram import Bot", "no-telegram-below-bot"),
    ("storage/rules/x.py", "import sqlite3", "pure-rules"),
    ("storage/rules/x.py", "from storage.models import utcnow", "pure-rules"),
    ("bot/cli/x.py", "from bot.handlers import common", "cli-without-handlers"),
])
def test_forbidden_import_breaks_its_contract(tree: Path, path: str, line: str,
                                              broken: str) -> None:
    (tree / path).write_text(f'"""A planted violation."""\n\n{line}\n', encoding="utf-8")
    result = lint(tree)
    assert result.returncode != 0, result.stdout
    for key, contract in contracts().items():
        verdict = "BROKEN" if key == broken else "KEPT"
        assert f"{contract['name']} {verdict}" in result.stdout, result.stdout


def test_pure_rules_contract_names_every_other_storage_module() -> None:
    # A new table module of storage must be added to the contract, or rules could import it.
    forbidden = set(contracts()["pure-rules"]["forbidden_modules"])
    siblings = {f"storage.{m.name}" for m in pkgutil.iter_modules(storage.__path__)}
    assert siblings - {"storage.rules"} <= forbidden
