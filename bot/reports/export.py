"""The export of a scope over local dates: the date range, its rows and its sheets.

Dates are local dates in the caller's zone (their desk's; the installation's for admins),
turned into one UTC half-open range. ``/ekspor`` and ``posko-bot export`` share all of it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.files.xlsx import Sheet, export_sheets, moved_sheet, pledge_sheet
from storage import exports as exports_store
from storage import pledges as pledges_store
from storage import relocations
from storage.exports import ExportData
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


# Days a user may name instead of a date (``/ekspor kemarin``), as days before today.
NAMED_DAYS = {"hari ini": 0, "today": 0, "kemarin": 1, "yesterday": 1}


def named_day(text: str, today: date) -> date | None:
    """The day ``text`` names (``kemarin``, ``hari ini``, any case), or None."""
    back = NAMED_DAYS.get(" ".join(text.split()).casefold())
    return None if back is None else today - timedelta(days=back)


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


async def export_data(db: Database, scope_path: str | None, first: date, last: date, tz: ZoneInfo,
                lang: str, pledge_version: str | None = None
                ) -> tuple[ExportData, list[Sheet]]:
    """The rows of a scope (None: everything) over the local dates, and their sheets; with
    ``pledge_version``, a last sheet of who confirmed that pledge and when."""
    data = await exports_store.collect(db, scope_path, *utc_bounds(first, last, tz))
    sheets = export_sheets(data, tz, lang)
    start, end = utc_bounds(first, last, tz)
    moved = await relocations.moved_between(db, scope_path, start, end)
    if moved:  # most days move no TPS: the sheet is there when one did
        sheets.append(moved_sheet(moved, tz, lang))
    if pledge_version is not None:
        sheets.append(pledge_sheet(await pledges_store.of_scope(db, scope_path, pledge_version),
                                   tz, lang))
    return data, sheets
