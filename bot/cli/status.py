"""``posko-bot status``: one screen for an operator, read without writing anything.

What it shows and where each line comes from: the program's version; the database file, its
size and schema version, and the counts of desks, members, open shifts, alerts and reports,
the outbox's depth and how long its oldest due message has waited (``storage.status``, a
read-only connection); the last update handled (the polling loop's record,
``bot.updates.polling``), the last sweep (``scheduler.jobs.LAST_SWEEP``) and the last backup
(the newest file in ``POSKO_BACKUP_DIR``, and a failure recorded after it,
``scheduler.backup``); whether a bot runs on the database (its run lock,
``storage.sqlite.runlock``). Times are shown in ``POSKO_TIMEZONE``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bot.cli.common import CliError
from bot.config import Settings


def _version() -> str:
    try:
        return version("posko-bot")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "(not installed)"


def age(delta: timedelta) -> str:
    """A duration for a person: ``35 s``, ``12 min``, ``3 h 5 min``, ``2 d 4 h``."""
    seconds = max(int(delta.total_seconds()), 0)
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if seconds < 60:
        return f"{seconds} s"
    if minutes < 60:
        return f"{minutes} min"
    if hours < 24:
        return f"{hours} h {minutes % 60} min"
    return f"{days} d {hours % 24} h"


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    """Print the operator's screen; one line and exit code 1 for a missing or empty database."""
    from storage.models import from_db, utcnow
    from storage.sqlite import runlock
    from storage.status import NoDatabase, read_status

    now = utcnow()
    path = Path(settings.db_path)
    try:
        status = read_status(path, now)
    except NoDatabase as exc:
        raise CliError(f"{exc}: `posko-bot import-desks FILE` or the first `posko-bot run` "
                       "creates it") from None

    def when(text: str | None) -> str:
        if not text:
            return "never"
        moment = from_db(text)
        return f"{moment.astimezone(settings.tz):%Y-%m-%d %H:%M:%S %Z} ({age(now - moment)} ago)"

    from storage.backups import SCHEMA_VERSION

    schema = f"schema version {status.schema_version}"
    if status.schema_version < SCHEMA_VERSION:
        schema += f", older than this program's {SCHEMA_VERSION} (updated at the next run)"
    elif status.schema_version > SCHEMA_VERSION:
        schema += f", newer than this program's {SCHEMA_VERSION}: upgrade posko-bot"
    roles = status.members
    members = (f"{roles.get('admin', 0)} admins, {roles.get('supervisor', 0)} supervisors, "
               f"{roles.get('officer', 0)} officers")
    waiting = (f"; the oldest due for {age(now - status.vitals.oldest_due)}"
               if status.vitals.oldest_due else "")
    meta = status.meta
    update = meta.get("last_update_id")
    lines = [
        ("posko-bot", _version()),
        ("database", f"{path} ({status.size / 1e6:.1f} MB, {schema})"),
        ("bot", "running on it" if runlock.held(path) else "not running on it"),
        ("desks", str(status.desks) + ("" if status.desks else
                                       " (import them: posko-bot import-desks FILE)")),
        ("members", members),
        ("open shifts", str(status.vitals.open_shifts)),
        ("open alerts", str(status.vitals.open_alerts)),
        ("open reports", str(status.vitals.open_reports)),
        ("outbox", f"{status.vitals.outbox_pending} waiting{waiting}"),
        ("last update", f"#{update} handled, recorded {when(meta.get('last_update_at'))}"
         if update else "none recorded"),
        ("last sweep", when(meta.get("last_sweep_at"))),
        *_backup_lines(settings, path, meta, when),
    ]
    width = max(len(label) for label, _ in lines) + 2
    for label, value in lines:
        print(f"{label:<{width}}{value}")
    return 0


def _backup_lines(settings: Settings, path: Path, meta: dict[str, str],
                  when: Callable[[str | None], str]) -> list[tuple[str, str]]:
    """The last backup: the newest file in the directory, and a failure recorded after it."""
    from scheduler.backup import FAILED_AT, FAILED_WHY, LAST_AT, LAST_FILE
    from storage.backups import backups
    from storage.models import to_db

    lines = []
    if settings.backup_dir:
        directory = Path(settings.backup_dir)
        try:
            kept = backups(directory, path)
        except OSError as exc:
            kept = []
            lines.append(("backups", f"cannot list {directory}: {exc.strerror or exc}"))
        last = kept[-1] if kept else None
        lines.insert(0, ("last backup", f"{when(to_db(last.taken_at))}: {last.path}; "
                         f"{len(kept)} in {directory}" if last else f"none in {directory}"))
        succeeded = to_db(last.taken_at) if last else meta.get(LAST_AT, "")
    else:
        where = meta.get(LAST_FILE)
        lines.append(("last backup", f"{when(meta.get(LAST_AT))}: {where}; scheduled backups "
                      "are off (POSKO_BACKUP_DIR)" if where else
                      "none scheduled (POSKO_BACKUP_DIR is empty)"))
        succeeded = meta.get(LAST_AT, "")
    failed = meta.get(FAILED_AT)
    if failed and failed > succeeded:  # stored times are fixed-width UTC text: text order
        lines.append(("backup failed", f"{when(failed)}: {meta.get(FAILED_WHY, '?')}"))
    return lines
