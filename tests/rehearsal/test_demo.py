"""``posko-bot demo`` from nothing: no token, no database, no network; it plays live and
stops cleanly on Ctrl+C, leaving nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_starts_without_anything_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "TMPDIR": str(tmp_path),
           "PYTHONPATH": str(ROOT), "PTB_TIMEDELTA": "1"}
    work = tmp_path / "fresh"
    work.mkdir()  # no .env, no posko.db: a fresh clone
    proc = subprocess.Popen([sys.executable, "-m", "bot", "demo", "--speed", "3000"],
                            cwd=work, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    lines = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # the day is playing: simulated hours go by
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "── 02:00 WIB ──" in line:
            break
    assert any("── 02:00 WIB ──" in line for line in lines), lines
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError("the demo did not stop within 30 s of Ctrl+C") from None
    assert proc.returncode == 130, err
    assert "stopped" in err and "Traceback" not in err + out
    assert "voting day" in lines[0]
    assert not list(tmp_path.glob("posko-gladi-*")), "the temporary database was left behind"
    assert list(work.iterdir()) == []  # nothing written where it ran
