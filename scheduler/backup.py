"""The scheduled backup job (``POSKO_BACKUP_DIR``): when one is due, take it, and keep its outcome.

:func:`backup_if_due` runs every minute (or every ``POSKO_BACKUP_EVERY`` if shorter), first a
few seconds after start-up:

1. A backup is due when this store has none in the directory, or its newest (known by its
   name, ``storage.backups``) is ``every`` old. So a bot that was down longer than ``every``
   takes one right after it starts, and a restart does not take an extra one.
2. After a failed attempt the next waits :data:`RETRY` (or ``every`` if shorter), so a full
   disk gets one log line every few minutes, not one a minute.
3. Take it (``storage.backups.take``: checked, renamed atomically, old ones rotated). A
   failure (an unwritable directory, a full disk, a copy failing its check) is logged as one
   line and recorded, and never stops the bot: the next attempt comes by itself.
4. Keep the outcome in :class:`BackupRecord` (in memory, for the readiness check and the
   metrics) and in the ``meta`` table (for ``posko-bot status``; best effort: a store that
   cannot write right now is the likely reason of the failure being recorded).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from storage import meta
from storage.backups import BackupError, backups, take
from storage.models import to_db
from storage.sqlite.engine import Database
from storage.sqlite.faults import is_storage_fault

log = logging.getLogger(__name__)

RETRY = timedelta(minutes=10)  # step 2
TICK = timedelta(minutes=1)
# Keys of the meta table (read by posko-bot status).
LAST_AT, LAST_FILE = "backup_at", "backup_file"
FAILED_AT, FAILED_WHY = "backup_failed_at", "backup_error"


@dataclass(frozen=True, slots=True)
class BackupConfig:
    """Where backups go, how often, how many are kept."""

    directory: Path
    every: timedelta
    keep: int


@dataclass
class BackupRecord:
    """The last backup's outcome in this process (step 4)."""

    last_success_at: datetime | None = None
    last_file: Path | None = None
    last_failure_at: datetime | None = None
    last_error: str | None = None
    failures: int = 0  # attempts that failed since start-up

    @property
    def failing(self) -> bool:
        """The last attempt failed."""
        return self.last_failure_at is not None and (
            self.last_success_at is None or self.last_failure_at > self.last_success_at)


def is_due(config: BackupConfig, record: BackupRecord, now: datetime, db_path: str) -> bool:
    """Steps 1–2. The newest backup in the directory counts as the last success until this
    process takes one (so after a restart the record tells its age at once)."""
    if record.failing and record.last_failure_at is not None \
            and now - record.last_failure_at < min(RETRY, config.every):
        return False
    taken = backups(config.directory, db_path)
    if taken and record.last_success_at is None:
        record.last_success_at, record.last_file = taken[-1].taken_at, taken[-1].path
    return not taken or now - taken[-1].taken_at >= config.every


async def backup_if_due(db: Database, now: datetime, *, config: BackupConfig,
                        record: BackupRecord) -> Path | None:
    """Steps 1–4 of the module docstring; the new backup, or None."""
    try:
        if not is_due(config, record, now, db.path):
            return None
        taken = await take(db, config.directory, now, config.keep)
    except (OSError, BackupError) as exc:  # OSError: the directory cannot even be listed
        why = str(exc) if isinstance(exc, BackupError) else f"{exc.strerror}: {exc.filename}"
        record.last_failure_at, record.last_error = now, why
        record.failures += 1
        log.warning("backup into %s failed, trying again later: %s", config.directory, why)
        await _note(db, {FAILED_AT: to_db(now), FAILED_WHY: why})
        return None
    record.last_success_at, record.last_file = now, taken.backup.path
    log.info("backup %s written and checked (%.1f MB); %d old backup(s) removed",
             taken.backup.path, taken.size / 1e6, len(taken.removed))
    await _note(db, {LAST_AT: to_db(now), LAST_FILE: str(taken.backup.path)})
    return taken.backup.path


async def _note(db: Database, values: dict[str, str]) -> None:
    """Step 4, best effort."""
    try:
        await meta.put_all(db, values)
    except Exception as exc:
        if not is_storage_fault(exc):
            raise
