"""Rendering incident reports: the routed message, its attachments, status changes."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.outbox.sender import Rendered
from bot.texts import Markup, fmt_time, t
from storage import desks as desks_store
from storage import incidents as incidents_store
from storage import members as members_store
from storage import outbox as outbox_store
from storage.incidents import Incident
from storage.models import Member, utcnow
from storage.outbox import OutboxRow
from storage.sqlite.engine import Database

TAKE_PREFIX = "inc:t:"
FINISH_PREFIX = "inc:f:"
PAGE_PREFIX = "incp:"
_ICONS = {"info": "ℹ️", "sedang": "🟡", "tinggi": "🟠", "kritis": "🔴"}


def severity_icon(severity: str) -> str:
    """The coloured dot of a severity."""
    return _ICONS.get(severity, "•")


def _name(member: Member | None) -> str:
    return member.full_name if member else "—"


def follow_up_buttons(incident: Incident, lang: str, with_ref: bool = False
                      ) -> list[list[InlineKeyboardButton]]:
    """*Tangani* (while new) and *Selesai* (until closed); none once closed."""
    if incident.status == "selesai":
        return []
    label = f" {incident.ref}" if with_ref else ""
    row = []
    if incident.status == "baru":
        row.append(InlineKeyboardButton(t(lang, "incident.take") + label,
                                        callback_data=f"{TAKE_PREFIX}{incident.id}"))
    row.append(InlineKeyboardButton(t(lang, "incident.finish") + ("" if row else label),
                                    callback_data=f"{FINISH_PREFIX}{incident.id}"))
    return [row]


async def incident_lines(db: Database, incident: Incident, lang: str,
                         status_only: bool = False) -> list[str]:
    """The report as text lines (or only its status line)."""
    handler = await members_store.get(db, incident.handler_id) if incident.handler_id else None
    status = t(lang, f"incident.status.{incident.status}", who=_name(handler),
               note=incident.closing_note or "")
    if status_only:
        return [status]
    desk = await desks_store.get(db, incident.desk_id)
    reporter = await members_store.get(db, incident.reporter_id)
    if desk is None:
        return [status]
    lines = [t(lang, "incident.title", icon=severity_icon(incident.severity), ref=incident.ref,
               severity=t(lang, f"sev.{incident.severity}")),
             t(lang, "incident.body", desk=desk.name, code=desk.code,
               category=t(lang, f"cat.{incident.category}"), reporter=_name(reporter),
               time=fmt_time(incident.created_at, desk.tz, utcnow()))]
    if incident.tps:
        lines.append(t(lang, "incident.tps", tps=incident.tps))
    if incident.latitude is not None and incident.longitude is not None:
        url = f"https://maps.google.com/?q={incident.latitude:.6f},{incident.longitude:.6f}"
        lines.append(t(lang, "incident.location",
                       link=Markup(f'<a href="{url}">{incident.latitude:.5f}, '
                                   f'{incident.longitude:.5f}</a>')))
    # The description is the reporter's own text: escaped, never markup.
    lines += ["", html.escape(incident.description, quote=False), "", status]
    return lines


class IncidentRenderer:
    """The incident kinds of the outbox renderer."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def routed(self, row: OutboxRow, lang: str) -> Rendered | None:
        """The report as supervisors and groups receive it, with its follow-up buttons."""
        incident = await incidents_store.get(self.db, int(row.payload["incident"]))
        if incident is None:
            return None
        buttons = follow_up_buttons(incident, lang)
        return Rendered("\n".join(await incident_lines(self.db, incident, lang)),
                        InlineKeyboardMarkup(buttons) if buttons else None)

    async def media(self, row: OutboxRow, lang: str) -> Rendered | None:
        """The report's attachments of one album (sent just before the report itself)."""
        incident = await incidents_store.get(self.db, int(row.payload["incident"]))
        kinds = row.payload.get("kinds")  # None in rows queued before albums were split
        media = [(kind, file_id) for kind, file_id in
                 (await incidents_store.media_of(self.db, incident.id) if incident else [])
                 if kinds is None or kind in kinds]
        if incident is None or not media:
            return None
        return Rendered(t(lang, "incident.media_caption", ref=incident.ref), media=tuple(media))

    async def update(self, row: OutboxRow, lang: str) -> Rendered | None:
        """An earlier routed message, re-rendered in place after a status change."""
        target = int(row.payload["target"])
        sent = await outbox_store.sent_message(self.db, target)
        original = await outbox_store.get_row(self.db, target)
        if sent is None or original is None:
            return None
        fresh = await self.routed(original, lang)
        return Rendered(fresh.text, fresh.reply_markup, edit=sent) if fresh else None

    async def status(self, row: OutboxRow, lang: str) -> Rendered | None:
        """Tell the reporter what happened to their report."""
        incident = await incidents_store.get(self.db, int(row.payload["incident"]))
        status = str(row.payload["status"])
        if incident is None or status not in ("ditangani", "selesai"):
            return None
        handler = await members_store.get(self.db, incident.handler_id) \
            if incident.handler_id else None
        return Rendered(t(lang, f"incident.reporter.{status}", ref=incident.ref,
                          who=_name(handler), note=incident.closing_note or ""))
