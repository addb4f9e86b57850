"""``posko-bot demo`` from nothing: no token, no database, no network; it plays live, serves
its situation room on this machine with a sign-in link, and stops cleanly on Ctrl+C, leaving
nothing behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _ctrl_c(proc: subprocess.Popen[str]) -> tuple[str, str]:
    """Ctrl+C the demo; its output, once it stopped as Ctrl+C stops a command (130)."""
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError("the demo did not stop within 30 s of Ctrl+C") from None
    assert proc.returncode == 130, err
    return out, err


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
    out, err = _ctrl_c(proc)
    assert "stopped" in err and "Traceback" not in err + out
    assert "voting day" in lines[0]
    assert not list(tmp_path.glob("posko-gladi-*")), "the temporary database was left behind"
    assert list(work.iterdir()) == []  # nothing written where it ran


def test_the_demo_serves_its_situation_room_with_a_sign_in_link(tmp_path: Path) -> None:
    """The printed link signs the demo's admin in over HTTP on this machine; the page and
    its state answer while the day plays; Ctrl+C closes the port."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "TMPDIR": str(tmp_path),
           "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "demo", "--speed", "600"],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    try:
        url = ""
        deadline = time.monotonic() + 120
        while not url and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            url = next((word for word in line.split() if word.startswith("http://")), "")
        assert url.startswith("http://127.0.0.1:"), url
        base, token = url.split("/login#")
        cookies = urllib.request.HTTPCookieProcessor()
        browser = urllib.request.build_opener(cookies)
        with browser.open(f"{base}/login", timeout=10) as page:
            assert page.status == 200
        with pytest.raises(urllib.error.HTTPError) as refused:  # no session yet
            browser.open(f"{base}/api/state", timeout=10)
        assert refused.value.code == 401
        signed = browser.open(urllib.request.Request(
            f"{base}/auth/link", data=json.dumps({"token": token}).encode(),
            headers={"Content-Type": "application/json"}), timeout=10)
        assert json.load(signed) == {"ok": True}
        with browser.open(f"{base}/", timeout=10) as page:
            assert page.status == 200 and b"<html" in page.read().lower()
        with browser.open(f"{base}/api/state", timeout=10) as answer:
            state = json.load(answer)
        assert "31" in json.dumps(state)  # the DKI desks
        with pytest.raises(urllib.error.HTTPError) as spent:  # the link signs in once
            urllib.request.urlopen(urllib.request.Request(
                f"{base}/auth/link", data=json.dumps({"token": token}).encode(),
                headers={"Content-Type": "application/json"}), timeout=10)
        assert spent.value.code == 403
    finally:
        out, err = _ctrl_c(proc)
    assert "Traceback" not in err + out
    with pytest.raises(urllib.error.URLError):  # the dashboard went with the demo
        urllib.request.urlopen(f"{base}/login", timeout=5)
