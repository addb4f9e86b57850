"""Rendering outbox intents into messages, in the recipient's language, from current state.

An intent carries ids, not text: the message is built when it is sent (or edited), so it
always shows the alert as it is now (taken by whom, over or not), and a backlog never sends a
stale picture. Each kind has its renderer in this package, named by feature; this module only
dispatches. A renderer returns None when there is nothing left to say (the row is then
settled).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.config import Settings
from bot.outbox.alerts import AlertRenderer
from bot.outbox.digest import DigestRenderer
from bot.outbox.incidents import IncidentRenderer
from bot.outbox.message import Rendered
from bot.outbox.presence import PresenceRenderer
from storage import members as members_store
from storage.outbox import OutboxRow
from storage.sqlite.engine import Database


class OutboxRenderer:
    """Turns outbox rows into :class:`Rendered` messages (the sender's ``render``)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        alerts = AlertRenderer(db)
        presence = PresenceRenderer(db, settings)
        incidents = IncidentRenderer(db)
        digests = DigestRenderer(db, settings)
        self._kinds: dict[str, Callable[[OutboxRow, str], Awaitable[Rendered | None]]] = {
            "alerts": alerts.alerts,
            "alert_update": alerts.update,
            "alerts_resolved": alerts.resolved,
            "presence_check": presence.check,
            "shift_closed": presence.shift_closed,
            "incident": incidents.routed,
            "incident_media": incidents.media,
            "incident_update": incidents.update,
            "incident_status": incidents.status,
            "digest": digests.text,
            "digest_chart": digests.chart,
        }

    async def __call__(self, row: OutboxRow) -> Rendered | None:
        """Render one row for its chat."""
        handler = self._kinds.get(row.kind)
        if handler is None:
            raise ValueError(f"unknown outbox kind {row.kind!r}")
        return await handler(row, await self.language(row.chat_id))

    async def language(self, chat_id: int) -> str:
        """The chat's language: the member's choice, else the installation default."""
        member = await members_store.get(self.db, chat_id) if chat_id > 0 else None
        return (member.language if member and member.language else None) or \
            self.settings.language
