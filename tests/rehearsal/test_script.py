"""The rehearsal script: what it accepts, and bad lines named with their numbers before
anything runs."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bot.cli import main
from bot.rehearsal.script import Event, ScriptError, parse_script

GOOD = """time,who,action
07:55,31.73.01.1001,checkin
07.58,31.73.01.1001#2,checkin
09:10,31.73.01.1001#2,silent
10:30,31.73.01.1001,report kamtib tinggi
10:31,31.73.01.1002,report kondusif
11:00,31.73.01.1001,checkout
08:40,31.73.01,ack
"""


def test_a_good_script_gives_its_events_in_file_order() -> None:
    events = parse_script(GOOD)
    assert events[0] == Event(7 * 60 + 55, "31.73.01.1001", 1, "checkin", line=2)
    assert events[1] == Event(7 * 60 + 58, "31.73.01.1001", 2, "checkin", line=3)
    assert events[3] == Event(630, "31.73.01.1001", 1, "report", "kamtib", "tinggi", line=5)
    assert events[4].category == "kondusif" and events[4].severity == ""
    assert events[6] == Event(8 * 60 + 40, "31.73.01", 0, "ack", line=8)


def test_every_bad_line_is_named_with_its_number() -> None:
    text = ("time,who,action\n"
            "25:00,31.73.01.1001,checkin\n"  # 2: no such hour
            "08:00,31.73.01.1001,dance\n"  # 3: unknown action
            "08:00,Budi!,checkin\n"  # 4: not a desk code
            "08:00,31.73.01.1001,report kamtib\n"  # 5: no severity
            "08:00,31.73.01.1001,report banjir tinggi\n"  # 6: no such category
            "08:00,31.73.01#2,ack\n"  # 7: ack is a supervisor's
            "08:00,31.73.01.1001,checkin\n"  # 8: fine
            "8am,31.73.01.1001,checkout now\n")  # 9: two problems, the first is named
    with pytest.raises(ScriptError) as caught:
        parse_script(text)
    lines = [line for line, _ in caught.value.errors]
    assert lines == [2, 3, 4, 5, 6, 7, 9]
    messages = dict(caught.value.errors)
    assert "time of day" in messages[2]
    assert "dance" in messages[3]
    assert "severity" in messages[5]
    assert "category" in messages[6]
    assert "supervisor" in messages[7]


def test_a_script_without_its_columns_or_actions_is_refused() -> None:
    with pytest.raises(ScriptError) as caught:
        parse_script("when,who,what\n08:00,31,checkin\n")
    assert caught.value.errors[0][0] == 1
    with pytest.raises(ScriptError, match="no actions"):
        parse_script("time,who,action\n")


def test_the_command_refuses_a_bad_script_and_runs_nothing(
        db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("POSKO_DB_PATH", str(db_path))
    script = tmp_path / "day.csv"
    script.write_text("time,who,action\n08:00,31.73.01.1001,checkin\n"
                      "09:00,31.73.01.1001,report kamtib\n", encoding="utf-8")
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    out = tmp_path / "out"
    code = main(["rehearse", "--scope", "31.73.01", "--script", str(script),
                 "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2
    assert f"{script}:3: report kamtib needs a severity" in captured.err
    assert "nothing rehearsed (1 bad line(s))" in captured.err
    assert not out.exists() and "Rehearsal of" not in captured.out
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before


def test_a_scripted_desk_outside_the_scope_is_refused_with_its_line(
        db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("POSKO_DB_PATH", str(db_path))
    script = tmp_path / "day.csv"
    script.write_text("time,who,action\n08:00,31.73.01.1001,checkin\n"
                      "08:00,31.71.01.1001,checkin\n08:00,31.73.01.1001#9,checkin\n",
                      encoding="utf-8")
    code = main(["rehearse", "--scope", "31.73.01", "--script", str(script)])
    err = capsys.readouterr().err
    assert code == 2
    assert ":3: desk 31.71.01.1001 is not in the rehearsed scope" in err
    assert ":4: desk 31.73.01.1001 has 2 officer(s) in the rehearsal, not 9" in err
