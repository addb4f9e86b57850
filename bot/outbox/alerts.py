"""The alert kinds of the outbox: grouped alerts, their edits in place, and resolutions."""

from __future__ import annotations

from bot.outbox.message import Rendered
from bot.texts import fmt_duration, t
from bot.views.alerts import MAX_LINES, alert_list, desks_of
from storage import alerts as alerts_store
from storage import outbox as outbox_store
from storage.models import utcnow
from storage.outbox_kinds import AlertsPayload, EditPayload
from storage.sqlite.engine import Database


class AlertRenderer:
    """Alerts as their recipients see them now (taken by whom, over or not)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def alerts(self, payload: AlertsPayload, lang: str) -> Rendered | None:
        """The alerts of one sweep for one chat, in one message with their buttons."""
        alerts = await alerts_store.get_many(self.db, list(payload.alerts))
        if not alerts:
            return None
        title = (t(lang, "alert.title_one") if len(alerts) == 1
                 else t(lang, "alert.title_many", n=len(alerts)))
        listed = await alert_list(self.db, alerts, lang, utcnow())
        # The rest are in /peringatan, a page at a time, each with its buttons.
        rest = (t(lang, "alert.more", n=len(alerts) - listed.shown)
                if len(alerts) > listed.shown else None)
        return Rendered(listed.text(title, rest), listed.keyboard)

    async def update(self, payload: EditPayload, lang: str) -> Rendered | None:
        """Re-render an earlier alert message in place (someone took it)."""
        sent = await outbox_store.sent_message(self.db, payload.target)
        original = await outbox_store.get_row(self.db, payload.target)
        if sent is None or original is None:
            return None  # the original never reached the chat: nothing to edit
        fresh = await self.alerts(original.payload_as(AlertsPayload), lang)
        if fresh is None:
            return None
        return Rendered(fresh.text, fresh.reply_markup, edit=sent)

    async def resolved(self, payload: AlertsPayload, lang: str) -> Rendered | None:
        """"Peringatan selesai": the desks staffed again (or off duty), with how long."""
        alerts = await alerts_store.get_many(self.db, list(payload.alerts))
        desks = await desks_of(self.db, alerts)
        lines = [t(lang, "resolved.title")]
        for alert in alerts[:MAX_LINES]:
            end = alert.resolved_at or utcnow()
            lines.append(t(lang, "resolved.line", desk=desks[alert.desk_id].name,
                           duration=fmt_duration(lang, end - alert.short_since),
                           reason=t(lang, f"resolved.{alert.resolution or 'staffed'}")))
        if len(alerts) > MAX_LINES:
            lines.append(t(lang, "alert.more", n=len(alerts) - MAX_LINES))
        return Rendered("\n".join(lines)) if alerts else None
