"""What a member hears when the bot did not understand: the likely command, not only
"tidak mengerti"."""

from __future__ import annotations

import pytest

from bot.handlers.suggest import command_names, likely_command
from storage.models import Role
from tests.support import updates as u
from tests.support.harness import Harness

KEL = "31.73.01.1001"
OFFICER, CAMAT = 7301, 7302
PHOTO = [{"file_id": "AgAD-photo", "file_unique_id": "p1", "width": 800, "height": 600}]


@pytest.mark.parametrize(("text", "meant"), [
    ("/chekin", "checkin"), ("checkin", "checkin"), ("Checkin", "checkin"),
    ("/chekout", "checkout"), ("lapr", "lapor"), ("/rekapp", "rekap"),
    ("/statsu", "status"), ("/checkin@posko_bot", "checkin"),
    ("halo", None), ("/xyz", None), ("saya sudah di posko", None), ("", None),
])
def test_likely_command(text: str, meant: str | None) -> None:
    assert likely_command(text, command_names()) == meant


@pytest.mark.parametrize(("text", "says"), [
    ("/chekin", "Maksud Anda /checkin?"),
    ("checkin", "Maksud Anda /checkin?"),
    ("Assalamualaikum pak, saya sudah di posko", "ketik /checkin lalu kirim lokasi"),
    ("terima kasih", "tidak mengerti"),
])
async def test_an_officer_is_pointed_at_the_likely_command(harness: Harness, text: str,
                                                          says: str) -> None:
    await harness.member(OFFICER, KEL, Role.OFFICER)
    (call,) = await harness.send(u.text(u.user(OFFICER), text))
    assert says in call.text


async def test_a_photo_outside_a_report_points_to_lapor(harness: Harness) -> None:
    await harness.member(OFFICER, KEL, Role.OFFICER)
    (call,) = await harness.send(u.message(u.user(OFFICER), photo=PHOTO))
    assert "ketik /lapor" in call.text


async def test_a_supervisor_at_the_desk_is_not_sent_to_check_in(harness: Harness) -> None:
    await harness.member(CAMAT, "31.73.01", Role.SUPERVISOR)
    (call,) = await harness.send(u.text(u.user(CAMAT), "saya sudah di posko"))
    assert "tidak mengerti" in call.text
