"""Backup files of the store: taken online, checked, named by their time, rotated.

A backup of ``posko.db`` is ``posko-20261201T060000Z.db`` in the backup directory: its name
says when it was taken, in UTC, so names sort by time and the newest is known without opening
a file. Only names of that shape, with the database's own stem, are this store's backups;
anything else in the directory is never touched.

Taking one (:func:`take`):

1. Remove this store's temporary files that an interrupted earlier attempt left behind.
2. Copy the live database with its online backup (``Database.backup``) into a hidden
   temporary file (``.posko-….db.tmp``) in the backup directory: never counted as a backup.
3. Check the copy (:func:`check_copy`): SQLite's ``PRAGMA integrity_check`` answers ``ok``
   and its schema version is this program's. It is switched to a rollback journal first, so
   a backup is one self-contained file.
4. Flush it to disk, rename it to its final name (atomic on one file system), flush the
   directory.
5. Rotate (:func:`rotate`): delete this store's oldest backups beyond ``keep``, never the one
   just made.

A failure in steps 1–4 removes the temporary file and raises :class:`BackupError` with one
line; nothing half-written ever carries a backup's name.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from storage.sqlite.engine import Database, StorageError
from storage.sqlite.schema import MIGRATIONS

log = logging.getLogger(__name__)

SCHEMA_VERSION = len(MIGRATIONS)  # the version this program's migrations bring a store to
_STAMP = "%Y%m%dT%H%M%SZ"


class BackupError(Exception):
    """A backup or the file to restore is unusable; the message is one line saying why."""


@dataclass(frozen=True, slots=True)
class Backup:
    """One of this store's backup files and when it was taken (from its name)."""

    path: Path
    taken_at: datetime


@dataclass(frozen=True, slots=True)
class Taken:
    """The outcome of :func:`take`: the new backup, its size, the old ones removed."""

    backup: Backup
    size: int
    removed: list[Path]


def _pattern(stem: str) -> re.Pattern[str]:
    return re.compile(rf"{re.escape(stem)}-(\d{{8}}T\d{{6}}Z)\.db")


def backup_name(db_path: str | Path, moment: datetime) -> str:
    """The file name of a backup of ``db_path`` taken at ``moment`` (aware)."""
    return f"{Path(db_path).stem}-{moment.astimezone(UTC).strftime(_STAMP)}.db"


def backups(directory: Path, db_path: str | Path) -> list[Backup]:
    """This store's backups in ``directory``, oldest first; none if it does not exist."""
    pattern = _pattern(Path(db_path).stem)
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return []
    found = []
    for name in names:
        match = pattern.fullmatch(name)
        if match:
            taken = datetime.strptime(match[1], _STAMP).replace(tzinfo=UTC)
            found.append(Backup(directory / name, taken))
    return sorted(found, key=lambda b: b.taken_at)


def check_copy(path: Path, *, newest: int = SCHEMA_VERSION) -> int:
    """Step 3: check a copy only this process has open; return its schema version.

    Raises :class:`BackupError` unless it is a SQLite database whose integrity check passes
    and whose schema version is 1 to ``newest``. The copy is switched to a rollback journal
    (it may carry the WAL mode of the database it was copied from), so it stays one file.
    """
    try:
        conn = sqlite3.connect(path)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open it: {exc}") from None
    try:
        _one_file(conn)
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error as exc:  # "file is not a database", "database disk image is malformed"
        raise BackupError(f"not a usable SQLite database ({exc})") from None
    finally:
        conn.close()
    if problems != ["ok"]:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise BackupError(f"integrity check failed: {problems[0]}{more}")
    if version == 0:
        raise BackupError("it holds no posko-bot database (schema version 0)")
    if version > newest:
        raise BackupError(f"its schema version {version} is newer than this program's "
                          f"({newest}); upgrade posko-bot first")
    return version


def _one_file(conn: sqlite3.Connection) -> None:
    """Switch a copy to a rollback journal; one SQLite opens read-only (a file written by a
    newer SQLite file format) stays as it is, to be checked all the same."""
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_READONLY:
            raise


def _leftovers(path: Path) -> list[Path]:
    """A temporary copy and the journal files SQLite may have left beside it."""
    return [path, *(path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm"))]


def _prepare(directory: Path, db_path: str | Path) -> None:
    """Step 1: the directory exists; this store's stale temporary files are gone."""
    directory.mkdir(parents=True, exist_ok=True)
    stale = re.compile(rf"\.{re.escape(Path(db_path).stem)}-\d{{8}}T\d{{6}}Z\.db\.tmp.*")
    for name in os.listdir(directory):
        if stale.fullmatch(name):
            (directory / name).unlink(missing_ok=True)


def copy_read_only(source: Path, target: Path) -> None:
    """An online copy of ``source`` into ``target``, opening ``source`` read-only (SQLite's
    backup API: consistent while another process writes it)."""
    with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as live, \
            closing(sqlite3.connect(target)) as copy:
        live.backup(copy)


def fsync(path: Path) -> None:
    """Flush a file's content to disk, or a directory's entries, so that a rename in it
    survives a power cut."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _seal(temporary: Path, final: Path) -> int:
    """Steps 3–4: check the copy, flush it and give it its name; return its size."""
    version = check_copy(temporary)
    if version != SCHEMA_VERSION:
        raise BackupError(f"the copy has schema version {version}, not {SCHEMA_VERSION}")
    fsync(temporary)
    os.replace(temporary, final)
    fsync(final.parent)
    return final.stat().st_size


async def take(db: Database, directory: Path, now: datetime, keep: int) -> Taken:
    """Steps 1–5 of the module docstring: a checked backup of ``db`` in ``directory``."""
    name = backup_name(db.path, now)
    final = directory / name
    temporary = directory / f".{name}.tmp"
    try:
        await asyncio.to_thread(_prepare, directory, db.path)
        await db.backup(temporary)
        size = await asyncio.to_thread(_seal, temporary, final)
    except (OSError, StorageError, BackupError) as exc:
        for path in _leftovers(temporary):
            with suppress(OSError):
                path.unlink(missing_ok=True)
        raise BackupError(_one_line(exc)) from None
    removed = await asyncio.to_thread(rotate, directory, db.path, keep, final)
    return Taken(Backup(final, now), size, removed)


def rotate(directory: Path, db_path: str | Path, keep: int, made: Path) -> list[Path]:
    """Step 5: keep ``keep`` backups of this store: ``made`` and the newest others.

    ``made`` stays even if its name is not the newest (a clock set back).

    A file that cannot be deleted is logged and left; the next rotation tries again.
    """
    removed: list[Path] = []
    try:
        every = backups(directory, db_path)
    except OSError as exc:  # the backup is made; the next rotation tries again
        log.warning("backup rotation: cannot list %s: %s", directory, _one_line(exc))
        return removed
    others = [b for b in every if b.path != made]
    room = keep - (len(others) < len(every))  # the one just made takes a place
    for old in others[:max(len(others) - room, 0)]:
        try:
            old.path.unlink()
        except OSError as exc:
            log.warning("backup rotation: cannot delete %s: %s", old.path, _one_line(exc))
            continue
        removed.append(old.path)
    return removed


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
