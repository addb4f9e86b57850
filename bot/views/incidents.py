"""How a report looks in a chat: its text lines, severity icon and follow-up buttons.

The same view serves the routed outbox message and ``/laporan``.
"""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton

from bot.callbacks import ReportFinish, ReportTake
from bot.texts import Markup, fmt_time, t
from storage import desks as desks_store
from storage import members as members_store
from storage.incidents import Incident
from storage.models import Member, utcnow
from storage.sqlite.engine import Database

_ICONS = {"info": "ℹ️", "sedang": "🟡", "tinggi": "🟠", "kritis": "🔴"}


def severity_icon(severity: str) -> str:
    """The coloured dot of a severity."""
    return _ICONS.get(severity, "•")


def member_name(member: Member | None) -> str:
    """A member's full name, or a dash for nobody."""
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
                                        callback_data=ReportTake(incident.id).pack()))
    row.append(InlineKeyboardButton(t(lang, "incident.finish") + ("" if row else label),
                                    callback_data=ReportFinish(incident.id).pack()))
    return [row]


async def incident_lines(db: Database, incident: Incident, lang: str,
                         status_only: bool = False) -> list[str]:
    """The report as text lines (or only its status line)."""
    handler = await members_store.get(db, incident.handler_id) if incident.handler_id else None
    status = t(lang, f"incident.status.{incident.status}", who=member_name(handler),
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
               category=t(lang, f"cat.{incident.category}"), reporter=member_name(reporter),
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
