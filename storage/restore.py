"""Putting a backup in place of the database, with the bot stopped and nothing lost.

:func:`restore`:

1. Take the database's run lock (``storage.sqlite.runlock``): a bot running on it holds the
   lock, so the restore is refused; held by the restore, it keeps a bot from starting until
   the file is in place.
2. Copy the backup with SQLite's backup API into a temporary file beside the database (the
   same file system, for an atomic rename). The API reads the backup consistently even if it
   has its own ``-wal`` file; a file that is not SQLite fails here.
3. Check the copy (``storage.backups.check_copy``): integrity check ``ok``, a schema version
   this program knows (an older one is brought up to date when the bot next opens it). It
   gets the mode and owner of the database it replaces.
4. Keep the database being replaced: its ``-wal`` is checkpointed into it where possible, then
   it is renamed to ``<database>.before-restore-<UTC time>``, with a ``-wal`` SQLite could not
   merge (not empty) renamed beside it (SQLite finds it there), and the ``-shm`` (only an index
   of the ``-wal``, rebuilt from it) deleted. So no stale ``-wal`` is ever read as the restored
   database's, and nothing of the old one is lost.
5. Rename the checked copy to the database's name and flush the directory.

A failure before step 4 leaves the database untouched and removes the temporary copy.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from storage.backups import BackupError, check_copy, fsync
from storage.sqlite.runlock import RunLock


@dataclass(frozen=True, slots=True)
class Restored:
    """What :func:`restore` did: the schema version put in place, where the old file went."""

    version: int
    kept: Path | None  # the replaced database, None if there was none


def _copy(source: Path, target: Path) -> None:
    """Step 2: a consistent copy of ``source`` (opened read-only) into ``target``."""
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open it: {exc}") from None
    try:
        dest = sqlite3.connect(target)
        try:
            src.backup(dest)
        finally:
            dest.close()
    except sqlite3.Error as exc:
        raise BackupError(f"not a usable SQLite database ({exc})") from None
    finally:
        src.close()


def _checkpoint(db: Path) -> None:
    """Step 4: merge the ``-wal`` into the database file, if SQLite can (best effort)."""
    with suppress(sqlite3.Error):
        conn = sqlite3.connect(db)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()  # the last connection to a WAL database removes the -wal


def _like(copy: Path, db: Path) -> None:
    """Give the copy the mode and owner of the database it replaces: restored by root, a
    database the bot's own user could not write would stop the bot at its next start."""
    if not db.exists():
        return
    stat = db.stat()
    os.chmod(copy, stat.st_mode & 0o7777)
    with suppress(PermissionError):  # only root may give a file away; then it is ours anyway
        os.chown(copy, stat.st_uid, stat.st_gid)


def _set_aside(db: Path, now: datetime) -> Path | None:
    """Step 4: move the current database out of the way, keeping all of it."""
    if not db.exists():
        return None
    _checkpoint(db)
    kept = db.with_name(f"{db.name}.before-restore-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}")
    db.replace(kept)
    wal = db.with_name(db.name + "-wal")
    if wal.exists() and wal.stat().st_size == 0:  # merged, but another process had it open
        wal.unlink()
    elif wal.exists():
        wal.replace(kept.with_name(kept.name + "-wal"))
    db.with_name(db.name + "-shm").unlink(missing_ok=True)
    return kept


def restore(source: Path, db: Path, now: datetime) -> Restored:
    """Steps 1–5 of the module docstring: put ``source`` in place of ``db``.

    Raises :class:`BackupError` for an unusable backup, ``storage.sqlite.runlock.InUse``
    while a bot runs on ``db``, ``OSError`` when a file cannot be written or moved.
    """
    if not source.is_file():
        raise BackupError("no such file")
    if db.exists() and source.resolve() == db.resolve():
        raise BackupError("it is the database itself")
    with RunLock(db):
        temporary = db.with_name(f".{db.name}.restoring")
        try:
            temporary.unlink(missing_ok=True)
            _copy(source, temporary)
            version = check_copy(temporary)
            fsync(temporary)
        except BaseException:
            for path in (temporary, temporary.with_name(temporary.name + "-journal")):
                path.unlink(missing_ok=True)
            raise
        _like(temporary, db)
        kept = _set_aside(db, now)
        temporary.replace(db)
        fsync(db.parent)
    return Restored(version, kept)
