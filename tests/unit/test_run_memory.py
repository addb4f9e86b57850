"""``posko-bot run`` freezes what start-up loaded before it serves (``bot.cli.run``)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from bot import logs
from bot.app import PoskoApp
from bot.cli import main
from bot.updates import polling
from tests.support.settings import TOKEN


def test_run_serves_with_start_up_frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    frozen: list[int] = []

    async def serve(app: PoskoApp) -> None:  # stands in for the loop: no Telegram here
        frozen.append(gc.get_freeze_count())

    monkeypatch.setattr(polling, "run", serve)
    monkeypatch.setattr(logs, "setup_logging", lambda *args: None)  # leave the root logger
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("POSKO_DB_PATH", str(tmp_path / "posko.db"))
    gc.unfreeze()
    try:
        assert main(["run"]) == 0
    finally:
        gc.unfreeze()  # the test process keeps collecting as before
    assert frozen and frozen[0] > 10_000  # the modules and classes loaded by then
