"""``posko-bot digest`` and ``posko-bot export``: a scope's digest and its data, offline."""

from __future__ import annotations

import argparse
import asyncio
from datetime import date
from pathlib import Path

from bot.cli.common import USAGE_ERROR, CliError, with_db
from bot.config import Settings
from storage.models import Desk
from storage.sqlite.engine import Database


def cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    """Print a scope's digest, write its chart, and optionally queue it for sending."""
    from datetime import datetime, timedelta

    from bot.reports.digest import digest_png, digest_text
    from bot.texts import plain_text
    from scheduler.digest import build_digest, next_digest
    from storage import digests as digests_store
    from storage.models import utcnow

    day = _day(args.date)  # the same date forms as export

    async def work(db: Database) -> int:
        desk = await _scope(db, args.scope)
        now = utcnow()
        today = now.astimezone(desk.tz).date()
        if day is None:  # the last digest time that has passed
            end = next_digest(now - timedelta(days=1), settings.digest_time, desk.tz)
        elif day > today:
            raise CliError(f"no digest for {day}: that day has not come yet in {desk.code} "
                           f"(today is {today})")
        else:  # today's digest counts up to now
            end = datetime.combine(day, settings.digest_time, tzinfo=desk.tz)
        digest = await build_digest(db, desk, end, desk.tz, now=now)
        text = digest_text(digest, settings.language)
        print(plain_text(text))
        if args.send:  # before the chart: a file that cannot be written must not stop it
            chats = await digests_store.scope_chats(db, desk.id)
            await digests_store.queue_now(db, chats, desk.id, end, now)
            print(f"queued for {len(chats)} chat(s); the running bot sends it")
        out = args.out or Path(f"posko-digest-{desk.code}-{end.astimezone(desk.tz):%Y-%m-%d}"
                               ".png")
        try:
            out.write_bytes(await digest_png(digest, settings.language))
        except OSError as exc:
            raise CliError(f"cannot write {exc.filename or out}: {exc.strerror}") from None
        print(f"chart written to {out}")
        return 0

    return with_db(settings, work, writes=args.send)


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write a scope's shifts, alerts and incidents as XLSX, and as CSV files with --csv."""
    from bot.files.xlsx import workbook_bytes, write_csv
    from bot.reports.export import PeriodError, export_data, file_name, period
    from bot.views.pledge import load as load_pledge
    from storage.models import utcnow

    for value in (args.date_from, args.date_to):
        _day(value)  # bad dates are usage errors, found before the database is opened

    async def work(db: Database) -> int:
        desk = await _scope(db, args.scope)
        try:
            # No 31-day cap: that keeps a file a phone can open; here it goes to a disk.
            first, last = period(args.date_from, args.date_to,
                                 utcnow().astimezone(desk.tz).date(), max_days=None)
        except PeriodError as exc:
            raise CliError(str(exc), USAGE_ERROR) from None
        pledge = load_pledge(settings)
        data, sheets = await export_data(db, desk.path, first, last, desk.tz, settings.language,
                                         pledge.version if pledge else None)
        if data.empty:
            raise CliError(f"nothing to export: no shifts, alerts or incidents in {desk.code} "
                           f"from {first} to {last}")
        out = args.out or Path(file_name(desk.code, first, last))
        try:
            out.write_bytes(await asyncio.to_thread(workbook_bytes, sheets))
            print(f"wrote {out}: {len(data.shifts)} shifts, {len(data.alerts)} alerts, "
                  f"{len(data.incidents)} incidents ({desk.code} {desk.name}, {first} to {last})")
            if args.csv:
                args.csv.mkdir(parents=True, exist_ok=True)
                names = ("shifts", "alerts", "incidents", "pledges")[:len(sheets)]
                for name, sheet in zip(names, sheets, strict=True):
                    write_csv(sheet, args.csv / f"{name}.csv")
                    print(f"wrote {args.csv / f'{name}.csv'}: {len(sheet.rows)} rows")
        except OSError as exc:
            raise CliError(f"cannot write {exc.filename or out}: {exc.strerror}") from None
        return 0

    return with_db(settings, work, writes=False)


def _day(value: str | None) -> date | None:
    """A day as ``digest --date`` and ``export --from/--to`` take it (a bad one: usage error)."""
    from bot.reports.export import PeriodError, parse_day

    if not value:
        return None
    try:
        return parse_day(value)
    except PeriodError as exc:
        raise CliError(str(exc), USAGE_ERROR) from None


async def _scope(db: Database, code: str) -> Desk:
    """The desk whose scope a report covers, by its code."""
    from storage import desks as desks_store

    desk = await desks_store.by_code(db, code)
    if desk is None:
        raise CliError(f"no desk has the code {code} (import desks first)")
    return desk
