"""``/rekap`` (``/board``): the live board of a supervisor's scope, paged, with drill-down.

A scope of units (the country, a provinsi, a kota) shows one line per child unit, worst first,
each with a button that opens the same board for that unit; a kecamatan lists its desks, short
ones first. Buttons carry ``rk:<desk id>:<page>`` (desk id 0: an admin's whole country) and
edit the message in place; every press re-checks the scope, since a keyboard can outlive the
member's role or desk.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import BoardPage
from bot.context import Ctx
from bot.handlers.access import Caller
from bot.handlers.common import (
    edit_or_ignore,
    popup,
    pressed,
    private_supervisor,
    reply,
)
from bot.texts import Markup, fmt_count, fmt_time, t
from bot.views.pages import page_row
from storage import board as board_store
from storage import desks as desks_store
from storage.board import Board, Counts, DeskLine, State
from storage.models import Desk, utcnow
from storage.rules.duty import zone

NATIONAL = 0  # the desk id that stands for an admin's whole country in callback data
_DESK_KEYS = {State.STAFFED: "rekap.desk.staffed", State.OFF: "rekap.desk.off"}


def _icon(counts: Counts) -> str:
    return "🔴" if counts.short else "🟢" if counts.staffed else "⚪"


def desk_line(lang: str, line: DeskLine, now: datetime, name: str | None = None) -> str:
    """One desk of the board: short with since when, staffed with count/min, or off duty;
    a risk-area desk marked with its labels."""
    shown = Markup(name) if name is not None else line.name
    if line.state is State.SHORT and line.since is not None:
        key = "rekap.desk.empty" if line.open_shifts == 0 else "rekap.desk.short"
        text = t(lang, key, name=shown, code=line.code, open=line.open_shifts,
                 min=line.min_staff, since=fmt_time(lang, line.since, zone(line.timezone), now))
    else:
        text = t(lang, _DESK_KEYS.get(line.state, "rekap.desk.off"), name=shown,
                 code=line.code, open=line.open_shifts, min=line.min_staff)
    if line.risks:
        text += " " + t(lang, "rawan.mark", labels=", ".join(line.risks))
    return text


def render(board: Board, lang: str, now: datetime, tz: ZoneInfo,
           up: tuple[int, str] | None = None) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of one board page; ``up`` is (desk id, name) of the level above."""
    scope = board.scope
    c = board.counts
    lines = [t(lang, "rekap.header", scope=scope.name if scope else t(lang, "status.all"),
               total=fmt_count(lang, c.total), short=fmt_count(lang, c.short),
               staffed=fmt_count(lang, c.staffed), off=fmt_count(lang, c.off))]
    meta = [t(lang, "rekap.asof", time=fmt_time(lang, now, tz))]
    if board.units:
        meta.insert(0, t(lang, f"rekap.by.{board.units[0].level}"))
    if board.pages > 1:
        meta.append(t(lang, "rekap.page", page=board.page + 1, pages=board.pages))
    lines.append(" · ".join(meta))
    if board.own is not None:
        lines.append(desk_line(lang, board.own, now,
                               name=t(lang, "rekap.own", name=board.own.name)))
    if board.by_unit or board.desks:
        lines.append("")
    for unit in board.units:
        u = unit.counts
        line = t(lang, "rekap.unit", icon=Markup(_icon(u)), name=unit.name, code=unit.code,
                 total=fmt_count(lang, u.total), short=fmt_count(lang, u.short),
                 staffed=fmt_count(lang, u.staffed), off=fmt_count(lang, u.off))
        if u.rawan_short:
            line += " " + t(lang, "rawan.units", count=fmt_count(lang, u.rawan_short))
        lines.append(line)
    for desk in board.desks:  # a kecamatan's own desk often shares a kelurahan's name
        own = scope is not None and desk.desk_id == scope.id
        lines.append(desk_line(lang, desk, now,
                               name=t(lang, "rekap.own", name=desk.name) if own else None))
    if c.total == 0:
        lines.append(t(lang, "rekap.none"))
    here = scope.id if scope is not None else NATIONAL
    drill = [InlineKeyboardButton(t(lang, "rekap.drill", name=Markup(unit.name)),
                                  callback_data=BoardPage(unit.desk_id, 0).pack())
             for unit in board.units]
    rows = [drill[i:i + 2] for i in range(0, len(drill), 2)]
    rows.append(page_row(lambda page: BoardPage(here, page), board.page, board.pages,
                         t(lang, "rekap.refresh")))
    if up is not None:
        rows.append([InlineKeyboardButton(t(lang, "rekap.up", name=Markup(up[1])),
                                          callback_data=BoardPage(up[0], 0).pack())])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def _root(context: Ctx, caller: Caller) -> Desk | None:
    """Where the caller's board starts: their desk, or for an admin the whole country (or
    its one root desk when the installation carries a single province or kota)."""
    if not caller.is_admin:
        return caller.desk
    return await board_store.single_root(context.bot_data.db)


async def _up(context: Ctx, caller: Caller, scope: Desk | None) -> tuple[int, str] | None:
    """The level above ``scope`` when the caller may see it, for the ⬆ button."""
    root = await _root(context, caller)
    if scope is None or (root is not None and root.id == scope.id):
        return None
    parent = (await desks_store.get(context.bot_data.db, scope.parent_id)
              if scope.parent_id is not None else None)
    if parent is not None and caller.can_oversee(parent):
        return parent.id, parent.name
    return (NATIONAL, t(caller.lang, "status.all")) if caller.is_admin else None


async def _page(context: Ctx, caller: Caller, scope: Desk | None,
                page: int) -> tuple[str, InlineKeyboardMarkup]:
    now = utcnow()
    board = await board_store.load(context.bot_data.db, scope, now, page)
    tz = scope.tz if scope is not None else context.bot_data.settings.tz
    return render(board, caller.lang, now, tz, await _up(context, caller, scope))


async def rekap(update: Update, context: Ctx) -> None:
    """``/rekap``: the first page of the caller's board."""
    caller = await private_supervisor(update, context)
    if caller is None:
        return
    text, markup = await _page(context, caller, await _root(context, caller), 0)
    await reply(update, text, reply_markup=markup)


async def turn(update: Update, context: Ctx) -> None:
    """A board button (page, drill-down, refresh, up): the board it names, scope re-checked."""
    press = await pressed(update, context, BoardPage)
    if press is None:
        return
    query, target, caller = press
    if target is None or caller.role is None:  # private only: the registry sees to that
        await popup(query, t(caller.lang, "button.stale"))
        return
    if not caller.is_supervisor:
        await popup(query, t(caller.lang, "supervisors_only"), show_alert=True)
        return
    desk_id, page = target.desk_id, target.page
    scope: Desk | None = None
    if desk_id == NATIONAL:
        if not caller.is_admin:
            await popup(query, t(caller.lang, "button.stale"))
            return
        scope = await _root(context, caller)
    else:
        scope = await desks_store.get(context.bot_data.db, desk_id)
        if scope is None:
            await popup(query, t(caller.lang, "button.stale"))
            return
        if not caller.can_oversee(scope):
            await popup(query, t(caller.lang, "out_of_scope", code=scope.code), show_alert=True)
            return
    await query.answer()
    text, markup = await _page(context, caller, scope, page)
    await edit_or_ignore(query, text, reply_markup=markup)
