"""How empty-desk alerts look in a chat: one paragraph per alert and its buttons.

The same view serves the grouped outbox message and ``/peringatan``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import AlertAck, DeskView
from bot.texts import Markup, fmt_duration, fmt_time, t
from bot.views.limits import TEXT_MAX, visible_length
from storage import desks as desks_store
from storage import members as members_store
from storage.alerts import AlertView
from storage.models import Desk
from storage.sqlite.engine import Database

PAGE = 8  # alerts listed in one message, each with its own buttons: every one can be taken
MAX_LINES = 20  # desks listed in a resolution message (it has no buttons)
# Visible UTF-16 units of the listed alerts (Telegram allows TEXT_MAX), leaving room for a
# title, the legend and the last line.
MAX_TEXT = TEXT_MAX - 300


class Person(Protocol):
    """Whoever can be mentioned: a member, or a member as listed for management."""

    @property
    def telegram_id(self) -> int: ...
    @property
    def full_name(self) -> str: ...
    @property
    def username(self) -> str | None: ...


def mention(member: Person | None) -> Markup:
    """A tappable mention of a member (HTML), with their @username when they have one."""
    if member is None:
        return Markup("—")
    text = f'<a href="tg://user?id={member.telegram_id}">{html.escape(member.full_name)}</a>'
    return Markup(f"{text} (@{html.escape(member.username)})" if member.username else text)


async def desks_of(db: Database, alerts: list[AlertView]) -> dict[int, Desk]:
    """The desks of ``alerts`` by id (a desk deleted meanwhile is left out)."""
    found = {}
    for desk_id in {a.desk_id for a in alerts}:
        desk = await desks_store.get(db, desk_id)
        if desk is not None:
            found[desk_id] = desk
    return found


@dataclass(frozen=True, slots=True)
class AlertList:
    """Up to :data:`PAGE` alerts as lines, what their symbols mean, and their buttons."""

    lines: list[str]
    legend: str | None
    keyboard: InlineKeyboardMarkup | None
    shown: int

    def text(self, header: str, rest: str | None = None) -> str:
        """The message: header, the alerts, ``rest`` (those not shown), the legend."""
        parts = [header, *self.lines, *([rest] if rest else []),
                 *([self.legend] if self.legend else [])]
        return "\n".join(parts)


async def alert_list(db: Database, alerts: list[AlertView], lang: str, now: datetime
                     ) -> AlertList:
    """Lines and buttons for up to :data:`PAGE` alerts.

    One short line per alert (desk, since when, who was there last, ⬆️ when forwarded), a
    second line only when taken or over; one button row per alert still waiting, and a
    legend saying what the symbols mean. Fewer alerts are shown if their text would pass
    ``MAX_TEXT`` units as Telegram counts them.
    """
    desks = await desks_of(db, alerts)
    lines: list[str] = []
    rows: list[list[InlineKeyboardButton]] = []
    size = shown = 0
    forwarded = False
    for alert in alerts[:PAGE]:
        desk = desks[alert.desk_id]
        end = alert.resolved_at or now  # an alert that is over stays as long as it was
        line = t(lang, "alert.line", desk=desk.name,
                 since=fmt_time(lang, alert.short_since, desk.tz, now),
                 duration=fmt_duration(lang, end - alert.short_since))
        paragraph = [line]
        if alert.resolved_at is None and alert.last_member_id:
            last = await members_store.get(db, alert.last_member_id)
            if last is not None:
                paragraph[0] += t(lang, "alert.last", who=mention(last))
        waiting = alert.acked_at is None and alert.resolved_at is None
        if alert.resolved_at is not None:
            paragraph.append(t(lang, f"alert.resolved.{alert.resolution}"))
        elif alert.acked_at is not None and alert.acked_by is not None:
            taker = await members_store.get(db, alert.acked_by)
            paragraph.append(t(lang, "alert.acked", who=mention(taker),
                               time=fmt_time(lang, alert.acked_at, desk.tz, now)))
        elif alert.forwarded:
            paragraph[0] += " ⬆️"
        length = sum(visible_length(text) + 1 for text in paragraph)
        if shown and size + length > MAX_TEXT:
            break
        lines.extend(paragraph)
        size += length
        shown += 1
        forwarded = forwarded or (waiting and alert.forwarded)
        if waiting:
            rows.append(_buttons(alert, desk, lang, single=len(alerts) == 1))
    legend = ([t(lang, "alert.legend_buttons")] if len(rows) > 1 else []) + (
        [t(lang, "alert.legend_forwarded")] if forwarded else [])
    return AlertList(lines, " · ".join(legend) if legend else None,
                     InlineKeyboardMarkup(rows) if rows else None, shown)


def _buttons(alert: AlertView, desk: Desk, lang: str, *, single: bool
             ) -> list[InlineKeyboardButton]:
    """*Saya tangani* and *Lihat posko* for one alert; named after the desk in a list."""
    if single:
        return [InlineKeyboardButton(t(lang, "alert.ack_button"),
                                     callback_data=AlertAck(alert.id).pack()),
                InlineKeyboardButton(t(lang, "alert.view_button"),
                                     callback_data=DeskView(alert.desk_id).pack())]
    # Button texts are shown as they are, not parsed as HTML: the name goes in as is.
    return [InlineKeyboardButton(t(lang, "alert.ack_button_desk", desk=Markup(desk.name)),
                                 callback_data=AlertAck(alert.id).pack()),
            InlineKeyboardButton(t(lang, "alert.view_button_short"),
                                 callback_data=DeskView(alert.desk_id).pack())]
