"""The incident kinds of the outbox: the routed report, its attachments, status changes."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.outbox.message import Rendered
from bot.texts import fmt_datetime, t
from bot.views.incidents import follow_up_buttons, incident_text, member_name, place_text
from storage import desks as desks_store
from storage import incidents as incidents_store
from storage import members as members_store
from storage import outbox as outbox_store
from storage import relocations
from storage.models import Role
from storage.outbox_kinds import (
    EditPayload,
    IncidentMediaPayload,
    IncidentPayload,
    IncidentStatusPayload,
)
from storage.rules.agencies import Routing
from storage.sqlite.engine import Database


class IncidentRenderer:
    """The incident kinds of the outbox renderer."""

    def __init__(self, db: Database, routing: Routing) -> None:
        self.db = db
        self.routing = routing

    async def routed(self, payload: IncidentPayload, lang: str, chat_id: int
                     ) -> Rendered | None:
        """The report as supervisors, groups and liaisons receive it, with its follow-up
        buttons (*Teruskan* for all but liaisons: handing on is a supervisor's)."""
        incident = await incidents_store.get(self.db, payload.incident)
        if incident is None:
            return None
        member = await members_store.get(self.db, chat_id) if chat_id > 0 else None
        partner = member is not None and member.role is Role.PARTNER
        buttons = follow_up_buttons(incident, lang, hand_off=not partner)
        return Rendered(await incident_text(self.db, incident, lang, self.routing),
                        InlineKeyboardMarkup(buttons) if buttons else None)

    async def media(self, payload: IncidentMediaPayload, lang: str) -> Rendered | None:
        """The report's attachments of one album (sent just before the report itself)."""
        incident = await incidents_store.get(self.db, payload.incident)
        media = [(kind, file_id) for kind, file_id in
                 (await incidents_store.media_of(self.db, incident.id) if incident else [])
                 if payload.kinds is None or kind in payload.kinds]
        if incident is None or not media:
            return None
        return Rendered(t(lang, "incident.media_caption", ref=incident.ref), media=tuple(media))

    async def update(self, payload: EditPayload, lang: str) -> Rendered | None:
        """An earlier routed message, re-rendered in place after a status change."""
        sent = await outbox_store.sent_message(self.db, payload.target)
        original = await outbox_store.get_row(self.db, payload.target)
        if sent is None or original is None:
            return None
        fresh = await self.routed(original.payload_as(IncidentPayload), lang,
                                  original.chat_id)
        return Rendered(fresh.text, fresh.reply_markup, edit=sent) if fresh else None

    async def status(self, payload: IncidentStatusPayload, lang: str) -> Rendered | None:
        """Tell the reporter what happened to their report."""
        incident = await incidents_store.get(self.db, payload.incident)
        if incident is None or payload.status not in ("ditangani", "selesai", "diteruskan"):
            return None
        handler = await members_store.get(self.db, incident.handler_id) \
            if incident.handler_id else None
        return Rendered(t(lang, f"incident.reporter.{payload.status}", ref=incident.ref,
                          who=member_name(handler, self.routing),
                          note=incident.closing_note or "",
                          agency=self.routing.name(payload.agency or "")))

    async def moved(self, payload: IncidentPayload, lang: str) -> Rendered | None:
        """A report's TPS moved: where from, where to, why and since when."""
        incident = await incidents_store.get(self.db, payload.incident)
        move = await relocations.of_incident(self.db, payload.incident)
        desk = await desks_store.get(self.db, incident.desk_id) if incident else None
        if incident is None or move is None or move.moved_at is None or desk is None:
            return None
        return Rendered(t(lang, "move.news", tps=move.tps, desk=desk.name, code=desk.code,
                          reason=t(lang, f"move.reason.{move.reason}"),
                          old=place_text(lang, incident.latitude, incident.longitude, None),
                          new=place_text(lang, move.new_latitude, move.new_longitude,
                                         move.new_address),
                          time=fmt_datetime(lang, move.moved_at, desk.tz), ref=incident.ref))

