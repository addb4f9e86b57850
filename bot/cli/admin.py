"""The operators' set-up commands: importing desks and duty rules, invites, backups and the
configuration check."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable, Coroutine
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.cli.common import FAILURE, USAGE_ERROR, CliError, TokenRefused, with_db
from bot.config import Settings, parse_duration
from storage.sqlite.engine import Database


def _import(args: argparse.Namespace, settings: Settings, parse: Callable[[str], Any],
            apply: Callable[[Database, Any], Coroutine[Any, Any, str]]) -> int:
    """Read and validate a CSV, then apply it; print the summary line or every bad line."""
    from storage.tables import CsvImportError, TableError, read_table

    try:
        rows = parse(read_table(args.file))
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    except TableError as exc:
        raise CliError(f"cannot import {args.file}: {exc}") from None
    except csv.Error as exc:  # the file is not CSV at all (a cell over the module's limit)
        raise CliError(f"cannot read {args.file} as CSV: {exc}") from None
    except CsvImportError as exc:
        return _report_bad_lines(args.file, exc.errors)

    async def work(db: Database) -> int:
        try:
            summary = await apply(db, rows)
        except CsvImportError as exc:
            return _report_bad_lines(args.file, exc.errors)
        print(f"{len(rows)} rows in {args.file}: {summary}")
        return 0

    return with_db(settings, work)


def cmd_import_desks(args: argparse.Namespace, settings: Settings) -> int:
    """Import desks; print what changed, or every bad line."""
    from storage.importer import DeskRow, import_desks, parse_desk_csv, within_scope

    def parse(text: str) -> list[DeskRow]:
        rows = parse_desk_csv(text)
        return within_scope(rows, args.scope) if args.scope else rows

    async def apply(db: Database, rows: Any) -> str:
        result = await import_desks(db, rows, settings.timezone)
        relabelled = f", {result.relabelled} relabelled" if result.relabelled else ""
        return (f"{result.inserted} new, {result.updated} updated, {result.unchanged} "
                f"unchanged{relabelled}")

    return _import(args, settings, parse, apply)


def cmd_import_schedule(args: argparse.Namespace, settings: Settings) -> int:
    """Import duty rules; print how many desk rules were set or removed."""
    from storage.schedule import import_rules, parse_schedule_csv

    async def apply(db: Database, rows: Any) -> str:
        set_, deleted = await import_rules(db, rows)
        return f"{set_} desk rules set, {deleted} removed"

    return _import(args, settings, parse_schedule_csv, apply)


def cmd_import_risk(args: argparse.Namespace, settings: Settings) -> int:
    """Replace the risk labels of the desks a file names; print how many changed."""
    from storage.risks import import_risks, parse_risk_csv

    async def apply(db: Database, rows: Any) -> str:
        result = await import_risks(db, rows, args.scope)
        outside = f", {result.outside} outside {args.scope} left alone" if result.outside else ""
        return f"{result.changed} desks relabelled, {result.unchanged} unchanged{outside}"

    return _import(args, settings, parse_risk_csv, apply)


def _report_bad_lines(path: Path, errors: list[tuple[int, str]]) -> int:
    from storage.tables import MAX_ERRORS

    for line, message in errors[:MAX_ERRORS]:
        print(f"{path}:{line}: {message}", file=sys.stderr)
    more = len(errors) - MAX_ERRORS
    if more > 0:
        print(f"... and {more} more", file=sys.stderr)
    print(f"posko-bot: nothing imported ({len(errors)} bad line(s))", file=sys.stderr)
    return FAILURE


def cmd_invite(args: argparse.Namespace, settings: Settings) -> int:
    """Create an invite and print its deep link."""
    from bot.views.invites import invite_link
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
    role = Role.PARTNER if args.role == "mitra" else Role(args.role)
    agency = (args.agency or "").strip().lower() or None
    agencies = settings.routing.agencies
    if role is Role.PARTNER and agency not in agencies:
        raise CliError(f"--role {args.role} needs --agency, one of {', '.join(agencies)}",
                       USAGE_ERROR)
    if role is not Role.PARTNER and agency is not None:
        raise CliError("--agency is for --role partner only", USAGE_ERROR)

    async def work(db: Database) -> int:
        desk = await desks_store.by_code(db, args.desk)
        if desk is None:
            raise CliError(f"no desk has the code {args.desk} (import desks first)")
        token = await invites_store.create(db, desk.id, role, max_uses=args.uses, ttl=ttl,
                                           created_by=None, now=utcnow(), agency=agency)
        username = await meta.get(db, "bot_username")
        username = username or await _bot_username(settings)
        until = (utcnow() + ttl).astimezone(desk.tz)
        who = f"{role.value} ({agencies[agency]})" if agency else role.value
        print(f"{who} invite for {desk.code} {desk.name}, {args.uses} use(s), "
              f"valid until {until:%Y-%m-%d %H:%M %Z}:")
        if username:
            print(invite_link(username, token))
            return 0
        print(f"/start {token}")
        print("(no t.me link: the bot's name is not known yet. Set TELEGRAM_BOT_TOKEN, or start "
              "the bot once, and invite again; meanwhile the person can send the line above to "
              "the bot as a message)", file=sys.stderr)
        return 0

    return with_db(settings, work)


async def _bot_username(settings: Settings) -> str | None:
    """Ask Telegram for the bot's username when the bot has never run; None if impossible."""
    if not settings.telegram_bot_token:
        return None
    try:
        return await token_owner(settings.telegram_bot_token, settings)
    except CliError:
        return None


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """Copy the live database consistently to ``path`` and check the copy."""
    if args.path.exists():
        raise CliError(f"{args.path} exists; choose a new file")

    from storage.backups import BackupError, check_copy

    async def work(db: Database) -> int:
        await db.backup(args.path)
        try:  # the same check as a scheduled backup's; it also makes the copy one file
            check_copy(args.path)
        except BackupError as exc:
            args.path.unlink(missing_ok=True)
            raise CliError(f"backup {args.path} failed its check and was removed: {exc}"
                           ) from None
        print(f"backup written to {args.path} and checked")
        return 0

    return with_db(settings, work, writes=False)  # a read-only database can be copied


def cmd_check_config(args: argparse.Namespace, settings: Settings) -> int:
    """Validate the settings, that the database opens and is writable (``with_db`` checks it)
    and, unless ``--offline``, that Telegram accepts the token (``getMe``)."""
    from storage import desks as desks_store

    settings.require_token()

    async def work(db: Database) -> int:
        count = await desks_store.count(db)
        where = f"database {settings.db_path} has {count} desks"
        if args.offline:
            print(f"configuration OK (token not checked with Telegram); {where}")
            return 0
        try:
            name = await token_owner(settings.telegram_bot_token, settings)
        except TokenRefused:
            raise
        except CliError as exc:  # Telegram out of reach: the rest can still be checked
            raise CliError(f"{exc}, or use --offline") from None
        print(f"configuration OK: Telegram accepts the token of @{name}; {where}")
        return 0

    return with_db(settings, work)


async def token_owner(token: str, settings: Settings) -> str:
    """The username Telegram gives ``token`` (``getMe``); CliError saying why if none."""
    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError

    try:
        async with Bot(token, base_url=settings.telegram_api_base_url) as bot:
            return bot.username
    except InvalidToken:
        raise TokenRefused("Telegram refuses TELEGRAM_BOT_TOKEN (mistyped or revoked): copy "
                           "it again from @BotFather") from None
    except TelegramError as exc:  # NetworkError, TimedOut, an unexpected answer
        raise CliError(f"could not ask Telegram about the token ({exc}); check the network "
                       f"and TELEGRAM_API_BASE_URL") from None
