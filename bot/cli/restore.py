"""``posko-bot restore BACKUP``: a backup in place of the database (``storage.restore``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.common import CliError
from bot.config import Settings


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    """Check the backup and put it in place, keeping the replaced database; refuse while a bot
    runs on it."""
    from storage.backups import SCHEMA_VERSION, BackupError
    from storage.models import utcnow
    from storage.restore import restore
    from storage.sqlite.runlock import InUse, lock_path

    db, source = Path(settings.db_path), Path(args.backup)
    try:
        done = restore(source, db, utcnow())
    except InUse:
        raise CliError(f"a bot is running on {db} (it holds {lock_path(db)}); stop it first, "
                       "then restore") from None
    except BackupError as exc:
        raise CliError(f"cannot restore {source}: {exc}; {db} is unchanged") from None
    except OSError as exc:
        raise CliError(f"cannot restore {source}: {exc.strerror or exc}"
                       + (f": {exc.filename}" if exc.filename else "")) from None
    kept = (f"; the replaced database is kept as {done.kept}" if done.kept else "")
    later = (f"; the bot brings it from schema version {done.version} up to {SCHEMA_VERSION} "
             "when it starts" if done.version < SCHEMA_VERSION else "")
    print(f"restored {db} from {source} (checked: integrity ok){kept}{later}")
    return 0
