"""``posko-bot export`` on the command line: the XLSX and CSV files it writes, and its
errors."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main as cli_main
from storage.sqlite.engine import Database
from tests.support.exports import (
    ALERT_HEADERS,
    INCIDENT_HEADERS,
    SHEETS,
    SHIFT_HEADERS,
    rows,
    seed,
)
from tests.support.sweeping import KEC


@pytest.fixture
def cli_env(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A seeded database, the CLI pointed at it, and a clean working directory."""
    async def prepare() -> None:
        db = await Database.open(db_path)
        try:
            await seed(db)
        finally:
            await db.close()

    asyncio.run(prepare())
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for key in ("POSKO_LANGUAGE", "POSKO_TIMEZONE", "POSKO_ADMIN_IDS", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("POSKO_DB_PATH", str(db_path))
    return work


def test_cli_writes_xlsx_and_csv(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["export", "--scope", KEC, "--from", "23/11/2026", "--csv", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    xlsx = cli_env / "posko-31.73.01-2026-11-23-2026-11-23.xlsx"
    assert out[0].startswith(f"wrote {xlsx.name}: 3 shifts, 1 alerts, 1 incidents")
    assert len(out) == 4 and out[1] == "wrote csv/shifts.csv: 3 rows"
    book = load_workbook(xlsx)
    assert [len(rows(book, title)) - 1 for title in SHEETS] == [3, 1, 1]
    for name, headers, count in (("shifts", SHIFT_HEADERS, 3), ("alerts", ALERT_HEADERS, 1),
                                 ("incidents", INCIDENT_HEADERS, 1)):
        with (cli_env / "csv" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            table = list(csv.reader(handle))
        assert table[0] == headers and len(table) == count + 1
    with (cli_env / "csv" / "shifts.csv").open(encoding="utf-8") as handle:
        assert "2026-11-23 07:55,2026-11-23 10:12,137,diakhiri petugas" in handle.read()
    assert cli_main(["export", "--scope", "31", "--from", "2026-11-23", "--to", "2026-11-23",
                     "--out", "all.xlsx"]) == 0
    assert [len(rows(load_workbook("all.xlsx"), t)) - 1 for t in SHEETS] == [4, 2, 2]


def test_cli_errors(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    for argv, code, reason in (
            (["--scope", "99.99"], 1, "no desk has the code 99.99"),
            (["--scope", KEC, "--from", "2026-02-30"], 2, "not a date: 2026-02-30"),
            (["--scope", KEC, "--from", "2026-11-23", "--to", "2026-11-22"], 2, "before"),
            (["--scope", KEC, "--from", "2026-11-10"], 1, "nothing to export")):
        assert cli_main(["export", *argv]) == code, argv
        captured = capsys.readouterr()
        assert captured.out == "" and len(captured.err.splitlines()) == 1, captured
        assert captured.err.startswith("posko-bot: ") and reason in captured.err
    assert list(cli_env.iterdir()) == []
    # The chat's 31-day cap keeps a file a phone can open; the CLI writes to a disk.
    assert cli_main(["export", "--scope", KEC, "--from", "2026-11-01", "--to", "2026-12-31",
                     "--out", "two-months.xlsx"]) == 0
    assert "2026-11-01 to 2026-12-31" in capsys.readouterr().out
