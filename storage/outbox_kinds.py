"""What the outbox can say: every kind of intent, the payload each carries, and their stored form.

A row stores its kind as text and its payload as a JSON object of plain ids. Each kind has one
payload type (:func:`payload_type`); a payload's JSON is its fields by name, written and read
back by :class:`OutboxPayload` with every field checked, so a damaged row, or one written by a
newer version, raises :class:`OutboxFormatError` where it is read rather than somewhere inside a
renderer. Keys the payload type does not know are ignored, and a field that may be absent in
rows of earlier versions is optional (None when missing), so rows already queued stay readable.
"""

from __future__ import annotations

import json
import types
from contextlib import suppress
from dataclasses import Field, dataclass, fields
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Self, assert_never, get_args, get_origin, get_type_hints

from storage.models import from_db, to_db


class OutboxFormatError(ValueError):
    """A stored row this version cannot read: an unknown kind or a malformed payload."""


class OutboxKind(StrEnum):
    """The kinds of intent; the values are what the ``outbox.kind`` column holds."""

    ALERTS = "alerts"  # the alerts of one sweep for one chat, with their buttons
    ALERT_UPDATE = "alert_update"  # an "alerts" message edited in place (someone took one)
    ALERTS_RESOLVED = "alerts_resolved"  # "Peringatan selesai"
    PRESENCE_CHECK = "presence_check"  # "Masih bertugas di posko?"
    SHIFT_CLOSED = "shift_closed"  # the officer's shift was closed for them
    INCIDENT = "incident"  # a report as supervisors and groups receive it
    INCIDENT_MEDIA = "incident_media"  # one album of a report's attachments
    INCIDENT_UPDATE = "incident_update"  # an "incident" message edited after a status change
    INCIDENT_STATUS = "incident_status"  # the reporter told what happened to their report
    TPS_MOVED = "tps_moved"  # a report's TPS moved: where to, why, when
    DIGEST = "digest"  # the daily digest text
    DIGEST_CHART = "digest_chart"  # its chart, as a photo
    WEEKLY = "weekly"  # the weekly report's text
    WEEKLY_CHART = "weekly_chart"  # its chart, as a photo
    WEEKLY_FILE = "weekly_file"  # the week's export, as an XLSX document
    MEMBER_CHANGED = "member_changed"  # a member told they were moved, removed or re-roled


class OutboxPayload:
    """Base of the payload types (frozen dataclasses): stored as a JSON object of their fields.

    A field is an int, a str, a datetime, a tuple of one of those, or one of these or None.
    """

    __slots__ = ()
    # Set by @dataclass on each payload type; declared so that fields() accepts any of them.
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    def to_json(self) -> dict[str, Any]:
        """The JSON object stored in ``outbox.payload``."""
        return {name: _dump(getattr(self, name)) for name, _ in _schema(type(self))}

    @classmethod
    def from_json(cls, data: object) -> Self:
        """Read a stored JSON object back, checking every field."""
        if not isinstance(data, dict):
            raise OutboxFormatError(f"{cls.__name__}: expected a JSON object, got {data!r}")
        return cls(**{name: _load(data.get(name), hint, f"{cls.__name__}.{name}")
                      for name, hint in _schema(cls)})


@dataclass(frozen=True, slots=True)
class AlertsPayload(OutboxPayload):
    """``alerts``, ``alerts_resolved``: alert ids, ascending."""

    alerts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class EditPayload(OutboxPayload):
    """``alert_update``, ``incident_update``: the outbox row whose message is edited."""

    target: int


@dataclass(frozen=True, slots=True)
class PresenceCheckPayload(OutboxPayload):
    """``presence_check``: the question and the shift it is about."""

    check: int
    shift: int


@dataclass(frozen=True, slots=True)
class ShiftClosedPayload(OutboxPayload):
    """``shift_closed``: the shift and why it ended (an ``EndReason`` value)."""

    shift: int
    reason: str


@dataclass(frozen=True, slots=True)
class IncidentPayload(OutboxPayload):
    """``incident``: the report."""

    incident: int


@dataclass(frozen=True, slots=True)
class IncidentMediaPayload(OutboxPayload):
    """``incident_media``: the report and the attachment kinds of its album."""

    incident: int
    kinds: tuple[str, ...] | None = None  # None in rows queued before albums were split


@dataclass(frozen=True, slots=True)
class IncidentStatusPayload(OutboxPayload):
    """``incident_status``: the report and the status it reached (``diteruskan``: handed to
    ``agency``)."""

    incident: int
    status: str
    agency: str | None = None


@dataclass(frozen=True, slots=True)
class DigestPayload(OutboxPayload):
    """``digest``, ``digest_chart``: the scope (None for everything) and the day's end."""

    desk: int | None
    end: datetime


@dataclass(frozen=True, slots=True)
class MemberChangedPayload(OutboxPayload):
    """``member_changed``: what changed (``moved``, ``removed``, ``role``), the member's desk
    and role after it, and the shift it ended, if any."""

    change: str
    desk: int
    role: str
    shift: int | None = None


def payload_type(kind: OutboxKind) -> type[OutboxPayload]:
    """The payload type a kind carries."""
    match kind:
        case OutboxKind.ALERTS | OutboxKind.ALERTS_RESOLVED:
            return AlertsPayload
        case OutboxKind.ALERT_UPDATE | OutboxKind.INCIDENT_UPDATE:
            return EditPayload
        case OutboxKind.PRESENCE_CHECK:
            return PresenceCheckPayload
        case OutboxKind.SHIFT_CLOSED:
            return ShiftClosedPayload
        case OutboxKind.INCIDENT | OutboxKind.TPS_MOVED:
            return IncidentPayload
        case OutboxKind.INCIDENT_MEDIA:
            return IncidentMediaPayload
        case OutboxKind.INCIDENT_STATUS:
            return IncidentStatusPayload
        case (OutboxKind.DIGEST | OutboxKind.DIGEST_CHART | OutboxKind.WEEKLY
              | OutboxKind.WEEKLY_CHART | OutboxKind.WEEKLY_FILE):
            return DigestPayload
        case OutboxKind.MEMBER_CHANGED:
            return MemberChangedPayload
        case _:
            assert_never(kind)


def read_kind(text: str) -> OutboxKind:
    """The kind of a stored row."""
    try:
        return OutboxKind(text)
    except ValueError:
        raise OutboxFormatError(f"unknown outbox kind {text!r}") from None


def read_payload(kind: OutboxKind, text: str) -> OutboxPayload:
    """The payload of a stored row of ``kind``."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise OutboxFormatError(f"{kind} payload is not JSON: {exc}") from None
    return payload_type(kind).from_json(data)


def write_payload(payload: OutboxPayload) -> str:
    """The stored text of a payload."""
    return json.dumps(payload.to_json(), separators=(",", ":"))


_SCHEMAS: dict[type[OutboxPayload], tuple[tuple[str, Any], ...]] = {}


def _schema(cls: type[OutboxPayload]) -> tuple[tuple[str, Any], ...]:
    """(name, type) of each field, in order; resolved once, annotations being strings."""
    schema = _SCHEMAS.get(cls)
    if schema is None:
        hints = get_type_hints(cls)
        schema = _SCHEMAS[cls] = tuple((f.name, hints[f.name]) for f in fields(cls))
    return schema


def _dump(value: object) -> object:
    if isinstance(value, tuple):
        return [_dump(item) for item in value]
    if isinstance(value, datetime):
        return to_db(value)
    return value


def _load(value: object, hint: Any, where: str) -> Any:
    """``value`` as read from JSON, checked against the field type ``hint``."""
    if get_origin(hint) is types.UnionType:  # ``X | None``: the only unions payloads use
        if value is None:
            return None
        (hint,) = (arg for arg in get_args(hint) if arg is not types.NoneType)
    if hint is datetime and isinstance(value, str):
        with suppress(ValueError):
            moment = from_db(value)
            if moment.tzinfo is not None:
                return moment
    elif get_origin(hint) is tuple and isinstance(value, list):
        return tuple(_load(item, get_args(hint)[0], where) for item in value)
    elif hint in (int, str) and type(value) is hint:  # not isinstance: a bool is no id
        return value
    raise OutboxFormatError(f"{where}: expected {getattr(hint, '__name__', hint)}, "
                            f"got {value!r}")
