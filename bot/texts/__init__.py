"""Message catalogs and the formatting of times, distances and durations for users.

Every user-facing string comes from here, from one module per feature that holds its texts in
both languages side by side. ``t`` HTML-escapes every argument, so names and desk names from CSV
files or Telegram profiles can never break (or inject into) the markup.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from types import ModuleType
from zoneinfo import ZoneInfo

from bot.texts import (
    alerts,
    board,
    checkin,
    common,
    dashboard,
    digest,
    exports,
    general,
    incidents,
    invites,
    members,
    onboarding,
    pledge,
    presence,
    relocation,
    report,
    risks,
    status,
    subscriptions,
    throttle,
)

# Every module of the package, each with ``ID`` and ``EN``: one left out here holds texts that
# ``t`` never finds.
FEATURES: tuple[ModuleType, ...] = (
    common, onboarding, invites, checkin, presence, status, general, alerts, board, report,
    incidents, digest, exports, subscriptions, members, throttle, pledge, dashboard, relocation,
    risks,
)


def build_catalogs(features: tuple[ModuleType, ...]) -> dict[str, dict[str, str]]:
    """Each language's catalog merged from ``features``; a key defined twice is an error.

    Merging silently would let one module's text shadow another's, so the clash fails at import.
    """
    catalogs: dict[str, dict[str, str]] = {"id": {}, "en": {}}
    owners: dict[str, str] = {}
    for feature in features:
        for lang, texts in (("id", feature.ID), ("en", feature.EN)):
            for key, text in texts.items():
                owner = owners.setdefault(key, feature.__name__)
                if owner != feature.__name__:
                    raise ValueError(f"text key {key!r} is defined in both {owner} and "
                                     f"{feature.__name__}")
                catalogs[lang][key] = text
    return catalogs


CATALOGS = build_catalogs(FEATURES)
LANGUAGES = tuple(CATALOGS)
_ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA",
               "Asia/Jayapura": "WIT"}


class Markup(str):
    """A value that is already safe HTML (built with escaping), inserted as is by :func:`t`."""

    __slots__ = ()


def t(lang: str, key: str, **values: object) -> str:
    """The text ``key`` in ``lang`` (falling back to Indonesian) with escaped values."""
    template = CATALOGS.get(lang, CATALOGS["id"]).get(key) or CATALOGS["id"][key]
    if not values and "{" not in template:  # most button labels: nothing to format
        return template
    return template.format(**{k: v if isinstance(v, Markup) else html.escape(str(v), quote=False)
                              for k, v in values.items()})


_TAG = re.compile(r"<[^>]+>")


def role_name(lang: str, role: str, agency: str | None = None) -> str:
    """A role as members read it; a liaison's with the agency's name (``Mitra (Bawaslu)``)."""
    name = t(lang, f"role.{role}")
    return f"{name} ({agency})" if agency else name


def plain_text(text: str) -> str:
    """A catalog text without its HTML: tags go, escaped values read as typed (``&amp;``)."""
    return html.unescape(_TAG.sub("", text))


def zone_name(tz: ZoneInfo) -> str:
    """WIB/WITA/WIT for Indonesia's zones, else the zone's own abbreviation."""
    return _ZONE_NAMES.get(tz.key) or datetime.now(tz).tzname() or tz.key


def fmt_clock(lang: str, hour: int, minute: int) -> str:
    """``14.05`` in Indonesian (a period between hours and minutes), ``14:05`` in English."""
    # Fields, not strftime: every check-in, check-out and /status receipt words a time.
    return t(lang, "unit.clock", h=f"{hour:02d}", m=f"{minute:02d}")


def fmt_time(lang: str, moment: datetime, tz: ZoneInfo, now: datetime | None = None) -> str:
    """``14.05 WIB``, with the date (``21/11 20.00 WIB``) when not on the same local day."""
    local = moment.astimezone(tz)
    text = f"{fmt_clock(lang, local.hour, local.minute)} {zone_name(tz)}"
    if now is not None and now.astimezone(tz).date() != local.date():
        text = f"{local.day:02d}/{local.month:02d} {text}"
    return text


def fmt_until(lang: str, end: datetime, tz: ZoneInfo, now: datetime) -> str:
    """The end of a duty window: ``24.00 WIB`` for one ending at the midnight after ``now``'s
    local day (not ``02/12 00.00``, which reads as the wrong day), else as :func:`fmt_time`."""
    local = end.astimezone(tz)
    if (local.hour, local.minute) == (0, 0) and (
            local.date() - now.astimezone(tz).date()).days == 1:
        return f"{fmt_clock(lang, 24, 0)} {zone_name(tz)}"
    return fmt_time(lang, end, tz, now)


def fmt_datetime(lang: str, moment: datetime, tz: ZoneInfo) -> str:
    """``22/11/2026 14.05 WIB``."""
    local = moment.astimezone(tz)
    return f"{local:%d/%m/%Y} {fmt_clock(lang, local.hour, local.minute)} {zone_name(tz)}"


def fmt_count(lang: str, count: int) -> str:
    """``6.612`` in Indonesian, ``6,612`` in English (counts run into thousands)."""
    text = f"{count:,}"
    return text.replace(",", ".") if lang == "id" else text


def fmt_distance(lang: str, metres: float) -> str:
    """``85 m`` or ``2,1 km`` (decimal comma in Indonesian)."""
    if metres < 1000:
        return t(lang, "unit.m", n=round(metres))
    km = f"{metres / 1000:.1f}" if metres < 100_000 else f"{metres / 1000:.0f}"
    return t(lang, "unit.km", n=km.replace(".", ",") if lang == "id" else km)


def fmt_duration(lang: str, span: timedelta) -> str:
    """``2 jam 5 menit`` / ``45 menit`` / ``kurang dari 1 menit`` (not "0 menit")."""
    minutes = max(0, int(span.total_seconds() // 60))
    if minutes == 0:
        return t(lang, "unit.under_min")
    hours, minutes = divmod(minutes, 60)
    if hours:
        return t(lang, "unit.hm", h=hours, m=minutes)
    return t(lang, "unit.min", m=minutes)


def fmt_seconds(lang: str, span: timedelta) -> str:
    """A short duration for limits: ``60 detik``."""
    return t(lang, "unit.sec", n=int(span.total_seconds()))
