"""The bot's settings in tests: a fixed token and admin, whatever the developer's environment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.config import Settings

TOKEN = "123456:TEST-token-0123456789abcdefghij"
ADMIN_ID = 9001


def make_settings(db_path: Path | str, **env: Any) -> Settings:
    """Settings independent of the developer's environment and .env file."""
    values: dict[str, Any] = {"TELEGRAM_BOT_TOKEN": TOKEN, "POSKO_DB_PATH": str(db_path),
                              "POSKO_ADMIN_IDS": str(ADMIN_ID),
                              # The status endpoints only where a test asks for them: tests
                              # run bots side by side, which would share the port.
                              "POSKO_STATUS_PORT": "0", "POSKO_DASHBOARD_PORT": "0"}
    values.update(env)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]
