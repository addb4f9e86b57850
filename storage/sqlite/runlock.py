"""Which process runs the bot on a database file: an exclusive lock on ``<database>.lock``.

``posko-bot run`` holds an ``flock`` on ``posko.db.lock`` for as long as it runs; the
operating system releases it when the process ends, however it ends (a crash or SIGKILL
included), so a stale lock cannot be left behind. ``posko-bot restore`` takes the same lock
before it replaces the file, so it refuses while a bot runs, and a bot started meanwhile
refuses to start until the restore is done. Other commands (imports, invites) work beside a
running bot and take no lock.

The lock file itself is never deleted: a process that opened it before a deletion would lock
a file nobody else sees.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class InUse(Exception):
    """Another process holds the database's run lock."""


def lock_path(db_path: str | Path) -> Path:
    """The lock file of a database file."""
    path = Path(db_path)
    return path.with_name(path.name + ".lock")


class RunLock:
    """The run lock of one database file; also a context manager (:meth:`acquire`)."""

    def __init__(self, db_path: str | Path) -> None:
        self.path = lock_path(db_path)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock without waiting: :class:`InUse` if another process holds it,
        ``OSError`` if the lock file cannot be created (no directory, no permission)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        writable = True
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except PermissionError:  # made by another user (root restoring): locking needs no write
            fd, writable = os.open(self.path, os.O_RDONLY), False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if writable:  # who holds it, for an operator looking; the lock is what counts
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
        except BlockingIOError:
            os.close(fd)
            raise InUse(str(self.path)) from None
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        """Let go of the lock (idempotent)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def held(db_path: str | Path) -> bool:
    """Whether a process holds the run lock of ``db_path`` now; creates and writes nothing."""
    try:
        fd = os.open(lock_path(db_path), os.O_RDONLY)
    except OSError:  # no lock file: no bot has ever run here
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
