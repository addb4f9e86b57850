"""Pydantic records read from the store, and the one way time crosses the database boundary.

These records validate what they read, one row at a time; the light records read in bulk are
dataclasses (:mod:`storage.records`). Both are built from a row by column name.

Every datetime in the program is timezone-aware. It is written as UTC text by :func:`to_db`
and read back aware by :func:`from_db`; nothing else formats or parses stored times.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Self
from zoneinfo import ZoneInfo

from pydantic import BaseModel, BeforeValidator, ConfigDict

from storage.records import Convert, named_columns


def _wall_clock() -> datetime:
    return datetime.now(UTC)


# Every part of the program asks utcnow() for the time; a rehearsal (bot.rehearsal) puts its
# simulated clock here, so handlers, jobs and renderers all live in the same simulated minute.
_clock: Callable[[], datetime] = _wall_clock


def utcnow() -> datetime:
    """The current time, aware, in UTC (the wall clock, unless :func:`set_clock` changed it)."""
    return _clock()


def set_clock(clock: Callable[[], datetime] | None) -> None:
    """Make :func:`utcnow` answer with ``clock`` (aware UTC datetimes); None: the wall clock."""
    global _clock
    _clock = clock or _wall_clock


def to_db(moment: datetime) -> str:
    """Stored form of an aware datetime (naive ones are a programming error)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    # isoformat with fixed microseconds is fixed width, so text order is time order.
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def from_db(text: str) -> datetime:
    """Aware UTC datetime from its stored form."""
    return datetime.fromisoformat(text)


class Level(StrEnum):
    """Administrative level of a desk, top-down."""

    PROVINSI = "provinsi"
    KABUPATEN_KOTA = "kabupaten_kota"
    KECAMATAN = "kecamatan"
    KELURAHAN_DESA = "kelurahan_desa"

    @property
    def depth(self) -> int:
        """0 for provinsi … 3 for kelurahan/desa."""
        return list(Level).index(self)


class Role(StrEnum):
    """What a member may do."""

    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    # A liaison of a partner agency (KPU, Bawaslu, Polri, ...): gets and follows up the reports
    # of its agency in its scope; sees no presence data (storage.rules.agencies).
    PARTNER = "partner"


class EndReason(StrEnum):
    """Why a shift ended."""

    MANUAL = "manual"
    PRESENCE_TIMEOUT = "presence_timeout"
    DUTY_END = "duty_end"
    HANDOVER = "handover"
    ADMIN = "admin"


def _stored_time(value: Any) -> Any:
    return from_db(value) if isinstance(value, str) else value


# A stored time field, for both kinds of record: the validator is the pydantic models', the
# conversion the light records' (storage.records). Only these fields get a Python validator: the
# others are checked by pydantic's compiled core, which keeps building a model from a row cheap
# (one per update).
StoredTime = Annotated[datetime, BeforeValidator(_stored_time), Convert(from_db)]


class Record(BaseModel):
    """Base of the validated records: immutable, built from a ``sqlite3.Row`` by column name.

    A field without its column, or a column without its field, fails validation.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    @classmethod
    def from_row(cls, row: sqlite3.Row, prefix: str = "") -> Self:
        """Build the record from a row whose columns are named as its fields.

        With a ``prefix`` the row holds more than this record (a join): the record reads the
        columns named ``prefix + field`` and leaves the rest alone.
        """
        names, pick = named_columns(tuple(row.keys()), prefix)
        return cls.model_validate(dict(zip(names, pick(row), strict=True)))


class Desk(Record):
    """A posko of one administrative unit."""

    id: int
    code: str
    name: str
    level: Level
    parent_id: int | None
    path: str
    latitude: float | None
    longitude: float | None
    timezone: str
    radius_m: int
    min_staff: int
    duty_hours: str

    @property
    def tz(self) -> ZoneInfo:
        """The desk's IANA time zone."""
        return ZoneInfo(self.timezone)

    @property
    def has_location(self) -> bool:
        """Whether check-ins can be verified against coordinates."""
        return self.latitude is not None and self.longitude is not None


class Member(Record):
    """A registered Telegram user."""

    telegram_id: int
    full_name: str
    username: str | None
    desk_id: int | None
    role: Role
    language: str | None
    active: bool
    agency: str | None = None  # a partner's agency (storage.rules.agencies)


class Invite(Record):
    """An invitation to register at a desk with a role."""

    id: int
    desk_id: int
    role: Role
    max_uses: int
    uses: int
    expires_at: StoredTime
    revoked_at: StoredTime | None
    agency: str | None = None  # for a partner's invite


class Shift(Record):
    """A stretch of duty of one member at one desk."""

    id: int
    member_id: int
    desk_id: int
    started_at: StoredTime
    ended_at: StoredTime | None
    end_reason: EndReason | None
    latitude: float | None
    longitude: float | None
    distance_m: float
    accuracy_m: float | None
    live_until: StoredTime | None
    last_seen_at: StoredTime
    outside_since: StoredTime | None
    update_id: int | None
