"""``/ekspor [from] [to]``: the scope's shifts, alerts and incidents as an XLSX document."""

from __future__ import annotations

import asyncio
import io

from telegram import InputFile, Update

from bot.context import Ctx
from bot.files.xlsx import workbook_bytes
from bot.handlers.common import private_supervisor, reply
from bot.reports.export import (
    MAX_ROWS,
    PeriodError,
    export_data,
    file_name,
    fmt_period,
    named_day,
    period,
    utc_bounds,
)
from bot.texts import fmt_count, t, zone_name
from storage import exports as exports_store
from storage.models import utcnow


async def export(update: Update, context: Ctx) -> None:
    """Send the XLSX of the caller's scope for today, one day or a range of days."""
    caller = await private_supervisor(update, context)
    message = update.effective_message
    if caller is None or message is None:
        return
    lang, settings = caller.lang, context.bot_data.settings
    tz = caller.desk.tz if caller.desk is not None and not caller.is_admin else settings.tz
    args, today = context.args or [], utcnow().astimezone(tz).date()
    named = named_day(" ".join(args), today)
    if named is not None:
        args = [named.isoformat()]
    if len(args) > 2:
        await reply(update, t(lang, "export.usage"))
        return
    try:
        first, last = period(args[0] if args else None, args[1] if len(args) > 1 else None,
                             today)
    except PeriodError as exc:
        await reply(update, t(lang, f"export.{exc.reason}", **exc.values))
        return
    if caller.scope_path is None or caller.desk is None:
        scope_label, code = t(lang, "export.all"), t(lang, "export.file_all")
    else:
        scope_label, code = f"{caller.desk.name} ({caller.desk.code})", caller.desk.code
    span = fmt_period(first, last)
    rows = await exports_store.count(context.bot_data.db, caller.scope_path,
                                     *utc_bounds(first, last, tz))
    if rows > MAX_ROWS:
        # What helps: fewer days; for one day, the server (which the sekretariat runs).
        advice = ("export.too_big.server" if caller.is_admin else
                  "export.too_big.days" if last > first else "export.too_big.ask")
        await reply(update, t(lang, "export.too_big", scope=scope_label, period=span,
                              rows=fmt_count(lang, rows), max=fmt_count(lang, MAX_ROWS))
                    + t(lang, advice))
        return
    pledge = context.bot_data.pledge
    data, sheets = await export_data(context.bot_data.db, caller.scope_path, first, last, tz, lang,
                                     pledge.version if pledge else None)
    if data.empty:
        await reply(update, t(lang, "export.empty", scope=scope_label, period=span))
        return
    # openpyxl is CPU-bound: a kota-wide month must not stall every other chat.
    content = await asyncio.to_thread(workbook_bytes, sheets)
    caption = t(lang, "export.caption", scope=scope_label, period=span, shifts=len(data.shifts),
                alerts=len(data.alerts), incidents=len(data.incidents), zone=zone_name(tz))
    await message.reply_document(
        document=InputFile(io.BytesIO(content), filename=file_name(code, first, last)),
        caption=caption, do_quote=False)
