"""``/status``: the caller's own shift and desk; for supervisors a summary of their scope; for
a partner liaison their agency's open reports (never presence)."""

from __future__ import annotations

from telegram import Update

from bot.context import Ctx
from bot.handlers.common import private_member, reply
from bot.texts import fmt_duration, fmt_time, fmt_until, t
from storage import desks as desks_store
from storage import incidents as incidents_store
from storage import shifts as shifts_store
from storage.desks import schedule_of
from storage.models import utcnow
from storage.rules.duty import desk_state


async def status(update: Update, context: Ctx) -> None:
    """Own shift and desk state; supervisors and admins also get their scope summary."""
    caller = await private_member(update, context)
    if caller is None:
        return
    db, now, lang = context.bot_data.db, utcnow(), caller.lang
    desk = caller.desk
    if caller.is_partner and desk is not None:  # reports only: a liaison sees no presence
        name = context.bot_data.settings.routing.name(caller.agency or "")
        total, _ = await incidents_store.open_in_scope(db, desk.path, 0, 0, caller.agency)
        await reply(update, t(lang, "status.partner", agency=name, desk=desk.name, n=total))
        return
    lines = []
    if desk is not None:
        shift = await shifts_store.open_shift(db, caller.user_id)
        if shift is not None:
            lines.append(t(lang, "status.on_shift", desk=desk.name,
                           since=fmt_time(lang, shift.started_at, desk.tz, now),
                           duration=fmt_duration(lang, now - shift.started_at)))
        elif caller.is_officer:
            lines.append(t(lang, "status.off_shift"))
        open_now = await shifts_store.open_count(db, desk.id)
        state = desk_state(await schedule_of(db, desk), desk.tz, open_now, now)
        duty = (t(lang, "status.duty_on", until=fmt_until(lang, state.span.end, desk.tz, now))
                if state.span else t(lang, "status.duty_off"))
        lines.append(t(lang, "status.desk", desk=desk.name, open=open_now,
                       min=state.min_staff if state.span else desk.min_staff, duty=duty))
    if caller.is_supervisor:
        summary = await desks_store.summarize(db, caller.scope_path, now)
        scope = desk.name if desk is not None and not caller.is_admin else t(lang, "status.all")
        lines.append(t(lang, "status.scope", scope=scope, total=summary.total,
                       on_duty=summary.on_duty, short=summary.short, staffed=summary.staffed))
    await reply(update, "\n".join(lines))
