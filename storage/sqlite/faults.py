"""Storage faults: which errors mean "the store cannot write right now", and the store's health.

A full disk, a lock held by another process for longer than the busy timeout (the CLI
importing a national desk file), an I/O error or a file that turned read-only are passing
conditions of the machine, not bugs: the bot answers that the problem is temporary, retries
with back-off, and goes on by itself when the store works again. Everything else (a missing
table, a constraint, a closed database, a schema newer than the program) is a bug or needs
the operator, and is raised as before.

:func:`is_storage_fault` is the one place that tells them apart:

1. An ``sqlite3.Error`` is a fault when its primary result code is one of :data:`FAULT_CODES`
   (busy, locked, out of memory, read-only, I/O error, full, cannot open, lock protocol).
   A corrupt file is not: retrying cannot mend it.
2. A :class:`StoreFault` the store raises on behalf of one of the above is a fault:
   :class:`RolledBack` (a write transaction whose group SQLite dropped because another member
   hit one), :class:`NotTried` (a write queued behind one whose wait for the lock failed).
3. Anything else is not.

:class:`StoreHealth` is the in-memory record of an outage: when the store started failing and
the last reason. The store's write path updates it (``storage.sqlite.engine``), so it logs one
WARNING line when writes start failing and one when they work again, never one per failed
write.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.models import utcnow

log = logging.getLogger(__name__)

FAULT_CODES = frozenset({
    sqlite3.SQLITE_BUSY,
    sqlite3.SQLITE_LOCKED,
    sqlite3.SQLITE_NOMEM,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_FULL,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_PROTOCOL,
})


class StorageError(Exception):
    """A problem with the database file itself (unreadable, newer schema, ...)."""


class StoreFault(StorageError):
    """A storage fault the store itself raises on behalf of one SQLite reported."""


class RolledBack(StoreFault):
    """SQLite rolled back a whole group of write transactions (a full disk, an I/O error)."""


class NotTried(StoreFault):
    """A write refused without trying: the one before it in line just failed to begin."""


def is_storage_fault(exc: BaseException) -> bool:
    """Whether ``exc`` is a passing fault of the store (retry later), not a bug."""
    if isinstance(exc, StoreFault):
        return True
    if isinstance(exc, sqlite3.Error) and not isinstance(exc, sqlite3.ProgrammingError):
        code = getattr(exc, "sqlite_errorcode", None)
        return code is not None and code & 0xFF in FAULT_CODES  # extended → primary code
    return False


def reason(exc: BaseException) -> str:
    """A fault as one short line for the log and the health record."""
    return f"{type(exc).__name__}: {exc}"


@dataclass
class StoreHealth:
    """Whether the store's writes work: since when they fail, and why (none while healthy)."""

    failing_since: datetime | None = None
    last_error: str | None = None

    @property
    def ok(self) -> bool:
        """No outage under way."""
        return self.failing_since is None

    def failed(self, exc: BaseException, now: datetime | None = None) -> bool:
        """Note a failure; True if ``exc`` was a storage fault. Logs an outage's first only."""
        if not is_storage_fault(exc):
            return False
        self.last_error = reason(exc)
        if self.failing_since is None:
            self.failing_since = now or utcnow()
            log.warning("store failing, retrying until it works again: %s", self.last_error)
        return True

    def worked(self, now: datetime | None = None) -> None:
        """Note a committed write; ends an outage (logged once) if one was under way."""
        since = self.failing_since
        if since is None:
            return
        lasted = (now or utcnow()) - since
        log.warning("store works again after failing for %s (last: %s)", _short(lasted),
                    self.last_error)
        self.failing_since, self.last_error = None, None


def _short(duration: timedelta) -> str:
    seconds = int(duration.total_seconds())
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"
