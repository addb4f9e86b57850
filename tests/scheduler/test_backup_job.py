"""The scheduled backup job (``scheduler.backup``) at injected times on a real SQLite file: a
backup when the newest is ``every`` old (so one right after a start that followed a long
downtime), none sooner; a directory that cannot be written is logged, recorded and retried
later, never raised; the sweep records when it ran."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scheduler.backup import RETRY, BackupConfig, BackupRecord, backup_if_due
from scheduler.jobs import LAST_SWEEP, JobSpec, job_specs, watch
from storage import meta
from storage.backups import backup_name, backups
from storage.models import from_db
from storage.sqlite.engine import Database, StorageError
from tests.support.sweeping import CONFIG, PRESENCE

T0 = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
EVERY = timedelta(hours=6)


def _config(directory: Path, keep: int = 28) -> BackupConfig:
    return BackupConfig(directory, EVERY, keep)


async def test_catch_up_on_start_after_a_long_downtime(gambir_db: Database,
                                                       tmp_path: Path) -> None:
    directory = tmp_path / "backups"
    directory.mkdir()
    # The last backup before the bot went down, seven hours before it starts again.
    old = directory / backup_name(gambir_db.path, T0 - timedelta(hours=7))
    old.write_bytes(b"")
    record = BackupRecord()
    made = await backup_if_due(gambir_db, T0, config=_config(directory), record=record)
    assert made == directory / backup_name(gambir_db.path, T0)
    assert record.last_success_at == T0 and record.last_file == made and not record.failing
    assert await meta.get(gambir_db, "backup_file") == str(made)
    # Restarted an hour later: the newest is an hour old, so nothing until six hours after it.
    restarted = BackupRecord()
    for minutes in (60, 61, 359):
        assert await backup_if_due(gambir_db, T0 + timedelta(minutes=minutes),
                                   config=_config(directory), record=restarted) is None
    # The record tells the newest backup's age at once, for readiness and the metrics.
    assert (restarted.last_success_at, restarted.last_file) == (T0, made)
    assert await backup_if_due(gambir_db, T0 + EVERY, config=_config(directory),
                               record=restarted) is not None
    assert len(backups(directory, gambir_db.path)) == 3


async def test_first_backup_of_an_empty_directory(gambir_db: Database, tmp_path: Path) -> None:
    directory = tmp_path / "new" / "backups"
    assert await backup_if_due(gambir_db, T0, config=_config(directory),
                               record=BackupRecord()) is not None
    assert [b.taken_at for b in backups(directory, gambir_db.path)] == [T0]


async def test_a_failing_directory_is_recorded_and_tried_again_later(
        gambir_db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    directory = tmp_path / "backups"
    directory.write_text("a file where the directory should be")
    record = BackupRecord()
    with caplog.at_level(logging.INFO, logger="scheduler.backup"):
        assert await backup_if_due(gambir_db, T0, config=_config(directory),
                                   record=record) is None
        assert record.failing and record.last_failure_at == T0 and record.failures == 1
        assert record.last_error and str(directory) in record.last_error
        assert await meta.get(gambir_db, "backup_error") == record.last_error
        assert from_db(await meta.get(gambir_db, "backup_failed_at") or "") == T0
        # Not again at the next tick: one log line per RETRY, not one a minute.
        assert await backup_if_due(gambir_db, T0 + timedelta(minutes=1),
                                   config=_config(directory), record=record) is None
        assert record.failures == 1
        failures = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(failures) == 1 and "\n" not in failures[0].getMessage()
        directory.unlink()  # the operator mends it
        made = await backup_if_due(gambir_db, T0 + RETRY, config=_config(directory),
                                   record=record)
    assert made is not None and made.exists()
    assert not record.failing and record.last_success_at == T0 + RETRY
    assert any("written and checked" in r.getMessage() for r in caplog.records)


async def test_a_full_disk_is_recorded_and_the_job_goes_on(
        gambir_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def full(self: Database, target: str | Path) -> None:
        """What ``Database.backup`` does when the disk fills up half-way through the copy."""
        await asyncio.to_thread(Path(target).write_bytes, b"partial")
        raise StorageError(f"cannot write backup {target}: database or disk is full")

    monkeypatch.setattr(Database, "backup", full)
    directory = tmp_path / "backups"
    record = BackupRecord()
    assert await backup_if_due(gambir_db, T0, config=_config(directory), record=record) is None
    assert record.failing and "disk is full" in (record.last_error or "")
    assert list(directory.iterdir()) == []  # the partial copy is gone


def test_the_backup_job_is_scheduled_only_when_configured(tmp_path: Path) -> None:
    def specs(backup: tuple[BackupConfig, BackupRecord] | None) -> dict[str, JobSpec]:
        return {s.name: s for s in job_specs(
            sweep_interval=timedelta(minutes=1), presence=PRESENCE, desks=CONFIG,
            location_retention=timedelta(days=90), digest_time=T0.time(),
            default_tz=ZoneInfo("Asia/Jakarta"), admin_ids=[], backup=backup)}

    assert "backup" not in specs(None)
    backup = specs((_config(tmp_path), BackupRecord()))["backup"]
    assert backup.first <= timedelta(seconds=10)  # the catch-up comes right after start
    assert backup.interval <= EVERY


async def test_the_sweep_records_when_it_ran(gambir_db: Database) -> None:
    await watch(gambir_db, T0, presence=PRESENCE, desks=CONFIG)
    assert from_db(await meta.get(gambir_db, LAST_SWEEP) or "") == T0
