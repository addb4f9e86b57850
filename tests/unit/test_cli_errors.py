"""``posko-bot`` failures an operator can cause end in one line and an exit code, never a
traceback: a backup into a missing directory, a CSV that is no CSV, a database that cannot be
written (found up front, by ``check-config`` too, not at the first write)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main as cli_main
from tests.support.faults import make_read_only

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture
def cli_db(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI pointed at a copy of the Jakarta database, from a clean working directory."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for key in ("POSKO_LANGUAGE", "POSKO_TIMEZONE", "POSKO_ADMIN_IDS", "POSKO_WEBHOOK_URL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("POSKO_DB_PATH", str(db_path))
    return db_path


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    """The single line the command wrote to stderr."""
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("posko-bot: ")
    return lines[0]


def test_backup_into_a_missing_directory(cli_db: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    target = cli_db.parent / "nonexistent" / "dir" / "x.db"
    assert cli_main(["backup", str(target)]) == 1
    line = one_line_error(capsys)
    assert f"cannot write backup {target}" in line and "unable to open" in line


def test_import_with_a_cell_over_the_csv_limit(cli_db: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    big = cli_db.parent / "big.csv"
    big.write_text("code,name,level,parent_code,latitude,longitude\n"
                   f"31.99,{'x' * 200_000},kabupaten_kota,,,\n", encoding="utf-8")
    assert cli_main(["import-desks", str(big)]) == 1
    line = one_line_error(capsys)
    assert f"cannot read {big} as CSV" in line and "field larger than field limit" in line


@pytest.mark.parametrize("argv", [
    ["check-config"],
    ["invite", "--desk", "31.73.01", "--role", "officer"],
    ["import-desks", "desks.csv"],
    ["run"],
    ["invites", "revoke", "1"],
    ["members", "remove", "705"],
    ["members", "move", "705", "31.73.01"],
    ["members", "role", "705", "officer"],
])
def test_read_only_database_is_one_line(cli_db: Path, argv: list[str],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    (cli_db.parent / "work" / "desks.csv").write_text(
        "code,name,level,parent_code,latitude,longitude\n31.99,Kota Baru,kabupaten_kota,,,\n",
        encoding="utf-8")
    make_read_only(cli_db)
    assert cli_main(argv) == 1
    line = one_line_error(capsys)
    assert line == (f"posko-bot: database {cli_db} is not writable: "
                    "attempt to write a readonly database")
    assert "configuration OK" not in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "says"), [
    (["members", "remove", "12345"], "12345 is not a member"),
    (["members", "role", "12345", "supervisor"], "12345 is not a member"),
    (["members", "move", "12345", "31.73.01"], "12345 is not a member"),
    (["members", "list", "--scope", "99.99"], "no desk has the code 99.99"),
    (["invites", "list", "--scope", "99.99"], "no desk has the code 99.99"),
    (["invites", "revoke", "no-such-token"], "no invite has the number or token no-such-token"),
    (["invites", "revoke", "4242"], "no invite has the number or token 4242"),
])
def test_membership_commands_refuse_bad_input_in_one_line(
        cli_db: Path, argv: list[str], says: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(argv) == 1
    assert one_line_error(capsys) == f"posko-bot: {says}"


@pytest.fixture
def immutable(cli_db: Path) -> Iterator[Path]:
    """The database file made immutable (``chattr +i``): an open for writing fails even for
    root, as on a read-only mount. Skipped where the file system or the process cannot."""
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(cli_db)],
                                        capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        yield cli_db
    finally:
        subprocess.run([chattr, "-i", str(cli_db)], check=True)


def test_immutable_database_file(immutable: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["check-config"]) == 1
    assert one_line_error(capsys) == (f"posko-bot: database {immutable} is not writable: "
                                       "attempt to write a readonly database")


def test_read_only_database_can_still_be_read(cli_db: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    make_read_only(cli_db)
    target = tmp_path / "copy.db"
    assert cli_main(["backup", str(target)]) == 0
    assert target.exists() and capsys.readouterr().err == ""


def test_check_config_on_a_writable_database_changes_nothing(
        cli_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = cli_db.read_bytes()
    assert cli_main(["check-config", "--offline"]) == 0
    assert "configuration OK (token not checked with Telegram)" in capsys.readouterr().out
    assert cli_db.read_bytes() == before  # the write test was rolled back


def test_database_path_under_a_file(cli_db: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSKO_DB_PATH", str(cli_db / "posko.db"))
    assert cli_main(["check-config"]) == 1
    line = one_line_error(capsys)
    assert f"cannot open database {cli_db / 'posko.db'}" in line




def test_unforeseen_database_error_is_one_line(cli_db: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from storage import desks

    async def failing(*args: object) -> int:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(desks, "count", failing)
    assert cli_main(["check-config"]) == 1
    assert one_line_error(capsys) == "posko-bot: database error: disk I/O error"


def test_import_of_a_file_that_is_no_table(cli_db: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    pdf = cli_db.parent / "desks.pdf"
    pdf.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    assert cli_main(["import-desks", str(pdf)]) == 1
    line = one_line_error(capsys)
    assert line == (f"posko-bot: cannot import {pdf}: this is not a CSV file or an Excel "
                    ".xlsx workbook")


def test_import_of_one_kota_from_a_bigger_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from tests.support.data import JAKARTA_CSV

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("POSKO_DB_PATH", str(tmp_path / "kota.db"))
    assert cli_main(["import-desks", "--scope", "31.73", str(JAKARTA_CSV)]) == 0
    out = capsys.readouterr().out
    with sqlite3.connect(tmp_path / "kota.db") as conn:
        codes = [c for (c,) in conn.execute("SELECT code FROM desks")]
    assert "31" in codes and "31.73" in codes and "31.71" not in codes
    assert all(c == "31" or c.startswith("31.73") for c in codes)
    assert out.startswith(f"{len(codes)} rows in {JAKARTA_CSV}: {len(codes)} new")
    assert cli_main(["import-desks", "--scope", "99", str(JAKARTA_CSV)]) == 1
    err = capsys.readouterr().err
    assert "no desk in the file has the code 99" in err and "Traceback" not in err
