"""The digest on a new installation: only time the desks existed and that has passed, each
day by the schedule of that day; a text a camat reads at a glance, and a chart that travels."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from bot.cli import main as cli_main
from bot.files.charts import digest_chart, digest_figure
from bot.reports.digest import chart_title, digest_text
from scheduler.digest import Digest, build_digest
from storage.importer import import_desks, parse_desk_csv
from storage.models import Role, to_db
from storage.rules.coverage import Coverage
from storage.schedule import import_rules, parse_schedule_csv
from storage.sqlite.engine import Database
from storage.tables import read_table
from tests.support.data import JAKARTA_CSV
from tests.support.sweeping import KEC, KEL, check_in, check_out, desk, register

WIB = ZoneInfo("Asia/Jakarta")
LURAH, OFFICER = 101, 201


def at(hour: int, minute: int = 0, day: int = 23) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    """The Jakarta desks, there since the start of the month; only KEL has duty (08-14)."""
    database = await Database.open(db_path)
    async with database.transaction() as tx:
        await tx.execute("UPDATE desks SET duty_hours = '-', created_at = ?",
                         (to_db(at(0, day=1)),))
        await tx.execute("UPDATE desks SET duty_hours = '08:00-14:00' WHERE code = ?", (KEL,))
    for uid, role in ((LURAH, Role.SUPERVISOR), (OFFICER, Role.OFFICER)):
        await register(database, uid, KEL, role)
    yield database
    await database.close()


async def test_a_new_installation_counts_nothing_before_it_existed(empty_db: Database) -> None:
    """Desks imported at 10:05: the day before shows no duty at all, and the day itself
    counts from 10:05 (the 08:00 start of duty had not happened for them)."""
    await import_desks(empty_db, parse_desk_csv(read_table(JAKARTA_CSV)), "Asia/Jakarta",
                       now=at(10, 5))
    scope = await desk(empty_db, KEC)  # the kecamatan (08-15) and its 6 kelurahan (08-14)
    before = await build_digest(empty_db, scope, at(20, day=22), WIB, now=at(20))
    assert before.desks == 0 and before.total.duty == 0 and before.total.empty == 0
    assert before.total.episodes == 0
    day = await build_digest(empty_db, scope, at(20), WIB, now=at(20))
    assert day.desks == 7
    minutes = 6 * (14 * 60 - (10 * 60 + 5)) + (15 * 60 - (10 * 60 + 5))
    assert day.total.duty == day.total.empty == minutes * 60
    assert day.total.episodes == 7
    assert day.counted_from == at(10, 5)
    assert "Dihitung sejak 23/11/2026 10.05 WIB" in digest_text(day, "id")


async def test_today_counts_only_up_to_now(db: Database) -> None:
    scope = await desk(db, KEC)
    today = await build_digest(db, scope, at(20), WIB, now=at(13, 55))
    assert today.end == at(13, 55)
    assert today.total.duty == today.total.empty == (5 * 60 + 55) * 60  # 08:00-13:55
    # A day that has not come yet holds nothing (it once showed a whole week empty).
    future = await build_digest(db, scope, at(20, day=30), WIB, now=at(13, 55))
    assert future.desks == 0 and future.total.empty == 0


async def test_a_schedule_changed_today_leaves_yesterday_as_it_was(db: Database) -> None:
    scope = await desk(db, KEC)
    first = await check_in(db, OFFICER, KEL, at(8, day=22))
    await check_out(db, first, at(11, day=22))
    yesterday = await build_digest(db, scope, at(20, day=22), WIB, now=at(9))
    assert (yesterday.total.duty, yesterday.total.empty) == (6 * 3600, 3 * 3600)

    # At 09:00 today: KEL on duty round the clock with two officers, and (set today for
    # yesterday's date) a rule that yesterday had no duty at all.
    kel = await desk(db, KEL)
    await import_desks(db, parse_desk_csv(
        "code,name,level,parent_code,latitude,longitude,duty_hours,min_staff\n"
        f"{KEL},{kel.name},kelurahan_desa,{KEC},{kel.latitude},{kel.longitude},"
        "00:00-24:00,2\n"), "Asia/Jakarta", now=at(9))
    await import_rules(db, parse_schedule_csv(
        f"desk,day,duty_hours,min_staff\n{KEL},2026-11-22,-,\n"), now=at(9))

    again = await build_digest(db, scope, at(20, day=22), WIB, now=at(20))
    assert (again.total.duty, again.total.empty) == (6 * 3600, 3 * 3600)
    assert again.total.staffed == yesterday.total.staffed
    # Today: 08:00-09:00 by the old hours, 09:00-20:00 by the new ones (nobody came).
    today = await build_digest(db, scope, at(20), WIB, now=at(20))
    assert today.total.duty == today.total.empty == 12 * 3600
    # Importing the same schedule again changes nothing, so it keeps no second history.
    kept = await db.fetchval("SELECT count(*) FROM schedule_history")
    await import_rules(db, parse_schedule_csv(
        f"desk,day,duty_hours,min_staff\n{KEL},2026-11-22,-,\n"), now=at(10))
    assert await db.fetchval("SELECT count(*) FROM schedule_history") == kept == 1


async def test_alerts_of_earlier_days_are_told_apart(db: Database) -> None:
    kel = await desk(db, KEL)
    async with db.transaction() as tx:  # opened the day before yesterday, never resolved
        await tx.execute("INSERT INTO alerts (desk_id, short_since, opened_at) VALUES (?, ?, ?)",
                         (kel.id, to_db(at(8, day=21)), to_db(at(8, 15, day=21))))
    digest = await build_digest(db, await desk(db, KEC), at(20), WIB, now=at(20))
    assert digest.alerts == 0 and digest.open_alerts == 0 and digest.earlier_alerts == 1
    text = digest_text(digest, "id")
    assert "Peringatan baru: 0, ditangani 0, masih terbuka 0" in text
    assert "Dibuka sebelum periode ini dan masih terbuka: 1 peringatan, 0 laporan" in text


async def test_cli_refuses_a_day_that_has_not_come(db: Database, db_path: Path,
                                                   tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    for key in ("POSKO_LANGUAGE", "POSKO_TIMEZONE", "POSKO_ADMIN_IDS", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("POSKO_DB_PATH", str(db_path))
    monkeypatch.chdir(tmp_path)
    code = await asyncio.to_thread(cli_main, ["digest", "--scope", KEC, "--date", "2099-01-01"])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert captured.err.startswith("posko-bot: no digest for 2099-01-01: that day has not come")
    assert len(captured.err.splitlines()) == 1
    assert not (tmp_path / f"posko-digest-{KEC}-2099-01-01.png").exists()


def _digest(**values: object) -> Digest:
    digest = Digest("Cengkareng", KEC, at(20, day=22), at(20), WIB)
    for key, value in values.items():
        setattr(digest, key, value)
    return digest


@pytest.mark.parametrize("lang", ["id", "en"])
def test_text_says_hours_and_plain_words(lang: str) -> None:
    digest = _digest(desks=7, total=Coverage(7 * 86400, 7 * 86400 - 13259 * 60, 9, 13259 * 60),
                     worst=[("Cengkareng Barat", KEL, Coverage(86400, 0, 1, 86400))],
                     alerts=3, acked=2, median_ack=timedelta(minutes=12), open_alerts=1,
                     by_category={"politik_uang": 2, "kamtib": 1},
                     by_status={"baru": 2, "selesai": 1}, calm=4)
    text = digest_text(digest, lang)
    if lang == "id":
        assert "Kosong: 9 kali, total 220 jam 59 menit" in text
        assert "kosong 24 jam, terisi 0%" in text
        assert "Laporan kejadian: 3 (Politik uang 2, Kamtib 1)" in text
        assert "Laporan kondusif (aman): 4" in text
        assert "separuhnya dalam 12 menit atau kurang" in text
    else:
        assert "220 h 59 min in all" in text and "All-calm reports: 4" in text
    assert "::" not in text and "median" not in text.lower() and "13259" not in text
    assert "sebelum periode ini" not in text and "before this period" not in text


def test_chart_title_carries_scope_and_date() -> None:
    title = chart_title(_digest(), "id")
    assert "Cengkareng" in title and "23/11/2026" in title and "22/11/2026" in title


def test_chart_shows_a_unit_at_zero_and_reads_on_a_phone() -> None:
    units = [("Kapuk", 0.0), ("Duri Kosambi", 0.4), ("Cengkareng Barat", 0.95)]
    fig = digest_figure("Rekap harian Cengkareng\n22/11/2026 – 23/11/2026", units,
                        [("Politik uang", 2)], "Terisi", "Laporan", "Tidak ada data")
    top = fig.axes[0]
    bars = [p for p in top.patches if isinstance(p, Rectangle)]
    labels = [tick.get_text() for tick in top.get_yticklabels()]
    kapuk = bars[labels.index("Kapuk")]
    assert kapuk.get_width() > 0  # a stub, not nothing
    assert "0%" in [text.get_text() for text in top.texts]
    fig.canvas.draw()
    sizes = [text.get_fontsize() for text in fig.findobj(Text) if text.get_text()]
    assert min(sizes) >= 13
    png = digest_chart("Rekap", units, [], "Terisi", "Laporan", "Tidak ada data")
    width, height = struct.unpack(">II", png[16:24])  # the PNG's IHDR
    assert (width, height) == (1024, 1280)  # what Telegram shows without scaling
