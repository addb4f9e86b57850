"""``posko-bot status`` on a database the bot is not running on, on an empty one and on none
(one line, exit code 1, nothing created); ``posko-bot restore`` failures in one line."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest

from bot.cli import main as cli_main
from bot.cli.status import age
from storage.backups import backup_name
from storage.models import to_db, utcnow


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI run from a clean working directory; returns the database path it uses."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for key in ("POSKO_BACKUP_DIR", "POSKO_TIMEZONE", "POSKO_LANGUAGE"):
        monkeypatch.delenv(key, raising=False)
    path = tmp_path / "data" / "posko.db"
    monkeypatch.setenv("POSKO_DB_PATH", str(path))
    return path


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err.strip()


def _screen(capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    out = capsys.readouterr().out
    width = out.splitlines()[0].index("0.") if out else 0
    return {line[:width].strip(): line[width:] for line in out.splitlines()}


def test_status_of_a_missing_or_empty_database(env: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["status"]) == 1
    assert _one_line(capsys) == (f"posko-bot: no database at {env}: `posko-bot import-desks "
                                 "FILE` or the first `posko-bot run` creates it")
    assert not env.parent.exists()  # nothing created
    env.parent.mkdir()
    env.touch()
    assert cli_main(["status"]) == 1
    assert f"database {env} is empty" in _one_line(capsys)
    env.unlink()
    with closing(sqlite3.connect(env)) as conn:  # a SQLite file, not the bot's
        conn.execute("CREATE TABLE notes (text TEXT)")
    assert cli_main(["status"]) == 1
    assert "holds no posko-bot tables yet" in _one_line(capsys)


def test_status_of_a_database(env: Path, db_path: Path, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("POSKO_DB_PATH", str(db_path))
    now = utcnow()
    with sqlite3.connect(db_path) as conn:
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
            ("last_update_id", "4242"), ("last_update_at", to_db(now - timedelta(seconds=30))),
            ("last_sweep_at", to_db(now - timedelta(minutes=2))),
            ("backup_failed_at", to_db(now - timedelta(minutes=5))),
            ("backup_error", "No space left on device: /srv/backups")])
        conn.execute("INSERT INTO outbox (chat_id, kind, payload, created_at, not_before) "
                     "VALUES (1, 'text', '{}', ?, ?)", (to_db(now - timedelta(minutes=3)),
                                                        to_db(now - timedelta(minutes=3))))
    directory = tmp_path / "backups"
    directory.mkdir()
    (directory / backup_name(db_path, now - timedelta(hours=1))).write_bytes(b"")
    monkeypatch.setenv("POSKO_BACKUP_DIR", str(directory))
    before = db_path.read_bytes()
    assert cli_main(["status"]) == 0
    screen = _screen(capsys)
    assert screen["bot"] == "not running on it"
    assert screen["desks"] == "318"
    assert "schema version" in screen["database"] and str(db_path) in screen["database"]
    assert screen["members"] == "0 admins, 0 supervisors, 0 officers"
    assert screen["open shifts"] == screen["open alerts"] == screen["open reports"] == "0"
    assert screen["outbox"] == "1 waiting; the oldest due for 3 min"
    assert screen["last update"].startswith("#4242 handled, recorded ")
    assert screen["last update"].endswith("(30 s ago)")
    assert screen["last sweep"].endswith("WIB (2 min ago)")
    assert screen["last backup"].endswith(f"1 in {directory}")
    assert "(1 h 0 min ago)" in screen["last backup"]
    assert screen["backup failed"].endswith("No space left on device: /srv/backups")
    assert db_path.read_bytes() == before  # read only


def test_restore_failures_are_one_line(env: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["restore", str(tmp_path / "missing.db")]) == 1
    assert _one_line(capsys).endswith("missing.db: no such file; "
                                      f"{env} is unchanged")
    junk = tmp_path / "junk.db"
    junk.write_text("a spreadsheet, honestly" * 200)
    assert cli_main(["restore", str(junk)]) == 1
    assert "not a usable SQLite database (file is not a database)" in _one_line(capsys)
    assert not env.exists()


def test_age_reads_like_a_person() -> None:
    assert [age(timedelta(seconds=s)) for s in (-3, 35, 720, 3 * 3600 + 300, 2 * 86400 + 4 * 3600)
            ] == ["0 s", "35 s", "12 min", "3 h 5 min", "2 d 4 h"]
