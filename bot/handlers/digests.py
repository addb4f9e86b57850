"""``/rekapharian [tanggal]`` (``/digest``): the daily digest of the caller's scope, on demand.

1. Who: supervisors and admins, in their private chat (their scope; an admin's is everything).
2. Which day: the date given, or today; a day after today (in the scope's zone) is refused
   with one line, as is a date that cannot be read.
3. The digest of that day as the scheduled one is built (the 24 hours before its time), but
   never past now: today's counts up to the moment of asking. Then its text and its chart.
"""

from __future__ import annotations

import io
from datetime import datetime

from telegram import InputFile, Update

from bot.context import Ctx
from bot.handlers.common import private_supervisor, reply
from bot.reports.digest import digest_png, digest_text
from bot.reports.export import PeriodError, fmt_day, parse_day
from bot.texts import t
from scheduler.digest import build_digest
from storage.models import utcnow


async def digest(update: Update, context: Ctx) -> None:
    """Send the digest of the caller's scope for a past day, or for today up to now."""
    caller = await private_supervisor(update, context)
    message = update.effective_message
    if caller is None or message is None:
        return
    lang, settings = caller.lang, context.bot_data.settings
    scope = caller.desk if caller.scope_path is not None else None
    tz = scope.tz if scope is not None else settings.tz
    args = context.args or []
    if len(args) > 1:
        await reply(update, t(lang, "digest.usage"))
        return
    now = utcnow()
    today = now.astimezone(tz).date()
    try:
        day = parse_day(args[0]) if args else today
    except PeriodError as exc:
        await reply(update, t(lang, f"export.{exc.reason}", **exc.values))
        return
    if day > today:
        await reply(update, t(lang, "digest.future", day=fmt_day(day), today=fmt_day(today)))
        return
    found = await build_digest(context.bot_data.db, scope,
                               datetime.combine(day, settings.digest_time, tzinfo=tz), tz,
                               now=now)
    await reply(update, digest_text(found, lang))
    photo = await digest_png(found, lang)
    await message.reply_photo(
        InputFile(io.BytesIO(photo), filename=f"rekap-{day.isoformat()}.png"),
        caption=t(lang, "digest.chart_caption",
                  scope=found.scope_name or t(lang, "digest.everything")),
        do_quote=False)
