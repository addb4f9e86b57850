"""Settings from the environment and ``.env``, validated once at start-up.

Durations accept plain seconds (``90``), a short form (``15m``, ``2h``, ``1h30m``, ``7d``) or
ISO-8601 (``PT15M``, ``P7D``); lists are comma-separated. A bad value raises
:class:`ConfigError` with one line naming the key.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from datetime import time, timedelta
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values
from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from scheduler.weekly import parse_weekly
from storage.incidents import CATEGORIES
from storage.rules.agencies import Routing, parse_agencies, routing
from storage.rules.risk import DEFAULT_RULES, RiskRule, parse_rules

_SHORT = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_ISO = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


class ConfigError(Exception):
    """A setting is missing or invalid; the message is one line naming the key."""


def parse_duration(text: str) -> timedelta:
    """``90`` / ``15m`` / ``1h30m`` / ``7d`` / ``PT15M`` → timedelta; ValueError otherwise."""
    try:
        return _parse_duration(text)
    except OverflowError:
        # Beyond timedelta's range (or a number float() makes infinite): a typo that must end
        # as a one-line ConfigError naming the key, not as a traceback at start-up.
        raise ValueError(f"'{text}' is too long for a duration") from None


def _parse_duration(text: str) -> timedelta:
    value = text.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return timedelta(seconds=float(value))
    short = _SHORT.match(value.lower())
    if value and short and any(short.groups()):
        d, h, m, s = (int(g or 0) for g in short.groups())
        return timedelta(days=d, hours=h, minutes=m, seconds=s)
    iso = _ISO.match(value.upper())
    if value and iso and any(iso.groups()):
        d, h, m = (int(g or 0) for g in iso.groups()[:3])
        return timedelta(days=d, hours=h, minutes=m, seconds=float(iso.group(4) or 0))
    raise ValueError(f"'{text}' is not a duration (examples: 90, 15m, 2h, PT15M)")


def _duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float):
        return timedelta(seconds=value)
    return parse_duration(str(value))


def _items(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    return [part.strip() for part in str(value).split(",") if part.strip()]


Duration = Annotated[timedelta, NoDecode]


PLEDGE_MAX = 3500  # characters of the pledge text (a message holds 4,096 with the heading)
# A bot token is "<bot id>:<secret>"; only the shape is checked here, Telegram says the rest.
TOKEN_SHAPE = re.compile(r"\d+:[\w-]+")

class Settings(BaseSettings):
    """Every tunable of the bot; ``.env.example`` documents each key."""

    # Only the documented keys (the aliases) are read. With populate_by_name, pydantic-settings
    # would also read each bare field name from the environment, so a desktop's ordinary
    # LANGUAGE=en_US:en (or a stray TIMEZONE, LOG_LEVEL, DB_PATH) would override or break
    # the POSKO_* settings.
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8",
                                      extra="ignore")

    telegram_bot_token: str = Field("", alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str = Field("https://api.telegram.org/bot",
                                       alias="TELEGRAM_API_BASE_URL")
    db_path: str = Field("posko.db", alias="POSKO_DB_PATH")
    db_busy_timeout: Duration = Field(timedelta(seconds=10), alias="POSKO_DB_BUSY_TIMEOUT")
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list,
                                                       alias="POSKO_ADMIN_IDS")
    timezone: str = Field("Asia/Jakarta", alias="POSKO_TIMEZONE")
    language: str = Field("id", alias="POSKO_LANGUAGE")
    location_max_age: Duration = Field(timedelta(minutes=1), alias="POSKO_LOCATION_MAX_AGE")
    # Only a live location proves presence (a one-shot one may be a pin placed on the map).
    require_live_location: bool = Field(False, alias="POSKO_REQUIRE_LIVE_LOCATION")
    invite_ttl: Duration = Field(timedelta(days=7), alias="POSKO_INVITE_TTL")
    unattended_grace: Duration = Field(timedelta(minutes=15), alias="POSKO_UNATTENDED_GRACE")
    escalation_steps: Annotated[list[timedelta], NoDecode] = Field(
        default_factory=lambda: [timedelta(minutes=15), timedelta(minutes=30)],
        alias="POSKO_ESCALATION_STEPS")
    # Risk areas: how each desk label tightens duty (storage.rules.risk.parse_rules).
    risk_rules: Annotated[dict[str, RiskRule], NoDecode] = Field(
        default_factory=lambda: parse_rules(DEFAULT_RULES, parse_duration),
        alias="POSKO_RISK_RULES")
    sweep_interval: Duration = Field(timedelta(seconds=60), alias="POSKO_SWEEP_INTERVAL")
    presence_confirm_every: Duration = Field(timedelta(hours=3),
                                             alias="POSKO_PRESENCE_CONFIRM_EVERY")
    presence_confirm_timeout: Duration = Field(timedelta(minutes=30),
                                               alias="POSKO_PRESENCE_CONFIRM_TIMEOUT")
    digest_time: time = Field(time(20, 0), alias="POSKO_DIGEST_TIME")
    # The weekly report to kabupaten/kota and provinsi (scheduler.weekly): a day and a time,
    # desk-local; "off" turns it off.
    weekly_report_day: str = Field("senin 08:00", alias="POSKO_WEEKLY_REPORT_DAY")
    location_retention: Duration = Field(timedelta(days=90), alias="POSKO_LOCATION_RETENTION")
    log_level: str = Field("INFO", alias="POSKO_LOG_LEVEL")
    # Scheduled backups (scheduler.backup); an empty directory turns them off.
    backup_dir: str = Field("", alias="POSKO_BACKUP_DIR")
    backup_every: Duration = Field(timedelta(hours=6), alias="POSKO_BACKUP_EVERY")
    backup_keep: int = Field(28, ge=1, le=100_000, alias="POSKO_BACKUP_KEEP")
    # Webhook mode when the URL is set, long polling otherwise. The secret is validated even
    # when absent (validate_default) because the URL makes it required.
    webhook_url: str = Field("", alias="POSKO_WEBHOOK_URL")
    webhook_secret: str = Field("", alias="POSKO_WEBHOOK_SECRET", validate_default=True)
    webhook_listen: str = Field("127.0.0.1", alias="POSKO_WEBHOOK_LISTEN")
    webhook_port: int = Field(8443, ge=1, le=65535, alias="POSKO_WEBHOOK_PORT")
    # The operators' endpoints (/healthz, /readyz, /metrics: bot.ops); port 0 turns them off.
    status_listen: str = Field("127.0.0.1", alias="POSKO_STATUS_LISTEN")
    status_port: int = Field(9180, ge=0, le=65535, alias="POSKO_STATUS_PORT")
    heartbeat_url: str = Field("", alias="POSKO_HEARTBEAT_URL")
    # The situation room in a browser (bot.dashboard); an empty port or 0 turns it off.
    dashboard_listen: str = Field("127.0.0.1", alias="POSKO_DASHBOARD_LISTEN")
    dashboard_port: int = Field(8080, ge=0, le=65535, alias="POSKO_DASHBOARD_PORT")
    # Its public address behind a reverse proxy; empty: http://LISTEN:PORT/.
    dashboard_url: str = Field("", alias="POSKO_DASHBOARD_URL")
    map_tiles: str = Field("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                           alias="POSKO_MAP_TILES")
    map_attribution: str = Field("© OpenStreetMap contributors",
                                 alias="POSKO_MAP_ATTRIBUTION")
    # The neutrality pledge officers and supervisors must confirm (bot.views.pledge): a UTF-8
    # text file in Indonesian, and optionally one in English; empty means no pledge.
    pledge_file: str = Field("", alias="POSKO_PLEDGE_FILE")
    pledge_file_en: str = Field("", alias="POSKO_PLEDGE_FILE_EN")
    # Partner agencies beyond the six built in, and changes to which agencies get which report
    # category (storage.rules.agencies has the defaults and the syntax).
    agencies: str = Field("", alias="POSKO_AGENCIES")
    report_routes: str = Field("", alias="POSKO_REPORT_ROUTES")

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _admins(cls, value: Any) -> list[int]:
        items = _items(value)
        if not all(re.fullmatch(r"-?\d+", str(item)) for item in items):
            raise ValueError("must be Telegram user ids (numbers) separated by commas")
        return [int(item) for item in items]

    @field_validator("escalation_steps", mode="before")
    @classmethod
    def _steps(cls, value: Any) -> list[timedelta]:
        steps = [_duration(item) for item in _items(value)]
        if any(step <= timedelta(0) for step in steps):
            raise ValueError("every step must be longer than zero")
        return steps

    @field_validator("risk_rules", mode="before")
    @classmethod
    def _risk_rules(cls, value: Any) -> Any:
        return parse_rules(value, parse_duration) if isinstance(value, str) else value

    @field_validator("location_max_age", "invite_ttl", "unattended_grace", "sweep_interval",
                     "presence_confirm_every", "presence_confirm_timeout",
                     "location_retention", "db_busy_timeout", "backup_every", mode="before")
    @classmethod
    def _durations(cls, value: Any) -> timedelta:
        duration = _duration(value)
        if duration <= timedelta(0):
            raise ValueError("must be longer than zero")
        return duration

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not an IANA time zone like Asia/Jakarta") from None
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if value not in ("id", "en"):
            raise ValueError("must be 'id' or 'en'")
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http(s) URL like https://api.telegram.org/bot")
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return value.upper()

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str) -> str:
        value = value.strip()
        if value:
            parts = urlsplit(value)
            if (parts.scheme not in ("http", "https") or not parts.hostname
                    or re.search(r"\s", value)):
                raise ValueError("must be empty (long polling) or the public http(s) URL "
                                 "Telegram posts updates to, like https://bot.example.org/hook")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: str, info: ValidationInfo) -> str:
        # Never quote the value: it is a secret.
        if not value and info.data.get("webhook_url"):
            raise ValueError("is required with POSKO_WEBHOOK_URL: 1-256 characters A-Z, a-z, "
                             "0-9, _ and -")
        if value and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
            raise ValueError("must be 1-256 characters A-Z, a-z, 0-9, _ and - (Telegram's "
                             "rule for secret_token)")
        return value

    @field_validator("dashboard_port", mode="before")
    @classmethod
    def _dashboard_port(cls, value: Any) -> Any:
        return 0 if isinstance(value, str) and not value.strip() else value

    @field_validator("dashboard_url")
    @classmethod
    def _dashboard_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value:
            parts = urlsplit(value)
            if (parts.scheme not in ("http", "https") or not parts.hostname
                    or re.search(r"\s", value) or parts.query or parts.fragment):
                raise ValueError("must be empty or the public http(s) address of the "
                                 "dashboard, like https://posko.example.org")
        return value

    @field_validator("map_tiles")
    @classmethod
    def _map_tiles(cls, value: str) -> str:
        value = value.strip()
        if value and (urlsplit(value).scheme not in ("http", "https")
                      or not all(part in value for part in ("{z}", "{x}", "{y}"))):
            raise ValueError("must be empty (no tiles) or a tile URL with {z}, {x} and {y}, "
                             "like https://tile.openstreetmap.org/{z}/{x}/{y}.png")
        return value

    @field_validator("webhook_listen", "status_listen", "dashboard_listen")
    @classmethod
    def _webhook_listen(cls, value: str) -> str:
        value = value.strip()
        if not value or re.search(r"\s", value):
            raise ValueError("must be an address to listen on, like 127.0.0.1 or 0.0.0.0")
        return value

    @field_validator("pledge_file", "pledge_file_en")
    @classmethod
    def _pledge_file(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return value
        try:
            text = Path(value).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"cannot read {value}: {getattr(exc, 'strerror', None) or exc}"
                             ) from None
        if not text:
            raise ValueError(f"{value} is empty")
        if len(text) > PLEDGE_MAX:
            raise ValueError(f"{value} has {len(text)} characters; at most {PLEDGE_MAX}, so "
                             "that it fits one Telegram message with its heading")
        return value

    @field_validator("pledge_file_en")
    @classmethod
    def _pledge_in_indonesian_first(cls, value: str, info: ValidationInfo) -> str:
        if value and not info.data.get("pledge_file"):
            raise ValueError("an English pledge needs the Indonesian one in POSKO_PLEDGE_FILE")
        return value

    @field_validator("weekly_report_day")
    @classmethod
    def _weekly(cls, value: str) -> str:
        parse_weekly(value)  # raises what is wrong
        return value

    @property
    def weekly_at(self) -> tuple[int, time] | None:
        """The weekly report's weekday (Monday 0) and local time; None: no weekly report."""
        return parse_weekly(self.weekly_report_day)

    @field_validator("agencies")
    @classmethod
    def _agencies(cls, value: str) -> str:
        parse_agencies(value)  # raises what is wrong
        return value

    @field_validator("report_routes")
    @classmethod
    def _report_routes(cls, value: str, info: ValidationInfo) -> str:
        if "agencies" in info.data:  # else POSKO_AGENCIES failed, and is the error to show
            routing(info.data["agencies"], value, CATEGORIES)
        return value

    @cached_property
    def routing(self) -> Routing:
        """The partner agencies and which of them get each report category."""
        return routing(self.agencies, self.report_routes, CATEGORIES)

    @field_validator("heartbeat_url")
    @classmethod
    def _heartbeat_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and urlsplit(value).scheme not in ("http", "https"):
            raise ValueError("must be an http:// or https:// URL, like "
                             "https://hc-ping.com/your-check-uuid")
        return value

    @field_validator("backup_dir")
    @classmethod
    def _backup_dir(cls, value: str) -> str:
        return value.strip()

    @property
    def webhook_path(self) -> str:
        """The path part of ``POSKO_WEBHOOK_URL``: where the webhook server takes updates."""
        return urlsplit(self.webhook_url).path or "/"

    @property
    def dashboard_base(self) -> str:
        """Where members open the dashboard: ``POSKO_DASHBOARD_URL``, else the address it
        listens on (a wildcard address read as this machine)."""
        if self.dashboard_url:
            return self.dashboard_url
        host = self.dashboard_listen
        host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.dashboard_port}"

    @property
    def dashboard_https(self) -> bool:
        """Whether members reach the dashboard over https (secure cookies, the Mini App)."""
        return self.dashboard_base.startswith("https://")

    @property
    def tz(self) -> ZoneInfo:
        """The installation's default zone."""
        return ZoneInfo(self.timezone)

    def require_token(self) -> None:
        """Raise unless a plausible bot token is configured (needed only to run the bot)."""
        if not self.telegram_bot_token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set (put it in .env, see .env.example)")
        if not TOKEN_SHAPE.fullmatch(self.telegram_bot_token):
            raise ConfigError("TELEGRAM_BOT_TOKEN does not look like a bot token (123456:ABC...)")


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, turning validation errors into a one-line :class:`ConfigError`."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "?"
        key = Settings.model_fields[field].alias if field in Settings.model_fields else field
        message = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{key}: {message}") from None


def unknown_keys(env_file: str | Path = ".env",
                 environ: Mapping[str, str] | None = None) -> list[str]:
    """Warnings for ``POSKO_*`` keys (in the environment or ``env_file``) that no setting reads.

    Settings ignore unknown keys so that ``.env`` can hold other programs' keys too; a
    misspelt ``POSKO_`` key would otherwise leave its setting at the default without a word.
    """
    known = {str(field.alias) for field in Settings.model_fields.values() if field.alias}
    keys = {key.upper() for key in (os.environ if environ is None else environ)}
    if Path(env_file).is_file():
        keys |= {key.upper() for key in dotenv_values(env_file)}
    warnings = []
    for key in sorted(k for k in keys if k.startswith("POSKO_") and k not in known):
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        warnings.append(f"{key} is not a setting and is ignored{hint}")
    return warnings
