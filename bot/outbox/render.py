"""Rendering outbox intents into messages, in the recipient's language, from current state.

An intent carries ids, not text: the message is built when it is sent (or edited), so it
always shows the alert as it is now (taken by whom, over or not), and a backlog never sends a
stale picture. Each kind (storage.outbox_kinds.OutboxKind) has its renderer in this package,
named by feature, taking the kind's payload; this module only dispatches, and mypy rejects a
kind left without a renderer. A renderer returns None when there is nothing left to say (the
row is then settled).
"""

from __future__ import annotations

from typing import assert_never

from bot.config import Settings
from bot.outbox.alerts import AlertRenderer
from bot.outbox.digest import DigestRenderer, Draw
from bot.outbox.incidents import IncidentRenderer
from bot.outbox.members import MemberRenderer
from bot.outbox.message import Rendered
from bot.outbox.presence import PresenceRenderer
from bot.outbox.weekly import WeeklyRenderer
from storage import members as members_store
from storage.outbox import OutboxRow
from storage.outbox_kinds import (
    AlertsPayload,
    DigestPayload,
    EditPayload,
    IncidentMediaPayload,
    IncidentPayload,
    IncidentStatusPayload,
    MemberChangedPayload,
    OutboxKind,
    PresenceCheckPayload,
    ShiftClosedPayload,
)
from storage.sqlite.engine import Database


class OutboxRenderer:
    """Turns outbox rows into :class:`Rendered` messages (the sender's ``render``)."""

    def __init__(self, db: Database, settings: Settings, *, draw: Draw | None = None) -> None:
        """``draw`` makes the digest's chart (a rehearsal may skip the drawing)."""
        self.db = db
        self.settings = settings
        self._alerts = AlertRenderer(db)
        self._presence = PresenceRenderer(db, settings)
        self._incidents = IncidentRenderer(db, settings.routing)
        self._digests = DigestRenderer(db, settings, draw)
        self._members = MemberRenderer(db)
        self._weekly = WeeklyRenderer(db, settings)

    async def __call__(self, row: OutboxRow) -> Rendered | None:
        """Render one row for its chat.

        A row this version cannot read (an unknown kind, a malformed payload) raises
        ``OutboxFormatError``; the sender then retries it later, as after any render failure.
        """
        kind = row.kind
        lang = await self.language(row.chat_id)
        match kind:
            case OutboxKind.ALERTS:
                return await self._alerts.alerts(row.payload_as(AlertsPayload), lang)
            case OutboxKind.ALERT_UPDATE:
                return await self._alerts.update(row.payload_as(EditPayload), lang)
            case OutboxKind.ALERTS_RESOLVED:
                return await self._alerts.resolved(row.payload_as(AlertsPayload), lang)
            case OutboxKind.PRESENCE_CHECK:
                return await self._presence.check(row.payload_as(PresenceCheckPayload), lang)
            case OutboxKind.SHIFT_CLOSED:
                return await self._presence.shift_closed(row.payload_as(ShiftClosedPayload),
                                                         lang)
            case OutboxKind.INCIDENT:
                return await self._incidents.routed(row.payload_as(IncidentPayload), lang,
                                                   row.chat_id)
            case OutboxKind.INCIDENT_MEDIA:
                return await self._incidents.media(row.payload_as(IncidentMediaPayload), lang)
            case OutboxKind.INCIDENT_UPDATE:
                return await self._incidents.update(row.payload_as(EditPayload), lang)
            case OutboxKind.TPS_MOVED:
                return await self._incidents.moved(row.payload_as(IncidentPayload), lang)
            case OutboxKind.INCIDENT_STATUS:
                return await self._incidents.status(row.payload_as(IncidentStatusPayload), lang)
            case OutboxKind.DIGEST:
                return await self._digests.text(row.payload_as(DigestPayload), lang)
            case OutboxKind.DIGEST_CHART:
                return await self._digests.chart(row.payload_as(DigestPayload), lang)
            case OutboxKind.WEEKLY:
                return await self._weekly.text(row.payload_as(DigestPayload), lang)
            case OutboxKind.WEEKLY_CHART:
                return await self._weekly.chart(row.payload_as(DigestPayload), lang)
            case OutboxKind.WEEKLY_FILE:
                return await self._weekly.file(row.payload_as(DigestPayload), lang)
            case OutboxKind.MEMBER_CHANGED:
                return await self._members.changed(row.payload_as(MemberChangedPayload), lang)
            case _:
                assert_never(kind)

    async def language(self, chat_id: int) -> str:
        """The chat's language: the member's choice, else the installation default."""
        member = await members_store.get(self.db, chat_id) if chat_id > 0 else None
        return (member.language if member and member.language else None) or \
            self.settings.language
