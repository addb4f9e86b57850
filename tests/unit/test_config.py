"""Settings from the environment and .env: durations, lists, defaults, bad values.

One file, just over 300 lines: every case needs the same clean environment, which the
autouse fixture below gives only to this module.
"""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import ConfigError, Settings, load_settings, parse_duration, unknown_keys

ENV_KEYS = sorted(
    {str(field.alias) for field in Settings.model_fields.values() if field.alias}
    # Names a machine may well have set for other programs; none of them is ours.
    | {"LANGUAGE", "TIMEZONE", "LOG_LEVEL", "DB_PATH", "ADMIN_IDS", "SWEEP_INTERVAL"}
)
TOKEN = "123456789:AAH-test_token-0123456789abcdefghi"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No variable of the developer's shell and no .env of the checkout reaches a test."""
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
        monkeypatch.delenv(key.lower(), raising=False)
    monkeypatch.chdir(tmp_path)


def settings() -> Settings:
    return load_settings(_env_file=None)


def config_error(monkeypatch: pytest.MonkeyPatch, key: str, value: str) -> str:
    monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError) as info:
        settings()
    message = str(info.value)
    assert "\n" not in message
    return message


# --- durations -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90", timedelta(seconds=90)),
        ("0.5", timedelta(seconds=0.5)),
        (" 90 ", timedelta(seconds=90)),
        ("15m", timedelta(minutes=15)),
        ("15M", timedelta(minutes=15)),
        ("2h", timedelta(hours=2)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("45s", timedelta(seconds=45)),
        ("7d", timedelta(days=7)),
        ("1d2h3m4s", timedelta(days=1, hours=2, minutes=3, seconds=4)),
        ("PT15M", timedelta(minutes=15)),
        ("pt15m", timedelta(minutes=15)),
        ("P7D", timedelta(days=7)),
        ("P1DT2H", timedelta(days=1, hours=2)),
        ("PT1H30M", timedelta(hours=1, minutes=30)),
        ("PT1.5S", timedelta(seconds=1.5)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text", ["", "   ", "x", "-5", "15 minutes", "1.5h", "m", "h30", "P", "PT", "P1W", "PT15",
             "15m30", "1h 30m"],
)
def test_parse_duration_errors(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["99999999999d", "9" * 400, "PT99999999999999H"])
def test_parse_duration_too_long(text: str) -> None:
    with pytest.raises(ValueError, match="too long"):
        parse_duration(text)


# --- settings from the environment ---------------------------------------------------------


def test_defaults() -> None:
    s = settings()
    assert s.escalation_steps == [timedelta(minutes=15), timedelta(minutes=30)]
    assert s.unattended_grace == timedelta(minutes=15)
    assert s.sweep_interval == timedelta(seconds=60)
    assert s.presence_confirm_every == timedelta(hours=3)
    assert s.presence_confirm_timeout == timedelta(minutes=30)
    assert s.location_max_age == timedelta(minutes=1)
    assert s.location_retention == timedelta(days=90)
    assert s.digest_time == time(20, 0)
    assert s.language == "id"
    assert s.timezone == "Asia/Jakarta"
    assert str(s.tz) == "Asia/Jakarta"
    assert s.telegram_api_base_url == "https://api.telegram.org/bot"
    assert s.admin_ids == []
    assert s.telegram_bot_token == ""
    assert (s.backup_dir, s.backup_every, s.backup_keep) == ("", timedelta(hours=6), 28)


def test_escalation_steps_in_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSKO_ESCALATION_STEPS", "5,12")
    assert settings().escalation_steps == [timedelta(seconds=5), timedelta(seconds=12)]


def test_escalation_steps_short_form(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSKO_ESCALATION_STEPS", "15m, 30m")
    assert settings().escalation_steps == [timedelta(minutes=15), timedelta(minutes=30)]


def test_escalation_steps_iso(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSKO_ESCALATION_STEPS", "PT10M,PT1H")
    assert settings().escalation_steps == [timedelta(minutes=10), timedelta(hours=1)]


def test_admin_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSKO_ADMIN_IDS", "1,2")
    assert settings().admin_ids == [1, 2]
    monkeypatch.setenv("POSKO_ADMIN_IDS", " 111111 , 222222 ")
    assert settings().admin_ids == [111111, 222222]


def test_other_values_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSKO_TIMEZONE", "Asia/Jayapura")
    monkeypatch.setenv("POSKO_LANGUAGE", "en")
    monkeypatch.setenv("POSKO_SWEEP_INTERVAL", "PT30S")
    monkeypatch.setenv("POSKO_UNATTENDED_GRACE", "90")
    monkeypatch.setenv("POSKO_PRESENCE_CONFIRM_EVERY", "2h")
    monkeypatch.setenv("POSKO_DIGEST_TIME", "19:30")
    monkeypatch.setenv("POSKO_DB_PATH", "/srv/posko/posko.db")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot")
    s = settings()
    assert s.timezone == "Asia/Jayapura"
    assert s.language == "en"
    assert s.sweep_interval == timedelta(seconds=30)
    assert s.unattended_grace == timedelta(seconds=90)
    assert s.presence_confirm_every == timedelta(hours=2)
    assert s.digest_time == time(19, 30)
    assert s.db_path == "/srv/posko/posko.db"
    assert s.telegram_api_base_url == "http://127.0.0.1:8081/bot"


def test_unrelated_variables_with_our_field_names_are_ignored(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # LANGUAGE is set by most Linux desktops (en_US:en); only POSKO_LANGUAGE is ours.
    monkeypatch.setenv("LANGUAGE", "en_US:en")
    monkeypatch.setenv("TIMEZONE", "Mars/Base")
    monkeypatch.setenv("LOG_LEVEL", "chatty")
    monkeypatch.setenv("DB_PATH", "/elsewhere.db")
    s = settings()
    assert s.language == "id"
    assert s.timezone == "Asia/Jakarta"
    assert s.log_level == "INFO"
    assert s.db_path == "posko.db"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("POSKO_ESCALATION_STEPS", "5,x"),
        ("POSKO_ESCALATION_STEPS", "15m,0"),
        ("POSKO_TIMEZONE", "Mars/Base"),
        ("POSKO_TIMEZONE", "../../etc/passwd"),
        ("POSKO_LANGUAGE", "fr"),
        ("POSKO_ADMIN_IDS", "abc"),
        ("POSKO_ADMIN_IDS", "1,two"),
        ("POSKO_SWEEP_INTERVAL", "0"),
        ("POSKO_SWEEP_INTERVAL", "soon"),
        ("POSKO_SWEEP_INTERVAL", "99999999999d"),
        ("POSKO_ESCALATION_STEPS", "15m,99999999999d"),
        ("POSKO_UNATTENDED_GRACE", "-5"),
        ("POSKO_PRESENCE_CONFIRM_TIMEOUT", "PT"),
        ("POSKO_DIGEST_TIME", "25:00"),
        ("POSKO_LOG_LEVEL", "chatty"),
        ("POSKO_BACKUP_EVERY", "0"),
        ("POSKO_BACKUP_EVERY", "daily"),
        ("POSKO_BACKUP_KEEP", "0"),
        ("POSKO_BACKUP_KEEP", "many"),
        ("TELEGRAM_API_BASE_URL", "api.telegram.org"),
        ("POSKO_HEARTBEAT_URL", "hc-ping.com/3f2a-uuid"),
        ("POSKO_HEARTBEAT_URL", "ftp://hc-ping.com/3f2a-uuid"),
        ("POSKO_STATUS_PORT", "70000"),
        ("POSKO_STATUS_LISTEN", " "),
        ("POSKO_DASHBOARD_PORT", "70000"),
        ("POSKO_DASHBOARD_PORT", "web"),
        ("POSKO_DASHBOARD_LISTEN", " "),
        ("POSKO_DASHBOARD_URL", "posko.example.org"),
        ("POSKO_DASHBOARD_URL", "https://posko.example.org/?x=1"),
        ("POSKO_MAP_TILES", "https://tile.example.org/tiles.png"),
        ("POSKO_MAP_TILES", "file:///srv/{z}/{x}/{y}.png"),
    ],
)
def test_bad_value_names_the_key(monkeypatch: pytest.MonkeyPatch, key: str, value: str) -> None:
    message = config_error(monkeypatch, key, value)
    assert message.startswith(f"{key}: ")
    assert len(message) > len(key) + 2  # says what is wrong, too


def test_bad_duration_message_quotes_the_value(monkeypatch: pytest.MonkeyPatch) -> None:
    message = config_error(monkeypatch, "POSKO_ESCALATION_STEPS", "5,x")
    assert "'x'" in message
    assert "Value error" not in message


def test_bad_timezone_message_quotes_the_value(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "Mars/Base" in config_error(monkeypatch, "POSKO_TIMEZONE", "Mars/Base")


def test_the_dashboard_address(monkeypatch: pytest.MonkeyPatch) -> None:
    s = settings()
    assert (s.dashboard_port, s.dashboard_base, s.dashboard_https) == (
        8080, "http://127.0.0.1:8080", False)
    monkeypatch.setenv("POSKO_DASHBOARD_PORT", "")
    assert settings().dashboard_port == 0  # empty: off
    monkeypatch.setenv("POSKO_DASHBOARD_PORT", "9000")
    monkeypatch.setenv("POSKO_DASHBOARD_LISTEN", "0.0.0.0")
    assert settings().dashboard_base == "http://127.0.0.1:9000"
    monkeypatch.setenv("POSKO_DASHBOARD_URL", "https://posko.example.org/")
    s = settings()
    assert (s.dashboard_base, s.dashboard_https) == ("https://posko.example.org", True)
    monkeypatch.setenv("POSKO_MAP_TILES", "")
    assert settings().map_tiles == ""  # no tiles at all


# --- the token -----------------------------------------------------------------------------


def test_require_token_accepts_a_bot_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    s = settings()
    s.require_token()
    assert s.telegram_bot_token == TOKEN


def test_require_token_missing() -> None:
    with pytest.raises(ConfigError, match=r"^TELEGRAM_BOT_TOKEN") as info:
        settings().require_token()
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("token", ["not-a-token", "987654", ":abc", "987654:", "98 76:abc",
                                   "987654:abc def"])
def test_require_token_malformed(monkeypatch: pytest.MonkeyPatch, token: str) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    s = settings()  # loading alone does not need a token (check-config, import-desks)
    with pytest.raises(ConfigError, match=r"^TELEGRAM_BOT_TOKEN") as info:
        s.require_token()
    assert token not in str(info.value)  # a near-miss token is still a secret


# --- .env ----------------------------------------------------------------------------------


def test_dotenv_in_the_working_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "# local settings\n"
        f"TELEGRAM_BOT_TOKEN={TOKEN}\n"
        "POSKO_ESCALATION_STEPS=5,12\n"
        "POSKO_LANGUAGE=en\n"
        "POSKO_ADMIN_IDS=7,8\n",
        encoding="utf-8",
    )
    s = load_settings()
    assert s.telegram_bot_token == TOKEN
    assert s.escalation_steps == [timedelta(seconds=5), timedelta(seconds=12)]
    assert s.language == "en"
    assert s.admin_ids == [7, 8]
    s.require_token()


def test_environment_wins_over_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("POSKO_LANGUAGE=en\n", encoding="utf-8")
    monkeypatch.setenv("POSKO_LANGUAGE", "id")
    assert load_settings().language == "id"


def test_bad_value_in_dotenv_names_the_key(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("POSKO_SWEEP_INTERVAL=0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^POSKO_SWEEP_INTERVAL: "):
        load_settings()


def test_dotenv_ignored_when_disabled(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("POSKO_LANGUAGE=en\n", encoding="utf-8")
    assert load_settings(_env_file=None).language == "id"


def test_a_misspelt_key_is_named_with_the_likely_one(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("POSKO_DIGEST_TIM=21:00\nPOSKO_DB_PATH=x.db\nOTHER_APP_KEY=1\n",
                        encoding="utf-8")
    warnings = unknown_keys(env_file, {"posko_escalaton_steps": "5m", "HOME": "/root",
                                       "POSKO_TIMEZONE": "Asia/Makassar"})
    assert warnings == [
        "POSKO_DIGEST_TIM is not a setting and is ignored; did you mean POSKO_DIGEST_TIME?",
        "POSKO_ESCALATON_STEPS is not a setting and is ignored; did you mean "
        "POSKO_ESCALATION_STEPS?"]


def test_known_keys_raise_no_warning(tmp_path: Path) -> None:
    aliases = {str(f.alias): "x" for f in Settings.model_fields.values() if f.alias}
    assert unknown_keys(tmp_path / "missing.env", aliases) == []


def test_the_cli_warns_about_an_unknown_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("POSKO_DB_PATH", str(tmp_path / "posko.db"))
    monkeypatch.setenv("POSKO_SWEEP_INTERVALL", "30")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["check-config"]) == 2  # no token; the warning comes first anyway
    err = capsys.readouterr().err
    assert "warning: POSKO_SWEEP_INTERVALL is not a setting" in err
    assert "did you mean POSKO_SWEEP_INTERVAL?" in err


def test_run_explains_a_second_process_polling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Telegram answers 409 Conflict when another process takes the updates."""
    from telegram.error import Conflict

    from bot.updates import polling

    async def conflicting(app: object) -> None:
        raise Conflict("terminated by other getUpdates request")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("POSKO_DB_PATH", str(tmp_path / "posko.db"))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789")
    monkeypatch.delenv("POSKO_WEBHOOK_URL", raising=False)
    monkeypatch.setattr(polling, "run", conflicting)
    assert main(["run"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("posko-bot: another process is receiving this bot's updates")
