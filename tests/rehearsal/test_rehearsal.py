"""A rehearsed day is the real code path: its numbers follow the rules and the settings, the
same seed gives the same files, a date's rules apply, and the live database is only read."""

from __future__ import annotations

import hashlib
import socket
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bot.rehearsal.actors import Profile
from bot.rehearsal.report import Outcome, summary, write, write_xlsx
from bot.rehearsal.runner import Plan, Rehearsal
from bot.rehearsal.script import parse_script
from storage import members as members_store
from storage.schedule import import_rules, parse_schedule_csv
from storage.sqlite.engine import Database
from tests.support.settings import make_settings

# A day to come, as an operator rehearses one: the desks (imported when the tests start)
# and the rules exist before it, so the digest counts the whole day.
DAY = date.today() + timedelta(days=30)
SCOPE = "31.73.01"  # Kec. Cengkareng and its six kelurahan
# Four kelurahan on duty 08:00–14:00 with one officer required; everything else off duty.
ON_DUTY = ("31.73.01.1001", "31.73.01.1002", "31.73.01.1003", "31.73.01.1004")
SCRIPT = """time,who,action
07:50,31.73.01.1002,checkin
08:30,31.73.01.1003,checkin
07:55,31.73.01.1004,checkin
10:00,31.73.01.1004,checkout
10:40,31.73.01.1004#2,checkin
09:00,31.73.01,ack
"""


def _duty(db_path: Path, codes: tuple[str, ...] = ON_DUTY, hours: str = "08:00-14:00") -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE desks SET duty_hours = '-', min_staff = 1")
        conn.executemany("UPDATE desks SET duty_hours = ? WHERE code = ?",
                         [(hours, code) for code in codes])
    conn.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


async def _rehearse(db_path: Path, plan: Plan, **env: Any) -> Outcome:
    return await Rehearsal(make_settings(db_path, **env), plan).run(db_path)


async def test_a_scripted_day_opens_the_alerts_the_grace_rule_says(db_path: Path) -> None:
    """Kelurahan 1001 is never staffed (alert, escalated to the camat, who takes it at
    09:00), 1002 is staffed before duty (none), 1003 from 08:30 (alert after 15 minutes
    empty), 1004 is left 40 minutes at 10:00 (alert): three alerts with a grace of 15
    minutes, only 1001's with a grace of an hour."""
    _duty(db_path)
    script = parse_script(SCRIPT)
    strict = summary(await _rehearse(db_path, Plan(SCOPE, DAY, script=script),
                                     POSKO_UNATTENDED_GRACE="15m"))
    assert strict["alerts"]["opened"] == 3
    assert strict["alerts"]["taken"] == 1
    assert strict["alerts"]["escalated"] >= 1
    assert strict["alerts"]["not_resolved"] == 0
    lenient = summary(await _rehearse(db_path, Plan(SCOPE, DAY, script=script),
                                      POSKO_UNATTENDED_GRACE="60m"))
    assert lenient["alerts"]["opened"] == 1
    # The staffed time is the same: only the rule that judges it changed.
    assert strict["staffed_share"] is not None and strict["staffed_share"] < 1
    assert lenient["staffed_share"] == strict["staffed_share"]
    assert lenient["empty_minutes"] == strict["empty_minutes"]


async def test_the_timeline_shows_every_message_as_the_bot_sends_it(db_path: Path) -> None:
    _duty(db_path)
    outcome = await _rehearse(db_path, Plan(SCOPE, DAY, script=parse_script(SCRIPT)),
                              POSKO_UNATTENDED_GRACE="15m")
    lurah = next(a for a in outcome.cast.actors.values()
                 if a.desk.code == "31.73.01.1001" and a.officer == 0)
    alerts = [d for d in outcome.deliveries if d.chat_id == lurah.user_id
              and any(data.startswith("ack:") for _text, data in d.buttons)]
    assert alerts, "the lurah of the empty kelurahan got no alert"
    first = alerts[0]
    assert "Cengkareng Barat" in first.text
    assert first.at.astimezone(lurah.desk.tz).strftime("%H:%M") == "08:15"
    officer = outcome.cast.by_label[("31.73.01.1003", 1)]
    receipt = next(d for d in outcome.deliveries if d.chat_id == officer.user_id
                   and "Check-in tercatat" in d.text)
    assert "08.30 WIB" in receipt.text
    assert outcome.refused == 0


async def test_the_same_seed_gives_the_same_files(db_path: Path, tmp_path: Path) -> None:
    _duty(db_path)
    plan = Plan(SCOPE, DAY, seed=7, profile=Profile(late=0.4, silent=0.3, reports=50))
    first = await _rehearse(db_path, plan)
    again = await _rehearse(db_path, plan)
    other = await _rehearse(db_path, Plan(SCOPE, DAY, seed=8,
                                          profile=Profile(late=0.4, silent=0.3, reports=50)))
    names = ("timeline.txt", "summary.json", "summary.txt", "messages.csv", "recipients.csv",
             "shifts.csv", "alerts.csv", "incidents.csv")
    for outcome, folder in ((first, "a"), (again, "b"), (other, "c")):
        write(outcome, tmp_path / folder)

    def digest(folder: str, name: str) -> str:
        return hashlib.sha256((tmp_path / folder / name).read_bytes()).hexdigest()

    for name in names:
        assert digest("a", name) == digest("b", name), name
    # The export too: made at the simulated end of the day, not when the files were written.
    xlsx = [await write_xlsx(outcome, tmp_path / folder, DAY)
            for outcome, folder in ((first, "a"), (again, "b"))]
    assert xlsx[0].read_bytes() == xlsx[1].read_bytes()
    assert digest("a", "timeline.txt") != digest("c", "timeline.txt")
    assert summary(first)["shifts"] > 0


async def test_a_date_rule_applies_on_its_date_only(db_path: Path, tmp_path: Path) -> None:
    """The voting-day rule, imported as an operator does: the kelurahan on duty round the
    clock with two officers on that date, no duty the day before."""
    _duty(db_path, codes=())
    db = await Database.open(db_path)
    await import_rules(db, parse_schedule_csv(
        f"desk,level,day,duty_hours,min_staff\n31.73.01,kelurahan_desa,{DAY},00:00-24:00,2\n"))
    await db.close()
    voting = summary(await _rehearse(db_path, Plan(SCOPE, DAY)))
    before = summary(await _rehearse(db_path, Plan(SCOPE, DAY - timedelta(days=1))))
    assert voting["duty_hours"] == 6 * 24
    assert voting["officers"] == 6 * 3 + 1 * 2  # min_staff + 1; the kecamatan keeps its 1
    assert before["duty_hours"] == 0 and before["alerts"]["opened"] == 0
    assert before["officers"] == 7 * 2


async def test_the_live_database_is_only_read(db_path: Path) -> None:
    _duty(db_path)
    before = _sha(db_path)
    outcome = await _rehearse(db_path, Plan(SCOPE, DAY, script=parse_script(SCRIPT)))
    assert outcome.export.alerts
    assert _sha(db_path) == before
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM members").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM alerts").fetchone()[0] == 0
    conn.close()


STORY = """time,who,action
07:50,31.73.01.1001,checkin
09:00,31.73.01.1001,checkout
09:40,31.73.01,ack
10:00,31.73.01.1001#2,checkin
"""


async def test_the_alert_story_of_the_end_to_end_test_plays_the_same(db_path: Path) -> None:
    """What ``tests/e2e/test_e2e_alerts.py`` observes of ``posko-bot run``, played as a
    script: the officer leaves at 09:00, the lurah is alerted after the grace (09:15), the
    camat after the first escalation step (09:30, "diteruskan ke atasan"), the camat takes
    it (09:40), the next officer arrives (10:00) and both hear it is over. One alert."""
    _duty(db_path, codes=("31.73.01.1001",))
    outcome = await _rehearse(db_path, Plan(SCOPE, DAY, script=parse_script(STORY)),
                              POSKO_UNATTENDED_GRACE="15m", POSKO_ESCALATION_STEPS="15m,30m")
    numbers = summary(outcome)
    assert numbers["alerts"] == {"opened": 1, "escalated": 1, "taken": 1,
                                 "median_minutes_to_take": 25.0, "not_resolved": 0}
    lurah = outcome.cast.by_label[("31.73.01.1001", 0)]
    camat = outcome.cast.by_label[("31.73.01", 0)]

    def got(actor: Any, words: str) -> list[str]:
        return [d.at.astimezone(actor.desk.tz).strftime("%H:%M") for d in outcome.deliveries
                if d.chat_id == actor.user_id and not d.edit and words in d.text]

    assert got(lurah, "Posko kosong") == ["09:15"]
    assert got(camat, "Posko kosong") == ["09:30"]
    assert got(camat, "diteruskan ke atasan") == ["09:30"]
    assert got(lurah, "Peringatan selesai") == got(camat, "Peringatan selesai") == ["10:00"]
    taken = [d for d in outcome.deliveries if d.edit and "Ditangani oleh" in d.text]
    assert {d.chat_id for d in taken} == {lurah.user_id, camat.user_id}


async def test_a_rehearsal_leaves_the_dashboard_port_to_the_bot(db_path: Path) -> None:
    """The bot serving its dashboard on the configured port does not stop a rehearsal on
    the same machine: a rehearsal serves none (only the demo serves its own)."""
    _duty(db_path)
    with socket.socket() as bot_dashboard:
        bot_dashboard.bind(("127.0.0.1", 0))
        bot_dashboard.listen()
        port = bot_dashboard.getsockname()[1]
        outcome = await _rehearse(db_path, Plan(SCOPE, DAY, script=parse_script(SCRIPT)),
                                  POSKO_DASHBOARD_PORT=str(port))
    assert outcome.export.alerts


async def test_the_daily_and_weekly_reports_go_out_at_their_times(db_path: Path) -> None:
    """On the weekly report's day an admin gets the weekly report at its time and the daily
    digest at the digest time, once each: the rehearsal runs those jobs only then."""
    _duty(db_path)
    db = await Database.open(db_path)
    await members_store.ensure_admin(db, 4242, "Admin", None)
    await db.close()
    monday = DAY + timedelta(days=-DAY.weekday() % 7)
    outcome = await _rehearse(db_path, Plan(SCOPE, monday, script=parse_script(SCRIPT)),
                              POSKO_ADMIN_IDS="4242", POSKO_WEEKLY_REPORT_DAY="senin 08:00")
    got = [(d.at.astimezone(outcome.tz).strftime("%H:%M"), d.text.split("\n", 1)[0])
           for d in outcome.deliveries if d.chat_id == 4242]
    words = ("Laporan mingguan", "Grafik laporan mingguan", "Ekspor minggu ini",
             "Rekap harian", "Grafik rekap harian")
    assert [(at, next(w for w in words if w in text)) for at, text in got] == [
        ("08:00", words[0]), ("08:00", words[1]), ("08:00", words[2]),  # the week's
        ("20:00", words[3]), ("20:00", words[4])]  # the day's
