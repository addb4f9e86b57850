"""Check-in, live presence, check-out and /status through the real Application."""

from __future__ import annotations

from storage import shifts as shifts_store
from storage.models import Desk, EndReason, Role
from tests.support import updates as u
from tests.support.harness import Harness

LURAH = "31.73.01.1001"  # Kel. Cengkareng Barat


def _near(desk: Desk, north_m: float = 0.0) -> tuple[float, float]:
    """A point ``north_m`` metres north of the desk (1° latitude ≈ 111.2 km)."""
    assert desk.latitude is not None and desk.longitude is not None
    return desk.latitude + north_m / 111_195, desk.longitude


async def _officer(h: Harness, user_id: int = 701, duty: str = "00:00-24:00") -> Desk:
    await h.set_desk(LURAH, duty_hours=duty)
    return await h.member(user_id, LURAH, Role.OFFICER)


async def test_checkin_asks_for_location_with_button(harness: Harness) -> None:
    await _officer(harness)
    (call,) = await harness.send(u.text(u.user(701), "/checkin"))
    assert "kirim lokasi" in call.text.lower()
    button = call.markup["keyboard"][0][0]
    assert button["request_location"] is True and "📍" in button["text"]


async def test_checkin_with_location_at_desk(harness: Harness) -> None:
    desk = await _officer(harness)
    officer = u.user(701)
    (call,) = await harness.send(u.location(officer, *_near(desk, 40)))
    assert "Check-in tercatat" in call.text and "40 m" in call.text and "WIB" in call.text
    assert call.markup == {"remove_keyboard": True}
    shift = await shifts_store.open_shift(harness.db, 701)
    assert shift is not None and shift.desk_id == desk.id and 35 < shift.distance_m < 45
    # A second /checkin and a second location are refused politely; still one shift.
    (call,) = await harness.send(u.text(officer, "/checkin"))
    assert "sudah check-in" in call.text
    (call,) = await harness.send(u.location(officer, *_near(desk)))
    assert "sudah check-in" in call.text
    count = await harness.db.fetchval("SELECT count(*) FROM shifts WHERE member_id = 701")
    assert count == 1


async def test_redelivered_checkin_update_opens_one_shift(harness: Harness) -> None:
    desk = await _officer(harness)
    update = u.location(u.user(701), *_near(desk))
    await harness.send(update)
    await harness.send(update)  # same update_id, e.g. after a crash before the offset moved
    count = await harness.db.fetchval("SELECT count(*) FROM shifts WHERE member_id = 701")
    assert count == 1


async def test_rejected_locations_say_why(harness: Harness) -> None:
    desk = await _officer(harness)
    officer = u.user(701)
    (call,) = await harness.send(u.location(officer, *_near(desk, 2000)))
    assert "ditolak" in call.text and "2,0 km" in call.text and "150 m" in call.text
    (call,) = await harness.send(u.location(officer, *_near(desk), forwarded=True))
    assert "diteruskan" in call.text
    (call,) = await harness.send(u.location(officer, *_near(desk), venue=True))
    assert "dipilih dari daftar tidak diterima" in call.text
    (call,) = await harness.send(u.location(officer, *_near(desk), age_s=300))
    assert "lebih dari 60 detik yang lalu" in call.text and "60 detik" in call.text
    (call,) = await harness.send(u.location(officer, *_near(desk), accuracy=1500))
    assert "kurang akurat" in call.text and "±1,5 km" in call.text and "150 m" in call.text
    assert await shifts_store.open_shift(harness.db, 701) is None
    (call,) = await harness.send(u.location(officer, *_near(desk), accuracy=40))
    assert "Check-in tercatat" in call.text  # a usual phone fix is precise enough


async def test_every_mendable_refusal_offers_the_location_button_again(
        harness: Harness) -> None:
    desk = await _officer(harness)
    officer = u.user(701)
    for refused in (u.location(officer, *_near(desk, 2000)),
                    u.location(officer, *_near(desk), forwarded=True),
                    u.location(officer, *_near(desk), venue=True),
                    u.location(officer, *_near(desk), age_s=300),
                    u.location(officer, *_near(desk), accuracy=1500)):
        (call,) = await harness.send(refused)
        assert "ditolak" in call.text or "tidak diterima" in call.text or "lama" in call.text
        (button,) = call.markup["keyboard"][0]
        assert button["request_location"] is True and "📍" in button["text"]
    await harness.set_desk(LURAH, latitude=None, longitude=None)
    (call,) = await harness.send(u.location(officer, *_near(desk)))
    assert "belum memiliki koordinat" in call.text and not call.markup  # resending cannot help


async def test_a_one_shot_location_without_accuracy_is_judged_by_distance(
        harness: Harness) -> None:
    # Telegram's apps send every one-shot location (a GPS fix or a pin placed on the map)
    # without horizontal_accuracy; by default it is accepted on its distance alone.
    desk = await _officer(harness)
    (call,) = await harness.send(u.location(u.user(701), *_near(desk, 30)))
    assert "Check-in tercatat" in call.text


def _require_live(h: Harness) -> None:
    settings = h.app.bot_data.settings
    h.app.bot_data.settings = settings.model_copy(update={"require_live_location": True})


async def test_where_live_is_required_a_one_shot_location_is_refused(harness: Harness) -> None:
    desk = await _officer(harness)
    _require_live(harness)
    officer = u.user(701)
    (call,) = await harness.send(u.text(officer, "/checkin"))
    assert "lokasi langsung (live)" in call.text and not call.markup  # no one-shot button
    (call,) = await harness.send(u.location(officer, *_near(desk, 10), accuracy=5))
    assert "hanya menerima lokasi langsung" in call.text
    assert await shifts_store.open_shift(harness.db, 701) is None
    first = u.location(officer, *_near(desk, 10), live_period=3600)
    (call,) = await harness.send(first)
    assert "Check-in tercatat" in call.text and "Lokasi langsung aktif" in call.text
    shift = await shifts_store.open_shift(harness.db, 701)
    assert shift is not None
    # The last edit of a stopped live location has no live period: it proves nothing, and
    # does not mark the officer as gone.
    stopped = u.edited_location(first, *_near(desk, 900))
    stopped["edited_message"]["location"].pop("live_period", None)
    assert await harness.send(stopped) == []
    after = await shifts_store.open_shift(harness.db, 701)
    assert after is not None and after.outside_since is None


async def test_desk_without_coordinates_cannot_verify(harness: Harness) -> None:
    desk = await _officer(harness)
    await harness.set_desk(LURAH, latitude=None, longitude=None)
    (call,) = await harness.send(u.location(u.user(701), *_near(desk)))
    assert "belum memiliki koordinat" in call.text
    assert await shifts_store.open_shift(harness.db, 701) is None


async def test_live_location_keeps_presence_fresh(harness: Harness) -> None:
    desk = await _officer(harness)
    officer = u.user(701)
    first = u.location(officer, *_near(desk, 10), live_period=3600)
    (call,) = await harness.send(first)
    assert "Lokasi langsung aktif" in call.text
    shift = await shifts_store.open_shift(harness.db, 701)
    assert shift is not None and shift.live_until is not None

    assert await harness.send(u.edited_location(first, *_near(desk, 800))) == []  # silent
    away = await shifts_store.open_shift(harness.db, 701)
    assert away is not None and away.outside_since is not None
    assert away.last_seen_at == shift.last_seen_at  # leaving does not count as presence

    assert await harness.send(u.edited_location(first, *_near(desk, 20))) == []
    back = await shifts_store.open_shift(harness.db, 701)
    assert back is not None and back.outside_since is None
    assert back.last_seen_at > shift.last_seen_at


async def test_only_officers_check_in(harness: Harness) -> None:
    desk = await harness.member(702, "31.73.01", Role.SUPERVISOR)
    (call,) = await harness.send(u.text(u.user(702), "/checkin"))
    assert "untuk petugas" in call.text
    (call,) = await harness.send(u.location(u.user(702), *_near(desk)))
    assert "untuk petugas" in call.text
    (call,) = await harness.send(u.text(u.user(702), "/checkin", chat=u.group_chat()))
    assert "percakapan pribadi" in call.text


async def test_checkout_outside_duty_needs_no_confirmation(harness: Harness) -> None:
    desk = await _officer(harness, duty="-")
    officer = u.user(701)
    await harness.send(u.location(officer, *_near(desk)))
    (call,) = await harness.send(u.text(officer, "/checkout"))
    assert "Check-out tercatat" in call.text
    shift = await harness.db.fetchone("SELECT ended_at, end_reason FROM shifts")
    assert shift is not None and shift["ended_at"] and shift["end_reason"] == "manual"
    (call,) = await harness.send(u.text(officer, "/checkout"))
    assert "tidak sedang bertugas" in call.text


async def test_checkout_that_empties_desk_asks_first(harness: Harness) -> None:
    desk = await _officer(harness)
    officer = u.user(701)
    await harness.send(u.location(officer, *_near(desk)))
    (ask,) = await harness.send(u.text(officer, "/checkout"))
    assert "kekurangan petugas (0/1)" in ask.text
    (yes, no) = ask.buttons()
    calls = await harness.send(u.callback(officer, no[1]))
    assert "tetap bertugas" in calls[-1].text
    assert await shifts_store.open_shift(harness.db, 701) is not None

    # Another officer cannot use the buttons.
    await harness.member(703, LURAH)
    calls = await harness.send(u.callback(u.user(703), yes[1]))
    assert calls[-1].method == "answerCallbackQuery" and "bukan untuk Anda" in calls[-1].text

    calls = await harness.send(u.callback(officer, yes[1]))
    assert "Check-out tercatat" in calls[-1].text
    assert await shifts_store.open_shift(harness.db, 701) is None
    calls = await harness.send(u.callback(officer, yes[1]))  # stale now
    assert calls[0].method == "answerCallbackQuery" and "tidak berlaku" in calls[0].text
    closed = await harness.db.fetchval("SELECT count(*) FROM shifts WHERE ended_at IS NOT NULL")
    assert closed == 1


async def test_checkout_with_colleague_present_is_immediate(harness: Harness) -> None:
    desk = await _officer(harness)
    await harness.member(704, LURAH)
    await harness.send(u.location(u.user(701), *_near(desk)))
    await harness.send(u.location(u.user(704), *_near(desk)))
    (call,) = await harness.send(u.text(u.user(701), "/checkout"))
    assert "Check-out tercatat" in call.text


async def test_status_for_officer_and_supervisor(harness: Harness) -> None:
    desk = await _officer(harness)
    officer = u.user(701)
    (call,) = await harness.send(u.text(officer, "/status"))
    assert "tidak sedang bertugas" in call.text and "0/1 petugas" in call.text
    assert "jam tugas sampai" in call.text
    await harness.send(u.location(officer, *_near(desk)))
    (call,) = await harness.send(u.text(officer, "/status"))
    assert "Anda bertugas di <b>Cengkareng Barat</b>" in call.text and "1/1 petugas" in call.text

    await harness.member(705, "31.73.01", Role.SUPERVISOR)  # camat of Cengkareng
    (call,) = await harness.send(u.text(u.user(705), "/status"))
    # Kec. Cengkareng has 6 kelurahan: 7 desks in scope; one is staffed.
    assert "<b>Cengkareng</b>: 7 posko" in call.text and "1 ada petugas" in call.text


async def test_shift_end_reason_enum_matches_schema(harness: Harness) -> None:
    # Every EndReason value must be accepted by the CHECK constraint.
    desk = await _officer(harness)
    await harness.send(u.location(u.user(701), *_near(desk)))
    shift = await shifts_store.open_shift(harness.db, 701)
    assert shift is not None
    for reason in EndReason:
        async with harness.db.transaction() as tx:
            await tx.execute("UPDATE shifts SET end_reason = ? WHERE id = ?",
                             (reason.value, shift.id))


async def test_redelivery_after_checkout_opens_nothing(harness: Harness) -> None:
    desk = await _officer(harness, duty="-")
    update = u.location(u.user(701), *_near(desk))
    (first,) = await harness.send(update)
    await harness.send(u.text(u.user(701), "/checkout"))
    (again,) = await harness.send(update)  # e.g. redelivered after a crash
    assert again.text == first.text  # the same receipt, not a new check-in
    assert await harness.db.fetchval("SELECT count(*) FROM shifts") == 1
    assert await shifts_store.open_shift(harness.db, 701) is None
