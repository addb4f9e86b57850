"""Pydantic records read from the store, and the one way time crosses the database boundary.

Every datetime in the program is timezone-aware. It is written as UTC text by :func:`to_db`
and read back aware by :func:`from_db`; nothing else formats or parses stored times.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Self
from zoneinfo import ZoneInfo

from pydantic import BaseModel, BeforeValidator, ConfigDict


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


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


class EndReason(StrEnum):
    """Why a shift ended."""

    MANUAL = "manual"
    PRESENCE_TIMEOUT = "presence_timeout"
    DUTY_END = "duty_end"
    HANDOVER = "handover"
    ADMIN = "admin"


def _stored_time(value: Any) -> Any:
    return from_db(value) if isinstance(value, str) else value


# A stored time field. Only these fields get a Python validator: the others are checked by
# pydantic's compiled core, which keeps building a record from a row cheap (one per update).
StoredTime = Annotated[datetime, BeforeValidator(_stored_time)]


class Record(BaseModel):
    """Base of the stored records: immutable, built from a ``sqlite3.Row``."""

    model_config = ConfigDict(frozen=True)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Self:
        """Build the record from a row whose column names match the fields."""
        return cls.model_validate({key: row[key] for key in row.keys()})  # noqa: SIM118


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


class Invite(Record):
    """An invitation to register at a desk with a role."""

    id: int
    desk_id: int
    role: Role
    max_uses: int
    uses: int
    expires_at: StoredTime
    revoked_at: StoredTime | None


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
