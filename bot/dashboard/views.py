"""What the dashboard page shows, as JSON: the map's markers, the ``/rekap`` board, the open
alerts and reports and today's timeline of one scope, in the viewer's language.

Every text is the chat's own catalog text (``bot.texts``) made plain (``plain_text``): the
page sets it with ``textContent``, so a desk named ``<img src=x onerror=alert(1)>`` shows as
those characters. Markers carry desks' coordinates only, never an officer's.

A scope of a kota or smaller shows one marker per desk; a provinsi or the whole country one
marker per child unit with its counts, opened by a click (the page asks for that unit), so
the country is 38 markers, not 91,599.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.handlers.board import NATIONAL, desk_line
from bot.texts import CATALOGS, fmt_count, fmt_time, plain_text, t
from bot.views.incidents import member_name, status_line
from storage import alerts as alerts_store
from storage import board as board_store
from storage import dashboard as dashboard_store
from storage import desks as desks_store
from storage import incidents as incidents_store
from storage import members as members_store
from storage.board import Board, Counts, State, Unit
from storage.models import Desk, Level, utcnow
from storage.rules.duty import zone

if TYPE_CHECKING:
    from bot.context import BotData
    from bot.handlers.access import Caller

LISTED = 30  # open alerts and open reports listed (the counts say how many there are)
TEXT_SHOWN = 200  # characters of a report's description on the page
JSON = dict[str, Any]


class OutOfScope(Exception):
    """The unit asked for is not in the viewer's scope."""


def plain(lang: str, key: str, **values: object) -> str:
    """A catalog text without its HTML, for ``textContent``."""
    return plain_text(t(lang, key, **values))


async def root(data: BotData, caller: Caller) -> Desk | None:
    """Where the viewer's page starts, as ``/rekap`` does: their desk; for an admin the
    country, or its one root desk."""
    if not caller.is_admin:
        return caller.desk
    return await board_store.single_root(data.db)


async def scope_of(data: BotData, caller: Caller, unit: int | None) -> Desk | None:
    """The scope a request asks for (``unit`` None: the viewer's root); OutOfScope when the
    viewer may not see it."""
    if unit is None:
        return await root(data, caller)
    if unit == NATIONAL:
        if not caller.is_admin:
            raise OutOfScope
        return None
    desk = await desks_store.get(data.db, unit)
    if desk is None or not caller.can_oversee(desk):
        raise OutOfScope
    return desk


def _state_of(counts: Counts) -> State:
    return State.SHORT if counts.short else State.STAFFED if counts.staffed else State.OFF


def by_unit(scope: Desk | None) -> bool:
    """Whether the map of a scope shows its child units instead of its desks."""
    return scope is None or scope.level is Level.PROVINSI


async def _markers(data: BotData, lang: str, scope: Desk | None, units: list[Unit],
                   now: datetime) -> JSON:
    db = data.db
    markers: list[JSON] = []
    missing: list[str] = []
    if by_unit(scope) and units:  # a country of kecamatan only has no units: its desks
        places = await dashboard_store.places(db, [u.desk_id for u in units])
        for u in units:
            place = places.get(u.desk_id)
            if place is None or place.latitude is None or place.longitude is None:
                missing.append(u.name)
                continue
            c = u.counts
            markers.append({
                "id": u.desk_id, "lat": place.latitude, "lon": place.longitude, "unit": True,
                "state": _state_of(c).value, "short": c.short,
                "label": plain(lang, "dash.marker.unit", name=u.name, code=u.code,
                               total=fmt_count(lang, c.total), short=fmt_count(lang, c.short),
                               staffed=fmt_count(lang, c.staffed))})
        return {"markers": markers, "missing": missing}
    lines = await board_store.desk_lines(db, scope, now)
    places = await dashboard_store.places(db, [line.desk_id for line in lines])
    for line in lines:
        place = places.get(line.desk_id)
        if place is None or place.latitude is None or place.longitude is None:
            missing.append(line.name)
            continue
        values = {"name": line.name, "code": line.code, "open": line.open_shifts,
                  "min": line.min_staff}
        minutes = None
        if line.state is State.SHORT and line.since is not None:
            minutes = max(0, int((now - line.since).total_seconds() // 60))
            key = "dash.marker.short" if line.open_shifts == 0 else "dash.marker.short_some"
            label = plain(lang, key, minutes=fmt_count(lang, minutes), **values)
        else:
            label = plain(lang, f"dash.marker.{line.state.value}", **values)
        markers.append({"id": line.desk_id, "lat": place.latitude, "lon": place.longitude,
                        "unit": False, "state": line.state.value, "minutes": minutes,
                        "name": line.name, "label": label})
    return {"markers": markers, "missing": missing}


async def _board(data: BotData, caller: Caller, board: Board, now: datetime) -> JSON:
    lang = caller.lang
    scope = board.scope
    c = board.counts
    header = plain(lang, "rekap.header", scope=scope.name if scope else t(lang, "status.all"),
                   total=fmt_count(lang, c.total), short=fmt_count(lang, c.short),
                   staffed=fmt_count(lang, c.staffed), off=fmt_count(lang, c.off))
    lines: list[JSON] = []
    if board.own is not None:
        lines.append({"text": plain_text(desk_line(lang, board.own, now, name=t(
            lang, "rekap.own", name=board.own.name))), "state": board.own.state.value})
    for u in board.units:
        lines.append({"unit": u.desk_id, "state": _state_of(u.counts).value,
                      "text": plain(lang, "rekap.unit", icon="", name=u.name, code=u.code,
                                    total=fmt_count(lang, u.counts.total),
                                    short=fmt_count(lang, u.counts.short),
                                    staffed=fmt_count(lang, u.counts.staffed),
                                    off=fmt_count(lang, u.counts.off)).strip()})
    for d in board.desks:
        lines.append({"text": plain_text(desk_line(lang, d, now)), "state": d.state.value})
    if c.total == 0:
        lines.append({"text": plain(lang, "rekap.none"), "state": State.OFF.value})
    up = None
    start = await root(data, caller)
    if scope is not None and (start is None or start.id != scope.id):
        parent = (await desks_store.get(data.db, scope.parent_id)
                  if scope.parent_id is not None else None)
        if parent is not None and caller.can_oversee(parent):
            up = {"unit": parent.id, "text": plain(lang, "dash.page.up", name=parent.name)}
        elif caller.is_admin:
            up = {"unit": NATIONAL,
                  "text": plain(lang, "dash.page.up", name=t(lang, "status.all"))}
    return {"header": header, "by": plain(lang, f"rekap.by.{board.units[0].level}")
            if board.units else "", "lines": lines, "page": board.page, "pages": board.pages,
            "counts": {"short": c.short, "staffed": c.staffed, "off": c.off}, "up": up}


async def _alerts(data: BotData, lang: str, path: str | None, now: datetime) -> JSON:
    total, alerts = await alerts_store.open_in_scope(data.db, path, 0, LISTED)
    desks = await desks_store.get_many(data.db, [a.desk_id for a in alerts])
    takers = {i: await members_store.get(data.db, i)
              for i in {a.acked_by for a in alerts if a.acked_by is not None}}
    shown = []
    for a in alerts:
        desk = desks.get(a.desk_id)
        if desk is None:
            continue
        taker = takers.get(a.acked_by) if a.acked_by is not None else None
        shown.append({
            "id": a.id, "desk": a.desk_id,
            "text": plain(lang, "dash.alert", desk=desk.name,
                          since=fmt_time(lang, a.short_since, desk.tz, now)),
            "taken": plain(lang, "dash.page.taken", who=member_name(taker))
            if a.acked_by is not None else None})
    return {"total": total, "items": shown}


async def _reports(data: BotData, lang: str, path: str | None) -> JSON:
    total, reports = await incidents_store.open_in_scope(data.db, path, 0, LISTED)
    desks = await desks_store.get_many(data.db, [r.desk_id for r in reports])
    shown = []
    for r in reports:
        desk = desks.get(r.desk_id)
        reporter = await members_store.get(data.db, r.reporter_id)
        text = r.description if len(r.description) <= TEXT_SHOWN else (
            r.description[:TEXT_SHOWN - 1] + "…")
        shown.append({
            "ref": r.ref, "severity": r.severity,
            "text": plain(lang, "dash.report", ref=r.ref, severity=t(lang, f"sev.{r.severity}"),
                          category=t(lang, f"cat.{r.category}"),
                          desk=desk.name if desk else "?", text=text),
            "by": plain(lang, "dash.report.by",
                        who=member_name(reporter, data.settings.routing),
                        status=plain_text(await status_line(data.db, r, lang,
                                                            data.settings.routing)))})
    return {"total": total, "items": shown}


async def _timeline(data: BotData, lang: str, scope: Desk | None, tz_name: str,
                    now: datetime) -> list[str]:
    tz = zone(tz_name)
    local = now.astimezone(tz)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    events = await dashboard_store.timeline(data.db, scope.path if scope else None, midnight,
                                            presence=not by_unit(scope))
    return [plain(lang, f"dash.event.{e.kind}", time=fmt_time(lang, e.at, zone(e.timezone), now),
                  desk=e.desk_name, who=e.who or "", detail=plain_text(t(
                      lang, f"sev.{e.detail}")) if e.kind == "report" and e.detail else "")
            for e in events]


def labels(lang: str) -> dict[str, str]:
    """The page's own texts in ``lang`` (placeholders left for the page to fill)."""
    catalog = CATALOGS.get(lang, CATALOGS["id"])
    return {key.removeprefix("dash.page."): plain_text(text) for key, text in catalog.items()
            if key.startswith("dash.page.")}


async def state(data: BotData, caller: Caller, csrf: str, unit: int | None,
                page: int) -> JSON:
    """Everything the page shows of one scope, now."""
    scope = await scope_of(data, caller, unit)
    now = utcnow()
    lang = caller.lang
    tz_name = scope.timezone if scope is not None else data.settings.timezone
    path = scope.path if scope is not None else None
    # One count of the scope serves the board and, for a province or the country, the map.
    board, units = await board_store.load_with_units(data.db, scope, now, page)
    return {
        "lang": lang, "csrf": csrf, "unit": scope.id if scope is not None else NATIONAL,
        "asof": plain(lang, "dash.page.asof", time=fmt_time(lang, now, zone(tz_name))),
        "labels": labels(lang) | {"ack": plain(lang, "alert.ack_button")},
        "tiles": data.settings.map_tiles, "attribution": data.settings.map_attribution,
        "map": await _markers(data, lang, scope, units, now),
        "board": await _board(data, caller, board, now),
        "alerts": await _alerts(data, lang, path, now),
        "reports": await _reports(data, lang, path),
        "timeline": await _timeline(data, lang, scope, tz_name, now),
    }
