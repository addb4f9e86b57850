"""How a report looks in a chat: its text, severity icon and follow-up buttons.

The same view serves the routed outbox message and ``/laporan``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from telegram import InlineKeyboardButton

from bot.callbacks import ReportFinish, ReportHandOff, ReportTake
from bot.texts import Markup, fmt_time, t
from bot.views.limits import TEXT_MAX, fit, visible_length
from storage import desks as desks_store
from storage import members as members_store
from storage import partners
from storage.incidents import Incident
from storage.models import Member, Role, utcnow
from storage.rules.agencies import Routing
from storage.sqlite.engine import Database

# Room in UTF-16 units: a closing note of 1,000 characters all emoji is 2,000, and the
# description keeps at least DESCRIPTION_MIN beside it.
NOTE_ROOM = 1500
DESCRIPTION_MIN = 500

_ICONS = {"info": "ℹ️", "sedang": "🟡", "tinggi": "🟠", "kritis": "🔴"}


def severity_icon(severity: str) -> str:
    """The coloured dot of a severity."""
    return _ICONS.get(severity, "•")


def member_name(member: Member | None, routing: Routing | None = None) -> str:
    """A member's full name (a liaison's with the agency, given the ``routing`` that names
    it), or a dash for nobody."""
    if member is None:
        return "—"
    if member.role is Role.PARTNER and member.agency and routing is not None:
        return f"{member.full_name} ({routing.name(member.agency)})"
    return member.full_name


def map_link(latitude: float, longitude: float) -> Markup:
    """A place as a link to a map, its coordinates as the text."""
    url = f"https://maps.google.com/?q={latitude:.6f},{longitude:.6f}"
    return Markup(f'<a href="{url}">{latitude:.5f}, {longitude:.5f}</a>')


def place_text(lang: str, latitude: float | None, longitude: float | None,
               address: str | None) -> Markup:
    """A place given as coordinates (a map link) or as an address (escaped); a dash for none."""
    if latitude is not None and longitude is not None:
        return map_link(latitude, longitude)
    if address:
        return Markup(html.escape(address, quote=False))
    return Markup(t(lang, "move.unknown_place"))


def follow_up_buttons(incident: Incident, lang: str, with_ref: bool = False,
                      hand_off: bool = False) -> list[list[InlineKeyboardButton]]:
    """*Tangani* (while new) and *Selesai* (until closed), and *Teruskan* for supervisors
    (``hand_off``); none once closed."""
    if incident.status == "selesai":
        return []
    label = f" {incident.ref}" if with_ref else ""
    row = []
    if incident.status == "baru":
        row.append(InlineKeyboardButton(t(lang, "incident.take") + label,
                                        callback_data=ReportTake(incident.id).pack()))
    row.append(InlineKeyboardButton(t(lang, "incident.finish") + ("" if row else label),
                                    callback_data=ReportFinish(incident.id).pack()))
    if hand_off:
        row.append(InlineKeyboardButton(t(lang, "incident.hand_off"),
                                        callback_data=ReportHandOff(incident.id).pack()))
    return [row]


async def status_line(db: Database, incident: Incident, lang: str, routing: Routing,
                      note_room: int = NOTE_ROOM) -> str:
    """The report's status, its closing note cut to ``note_room`` units."""
    handler = await members_store.get(db, incident.handler_id) if incident.handler_id else None
    return t(lang, f"incident.status.{incident.status}", who=member_name(handler, routing),
             note=Markup(fit(html.escape(incident.closing_note or "", quote=False), note_room)))


async def agencies_line(db: Database, incident: Incident, lang: str, routing: Routing) -> str:
    """"Mitra: Bawaslu, Polri" for a report that concerns partner agencies; else empty."""
    agencies = await partners.agencies_of(db, incident.id)
    return t(lang, "incident.agencies", agencies=", ".join(
        routing.name(a) for a in agencies)) if agencies else ""


async def incident_text(db: Database, incident: Incident, lang: str, routing: Routing, *,
                        after: Sequence[str] = (), pointer: bool = True,
                        limit: int = TEXT_MAX) -> str:
    """The report as one message within ``limit``, then the lines ``after`` it (a history).

    The description is the reporter's own text: escaped, never markup, and given the room the
    other lines leave. A cut text ends with a pointer to ``/laporan``, unless ``pointer`` is
    false because this is ``/laporan`` itself.
    """
    status = await status_line(db, incident, lang, routing)
    more = t(lang, "incident.full_text", ref=incident.ref) if pointer else ""
    desk = await desks_store.get(db, incident.desk_id)
    if desk is None:
        return fit("\n".join([status, *after]), limit, more)
    reporter = await members_store.get(db, incident.reporter_id)
    lines = [t(lang, "incident.title", icon=severity_icon(incident.severity), ref=incident.ref,
               severity=t(lang, f"sev.{incident.severity}")),
             t(lang, "incident.body", desk=desk.name, code=desk.code,
               category=t(lang, f"cat.{incident.category}"),
               reporter=member_name(reporter, routing),
               time=fmt_time(lang, incident.created_at, desk.tz, utcnow()))]
    if incident.tps:
        lines.append(t(lang, "incident.tps", tps=incident.tps))
    if agencies := await agencies_line(db, incident, lang, routing):
        lines.append(agencies)
    if incident.latitude is not None and incident.longitude is not None:
        lines.append(t(lang, "incident.location",
                       link=map_link(incident.latitude, incident.longitude)))
    rest = ["", status, *after]
    room = limit - visible_length("\n".join([*lines, "", *rest]))
    description = fit(html.escape(incident.description, quote=False),
                      max(room - 1, DESCRIPTION_MIN), more)
    # Long desk or reporter names can still leave too little room: the whole is fitted too.
    return fit("\n".join([*lines, "", description, *rest]), limit, more)
