"""Outbox rows built in memory (to render without queueing), and a payload of every kind."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.models import utcnow
from storage.outbox import Intent, OutboxRow
from storage.outbox_kinds import (
    AlertsPayload,
    DigestPayload,
    EditPayload,
    IncidentMediaPayload,
    IncidentPayload,
    IncidentStatusPayload,
    MemberChangedPayload,
    OutboxKind,
    OutboxPayload,
    PresenceCheckPayload,
    ShiftClosedPayload,
    write_payload,
)

GONE = 999_999  # an id no test database holds

# One payload of every kind, naming things that do not exist: each renders to None.
SAMPLES: dict[OutboxKind, OutboxPayload] = {
    OutboxKind.ALERTS: AlertsPayload((GONE, GONE + 1)),
    OutboxKind.ALERT_UPDATE: EditPayload(GONE),
    OutboxKind.ALERTS_RESOLVED: AlertsPayload((GONE,)),
    OutboxKind.PRESENCE_CHECK: PresenceCheckPayload(check=GONE, shift=GONE),
    OutboxKind.SHIFT_CLOSED: ShiftClosedPayload(GONE, "duty_end"),
    OutboxKind.INCIDENT: IncidentPayload(GONE),
    OutboxKind.INCIDENT_MEDIA: IncidentMediaPayload(GONE, ("photo", "video")),
    OutboxKind.INCIDENT_UPDATE: EditPayload(GONE),
    OutboxKind.INCIDENT_STATUS: IncidentStatusPayload(GONE, "selesai"),
    OutboxKind.TPS_MOVED: IncidentPayload(GONE),
    OutboxKind.DIGEST: DigestPayload(GONE, datetime(2026, 11, 23, 13, tzinfo=UTC)),
    OutboxKind.DIGEST_CHART: DigestPayload(GONE, datetime(2026, 11, 23, 13, tzinfo=UTC)),
    OutboxKind.WEEKLY: DigestPayload(GONE, datetime(2026, 11, 23, 1, tzinfo=UTC)),
    OutboxKind.WEEKLY_CHART: DigestPayload(GONE, datetime(2026, 11, 23, 1, tzinfo=UTC)),
    OutboxKind.WEEKLY_FILE: DigestPayload(GONE, datetime(2026, 11, 23, 1, tzinfo=UTC)),
    OutboxKind.MEMBER_CHANGED: MemberChangedPayload("removed", GONE, "officer", GONE),
}


def unsent_row(chat_id: int, kind: OutboxKind, payload: OutboxPayload) -> OutboxRow:
    """A row as ``outbox.due`` would return it, never written to the table."""
    intent = Intent(chat_id, kind, payload)
    return OutboxRow(0, intent.chat_id, intent.kind.value, write_payload(intent.payload), 0,
                     utcnow())
