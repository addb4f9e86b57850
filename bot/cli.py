"""``posko-bot``: run the bot and the operators' commands.

Every failure a user can cause ends with one line on stderr and a non-zero exit code, never a
traceback: 2 for a usage or configuration problem, 1 for a failed operation.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine, Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import ConfigError, Settings, load_settings, parse_duration, unknown_keys
from storage.db import Database, StorageError

if TYPE_CHECKING:
    from bot.app import PoskoApp

USAGE_ERROR, FAILURE = 2, 1


class CliError(Exception):
    """A one-line reason to stop with ``code``."""

    def __init__(self, message: str, code: int = FAILURE) -> None:
        super().__init__(message)
        self.code = code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="posko-bot", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("run", help="run the bot (long polling, or a webhook with "
                   "POSKO_WEBHOOK_URL)")
    imp = sub.add_parser("import-desks", help="create or update desks from a CSV file")
    imp.add_argument("file", type=Path)
    sch = sub.add_parser("import-schedule", help="set weekday/date duty rules from a CSV file")
    sch.add_argument("file", type=Path)
    inv = sub.add_parser("invite", help="create an invite link for a desk")
    inv.add_argument("--desk", required=True, help="desk code, e.g. 31.73.01.1001")
    inv.add_argument("--role", required=True, choices=("officer", "supervisor"))
    inv.add_argument("--uses", type=int, default=1, help="how many people may use it (1)")
    inv.add_argument("--expires", default=None, help="lifetime, e.g. 7d, 12h (POSKO_INVITE_TTL)")
    dig = sub.add_parser("digest", help="build a scope's daily digest now (text and chart)")
    dig.add_argument("--scope", required=True, help="desk code whose scope the digest covers")
    dig.add_argument("--date", help="the day (YYYY-MM-DD or DD/MM/YYYY) whose digest to "
                     "build (default: the last one due)")
    dig.add_argument("--out", type=Path, help="chart file (default posko-digest-CODE-DATE.png)")
    dig.add_argument("--send", action="store_true",
                     help="also queue it for the scope's supervisors and groups (the running "
                          "bot sends it)")
    exp = sub.add_parser("export", help="shifts, alerts and incidents of a scope as XLSX/CSV")
    exp.add_argument("--scope", required=True, help="desk code whose scope to export")
    exp.add_argument("--from", dest="date_from", help="first day (default: today in the "
                     "desk's zone); YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY")
    exp.add_argument("--to", dest="date_to", help="last day, inclusive (default: --from)")
    exp.add_argument("--out", type=Path, help="XLSX file (default posko-CODE-FROM-TO.xlsx)")
    exp.add_argument("--csv", type=Path, metavar="DIR",
                     help="also write shifts.csv, alerts.csv and incidents.csv into DIR")
    bak = sub.add_parser("backup", help="online backup of the database to PATH")
    bak.add_argument("path", type=Path)
    sub.add_parser("check-config", help="validate the settings and the database, then exit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``posko-bot``; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        for warning in unknown_keys():
            print(f"posko-bot: warning: {warning}", file=sys.stderr)
        command: Callable[[argparse.Namespace, Settings], int] = COMMANDS[args.command]
        return command(args, settings)
    except ConfigError as exc:
        print(f"posko-bot: configuration error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except CliError as exc:
        print(f"posko-bot: {exc}", file=sys.stderr)
        return exc.code
    except StorageError as exc:
        print(f"posko-bot: {exc}", file=sys.stderr)
        return FAILURE
    except KeyboardInterrupt:
        return 130


def _with_db(settings: Settings,
             work: Callable[[Database], Coroutine[Any, Any, int]]) -> int:
    async def runner() -> int:
        db = await Database.open(settings.db_path)
        try:
            return await work(db)
        finally:
            await db.close()

    return asyncio.run(runner())


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the bot until interrupted."""
    from telegram.error import Conflict, InvalidToken, NetworkError

    from bot import polling
    from bot.app import build_application
    from bot.logs import RedactToken, setup_logging

    settings.require_token()
    _with_db(settings, _noop)  # fail fast, with one line, on an unusable database
    setup_logging(settings.log_level, settings.telegram_bot_token)
    if settings.webhook_secret:  # PTB logs setWebhook's parameters at DEBUG
        for handler in logging.getLogger().handlers:
            handler.addFilter(RedactToken(settings.webhook_secret))
    app = build_application(settings)
    try:
        if settings.webhook_url:
            _run_webhook(app, settings)
        else:
            # Never drop pending updates: reports sent while the bot was down must be handled;
            # and confirm each update only once it was handled (see bot/polling.py).
            asyncio.run(polling.run(app))
    except InvalidToken:
        raise CliError("Telegram rejected TELEGRAM_BOT_TOKEN (check it with @BotFather)",
                       USAGE_ERROR) from None
    except Conflict:
        raise CliError("another process is receiving this bot's updates (a second posko-bot "
                       "run, or a webhook set meanwhile); stop it first") from None
    except NetworkError as exc:
        raise CliError(f"cannot reach the Bot API at TELEGRAM_API_BASE_URL: {exc}") from None
    return 0


def _run_webhook(app: PoskoApp, settings: Settings) -> None:
    """Serve the path of POSKO_WEBHOOK_URL on POSKO_WEBHOOK_LISTEN:POSKO_WEBHOOK_PORT.

    PTB registers the URL and the secret with ``setWebhook``, then answers 403 to every request
    without the right ``X-Telegram-Bot-Api-Secret-Token`` header, before reading the update.
    post_init and post_shutdown run around it as with long polling.
    """
    import re

    from telegram import Update
    from telegram.error import BadRequest

    # PTB logs a failed start-up request (token, setWebhook) with its traceback before raising
    # it again; the one line below gives the reason.
    logging.getLogger("telegram.ext").addFilter(_start_up_failure_without_traceback)
    try:
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=re.escape(settings.webhook_path),  # tornado reads it as a regex
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,  # updates sent while the bot was down are handled
        )
    except BadRequest as exc:
        raise CliError(f"Telegram refused a start-up request ({exc.message}); check "
                       "POSKO_WEBHOOK_URL", USAGE_ERROR) from None
    except OSError as exc:
        raise CliError(f"cannot listen on {settings.webhook_listen}:{settings.webhook_port} "
                       f"(POSKO_WEBHOOK_LISTEN, POSKO_WEBHOOK_PORT): {exc.strerror or exc}"
                       ) from None


def _start_up_failure_without_traceback(record: logging.LogRecord) -> bool:
    if (record.exc_info and record.getMessage().startswith("Network Retry Loop")
            and logging.getLogger().level > logging.DEBUG):
        record.exc_info = record.exc_text = None
    return True


async def _noop(db: Database) -> int:
    return 0


def _import(args: argparse.Namespace, settings: Settings, parse: Callable[[str], Any],
            apply: Callable[[Database, Any], Coroutine[Any, Any, str]]) -> int:
    """Read and validate a CSV, then apply it; print the summary line or every bad line."""
    from storage.importer import CsvImportError, read_csv_file

    try:
        rows = parse(read_csv_file(args.file))
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read {args.file}: {exc}") from None
    except CsvImportError as exc:
        return _report_bad_lines(args.file, exc.errors)

    async def work(db: Database) -> int:
        try:
            summary = await apply(db, rows)
        except CsvImportError as exc:
            return _report_bad_lines(args.file, exc.errors)
        print(f"{len(rows)} rows in {args.file}: {summary}")
        return 0

    return _with_db(settings, work)


def cmd_import_desks(args: argparse.Namespace, settings: Settings) -> int:
    """Import desks; print what changed, or every bad line."""
    from storage.importer import import_desks, parse_desk_csv

    async def apply(db: Database, rows: Any) -> str:
        result = await import_desks(db, rows, settings.timezone)
        return f"{result.inserted} new, {result.updated} updated, {result.unchanged} unchanged"

    return _import(args, settings, parse_desk_csv, apply)


def cmd_import_schedule(args: argparse.Namespace, settings: Settings) -> int:
    """Import duty rules; print how many desk rules were set or removed."""
    from storage.schedule import import_rules, parse_schedule_csv

    async def apply(db: Database, rows: Any) -> str:
        set_, deleted = await import_rules(db, rows)
        return f"{set_} desk rules set, {deleted} removed"

    return _import(args, settings, parse_schedule_csv, apply)


def _report_bad_lines(path: Path, errors: list[tuple[int, str]]) -> int:
    from storage.importer import MAX_ERRORS

    for line, message in errors[:MAX_ERRORS]:
        print(f"{path}:{line}: {message}", file=sys.stderr)
    more = len(errors) - MAX_ERRORS
    if more > 0:
        print(f"... and {more} more", file=sys.stderr)
    print(f"posko-bot: nothing imported ({len(errors)} bad line(s))", file=sys.stderr)
    return FAILURE


def cmd_invite(args: argparse.Namespace, settings: Settings) -> int:
    """Create an invite and print its deep link."""
    from bot.handlers.supervisor import invite_link
    from storage import desks as desks_store
    from storage import invites as invites_store
    from storage import meta
    from storage.models import Role, utcnow

    try:
        ttl = parse_duration(args.expires) if args.expires else settings.invite_ttl
    except ValueError as exc:
        raise CliError(f"--expires: {exc}", USAGE_ERROR) from None
    if ttl <= timedelta(0) or not 1 <= args.uses <= 10_000:
        raise CliError("--expires must be positive and --uses 1-10000", USAGE_ERROR)

    async def work(db: Database) -> int:
        desk = await desks_store.by_code(db, args.desk)
        if desk is None:
            raise CliError(f"no desk has the code {args.desk} (import desks first)")
        token = await invites_store.create(db, desk.id, Role(args.role), max_uses=args.uses,
                                           ttl=ttl, created_by=None, now=utcnow())
        username = await meta.get(db, "bot_username")
        username = username or await _bot_username(settings)
        until = (utcnow() + ttl).astimezone(desk.tz)
        print(f"{args.role} invite for {desk.code} {desk.name}, {args.uses} use(s), "
              f"valid until {until:%Y-%m-%d %H:%M %Z}:")
        print(invite_link(username, token) if username else f"/start {token}")
        return 0

    return _with_db(settings, work)


async def _bot_username(settings: Settings) -> str | None:
    """Ask Telegram for the bot's username when the bot has never run; None if impossible."""
    if not settings.telegram_bot_token:
        return None
    from telegram import Bot
    from telegram.error import TelegramError

    try:
        async with Bot(settings.telegram_bot_token,
                       base_url=settings.telegram_api_base_url) as bot:
            return bot.username
    except TelegramError:
        return None


def cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    """Print a scope's digest, write its chart, and optionally queue it for sending."""
    from datetime import datetime, timedelta

    from bot.handlers.exports import PeriodError, parse_day
    from bot.render_digest import digest_png, digest_text
    from bot.texts import plain_text
    from scheduler.digest import build, next_digest
    from storage import desks as desks_store
    from storage import digests as digests_store
    from storage.models import utcnow

    day = None
    if args.date:  # the same date forms as export
        try:
            day = parse_day(args.date)
        except PeriodError as exc:
            raise CliError(str(exc), USAGE_ERROR) from None

    async def work(db: Database) -> int:
        desk = await desks_store.by_code(db, args.scope)
        if desk is None:
            raise CliError(f"no desk has the code {args.scope}")
        now = utcnow()
        if day is None:  # the last digest time that has passed
            end = next_digest(now - timedelta(days=1), settings.digest_time, desk.tz)
        else:
            end = datetime.combine(day, settings.digest_time, tzinfo=desk.tz)
        digest = await build(db, desk, end, desk.tz)
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

    return _with_db(settings, work)


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write a scope's shifts, alerts and incidents as XLSX, and as CSV files with --csv."""
    from bot.handlers.exports import PeriodError, build, file_name, parse_day, period
    from bot.xlsx import workbook_bytes, write_csv
    from storage import desks as desks_store
    from storage.models import utcnow

    try:  # bad dates are usage errors, found before the database is opened
        for value in (args.date_from, args.date_to):
            if value:
                parse_day(value)
    except PeriodError as exc:
        raise CliError(str(exc), USAGE_ERROR) from None

    async def work(db: Database) -> int:
        desk = await desks_store.by_code(db, args.scope)
        if desk is None:
            raise CliError(f"no desk has the code {args.scope} (import desks first)")
        try:
            # No 31-day cap: that keeps a file a phone can open; here it goes to a disk.
            first, last = period(args.date_from, args.date_to,
                                 utcnow().astimezone(desk.tz).date(), max_days=None)
        except PeriodError as exc:
            raise CliError(str(exc), USAGE_ERROR) from None
        data, sheets = await build(db, desk.path, first, last, desk.tz, settings.language)
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
                for name, sheet in zip(("shifts", "alerts", "incidents"), sheets, strict=True):
                    write_csv(sheet, args.csv / f"{name}.csv")
                    print(f"wrote {args.csv / f'{name}.csv'}: {len(sheet.rows)} rows")
        except OSError as exc:
            raise CliError(f"cannot write {exc.filename or out}: {exc.strerror}") from None
        return 0

    return _with_db(settings, work)


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """Copy the live database consistently to ``path``."""
    if args.path.exists():
        raise CliError(f"{args.path} exists; choose a new file")

    async def work(db: Database) -> int:
        await db.backup(args.path)
        print(f"backup written to {args.path}")
        return 0

    return _with_db(settings, work)


def cmd_check_config(args: argparse.Namespace, settings: Settings) -> int:
    """Validate the settings (token included) and that the database opens."""
    from storage import desks as desks_store

    settings.require_token()

    async def work(db: Database) -> int:
        count = await desks_store.count(db)
        print(f"configuration OK; database {settings.db_path} has {count} desks")
        return 0

    return _with_db(settings, work)


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "run": cmd_run,
    "import-desks": cmd_import_desks,
    "import-schedule": cmd_import_schedule,
    "invite": cmd_invite,
    "digest": cmd_digest,
    "export": cmd_export,
    "backup": cmd_backup,
    "check-config": cmd_check_config,
}
