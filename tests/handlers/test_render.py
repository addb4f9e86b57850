"""Rendering outbox rows into messages, on a real SQLite file with the Jakarta desks.

Alerts, presence questions, language and escaping are sections of one file, a little over 300
lines, because every case renders with the same seeded database and renderer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, time
from pathlib import Path

import pytest

from bot.outbox.message import Rendered
from bot.outbox.render import OutboxRenderer
from bot.views.alerts import PAGE
from scheduler.presence import check_presence
from scheduler.sweep import sweep
from storage import alerts as alerts_store
from storage import desks as desks_store
from storage import members as members_store
from storage import outbox as outbox_store
from storage import shifts as shifts_store
from storage.models import Role, utcnow
from storage.outbox import OutboxRow
from storage.outbox_kinds import (
    AlertsPayload,
    EditPayload,
    OutboxFormatError,
    OutboxKind,
    PresenceCheckPayload,
)
from storage.rules.geo import LocationFacts
from storage.sqlite.engine import Database
from tests.support.botapi_rules import strip_html
from tests.support.rows import SAMPLES, unsent_row
from tests.support.settings import make_settings
from tests.support.sweeping import (
    CONFIG,
    KEC,
    KEL,
    PRESENCE,
    WIB,
    alert_row,
    check_in,
    check_out,
    only_these_need_staff,
    register,
)
from tests.support.telegram import utf16_len

LURAH, OFFICER = 101, 201


def today(hour: int, minute: int = 0) -> datetime:
    """A moment of the current local day in Jakarta (rendered times show no date then)."""
    return datetime.combine(datetime.now(WIB).date(), time(hour, minute), tzinfo=WIB)


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(db_path)
    await only_these_need_staff(database, KEL)
    await register(database, LURAH, KEL, Role.SUPERVISOR)
    await register(database, OFFICER, KEL, Role.OFFICER)
    yield database
    await database.close()


@pytest.fixture
def renderer(db: Database, db_path: Path) -> OutboxRenderer:
    return OutboxRenderer(db, make_settings(db_path))


async def rows(db: Database, kind: OutboxKind) -> list[OutboxRow]:
    ids = [r[0] for r in await db.fetchall("SELECT id FROM outbox WHERE kind = ? ORDER BY id",
                                           (kind,))]
    found = [await outbox_store.get_row(db, i) for i in ids]
    return [r for r in found if r is not None]


def buttons(rendered: Rendered) -> list[tuple[str, str]]:
    markup = rendered.reply_markup
    if markup is None:
        return []
    return [(b.text, str(b.callback_data)) for row in markup.inline_keyboard for b in row]


async def empty_since_eight(db: Database) -> int:
    """The officer left at 08:00; the sweep at 08:20 alerts the lurah. Returns the alert id."""
    shift = await check_in(db, OFFICER, KEL, today(7, 30))
    await check_out(db, shift, today(8))
    assert (await sweep(db, today(8, 20), CONFIG)).opened == 1
    return int((await alert_row(db, KEL))["id"])


# --- alerts ------------------------------------------------------------------------------

async def test_one_alert(db: Database, renderer: OutboxRenderer) -> None:
    alert_id = await empty_since_eight(db)
    (row,) = await rows(db, OutboxKind.ALERTS)
    assert row.chat_id == LURAH
    rendered = await renderer(row)
    assert rendered is not None and rendered.edit is None
    title, *lines = rendered.text.split("\n")
    assert title == "🚨 <b>Posko kosong</b>"
    # One short line: the desk, since when, who was there last.
    assert lines == [f"• <b>Cengkareng Barat</b> kosong sejak 08.00 WIB ({lines[0].split('(')[1]}"]
    assert lines[0].endswith(f', petugas terakhir: <a href="tg://user?id={OFFICER}">User 201</a>')
    assert buttons(rendered) == [("🙋 Saya tangani", f"ack:{alert_id}"),
                                 ("👁 Lihat posko", f"desk:{(await alert_row(db, KEL))['desk_id']}")]
    assert len(rendered.text) < 4096


async def test_nobody_yet_and_escalated(db: Database, renderer: OutboxRenderer) -> None:
    await register(db, 102, KEC, Role.SUPERVISOR)
    await sweep(db, today(8, 15), CONFIG)  # nobody came at 08:00
    await sweep(db, today(8, 30), CONFIG)  # no answer: on to the camat
    camat_row = (await rows(db, OutboxKind.ALERTS))[-1]
    rendered = await renderer(camat_row)
    assert rendered is not None
    _title, line, legend = rendered.text.split("\n")
    assert "terakhir" not in line and line.endswith(" ⬆️")  # nobody came; the lurah was told
    assert legend == "⬆️ = diteruskan ke atasan, belum ada yang menangani"


async def many_alerts(db: Database, n: int) -> list[int]:
    """Alerts for the first ``n`` kelurahan of Jakarta, oldest first."""
    codes = [r[0] for r in await db.fetchall(
        "SELECT code FROM desks WHERE level = 'kelurahan_desa' ORDER BY code LIMIT ?", (n,))]
    await only_these_need_staff(db, *codes)
    assert (await sweep(db, today(9), CONFIG)).opened == n
    return [r[0] for r in await db.fetchall("SELECT id FROM alerts ORDER BY id")]


async def test_many_alerts_in_one_message(db: Database, renderer: OutboxRenderer) -> None:
    ids = await many_alerts(db, 25)
    rendered = await renderer(unsent_row(LURAH, OutboxKind.ALERTS, AlertsPayload(tuple(ids))))
    assert rendered is not None
    lines = rendered.text.split("\n")
    assert lines[0] == "🚨 <b>25 posko kosong</b>"
    assert sum(line.startswith("• ") for line in lines) == PAGE
    assert lines[-2:] == [f"…dan {25 - PAGE} posko lain: /peringatan",
                          "🙋 = saya tangani, 👁 = lihat posko"]
    assert utf16_len(strip_html(rendered.text)) <= 4096
    keyboard = buttons(rendered)
    # Every listed alert can be taken: one row per listed desk, named after it.
    assert [data for _, data in keyboard if data.startswith("ack:")] == \
        [f"ack:{i}" for i in ids[:PAGE]]
    assert len(keyboard) == 2 * PAGE
    first = next(text for text, data in keyboard if data == f"ack:{ids[0]}")
    assert first.startswith("🙋 Tangani ") and ("👁 Lihat", keyboard[1][1]) == keyboard[1]
    assert all(len(data.encode()) <= 64 for _, data in keyboard)


async def test_many_long_alerts_stay_within_telegram_limit(db: Database,
                                                            renderer: OutboxRenderer) -> None:
    # The longest desk names, every alert escalated, blaming someone with a long name.
    codes = [r[0] for r in await db.fetchall(
        "SELECT code FROM desks WHERE level = 'kelurahan_desa' "
        "ORDER BY length(name) DESC, code LIMIT 25")]
    await only_these_need_staff(db, *codes)
    assert (await sweep(db, today(9), CONFIG)).opened == 25
    ids = [r[0] for r in await db.fetchall("SELECT id FROM alerts ORDER BY id")]
    async with db.transaction() as tx:
        await tx.execute("UPDATE alerts SET first_level = 0, level = 2, last_member_id = ?",
                         (OFFICER,))
        await tx.execute("UPDATE members SET full_name = ?, username = ? WHERE telegram_id = ?",
                         ("Muhammad Rizky Pratama Wijayakusuma Hadiningrat Setiabudi",
                          "rizky_pratama_wijayakusuma", OFFICER))
    rendered = await renderer(unsent_row(LURAH, OutboxKind.ALERTS, AlertsPayload(tuple(ids))))
    assert rendered is not None
    # Measured as Telegram does: after parsing the HTML, in UTF-16 units (the emoji count 2).
    assert utf16_len(strip_html(rendered.text)) <= 4096
    lines = rendered.text.split("\n")
    shown = sum(line.startswith("• ") for line in lines)
    assert shown == PAGE
    assert lines[-2] == f"…dan {25 - shown} posko lain: /peringatan"
    assert sum(line.endswith(" ⬆️") for line in lines) == shown
    assert lines[-1].endswith("⬆️ = diteruskan ke atasan, belum ada yang menangani")


async def test_alerts_of_emoji_named_desks_are_counted_as_telegram_counts(
        db: Database, renderer: OutboxRenderer) -> None:
    # Names short in characters but twice as long in UTF-16 units: counting characters let
    # the list run past 4096 units and Telegram refused the whole message.
    codes = [r[0] for r in await db.fetchall(
        "SELECT code FROM desks WHERE level = 'kelurahan_desa' ORDER BY code LIMIT 25")]
    await only_these_need_staff(db, *codes)
    assert (await sweep(db, today(9), CONFIG)).opened == 25
    ids = [r[0] for r in await db.fetchall("SELECT id FROM alerts ORDER BY id")]
    async with db.transaction() as tx:
        await tx.execute("UPDATE desks SET name = ? WHERE level = 'kelurahan_desa'",
                         ("Posko 🗳️ & " + "🏛🇮🇩" * 45,))
    rendered = await renderer(unsent_row(LURAH, OutboxKind.ALERTS, AlertsPayload(tuple(ids))))
    assert rendered is not None
    assert utf16_len(strip_html(rendered.text)) <= 4096
    assert rendered.text.split("\n")[-2].startswith("…dan ")


async def test_acknowledged_alert_and_the_edit_of_every_message(db: Database,
                                                                renderer: OutboxRenderer) -> None:
    alert_id = await empty_since_eight(db)
    (original,) = await rows(db, OutboxKind.ALERTS)
    assert await alerts_store.acknowledge(db, alert_id, LURAH, today(8, 25)) is \
        alerts_store.AckOutcome.ACKED
    rendered = await renderer(original)
    assert rendered is not None
    assert "   ✔️ Ditangani oleh " in rendered.text and "pukul 08.25 WIB" in rendered.text
    assert f'<a href="tg://user?id={LURAH}">User 101</a>' in rendered.text
    assert rendered.reply_markup is None  # nothing left to take
    (update,) = await rows(db, OutboxKind.ALERT_UPDATE)
    assert update.chat_id == LURAH and update.payload == EditPayload(original.id)
    assert await renderer(update) is None  # the original never reached the chat
    assert await outbox_store.mark_sent(db, original.id, 777, utcnow())
    edit = await renderer(update)
    assert edit is not None
    assert edit.edit == (LURAH, 777)
    assert edit.text == rendered.text and edit.reply_markup is None


async def test_resolved(db: Database, renderer: OutboxRenderer) -> None:
    await empty_since_eight(db)
    await check_in(db, OFFICER, KEL, today(8, 47))
    assert (await sweep(db, today(8, 48), CONFIG)).resolved == 1
    (row,) = await rows(db, OutboxKind.ALERTS_RESOLVED)
    assert row.chat_id == LURAH
    rendered = await renderer(row)
    assert rendered is not None
    assert rendered.text == ("✅ <b>Peringatan selesai</b>\n"
                             "• <b>Cengkareng Barat</b>: kosong selama 48 menit, "
                             "sekarang sudah ada petugas.")
    # The original alert, rendered again (an edit after resolution), says it is over.
    (original,) = await rows(db, OutboxKind.ALERTS)
    again = await renderer(original)
    assert again is not None and "Sudah ada petugas lagi" in again.text
    assert "kosong sejak 08.00 WIB (48 menit)" in again.text  # as long as it was, not until now
    assert again.reply_markup is None


async def test_resolved_at_duty_end(db: Database, renderer: OutboxRenderer) -> None:
    await empty_since_eight(db)
    await sweep(db, today(14), CONFIG)
    (row,) = await rows(db, OutboxKind.ALERTS_RESOLVED)
    rendered = await renderer(row)
    assert rendered is not None
    assert "kosong selama 6 jam 0 menit, jam tugas selesai." in rendered.text


# --- presence ----------------------------------------------------------------------------

async def test_presence_check_and_shift_closed(db: Database, renderer: OutboxRenderer) -> None:
    shift = await check_in(db, OFFICER, KEL, today(8))
    await check_presence(db, today(11), PRESENCE)
    (ask,) = await rows(db, OutboxKind.PRESENCE_CHECK)
    payload = ask.payload_as(PresenceCheckPayload)
    assert ask.chat_id == OFFICER and payload.shift == shift
    rendered = await renderer(ask)
    assert rendered is not None
    assert rendered.text.startswith(
        "❓ Apakah Anda masih bertugas di posko <b>Cengkareng Barat</b>?")
    assert "dalam 30 menit" in rendered.text
    assert buttons(rendered) == [("✅ Masih bertugas", f"pc:{payload.check}")]

    await check_presence(db, today(11, 30), PRESENCE)  # no answer
    assert await renderer(ask) is None  # the shift is over: do not ask any more
    (closed,) = await rows(db, OutboxKind.SHIFT_CLOSED)
    rendered = await renderer(closed)
    assert rendered is not None
    assert rendered.text == ("⏹ Tugas Anda di <b>Cengkareng Barat</b> diakhiri pukul 11.30 WIB "
                             "karena tidak ada jawaban. Ketik /checkin jika Anda masih bertugas.")


async def test_a_question_a_live_location_answered_is_not_sent(db: Database,
                                                                renderer: OutboxRenderer) -> None:
    """The pass settles a waiting question by a fresh live location; if the question has not
    gone out by then (a backlog, the bot down), it is dropped rather than asked too late."""
    shift = await check_in(db, OFFICER, KEL, today(8))
    await check_presence(db, today(11), PRESENCE)
    (ask,) = await rows(db, OutboxKind.PRESENCE_CHECK)
    assert await renderer(ask) is not None
    target = await desks_store.by_code(db, KEL)
    assert target is not None and target.latitude is not None and target.longitude is not None
    facts = LocationFacts(target.latitude, target.longitude, today(11, 5), live=True)
    assert await shifts_store.refresh(db, shift, facts=facts, distance=0.0, inside=True,
                                      now=today(11, 5))
    assert (await check_presence(db, today(11, 6), PRESENCE)).answered_by_location == 1
    assert await renderer(ask) is None


async def test_shift_closed_at_duty_end(db: Database, renderer: OutboxRenderer) -> None:
    await check_in(db, OFFICER, KEL, today(12))
    await check_presence(db, today(14), PRESENCE)
    (closed,) = await rows(db, OutboxKind.SHIFT_CLOSED)
    rendered = await renderer(closed)
    assert rendered is not None
    assert rendered.text == ("⏹ Jam tugas di <b>Cengkareng Barat</b> sudah selesai; tugas Anda "
                             "diakhiri pukul 14.00 WIB.")


async def test_every_kind_has_a_renderer(db: Database, renderer: OutboxRenderer) -> None:
    """Each kind reaches its renderer, which finds its ids gone and has nothing to say."""
    assert set(SAMPLES) == set(OutboxKind)
    for kind in OutboxKind:
        assert await renderer(unsent_row(OFFICER, kind, SAMPLES[kind])) is None, kind


async def test_unreadable_rows(db: Database, renderer: OutboxRenderer) -> None:
    """A row of a newer version's kind, or with a damaged payload, raises (and is retried)."""
    with pytest.raises(OutboxFormatError, match="unknown outbox kind 'nonsense'"):
        await renderer(OutboxRow(0, LURAH, "nonsense", "{}", 0, utcnow()))
    with pytest.raises(OutboxFormatError, match=r"AlertsPayload\.alerts"):
        await renderer(OutboxRow(0, LURAH, "alerts", '{"alerts": 7}', 0, utcnow()))


# --- language and escaping ---------------------------------------------------------------

async def test_english_for_a_member_who_chose_it(db: Database, renderer: OutboxRenderer) -> None:
    assert await members_store.set_language(db, LURAH, "en")
    assert await members_store.set_language(db, OFFICER, "en")
    alert_id = await empty_since_eight(db)
    (row,) = await rows(db, OutboxKind.ALERTS)
    rendered = await renderer(row)
    assert rendered is not None
    assert rendered.text.startswith("🚨 <b>Desk empty</b>\n")
    assert "empty since 08:00 WIB" in rendered.text and ", last: " in rendered.text
    assert buttons(rendered)[0] == ("🙋 I'll handle it", f"ack:{alert_id}")
    assert buttons(rendered)[1][0] == "👁 View desk"
    shift = await check_in(db, OFFICER, KEL, today(8, 30))
    await check_presence(db, today(11, 30), PRESENCE)
    (ask,) = await rows(db, OutboxKind.PRESENCE_CHECK)
    assert ask.payload_as(PresenceCheckPayload).shift == shift
    asked = await renderer(ask)
    assert asked is not None
    assert "Cengkareng Barat" in asked.text and "30 min" in asked.text
    assert buttons(asked)[0][0] == "✅ Still on duty"
    # A chat without a member (a group) gets the installation's language.
    group = await renderer(unsent_row(-1001, OutboxKind.ALERTS, AlertsPayload((alert_id,))))
    assert group is not None and group.text.startswith("🚨 <b>Posko kosong</b>")


async def test_names_are_escaped(db: Database, renderer: OutboxRenderer) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE desks SET name = 'Kel. <b>&' WHERE code = ?", (KEL,))
        await tx.execute("UPDATE members SET full_name = '<b>&', username = 'x<y' "
                         "WHERE telegram_id = ?", (OFFICER,))
    await empty_since_eight(db)
    (row,) = await rows(db, OutboxKind.ALERTS)
    rendered = await renderer(row)
    assert rendered is not None
    assert "<b>Kel. &lt;b&gt;&amp;</b>" in rendered.text
    assert f'<a href="tg://user?id={OFFICER}">&lt;b&gt;&amp;</a> (@x&lt;y)' in rendered.text
    assert "<b>&" not in rendered.text.replace("<b>Kel.", "").replace("<b>Posko", "")


async def test_button_texts_are_not_html(db: Database, renderer: OutboxRenderer) -> None:
    """Telegram shows button texts as they are: an escaped name would show its entities."""
    other = "31.73.01.1002"
    async with db.transaction() as tx:
        await tx.execute("UPDATE desks SET name = 'Kel. <b>&' WHERE code = ?", (KEL,))
    await only_these_need_staff(db, KEL, other)
    await sweep(db, today(9), CONFIG)
    ids = [r[0] for r in await db.fetchall("SELECT id FROM alerts ORDER BY desk_id")]
    rendered = await renderer(unsent_row(LURAH, OutboxKind.ALERTS, AlertsPayload(tuple(ids))))
    assert rendered is not None
    texts = [text for text, data in buttons(rendered) if data.startswith("ack:")]
    assert sorted(texts) == sorted(["🙋 Tangani Kel. <b>&", "🙋 Tangani Duri Kosambi"])
