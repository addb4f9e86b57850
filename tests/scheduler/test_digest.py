"""The daily digest: numbers from a known day, zones, midnight, scheduling, chart and text."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.cli import main as cli_main
from bot.files.charts import digest_chart
from bot.outbox import digest as render_digest
from bot.outbox.render import OutboxRenderer
from bot.reports.digest import digest_text
from scheduler.digest import build_digest, next_digest, send_due
from storage import digests as digests_store
from storage import members as members_store
from storage import outbox as outbox_store
from storage import subscriptions as subscriptions_store
from storage.models import Role, to_db
from storage.outbox_kinds import DigestPayload, OutboxKind
from storage.sqlite.engine import Database
from tests.support.settings import make_settings
from tests.support.sweeping import KEC, KEL, check_in, check_out, desk, register

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
LURAH, CAMAT, OFFICER, OFFICER2 = 101, 102, 201, 202


def at(hour: int, minute: int = 0, day: int = 23, tz: ZoneInfo = WIB) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=tz)


NOW = at(12, day=30)  # the days these tests look at are past
CREATED = at(0, day=1)  # the desks exist since the start of the month


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(db_path)
    async with database.transaction() as tx:  # only the kelurahan has duty
        await tx.execute("UPDATE desks SET duty_hours = '-', created_at = ?", (to_db(CREATED),))
        await tx.execute("UPDATE desks SET duty_hours = '08:00-14:00' WHERE code = ?", (KEL,))
    for uid, code, role in ((LURAH, KEL, Role.SUPERVISOR), (CAMAT, KEC, Role.SUPERVISOR),
                            (OFFICER, KEL, Role.OFFICER), (OFFICER2, KEL, Role.OFFICER)):
        await register(database, uid, code, role)
    yield database
    await database.close()


async def _fixture_day(db: Database, tz: ZoneInfo) -> None:
    """The known day: two officers, a gap at 12:30, two alerts, three reports."""
    first = await check_in(db, OFFICER, KEL, at(8, 10, tz=tz))
    await check_out(db, first, at(10, tz=tz))
    second = await check_in(db, OFFICER2, KEL, at(10, tz=tz))
    await check_out(db, second, at(12, 30, tz=tz))
    await check_in(db, OFFICER, KEL, at(13, tz=tz))  # still on duty at 20:00
    kel = await desk(db, KEL)
    async with db.transaction() as tx:
        for opened, acked in ((at(8, 15, tz=tz), at(8, 20, tz=tz)),
                              (at(12, 45, tz=tz), at(13, 5, tz=tz))):
            await tx.execute(
                "INSERT INTO alerts (desk_id, short_since, opened_at, acked_by, acked_at, "
                "resolved_at, resolution) VALUES (?, ?, ?, ?, ?, ?, 'staffed')",
                (kel.id, to_db(opened), to_db(opened), LURAH, to_db(acked), to_db(acked)))
        for seq, (category, status) in enumerate((("politik_uang", "selesai"),
                                                  ("politik_uang", "baru"),
                                                  ("kondusif", "baru")), start=1):
            await tx.execute(
                "INSERT INTO incidents (ref, desk_id, seq, draft_id, reporter_id, category, "
                "severity, description, status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, 'sedang', 'x', ?, ?, ?)",
                (f"LP-{KEL}-{seq:04d}", kel.id, seq, seq, OFFICER, category, status,
                 to_db(at(9 + seq, tz=tz)), to_db(at(9 + seq, tz=tz))))


@pytest.mark.parametrize("tz", [WIB, WITA], ids=["WIB", "WITA"])
async def test_digest_numbers_of_a_known_day(db: Database, tz: ZoneInfo) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE desks SET timezone = ? WHERE code = ?", (tz.key, KEL))
    await _fixture_day(db, tz)
    scope = await desk(db, KEC)
    digest = await build_digest(db, scope, at(20, tz=tz), tz, now=NOW)
    assert digest.desks == 1
    assert digest.total.duty == 6 * 3600 and digest.total.staffed == 320 * 60
    assert digest.total.episodes == 2 and digest.total.empty == 40 * 60
    assert digest.alerts == 2 and digest.acked == 2
    assert digest.median_ack == timedelta(minutes=12, seconds=30)
    assert digest.by_category == {"politik_uang": 2} and digest.calm == 1
    assert digest.by_status == {"selesai": 1, "baru": 1}
    assert digest.open_incidents == 1 and digest.open_alerts == 0
    assert [(name, code) for name, code, _ in digest.worst] == [("Cengkareng Barat", KEL)]
    assert [name for name, _ in digest.units] == ["Cengkareng Barat"]
    text = digest_text(digest, "id")
    assert "terisi <b>89%</b>" in text and "Kosong: 2 kali, total 40 menit" in text
    assert ("Peringatan baru: 2, ditangani 2 (separuhnya dalam 12 menit atau kurang), "
            "masih terbuka 0") in text
    assert "Laporan kejadian: 2 (Politik uang 2)" in text
    assert "Laporan kondusif (aman): 1" in text and len(text) < 4096
    # The day before holds nothing of this.
    before = await build_digest(db, scope, at(20, day=22, tz=tz), tz, now=NOW)
    assert before.total.duty == 6 * 3600 and before.total.staffed == 0 and before.alerts == 0


async def test_window_across_midnight(db: Database) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE desks SET duty_hours = '20:00-08:00' WHERE code = ?", (KEL,))
    first = await check_in(db, OFFICER, KEL, at(20, day=22))
    await check_out(db, first, at(23, day=22))
    second = await check_in(db, OFFICER2, KEL, at(23, 30, day=22))
    await check_out(db, second, at(8))
    digest = await build_digest(db, await desk(db, KEC), at(20), WIB, now=NOW)
    # The digest at 20:00 covers the night that began at 20:00 yesterday: 12 h of duty.
    assert digest.total.duty == 12 * 3600
    assert digest.total.staffed == 11.5 * 3600 and digest.total.episodes == 1


async def test_scheduled_once_missed_digest_sent_late_once(db: Database) -> None:
    settings = dict(at=time(20), default_tz=WIB, admin_ids=[])
    group_desk = await desk(db, KEC)
    await subscriptions_store.subscribe(db, -100777, group_desk.id, "Desk", CAMAT, at(7))
    assert (await send_due(db, at(19, 59), **settings)).queued == 0
    run = await send_due(db, at(20) + timedelta(seconds=30), **settings)
    assert run.queued == 3  # the lurah, the camat and the group
    assert (await send_due(db, at(20, 1), **settings)).queued == 0
    rows = await db.fetchall("SELECT chat_id, kind FROM outbox ORDER BY id")
    assert sorted({r[0] for r in rows}) == [-100777, LURAH, CAMAT]
    assert [r[1] for r in rows].count("digest_chart") == 3
    # Down from 19:00 on the 24th to 09:00 on the 25th: the missed one goes out late, once.
    assert (await send_due(db, at(9, day=25), **settings)).queued == 3
    assert (await send_due(db, at(9, 5, day=25), **settings)).queued == 0
    next_at = await db.fetchval("SELECT min(next_at) FROM digest_schedule")
    assert next_at == to_db(at(20, day=25))


async def test_due_digests_are_queued_in_chunks_each_once(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Due digests are advanced a chunk to a transaction; one another run advanced first
    (its planned time is gone) is not queued again, and the others of its chunk are."""
    settings = dict(at=time(20), default_tz=WIB, admin_ids=[])
    group_desk = await desk(db, KEC)
    await subscriptions_store.subscribe(db, -100777, group_desk.id, "Desk", CAMAT, at(7))
    await send_due(db, at(19), **settings)  # three rows planned for 20:00
    async with db.transaction() as tx:  # another run took the camat's already
        await tx.execute("UPDATE digest_schedule SET next_at = ? WHERE chat_id = ?",
                         (to_db(at(20, day=24)), CAMAT))
    monkeypatch.setattr(digests_store, "CHUNK", 2)
    assert (await send_due(db, at(20), **settings)).queued == 2
    rows = await db.fetchall("SELECT chat_id, kind FROM outbox ORDER BY id")
    assert sorted(tuple(r) for r in rows) == [(c, k) for c in sorted((-100777, LURAH))
                                              for k in ("digest", "digest_chart")]
    assert (await send_due(db, at(20, 1), **settings)).queued == 0


async def test_a_group_with_two_scopes_gets_a_digest_of_each(db: Database) -> None:
    settings = dict(at=time(20), default_tz=WIB, admin_ids=[])
    scopes = [(await desk(db, code)).id for code in (KEC, KEL)]
    for scope in scopes:
        await subscriptions_store.subscribe(db, -100777, scope, "Desk", CAMAT, at(7))
    await send_due(db, at(19), **settings)
    await send_due(db, at(19, 1), **settings)  # the rows stay as they are, one per scope
    assert await db.fetchval("SELECT count(*) FROM digest_schedule WHERE chat_id = -100777") == 2
    await send_due(db, at(20) + timedelta(seconds=30), **settings)
    rows = await db.fetchall("SELECT payload FROM outbox WHERE chat_id = -100777 AND kind = ?",
                             (OutboxKind.DIGEST.value,))
    assert sorted(DigestPayload.from_json(json.loads(r[0])).desk for r in rows) == scopes


def test_next_digest_time_in_the_desks_zone() -> None:
    assert next_digest(at(19, 59), time(20), WIB) == at(20)
    assert next_digest(at(20), time(20), WIB) == at(20, day=24)
    assert next_digest(at(20), time(20), WITA) == at(20, day=24, tz=WITA)  # 19:00 WIB < 20 WITA


def test_chart_is_a_reasonable_png() -> None:
    png = digest_chart("Rekap Cengkareng", [(f"Kelurahan {i}", i / 20) for i in range(20)],
                       [("Politik uang", 3), ("Kamtib", 1)], "Terisi", "Laporan", "Tidak ada")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and 10_000 < len(png) < 400_000
    empty = digest_chart("Rekap", [], [], "Terisi", "Laporan", "Tidak ada data")
    assert empty.startswith(b"\x89PNG")


def test_charts_drawn_at_once_in_threads_are_each_whole() -> None:
    """The sender renders several recipients' charts at the same time, each in a thread."""
    def draw(n: int) -> bytes:
        return digest_chart(f"Rekap {n}", [(f"Kelurahan {i}", i / 9) for i in range(n)],
                            [("Kamtib", n)], "Terisi", "Laporan", "Tidak ada")

    with ThreadPoolExecutor(max_workers=6) as pool:
        charts = list(pool.map(draw, range(1, 13)))
    assert all(png.startswith(b"\x89PNG") and png.endswith(b"IEND\xaeB`\x82") for png in charts)
    assert len(set(charts)) == 12  # each its own figure, none drawn over another


async def test_renderer_sends_text_then_chart(db: Database, db_path: Path) -> None:
    await _fixture_day(db, WIB)
    scope = await desk(db, KEC)
    async with db.transaction() as tx:
        ids = await outbox_store.enqueue(tx, [outbox_store.Intent(
            CAMAT, kind, DigestPayload(scope.id, at(20)))
            for kind in (OutboxKind.DIGEST, OutboxKind.DIGEST_CHART)], at(20))
    renderer = OutboxRenderer(db, make_settings(db_path))
    text_row, chart_row = [await outbox_store.get_row(db, row_id) for row_id in ids]
    assert text_row is not None and chart_row is not None
    text = await renderer(text_row)
    chart = await renderer(chart_row)
    assert text is not None and "Rekap harian Cengkareng" in text.text
    assert chart is not None and chart.photo is not None and chart.photo.startswith(b"\x89PNG")


async def test_cli_digest_prints_writes_and_queues(db: Database, db_path: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    await _fixture_day(db, WIB)
    for key in ("POSKO_LANGUAGE", "POSKO_TIMEZONE", "POSKO_ADMIN_IDS", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("POSKO_DB_PATH", str(db_path))
    monkeypatch.chdir(tmp_path)

    async def cli(*argv: str) -> int:
        return await asyncio.to_thread(cli_main, ["digest", "--scope", KEC, *argv])

    assert await cli("--date", "23/11/2026") == 0
    out = capsys.readouterr().out
    assert "Rekap harian Cengkareng" in out and "<b>" not in out  # plain text on a terminal
    chart = tmp_path / f"posko-digest-{KEC}-2026-11-23.png"
    assert chart.read_bytes().startswith(b"\x89PNG")

    assert await cli("--date", "2026-02-30") == 2
    assert "not a date: 2026-02-30" in capsys.readouterr().err
    # A chart that cannot be written is one line, and --send has queued the digest already.
    assert await cli("--date", "2026-11-23", "--send", "--out", str(tmp_path / "no" / "x.png")) == 1
    err = capsys.readouterr().err
    assert err.startswith("posko-bot: cannot write") and len(err.splitlines()) == 1
    assert await db.fetchval("SELECT count(*) FROM outbox WHERE kind = 'digest'") > 0


async def test_scheduling_rewrites_only_rows_that_change(db: Database) -> None:
    """The every-minute pass writes nothing for recipients whose row is already right; a
    moved scope or an earlier digest time is still written."""
    settings = dict(at=time(20), default_tz=WIB, admin_ids=[])
    await send_due(db, at(10), **settings)
    writer = db._writer  # the store's one writing connection
    before = writer.total_changes
    writes: list[int] = []
    real_transaction = db.transaction

    def counted() -> Any:
        writes.append(1)
        return real_transaction()

    db.transaction = counted  # type: ignore[method-assign]
    await send_due(db, at(10, 1), **settings)
    assert writer.total_changes == before
    assert not writes  # a minute without a change takes no write transaction at all
    db.transaction = real_transaction  # type: ignore[method-assign]
    await send_due(db, at(10, 2), **{**settings, "at": time(18)})  # the time moved earlier
    assert writer.total_changes == before + 2  # the lurah's and the camat's rows
    assert await db.fetchval("SELECT max(next_at) FROM digest_schedule") == to_db(at(18))
    camat_desk = await desk(db, KEC)
    await register(db, LURAH, KEC, Role.SUPERVISOR)  # the lurah moves to the kecamatan
    before = writer.total_changes
    await send_due(db, at(10, 3), **{**settings, "at": time(18)})
    assert await db.fetchval("SELECT desk_id FROM digest_schedule WHERE chat_id = ?",
                             (LURAH,)) == camat_desk.id
    assert writer.total_changes == before + 2  # the new scope's row in, the old one's out


async def test_a_scopes_chart_is_drawn_once_per_language(db: Database, db_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    await _fixture_day(db, WIB)
    scope = await desk(db, KEC)
    await members_store.set_language(db, LURAH, "en")
    drawn: list[str] = []

    async def counting_png(digest: object, lang: str) -> bytes:
        drawn.append(lang)
        return b"\x89PNG " + lang.encode()

    monkeypatch.setattr(render_digest, "digest_png", counting_png)
    async with db.transaction() as tx:
        ids = await outbox_store.enqueue(tx, [outbox_store.Intent(
            chat, OutboxKind.DIGEST_CHART, DigestPayload(scope.id, at(20)))
            for chat in (CAMAT, -100777, LURAH)], at(20))
    renderer = OutboxRenderer(db, make_settings(db_path))
    photos = []
    for row_id in ids:
        row = await outbox_store.get_row(db, row_id)
        assert row is not None
        rendered = await renderer(row)
        assert rendered is not None
        photos.append(rendered.photo)
    assert sorted(drawn) == ["en", "id"]
    assert photos == [b"\x89PNG id", b"\x89PNG id", b"\x89PNG en"]


@pytest.mark.parametrize("table", [digests_store.DAILY, digests_store.WEEKLY])
async def test_a_due_digest_is_advanced_through_its_own_row(db: Database, table: str) -> None:
    """Moving a digest to its next time finds the chat's row by the (chat, scope) index, not
    among every row due at the same time (a country's 60,000 at 20:00)."""
    plan = await db.fetchall(
        "EXPLAIN QUERY PLAN " + digests_store.ADVANCE.format(table=table), ("x", 1, 0, "y"))
    assert [row["detail"] for row in plan] == [
        f"SEARCH {table} USING INDEX {table.split('_')[0]}_schedule_scope (chat_id=? AND <expr>=?)"]
