"""``posko-bot``: run the bot and the operators' commands.

Every failure a user can cause ends with one line on stderr and a non-zero exit code, never a
traceback: 2 for a usage or configuration problem, 1 for a failed operation. Each command
lives in the module of its feature (``setup``, ``run``, ``admin``, ``members``,
``reports``, ``restore``, ``status``, ``rehearse``); this one parses the command line and
turns failures into that one line.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.cli.admin import (
    cmd_backup,
    cmd_check_config,
    cmd_import_desks,
    cmd_import_risk,
    cmd_import_schedule,
    cmd_invite,
)
from bot.cli.common import FAILURE, USAGE_ERROR, CliError
from bot.cli.health import add_parser as add_health_parser
from bot.cli.health import cmd_health
from bot.cli.members import add_parsers as add_member_parsers
from bot.cli.members import cmd_invites, cmd_members
from bot.cli.rehearse import add_parsers as add_rehearsal_parsers
from bot.cli.rehearse import cmd_demo, cmd_rehearse
from bot.cli.reports import cmd_digest, cmd_export
from bot.cli.restore import cmd_restore
from bot.cli.run import cmd_run
from bot.cli.setup import add_parser as add_setup_parser
from bot.cli.setup import cmd_setup
from bot.cli.status import cmd_status
from bot.config import ConfigError, Settings, load_settings, unknown_keys
from storage.sqlite.engine import StorageError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="posko-bot", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_setup_parser(sub)
    sub.add_parser("run", help="run the bot (long polling, or a webhook with "
                   "POSKO_WEBHOOK_URL)")
    imp = sub.add_parser("import-desks", help="create or update desks from a CSV or .xlsx file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--scope", help="import only this desk, those below it and its ancestors, "
                     "e.g. 31.73 for one kota from the national file")
    sch = sub.add_parser("import-schedule",
                         help="set weekday/date duty rules from a CSV or .xlsx file")
    sch.add_argument("file", type=Path)
    rsk = sub.add_parser("import-risk", help="set desks' risk labels (rawan) from a CSV or "
                         ".xlsx file of code,labels")
    rsk.add_argument("file", type=Path)
    rsk.add_argument("--scope", help="apply only the rows of this desk and those below it")
    inv = sub.add_parser("invite", help="create an invite link for a desk")
    inv.add_argument("--desk", required=True, help="desk code, e.g. 31.73.01.1001")
    inv.add_argument("--role", required=True, choices=("officer", "supervisor", "partner",
                                                       "mitra"),
                     help="partner (or mitra): a liaison of a partner agency, with --agency")
    inv.add_argument("--agency", help="a partner's agency: kpu, bawaslu, polri, tni, bpbd, "
                     "satpol_pp, or one added in POSKO_AGENCIES")
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
    add_member_parsers(sub)
    add_health_parser(sub)
    add_rehearsal_parsers(sub)
    bak = sub.add_parser("backup", help="online backup of the database to PATH")
    bak.add_argument("path", type=Path)
    res = sub.add_parser("restore", help="put a backup in place of the database (the bot "
                         "stopped); the replaced one is kept")
    res.add_argument("backup", type=Path)
    sub.add_parser("status", help="one screen for an operator: the database, its numbers, "
                   "the last update, sweep and backup")
    chk = sub.add_parser("check-config", help="validate the settings, the database and the "
                         "token (asks Telegram), then exit")
    chk.add_argument("--offline", action="store_true", help="do not ask Telegram")
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
    except sqlite3.Error as exc:  # one the store did not foresee (a disk failing meanwhile)
        print(f"posko-bot: database error: {exc}", file=sys.stderr)
        return FAILURE
    except KeyboardInterrupt:
        return 130


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "setup": cmd_setup,
    "run": cmd_run,
    "import-desks": cmd_import_desks,
    "import-schedule": cmd_import_schedule,
    "import-risk": cmd_import_risk,
    "invite": cmd_invite,
    "digest": cmd_digest,
    "export": cmd_export,
    "invites": cmd_invites,
    "members": cmd_members,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "status": cmd_status,
    "check-config": cmd_check_config,
    "health": cmd_health,
    "rehearse": cmd_rehearse,
    "demo": cmd_demo,
}
