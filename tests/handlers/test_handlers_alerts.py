"""Alert buttons, /peringatan, "Masih bertugas" and /langganan through the real Application.

They share one file, a little over 300 lines, because they share one seeded world: KEL on duty
all day with its lurah, camat and officers, a camat elsewhere, and the alert KEL opens.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from bot.outbox.render import OutboxRenderer
from bot.outbox.sender import Sender
from scheduler.presence import check_presence
from scheduler.sweep import sweep
from storage import desks as desks_store
from storage.models import Role, to_db, utcnow
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.sweeping import (
    CONFIG,
    KEC,
    KEL,
    PRESENCE,
    alert_row,
    check_in,
    intents,
    only_these_need_staff,
    soon,
)
from tests.support.telegram import answer, sends

KEL2 = "31.73.01.1002"  # Kel. Duri Kosambi, same kecamatan
GAMBIR = "31.71.01"  # Kec. Gambir, Jakarta Pusat: another kecamatan
LURAH, CAMAT, STRANGER, OFFICER, OTHER_OFFICER = 501, 502, 503, 504, 505
GROUP = -100123


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """The harness with every desk but KEL needing nobody, KEL on duty all day, the people.

    The background sender is stopped: the outbox keeps what the handlers wrote, and every
    recorded Bot API call is the handler's own.
    """
    await harness.stop_sender()
    await only_these_need_staff(harness.db, KEL)
    await harness.set_desk(KEL, duty_hours="00:00-24:00")
    await harness.member(LURAH, KEL, Role.SUPERVISOR, name="Pak Lurah")
    await harness.member(CAMAT, KEC, Role.SUPERVISOR, name="Bu Camat")
    await harness.member(STRANGER, GAMBIR, Role.SUPERVISOR, name="Camat Gambir")
    await harness.member(OFFICER, KEL, Role.OFFICER, name="Budi Santoso")
    await harness.member(OTHER_OFFICER, KEL, Role.OFFICER, name="Siti Aminah")
    return harness


async def open_alert(h: Harness, *, escalate: bool = False) -> int:
    """Open KEL's alert (told to the lurah), optionally escalated to the camat."""
    moment = soon()
    assert (await sweep(h.db, moment, CONFIG)).opened == 1
    if escalate:
        assert (await sweep(h.db, moment + CONFIG.steps[0], CONFIG)).escalated == 1
    row = await alert_row(h.db, KEL)
    return int(row["id"])


async def acked_by(h: Harness, alert_id: int) -> Any:
    return await h.db.fetchval("SELECT acked_by FROM alerts WHERE id = ?", (alert_id,))


# --- Saya tangani ------------------------------------------------------------------------

async def test_lurah_takes_the_alert_and_every_recipient_is_updated(h: Harness) -> None:
    alert_id = await open_alert(h, escalate=True)
    announced = await h.db.fetchall(
        "SELECT id, chat_id FROM outbox WHERE kind = 'alerts' ORDER BY id")
    assert [r["chat_id"] for r in announced] == [LURAH, CAMAT]
    calls = await h.send(u.callback(u.user(LURAH), f"ack:{alert_id}"))
    assert "Anda menangani" in answer(calls).text and "Cengkareng Barat" in answer(calls).text
    assert sends(calls) == []  # the edits go through the outbox
    assert await acked_by(h, alert_id) == LURAH
    row = await alert_row(h.db, KEL)
    assert row["acked_at"] is not None and row["next_escalation_at"] is None
    assert sorted((c, p["target"]) for c, _, p in await intents(h.db, "alert_update")) == \
        sorted((r["chat_id"], r["id"]) for r in announced)
    # Escalation stopped: a later sweep tells nobody new.
    await sweep(h.db, soon() + timedelta(hours=2), CONFIG)
    assert len(await intents(h.db, "alerts")) == 2


async def test_second_ack_says_who_took_it(h: Harness) -> None:
    alert_id = await open_alert(h, escalate=True)
    await h.send(u.callback(u.user(LURAH), f"ack:{alert_id}"))
    updates = len(await intents(h.db, "alert_update"))
    calls = await h.send(u.callback(u.user(CAMAT), f"ack:{alert_id}"))
    assert answer(calls).text == "Sudah ditangani oleh Pak Lurah."
    assert await acked_by(h, alert_id) == LURAH
    assert len(await intents(h.db, "alert_update")) == updates


async def test_popups_are_plain_text(h: Harness) -> None:
    # A popup shows no HTML: a name with & and < must read as typed, not as &amp; and &lt;.
    alert_id = await open_alert(h, escalate=True)
    async with h.db.transaction() as tx:
        await tx.execute("UPDATE members SET full_name = 'Siti & <Tim> Lurah' "
                         "WHERE telegram_id = ?", (LURAH,))
    await h.send(u.callback(u.user(LURAH), f"ack:{alert_id}"))
    calls = await h.send(u.callback(u.user(CAMAT), f"ack:{alert_id}"))
    assert answer(calls).text == "Sudah ditangani oleh Siti & <Tim> Lurah."
    assert "parse_mode" not in answer(calls).params


@pytest.mark.parametrize("who", [STRANGER, OFFICER])
async def test_ack_refused_outside_scope_and_for_officers(h: Harness, who: int) -> None:
    alert_id = await open_alert(h)
    calls = await h.send(u.callback(u.user(who), f"ack:{alert_id}"))
    refusal = answer(calls)
    assert refusal.text == f"Posko {KEL} tidak berada dalam wilayah Anda."
    assert refusal.params.get("show_alert") is True
    assert await acked_by(h, alert_id) is None
    assert await intents(h.db, "alert_update") == []
    assert sends(calls) == []


async def test_ack_after_resolve(h: Harness) -> None:
    alert_id = await open_alert(h)
    await check_in(h.db, OFFICER, KEL, utcnow())
    assert (await sweep(h.db, soon(), CONFIG)).resolved == 1
    calls = await h.send(u.callback(u.user(LURAH), f"ack:{alert_id}"))
    assert "sudah selesai" in answer(calls).text
    assert await acked_by(h, alert_id) is None


@pytest.mark.parametrize("data", ["ack:abc", "ack:999999", "ack:", "ack:-1",
                                  "ack:" + "9" * 40])
async def test_garbage_ack_is_stale(h: Harness, data: str) -> None:
    await open_alert(h)
    calls = await h.send(u.callback(u.user(LURAH), data))
    assert answer(calls).text == "Tombol ini sudah tidak berlaku."
    assert sends(calls) == []
    assert await h.db.fetchval("SELECT count(*) FROM alerts WHERE acked_at IS NOT NULL") == 0


async def test_ack_edits_reach_every_chat_through_the_sender(h: Harness) -> None:
    alert_id = await open_alert(h, escalate=True)
    async with h.db.transaction() as tx:  # the sweeps ran a little in the future: due now
        await tx.execute("UPDATE outbox SET not_before = ?", (to_db(utcnow()),))
    sender = Sender(h.app.bot, h.db, OutboxRenderer(h.db, h.app.bot_data.settings),
                    private_interval=0.0)
    before = len(h.request.calls)
    assert await sender.drain(timeout=5) == 2
    first = h.request.calls[before:]
    sent = {int(c.params["chat_id"]): c for c in first if c.method == "sendMessage"}
    assert set(sent) == {LURAH, CAMAT}
    assert ("🙋 Saya tangani", f"ack:{alert_id}") in sent[CAMAT].buttons()
    message_ids = dict(await h.db.fetchall(
        "SELECT chat_id, message_id FROM outbox WHERE kind = 'alerts'"))

    await h.send(u.callback(u.user(LURAH), f"ack:{alert_id}"))
    before = len(h.request.calls)
    assert await sender.drain(timeout=5) == 2
    edits = [c for c in h.request.calls[before:] if c.method == "editMessageText"]
    assert {(int(c.params["chat_id"]), int(c.params["message_id"])) for c in edits} == \
        set(message_ids.items())
    for edit in edits:
        assert "Ditangani oleh" in edit.text and "Pak Lurah" in edit.text
        assert not any(data.startswith("ack:") for _, data in edit.buttons())


# --- Lihat posko -------------------------------------------------------------------------

async def test_desk_view_shows_duty_and_officers(h: Harness) -> None:
    desk = await desks_store.by_code(h.db, KEL)
    assert desk is not None
    await check_in(h.db, OFFICER, KEL, utcnow() - timedelta(minutes=5))
    for who in (LURAH, CAMAT):
        calls = await h.send(u.callback(u.user(who), f"desk:{desk.id}"))
        assert answer(calls).params.get("text") in (None, "")
        (view,) = sends(calls)
        assert int(view.params["chat_id"]) == who
        assert "Cengkareng Barat" in view.text and KEL in view.text
        assert "Jam tugas sampai" in view.text and "petugas 1/1" in view.text
        assert f'<a href="tg://user?id={OFFICER}">Budi Santoso</a>' in view.text
        assert "Kosong sejak" not in view.text


async def test_desk_view_of_an_empty_desk_shows_its_alert(h: Harness) -> None:
    await open_alert(h)
    desk = await desks_store.by_code(h.db, KEL)
    assert desk is not None
    (view,) = sends(await h.send(u.callback(u.user(LURAH), f"desk:{desk.id}")))
    assert "petugas 0/1" in view.text and "🚨 Kosong sejak" in view.text


async def test_desk_view_refused_outside_scope(h: Harness) -> None:
    desk = await desks_store.by_code(h.db, KEL)
    assert desk is not None
    await check_in(h.db, OFFICER, KEL, utcnow())
    for who, data, says in (
            (STRANGER, f"desk:{desk.id}", f"Posko {KEL} tidak berada dalam wilayah Anda."),
            # An officer pressing 👁 under a group's alert is told why, not "stale".
            (OFFICER, f"desk:{desk.id}", "Tombol ini untuk pengawas dan admin."),
            (LURAH, "desk:999999", "Tombol ini sudah tidak berlaku."),
            (LURAH, "desk:x", "Tombol ini sudah tidak berlaku.")):
        calls = await h.send(u.callback(u.user(who), data, chat=u.group_chat()))
        assert answer(calls).text == says, (who, data)
        assert sends(calls) == [], (who, data)


# --- /peringatan -------------------------------------------------------------------------

async def test_open_alerts_lists_with_ack_buttons(h: Harness) -> None:
    (none,) = await h.send(u.text(u.user(LURAH), "/peringatan"))
    assert "Tidak ada peringatan terbuka" in none.text
    alert_id = await open_alert(h)
    (listing,) = await h.send(u.text(u.user(LURAH), "/peringatan"))
    assert "Peringatan terbuka: 1" in listing.text and "Cengkareng Barat" in listing.text
    buttons = listing.buttons()
    assert ("🙋 Saya tangani", f"ack:{alert_id}") in buttons
    assert all(len(data.encode()) <= 64 for _, data in buttons)
    # The listed button works like the one in the alert.
    calls = await h.send(u.callback(u.user(LURAH), buttons[0][1]))
    assert "Anda menangani" in answer(calls).text
    (listing,) = await h.send(u.text(u.user(LURAH), "/alerts"))
    assert "Ditangani oleh" in listing.text
    assert not [d for _, d in listing.buttons() if d.startswith("ack:")]


async def test_open_alerts_follow_scope(h: Harness) -> None:
    await only_these_need_staff(h.db, KEL, KEL2)
    await h.set_desk(KEL2, duty_hours="00:00-24:00")
    assert (await sweep(h.db, soon(), CONFIG)).opened == 2
    ids = {code: int((await alert_row(h.db, code))["id"]) for code in (KEL, KEL2)}
    (camat,) = await h.send(u.text(u.user(CAMAT), "/peringatan"))
    assert "Peringatan terbuka: 2" in camat.text
    assert "Cengkareng Barat" in camat.text and "Duri Kosambi" in camat.text
    acks = {d for _, d in camat.buttons() if d.startswith("ack:")}
    assert acks == {f"ack:{i}" for i in ids.values()}
    (lurah,) = await h.send(u.text(u.user(LURAH), "/peringatan"))
    assert "Peringatan terbuka: 1" in lurah.text and "Duri Kosambi" not in lurah.text
    (stranger,) = await h.send(u.text(u.user(STRANGER), "/peringatan"))
    assert "Tidak ada peringatan terbuka" in stranger.text


async def test_open_alerts_refuses_officers_and_groups(h: Harness) -> None:
    await open_alert(h)
    (officer,) = await h.send(u.text(u.user(OFFICER), "/peringatan"))
    assert "untuk pengawas" in officer.text and "Cengkareng" not in officer.text
    (group,) = await h.send(u.text(u.user(LURAH), "/peringatan", chat=u.group_chat()))
    assert "Cengkareng" not in group.text and not group.buttons()


# --- Masih bertugas ----------------------------------------------------------------------

async def asked(h: Harness) -> int:
    """Check the officer in four hours ago and let the presence pass ask them."""
    await check_in(h.db, OFFICER, KEL, utcnow() - timedelta(hours=4))
    assert (await check_presence(h.db, utcnow(), PRESENCE)).asked == 1
    return int(await h.db.fetchval("SELECT id FROM presence_checks"))


async def test_still_here_by_the_officer(h: Harness) -> None:
    check_id = await asked(h)
    calls = await h.send(u.callback(u.user(OFFICER), f"pc:{check_id}"))
    assert answer(calls).params.get("text") in (None, "")
    (edit,) = sends(calls)
    assert edit.method == "editMessageText" and edit.text.startswith("Terima kasih")
    row = await h.db.fetchone("SELECT answered_at FROM presence_checks WHERE id = ?",
                              (check_id,))
    assert row["answered_at"] is not None
    seen = await h.db.fetchval("SELECT last_seen_at FROM shifts WHERE member_id = ?",
                               (OFFICER,))
    assert seen == row["answered_at"]
    # Pressed again: no longer valid.
    (edit,) = sends(await h.send(u.callback(u.user(OFFICER), f"pc:{check_id}")))
    assert "sudah tidak berlaku" in edit.text


async def test_still_here_by_someone_else(h: Harness) -> None:
    check_id = await asked(h)
    for who in (OTHER_OFFICER, LURAH, 999_111):  # 999111 is not even a member
        calls = await h.send(u.callback(u.user(who), f"pc:{check_id}"))
        assert "bukan untuk Anda" in answer(calls).text
        assert sends(calls) == []
    assert await h.db.fetchval("SELECT answered_at FROM presence_checks") is None
    (edit,) = sends(await h.send(u.callback(u.user(OFFICER), "pc:nonsense")))
    assert "sudah tidak berlaku" in edit.text


# --- /langganan --------------------------------------------------------------------------

async def subscription(h: Harness) -> Any:
    return await h.db.fetchone(
        "SELECT s.chat_id, d.code, s.active, s.created_by FROM subscriptions s "
        "JOIN desks d ON d.id = s.desk_id WHERE s.chat_id = ?", (GROUP,))


async def test_subscribe_a_group_and_stop(h: Harness) -> None:
    group = u.group_chat(GROUP)
    (done,) = await h.send(u.text(u.user(CAMAT), "/langganan", chat=group))
    assert int(done.params["chat_id"]) == GROUP
    assert "menerima peringatan" in done.text and "Cengkareng" in done.text
    row = await subscription(h)
    assert (row["code"], row["active"], row["created_by"]) == (KEC, 1, CAMAT)
    # The group now receives the alerts of the camat's scope.
    await open_alert(h)
    assert sorted(c for c, *_ in await intents(h.db, "alerts")) == [GROUP, LURAH]
    (off,) = await h.send(u.text(u.user(CAMAT), "/langganan off", chat=group))
    assert "dihentikan" in off.text
    assert (await subscription(h))["active"] == 0
    (again,) = await h.send(u.text(u.user(CAMAT), "/langganan off", chat=group))
    assert "belum berlangganan" in again.text


async def test_subscribe_to_a_desk_in_scope_only(h: Harness) -> None:
    group = u.group_chat(GROUP)
    (done,) = await h.send(u.text(u.user(CAMAT), f"/subscribe {KEL}", chat=group))
    assert "Cengkareng Barat" in done.text
    assert (await subscription(h))["code"] == KEL
    (refused,) = await h.send(u.text(u.user(CAMAT), f"/langganan {GAMBIR}", chat=group))
    assert "tidak berada dalam wilayah Anda" in refused.text
    (refused,) = await h.send(u.text(u.user(LURAH), f"/langganan {KEC}", chat=group))
    assert "tidak berada dalam wilayah Anda" in refused.text
    assert (await subscription(h))["code"] == KEL  # unchanged by the refusals


async def test_subscribe_refused_for_officers_and_in_private(h: Harness) -> None:
    (refused,) = await h.send(u.text(u.user(OFFICER), "/langganan",
                                     chat=u.group_chat(GROUP)))
    assert "untuk pengawas" in refused.text
    (private,) = await h.send(u.text(u.user(CAMAT), "/langganan"))
    assert "hanya untuk grup" in private.text
    assert await subscription(h) is None
    assert await h.db.fetchval("SELECT count(*) FROM subscriptions") == 0


async def test_outbox_payloads_are_plain_ids(h: Harness) -> None:
    """Intents carry ids only: the text is rendered when sent, from the state then."""
    await open_alert(h, escalate=True)
    for payload in await h.db.fetchall("SELECT payload FROM outbox"):
        assert set(json.loads(payload[0])) == {"alerts"}
