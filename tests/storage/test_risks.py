"""Risk labels in the store: the desk CSV's rawan column, import-risk, and bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main as cli_main
from storage import desks as desks_store
from storage.importer import import_desks, parse_desk_csv
from storage.risks import import_risks, labels_for, parse_risk_csv
from storage.sqlite.engine import Database
from storage.tables import CsvImportError
from tests.support.data import GAMBIR_CSV

HEADER = "code,name,level,parent_code,latitude,longitude,rawan\n"
GAMBIR = "31.71.01.1001,Gambir,kelurahan_desa,31.71.01,-6.176384,106.826707"
CIDENG = "31.71.01.1002,Cideng,kelurahan_desa,31.71.01,-6.172980,106.808311"


async def labels(db: Database) -> dict[str, tuple[str, ...]]:
    codes = {row[0]: row[1] for row in await db.fetchall("SELECT id, code FROM desks")}
    return {codes[i]: found for i, found in (await labels_for(db, list(codes))).items()}


async def test_the_desk_csv_column_sets_keeps_and_clears_labels(gambir_db: Database) -> None:
    await import_desks(gambir_db, parse_desk_csv(
        f'{HEADER}{GAMBIR}," Perbatasan;PSU "\n{CIDENG},banjir\n'), "Asia/Jakarta")
    assert await labels(gambir_db) == {"31.71.01.1001": ("perbatasan", "psu"),
                                       "31.71.01.1002": ("banjir",)}
    # An empty cell keeps the labels (like every optional column); '-' removes them.
    result = await import_desks(gambir_db, parse_desk_csv(f"{HEADER}{GAMBIR},\n{CIDENG},-\n"),
                                "Asia/Jakarta")
    assert result.relabelled == 1
    assert await labels(gambir_db) == {"31.71.01.1001": ("perbatasan", "psu")}
    # A desk CSV without the column leaves the labels alone.
    await import_desks(gambir_db, parse_desk_csv(GAMBIR_CSV), "Asia/Jakarta")
    assert await labels(gambir_db) == {"31.71.01.1001": ("perbatasan", "psu")}


async def test_a_bad_label_in_the_desk_csv_imports_nothing(empty_db: Database) -> None:
    text = GAMBIR_CSV.replace("longitude\n", "longitude,rawan\n").replace(
        "106.826707", "106.826707,perbatasan").replace("106.808311", "106.808311,rawan banjir")
    with pytest.raises(CsvImportError) as caught:
        await import_desks(empty_db, parse_desk_csv(text), "Asia/Jakarta")
    assert caught.value.errors == [(6, "risk label 'rawan banjir' must be 1-32 letters a-z, "
                                       "digits, '_' or '-'")]
    assert await empty_db.fetchval("SELECT count(*) FROM desks") == 0


async def test_import_risk_replaces_and_is_idempotent(gambir_db: Database) -> None:
    text = "code,labels\n31.71.01.1001,psu;perbatasan\n31.71.01.1002,Banjir\n31.71.01,\n"
    first = await import_risks(gambir_db, parse_risk_csv(text))
    assert (first.changed, first.unchanged) == (2, 1)
    again = await import_risks(gambir_db, parse_risk_csv(text))
    assert (again.changed, again.unchanged) == (0, 3)
    await import_risks(gambir_db, parse_risk_csv("code;labels\n31.71.01.1001;konflik\n"))
    assert await labels(gambir_db) == {"31.71.01.1001": ("konflik",),  # replaced, not added
                                       "31.71.01.1002": ("banjir",)}  # not named: kept


async def test_import_risk_refuses_bad_files_whole(gambir_db: Database) -> None:
    await import_risks(gambir_db, parse_risk_csv("code,labels\n31.71.01.1001,psu\n"))
    bad = ("code,labels\n31.71.01.1002,banjir\n,psu\n31.71.01.1001,a b\n"
           "31.71.01.1002,konflik\n")
    with pytest.raises(CsvImportError) as caught:
        parse_risk_csv(bad)
    assert caught.value.errors == [
        (3, "code is empty"),
        (4, "risk label 'a b' must be 1-32 letters a-z, digits, '_' or '-'"),
        (5, "code 31.71.01.1002 already on line 2")]
    with pytest.raises(CsvImportError) as unknown:
        await import_risks(gambir_db, parse_risk_csv(
            "code,labels\n31.71.01.1002,banjir\n99.99,psu\n"))
    assert unknown.value.errors == [(3, "desk 99.99 is not a known desk (import desks first)")]
    assert await labels(gambir_db) == {"31.71.01.1001": ("psu",)}  # nothing half-imported
    with pytest.raises(CsvImportError, match="code, labels"):
        parse_risk_csv("code,risiko\n31.71.01.1001,psu\n")


async def test_import_risk_within_a_scope(gambir_db: Database) -> None:
    text = "code,labels\n31.71.01.1001,psu\n31.71,konflik\n"
    result = await import_risks(gambir_db, parse_risk_csv(text), "31.71.01")
    assert (result.changed, result.outside) == (1, 1)
    assert await labels(gambir_db) == {"31.71.01.1001": ("psu",)}
    with pytest.raises(CsvImportError, match=r"no desk has the code 31\.99"):
        await import_risks(gambir_db, parse_risk_csv(text), "31.99")


def test_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "posko.db"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("POSKO_DB_PATH", str(db_path))
    desks = tmp_path / "desks.csv"
    desks.write_text(GAMBIR_CSV, encoding="utf-8")
    assert cli_main(["import-desks", str(desks)]) == 0
    risks = tmp_path / "risks.csv"
    risks.write_text("code,labels\n31.71.01.1001,perbatasan\n31.71.01.1002,banjir\n",
                     encoding="utf-8")
    capsys.readouterr()
    assert cli_main(["import-risk", str(risks), "--scope", "31.71.01.1001"]) == 0
    assert capsys.readouterr().out == (f"2 rows in {risks}: 1 desks relabelled, 0 unchanged, "
                                       "1 outside 31.71.01.1001 left alone\n")
    assert cli_main(["import-risk", str(risks)]) == 0
    assert "1 desks relabelled, 1 unchanged" in capsys.readouterr().out
    risks.write_text("code,labels\n31.71.01.1001,perbatasan\n31.71.01.1002,x y\n",
                     encoding="utf-8")
    assert cli_main(["import-risk", str(risks)]) == 1
    err = capsys.readouterr().err
    assert f"{risks}:3: risk label 'x y' must be" in err and "nothing imported" in err


async def test_labels_of_a_desk_read_back(gambir_db: Database) -> None:
    await import_risks(gambir_db, parse_risk_csv("code,labels\n31.71.01.1001,psu,banjir\n"
                                                 .replace("psu,banjir", '"psu,banjir"')))
    desk = await desks_store.by_code(gambir_db, "31.71.01.1001")
    assert desk is not None
    assert await labels_for(gambir_db, [desk.id]) == {desk.id: ("banjir", "psu")}
