"""``posko-bot rehearse`` and ``posko-bot demo``: a duty day played before it happens.

``rehearse`` plays a day of a scope on a copy of the database (``bot.rehearsal``) and prints
its summary, or writes every file into ``--out``. ``demo`` needs nothing at all: a fresh
temporary database with the DKI Jakarta desks shipped in the package, a voting day played
in a few minutes with its live log, and the situation room of that database served on this
machine with a sign-in link for the demo's admin. Neither needs a token or the network.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bot.cli.common import USAGE_ERROR, CliError
from bot.config import Settings

JAKARTA = Path(__file__).resolve().parent.parent / "rehearsal" / "data" / \
    "wilayah_31_jakarta.csv"
# The demo's voting day: every kelurahan of DKI on duty 06:00–22:00 with 2 officers.
VOTING_DAY = "desk,level,day,duty_hours,min_staff\n31,kelurahan_desa,{day},06:00-22:00,2\n"
DEMO_SPEED = 480.0  # a day in three minutes


def add_parsers(sub: Any) -> None:
    """The two subcommands and their options."""
    reh = sub.add_parser("rehearse", help="play a duty day of a scope at simulated time on a "
                         "copy of the database, without Telegram")
    reh.add_argument("--scope", help="desk code whose scope to rehearse (default: every desk)")
    reh.add_argument("--date", help="the local date to rehearse (YYYY-MM-DD or DD/MM/YYYY; "
                     "default tomorrow): its schedule rules apply")
    reh.add_argument("--script", type=Path, metavar="FILE.csv",
                     help="play these actions (time,who,action) instead of synthetic actors")
    reh.add_argument("--out", type=Path, metavar="DIR",
                     help="write timeline, summary, messages, digest and XLSX into DIR")
    _common(reh)
    reh.add_argument("--late", type=float, default=0.15, help="share of officers arriving "
                     "20–90 min late (0.15)")
    reh.add_argument("--absent", type=float, default=0.05, help="share who never come (0.05)")
    reh.add_argument("--early", type=float, default=0.10, help="share leaving early (0.10)")
    reh.add_argument("--silent", type=float, default=0.05,
                     help="share not answering \"Masih bertugas?\" (0.05)")
    reh.add_argument("--reports", type=float, default=3.0,
                     help="incident reports per hundred desks (3)")
    reh.add_argument("--ack", type=float, default=0.6,
                     help="share of alerts a supervisor takes, after 3–25 min (0.6)")
    demo = sub.add_parser("demo", help="try the bot without Telegram: a voting day of the DKI "
                          "Jakarta desks in a few minutes, on a temporary database")
    demo.add_argument("--out", type=Path, metavar="DIR", help="also write the day's files")
    _common(demo, speed=DEMO_SPEED)


def _common(parser: argparse.ArgumentParser, speed: float = 0.0) -> None:
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic actors (1)")
    parser.add_argument("--speed", type=float, default=speed,
                        help=f"play at N× real time with a live log ({speed:g}: "
                        + ("as fast as possible)" if not speed else "a day in 3 minutes)"))
    parser.add_argument("--charts", action="store_true",
                        help="draw the chart of every digest sent (slow), not only the scope's")


def _day(text: str | None, settings: Settings) -> date:
    from bot.reports.export import PeriodError, parse_day
    from storage.models import utcnow

    if not text:
        return utcnow().astimezone(settings.tz).date() + timedelta(days=1)
    try:
        return parse_day(text)
    except PeriodError as exc:
        raise CliError(str(exc), USAGE_ERROR) from None


def _share(name: str, value: float) -> float:
    if not 0 <= value <= 1:
        raise CliError(f"--{name} is a share from 0 to 1, not {value:g}", USAGE_ERROR)
    return value


def _log(line: str) -> None:
    print(line, flush=True)


def cmd_rehearse(args: argparse.Namespace, settings: Settings) -> int:
    """Play a day on a copy of the database; print its summary or write its files."""
    from bot.rehearsal.actors import Profile
    from bot.rehearsal.runner import Plan
    from bot.rehearsal.script import ScriptError, parse_script

    day = _day(args.date, settings)
    script = None
    if args.script is not None:  # read and checked whole before anything runs
        try:
            script = parse_script(args.script.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise CliError(f"cannot read {args.script}: {exc.strerror}", USAGE_ERROR) from None
        except UnicodeDecodeError:
            raise CliError(f"{args.script} is not UTF-8 text", USAGE_ERROR) from None
        except ScriptError as exc:
            return _bad_script(args.script, exc)
    if args.reports < 0:
        raise CliError("--reports cannot be negative", USAGE_ERROR)
    profile = Profile(late=_share("late", args.late), absent=_share("absent", args.absent),
                      early=_share("early", args.early), silent=_share("silent", args.silent),
                      reports=args.reports, ack=_share("ack", args.ack))
    plan = Plan(args.scope, day, seed=args.seed, script=script, profile=profile,
                speed=max(0.0, args.speed), charts=args.charts,
                log=_log if args.speed > 0 else None)
    return _play(settings, plan, Path(settings.db_path), None, args.out, args.script)


def _bad_script(path: Path, exc: Any) -> int:
    from storage.tables import MAX_ERRORS

    for line, message in exc.errors[:MAX_ERRORS]:
        print(f"{path}:{line}: {message}", file=sys.stderr)
    print(f"posko-bot: nothing rehearsed ({len(exc.errors)} bad line(s))", file=sys.stderr)
    return USAGE_ERROR


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    """A voting day of DKI Jakarta on a fresh temporary database, played live."""
    from bot.rehearsal.runner import Plan
    from storage.importer import import_desks, parse_desk_csv
    from storage.models import utcnow
    from storage.schedule import import_rules, parse_schedule_csv
    from storage.sqlite.engine import Database

    day = utcnow().astimezone(settings.tz).date()

    async def prepare(db: Database) -> None:
        await import_desks(db, parse_desk_csv(JAKARTA.read_text(encoding="utf-8")),
                           "Asia/Jakarta")
        await import_rules(db, parse_schedule_csv(VOTING_DAY.format(day=day.isoformat())))

    def situation_room(url: str) -> None:
        print(f"Situation room (the dashboard of the demo, as its admin; the link signs in "
              f"once): {url}", flush=True)

    plan = Plan(None, day, seed=args.seed, speed=max(0.0, args.speed), charts=args.charts,
                log=_log, dashboard=situation_room)
    print(f"Gladi: a voting day ({day}) of the 318 DKI Jakarta desks, no Telegram involved; "
          f"Ctrl+C stops it.", flush=True)
    try:
        return _play(settings, plan, None, prepare, args.out)
    except KeyboardInterrupt:
        print("posko-bot demo: stopped; the temporary database is gone", file=sys.stderr)
        return 130


def _play(settings: Settings, plan: Any, source: Path | None, prepare: Any,
          out: Path | None, script: Path | None = None) -> int:
    from bot.rehearsal.report import summary, summary_text, write, write_xlsx
    from bot.rehearsal.runner import Rehearsal
    from bot.rehearsal.stage import RehearsalError

    async def work() -> tuple[str, list[Path]]:
        outcome = await Rehearsal(settings, plan).run(source, prepare)
        files = []
        if out is not None:
            files = write(outcome, out)
            files.append(await write_xlsx(outcome, out, plan.day))
        took = f"({outcome.wall_seconds:.1f} s)"
        return summary_text(summary(outcome)).rstrip("\n") + f" {took}\n", files

    from bot.rehearsal.script import ScriptError

    try:
        text, files = asyncio.run(work())
    except ScriptError as exc:  # a scripted desk that the scope does not hold
        return _bad_script(script or Path("script"), exc)
    except RehearsalError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot write {exc.filename or out}: {exc.strerror}") from None
    print(text, end="")
    for path in files:
        print(f"wrote {path}")
    return 0
