"""``/ekspor [from] [to]``: the scope's shifts, alerts and incidents as an XLSX document.

Dates are local dates in the caller's zone (their desk's; the installation's for admins),
turned into one UTC half-open range. The same pieces serve ``posko-bot export``.
"""

from __future__ import annotations

import asyncio
import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram import InputFile, Update

from bot.context import Ctx
from bot.files.xlsx import Sheet, export_sheets, workbook_bytes
from bot.handlers.common import private_supervisor, reply
from bot.texts import fmt_count, t, zone_name
from storage import exports as exports_store
from storage.exports import ExportData
from storage.models import utcnow
from storage.sqlite.engine import Database

MAX_DAYS = 31
# A chat export is built in the bot's own process: openpyxl holds the workbook in memory
# (25,000 rows: about 85 MB and 3 s on the reference machine). Larger exports are for
# ``posko-bot export`` on the server.
MAX_ROWS = 25_000
_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


class PeriodError(ValueError):
    """A date range that cannot be exported; ``reason`` names its ``export.*`` text."""

    def __init__(self, reason: str, message: str, **values: object) -> None:
        super().__init__(message)
        self.reason = reason
        self.values = values


def parse_day(text: str) -> date:
    """``2026-11-20``, ``20/11/2026`` or ``20-11-2026``; ValueError otherwise."""
    for pattern in _FORMATS:
        try:
            day = datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
        if date.min < day < date.max:  # the calendar's ends overflow in UTC or as "+1 day"
            return day
        break
    raise PeriodError("bad_date", f"not a date: {text} (use YYYY-MM-DD or DD/MM/YYYY)",
                      value=text[:40])


def fmt_day(day: date) -> str:
    """A date as users write it: ``20/11/2026``."""
    return f"{day:%d/%m/%Y}"


def period(first: str | None, last: str | None, today: date,
           max_days: int | None = MAX_DAYS) -> tuple[date, date]:
    """The inclusive local date range: none given = today, one = that day.

    Raises :class:`PeriodError` for a bad date, an end before the start, or more than
    ``max_days`` days (in a chat an export must stay a size a phone can open).
    """
    start = parse_day(first) if first else None
    end = parse_day(last) if last else None
    start = start or end or today
    end = end or start
    if end < start:
        raise PeriodError("order", f"the end date {end} is before the start date {start}",
                          first=fmt_day(start), last=fmt_day(end))
    days = (end - start).days + 1
    if max_days is not None and days > max_days:
        raise PeriodError("too_long", f"{days} days; at most {max_days} days at a time",
                          first=fmt_day(start), last=fmt_day(end), days=days, max=max_days)
    return start, end


def utc_bounds(first: date, last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """``[first 00:00, last + 1 day 00:00)`` in ``tz``, as aware datetimes."""
    return (datetime.combine(first, time(0), tzinfo=tz),
            datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz))


def fmt_period(first: date, last: date) -> str:
    """``20/11/2026`` or ``20/11/2026–25/11/2026``."""
    return fmt_day(first) if first == last else f"{fmt_day(first)}–{fmt_day(last)}"


def file_name(code: str, first: date, last: date) -> str:
    """``posko-31.73.01-2026-11-20-2026-11-25.xlsx``."""
    return f"posko-{code}-{first:%Y-%m-%d}-{last:%Y-%m-%d}.xlsx"


async def build(db: Database, scope_path: str | None, first: date, last: date, tz: ZoneInfo,
                lang: str) -> tuple[ExportData, list[Sheet]]:
    """The rows of a scope (None: everything) over the local dates, and their sheets."""
    data = await exports_store.collect(db, scope_path, *utc_bounds(first, last, tz))
    return data, export_sheets(data, tz, lang)


async def export(update: Update, context: Ctx) -> None:
    """Send the XLSX of the caller's scope for today, one day or a range of days."""
    caller = await private_supervisor(update, context)
    message = update.effective_message
    if caller is None or message is None:
        return
    lang, settings = caller.lang, context.bot_data.settings
    tz = caller.desk.tz if caller.desk is not None and not caller.is_admin else settings.tz
    args = context.args or []
    if len(args) > 2:
        await reply(update, t(lang, "export.usage"))
        return
    try:
        first, last = period(args[0] if args else None, args[1] if len(args) > 1 else None,
                             utcnow().astimezone(tz).date())
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
        await reply(update, t(lang, "export.too_big", scope=scope_label, period=span,
                              rows=fmt_count(lang, rows), max=fmt_count(lang, MAX_ROWS)))
        return
    data, sheets = await build(context.bot_data.db, caller.scope_path, first, last, tz, lang)
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
