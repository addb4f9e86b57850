"""Rendering outbox intents into messages, in the recipient's language, from current state.

An intent carries ids, not text: the message is built when it is sent (or edited), so it
always shows the alert as it is now (taken by whom, over or not), and a backlog never sends a
stale picture. Returns None when there is nothing left to say (the row is then settled).
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.config import Settings
from bot.outbox.digest import DigestRenderer
from bot.outbox.incidents import IncidentRenderer
from bot.outbox.sender import Rendered
from bot.texts import Markup, fmt_duration, fmt_time, t
from storage import alerts as alerts_store
from storage import desks as desks_store
from storage import members as members_store
from storage import outbox as outbox_store
from storage import presence as presence_store
from storage import shifts as shifts_store
from storage.alerts import AlertView
from storage.models import Desk, Member, utcnow
from storage.outbox import OutboxRow
from storage.sqlite.engine import Database

MAX_LINES = 20  # desks listed in one message (Telegram allows 4096 characters)
MAX_TEXT = 3900  # characters of those lines, leaving room for a title and the last line
MAX_BUTTONS = 8
ACK_PREFIX = "ack:"
DESK_PREFIX = "desk:"
PRESENCE_PREFIX = "pc:"


def mention(member: Member | None) -> Markup:
    """A tappable mention of a member (HTML), with their @username when they have one."""
    if member is None:
        return Markup("—")
    text = f'<a href="tg://user?id={member.telegram_id}">{html.escape(member.full_name)}</a>'
    return Markup(f"{text} (@{html.escape(member.username)})" if member.username else text)


class Renderer:
    """Turns outbox rows into :class:`Rendered` messages (the sender's ``render``)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        incidents = IncidentRenderer(db)
        digests = DigestRenderer(db, settings)
        self._kinds: dict[str, Callable[[OutboxRow, str], Awaitable[Rendered | None]]] = {
            "alerts": self._alerts,
            "alert_update": self._update,
            "alerts_resolved": self._resolved,
            "presence_check": self._presence_check,
            "shift_closed": self._shift_closed,
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

    async def _desks(self, alerts: list[AlertView]) -> dict[int, Desk]:
        found = {}
        for desk_id in {a.desk_id for a in alerts}:
            desk = await desks_store.get(self.db, desk_id)
            if desk is not None:
                found[desk_id] = desk
        return found

    async def alert_lines(self, alerts: list[AlertView], lang: str, now: datetime) -> list[str]:
        """One paragraph per alert: desk, since when, who was last there, its state.

        At most ``MAX_LINES`` alerts and ``MAX_TEXT`` characters, so the message (with its
        title) stays within Telegram's 4096; the rest are counted in a last line.
        """
        desks = await self._desks(alerts)
        lines: list[str] = []
        size = shown = 0
        for alert in alerts[:MAX_LINES]:
            desk = desks[alert.desk_id]
            end = alert.resolved_at or now  # an alert that is over stays as long as it was
            paragraph = [t(lang, "alert.line", desk=desk.name, code=desk.code,
                           since=fmt_time(alert.short_since, desk.tz, now),
                           duration=fmt_duration(lang, end - alert.short_since))]
            if alert.resolved_at is None:
                last = (await members_store.get(self.db, alert.last_member_id)
                        if alert.last_member_id else None)
                paragraph.append(t(lang, "alert.last", who=mention(last)) if last
                                 else t(lang, "alert.nobody_yet"))
            if alert.resolved_at is not None:
                paragraph.append(t(lang, f"alert.resolved.{alert.resolution}"))
            elif alert.acked_at is not None and alert.acked_by is not None:
                taker = await members_store.get(self.db, alert.acked_by)
                paragraph.append(t(lang, "alert.acked", who=mention(taker),
                                   time=fmt_time(alert.acked_at, desk.tz, now)))
            elif alert.level > 0:
                paragraph.append(t(lang, "alert.escalated"))
            length = sum(len(line) + 1 for line in paragraph)
            if shown and size + length > MAX_TEXT:
                break
            lines.extend(paragraph)
            size += length
            shown += 1
        if len(alerts) > shown:
            lines.append(t(lang, "alert.more", n=len(alerts) - shown))
        return lines

    async def alert_keyboard(self, alerts: list[AlertView], lang: str
                             ) -> InlineKeyboardMarkup | None:
        """*Saya tangani* and *Lihat posko* for each alert still waiting for someone."""
        waiting = [a for a in alerts if a.acked_at is None and a.resolved_at is None]
        if not waiting:
            return None
        if len(alerts) == 1:
            alert = waiting[0]
            return InlineKeyboardMarkup([[
                InlineKeyboardButton(t(lang, "alert.ack_button"),
                                     callback_data=f"{ACK_PREFIX}{alert.id}"),
                InlineKeyboardButton(t(lang, "alert.view_button"),
                                     callback_data=f"{DESK_PREFIX}{alert.desk_id}"),
            ]])
        desks = await self._desks(waiting)
        return InlineKeyboardMarkup([
            # Button texts are shown as they are, not parsed as HTML: the name goes in as is.
            [InlineKeyboardButton(t(lang, "alert.ack_button_desk",
                                    desk=Markup(desks[a.desk_id].name)),
                                  callback_data=f"{ACK_PREFIX}{a.id}"),
             InlineKeyboardButton("👁", callback_data=f"{DESK_PREFIX}{a.desk_id}")]
            for a in waiting[:MAX_BUTTONS]
        ])

    async def _alerts(self, row: OutboxRow, lang: str) -> Rendered | None:
        alerts = await alerts_store.get_many(self.db, list(row.payload["alerts"]))
        if not alerts:
            return None
        title = (t(lang, "alert.title_one") if len(alerts) == 1
                 else t(lang, "alert.title_many", n=len(alerts)))
        lines = await self.alert_lines(alerts, lang, utcnow())
        return Rendered("\n".join([title, *lines]), await self.alert_keyboard(alerts, lang))

    async def _update(self, row: OutboxRow, lang: str) -> Rendered | None:
        """Re-render an earlier alert message in place (someone took it)."""
        target_id = int(row.payload["target"])
        sent = await outbox_store.sent_message(self.db, target_id)
        original = await outbox_store.get_row(self.db, target_id)
        if sent is None or original is None:
            return None  # the original never reached the chat: nothing to edit
        fresh = await self._alerts(original, lang)
        if fresh is None:
            return None
        return Rendered(fresh.text, fresh.reply_markup, edit=sent)

    async def _resolved(self, row: OutboxRow, lang: str) -> Rendered | None:
        alerts = await alerts_store.get_many(self.db, list(row.payload["alerts"]))
        desks = await self._desks(alerts)
        lines = [t(lang, "resolved.title")]
        for alert in alerts[:MAX_LINES]:
            end = alert.resolved_at or utcnow()
            lines.append(t(lang, "resolved.line", desk=desks[alert.desk_id].name,
                           duration=fmt_duration(lang, end - alert.short_since),
                           reason=t(lang, f"resolved.{alert.resolution or 'staffed'}")))
        if len(alerts) > MAX_LINES:
            lines.append(t(lang, "alert.more", n=len(alerts) - MAX_LINES))
        return Rendered("\n".join(lines)) if alerts else None

    async def _presence_check(self, row: OutboxRow, lang: str) -> Rendered | None:
        shift = await shifts_store.get(self.db, int(row.payload["shift"]))
        desk = await desks_store.get(self.db, shift.desk_id) if shift else None
        if shift is None or shift.ended_at is not None or desk is None:
            return None  # the shift is already over: do not ask
        if not await presence_store.is_waiting(self.db, int(row.payload["check"])):
            return None  # a live location answered it while the message waited to go out
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(
            t(lang, "presence.button"),
            callback_data=f"{PRESENCE_PREFIX}{row.payload['check']}")]])
        return Rendered(t(lang, "presence.ask", desk=desk.name,
                          timeout=fmt_duration(lang, self.settings.presence_confirm_timeout)),
                        keyboard)

    async def _shift_closed(self, row: OutboxRow, lang: str) -> Rendered | None:
        shift = await shifts_store.get(self.db, int(row.payload["shift"]))
        desk = await desks_store.get(self.db, shift.desk_id) if shift else None
        if shift is None or desk is None or shift.ended_at is None:
            return None
        return Rendered(t(lang, f"shift_closed.{row.payload['reason']}", desk=desk.name,
                          time=fmt_time(shift.ended_at, desk.tz, utcnow())))
