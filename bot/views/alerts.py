"""How empty-desk alerts look in a chat: one paragraph per alert and its buttons.

The same view serves the grouped outbox message and ``/peringatan``.
"""

from __future__ import annotations

import html
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import AlertAck, DeskView
from bot.texts import Markup, fmt_duration, fmt_time, t
from bot.views.limits import TEXT_MAX, visible_length
from storage import desks as desks_store
from storage import members as members_store
from storage.alerts import AlertView
from storage.models import Desk, Member
from storage.sqlite.engine import Database

MAX_LINES = 20  # desks listed in one message
# Visible UTF-16 units of those lines (Telegram allows TEXT_MAX), leaving room for a title and
# the last line.
MAX_TEXT = TEXT_MAX - 196
MAX_BUTTONS = 8


def mention(member: Member | None) -> Markup:
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


async def alert_lines(db: Database, alerts: list[AlertView], lang: str, now: datetime
                      ) -> list[str]:
    """One paragraph per alert: desk, since when, who was last there, its state.

    At most ``MAX_LINES`` alerts and ``MAX_TEXT`` units as Telegram counts them, so the
    message (with its title) stays within its limit; the rest are counted in a last line.
    """
    desks = await desks_of(db, alerts)
    lines: list[str] = []
    size = shown = 0
    for alert in alerts[:MAX_LINES]:
        desk = desks[alert.desk_id]
        end = alert.resolved_at or now  # an alert that is over stays as long as it was
        paragraph = [t(lang, "alert.line", desk=desk.name, code=desk.code,
                       since=fmt_time(alert.short_since, desk.tz, now),
                       duration=fmt_duration(lang, end - alert.short_since))]
        if alert.resolved_at is None:
            last = (await members_store.get(db, alert.last_member_id)
                    if alert.last_member_id else None)
            paragraph.append(t(lang, "alert.last", who=mention(last)) if last
                             else t(lang, "alert.nobody_yet"))
        if alert.resolved_at is not None:
            paragraph.append(t(lang, f"alert.resolved.{alert.resolution}"))
        elif alert.acked_at is not None and alert.acked_by is not None:
            taker = await members_store.get(db, alert.acked_by)
            paragraph.append(t(lang, "alert.acked", who=mention(taker),
                               time=fmt_time(alert.acked_at, desk.tz, now)))
        elif alert.forwarded:
            paragraph.append(t(lang, "alert.escalated"))
        length = sum(visible_length(line) + 1 for line in paragraph)
        if shown and size + length > MAX_TEXT:
            break
        lines.extend(paragraph)
        size += length
        shown += 1
    if len(alerts) > shown:
        lines.append(t(lang, "alert.more", n=len(alerts) - shown))
    return lines


async def alert_keyboard(db: Database, alerts: list[AlertView], lang: str
                         ) -> InlineKeyboardMarkup | None:
    """*Saya tangani* and *Lihat posko* for each alert still waiting for someone."""
    waiting = [a for a in alerts if a.acked_at is None and a.resolved_at is None]
    if not waiting:
        return None
    if len(alerts) == 1:
        alert = waiting[0]
        return InlineKeyboardMarkup([[
            InlineKeyboardButton(t(lang, "alert.ack_button"),
                                 callback_data=AlertAck(alert.id).pack()),
            InlineKeyboardButton(t(lang, "alert.view_button"),
                                 callback_data=DeskView(alert.desk_id).pack()),
        ]])
    desks = await desks_of(db, waiting)
    return InlineKeyboardMarkup([
        # Button texts are shown as they are, not parsed as HTML: the name goes in as is.
        [InlineKeyboardButton(t(lang, "alert.ack_button_desk",
                                desk=Markup(desks[a.desk_id].name)),
                              callback_data=AlertAck(a.id).pack()),
         InlineKeyboardButton("👁", callback_data=DeskView(a.desk_id).pack())]
        for a in waiting[:MAX_BUTTONS]
    ])
