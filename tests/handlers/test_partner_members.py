"""Partner liaisons as members: invited with their agency (chat and command line), registered
without the ASN pledge, listed with the agency, never promoted."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from bot.cli import main
from storage import invites as invites_store
from storage import members as members_store
from storage import membership
from storage.invites import InviteState
from storage.membership import Change
from storage.models import Role, utcnow
from storage.sqlite.engine import Database
from tests.handlers.test_members_cli import cli_env  # noqa: F401 - the CLI's database
from tests.handlers.test_pledge import pledge_of
from tests.support import updates as u
from tests.support.harness import Harness

CAMAT_DESK = "31.73.01"  # Kec. Cengkareng
CAMAT, PANWAS = 661, 662


async def test_undang_mitra_asks_the_agency_then_makes_the_link(harness: Harness) -> None:
    await harness.member(CAMAT, CAMAT_DESK, Role.SUPERVISOR)
    camat = u.user(CAMAT)
    (choose,) = await harness.send(u.text(camat, f"/undang {CAMAT_DESK}"))
    data = dict(choose.buttons())["Mitra"]
    assert data.endswith(":m:1")
    calls = await harness.send(u.callback(camat, data))
    assert "dari instansi mana?" in calls[-1].text
    agencies = dict(calls[-1].buttons())
    assert list(agencies) == ["KPU", "Bawaslu", "Polri", "TNI", "BPBD", "Satpol PP"]
    assert all(len(d.encode()) <= 64 for d in agencies.values())
    assert await harness.db.fetchval("SELECT count(*) FROM invites WHERE created_by = ?",
                                     (CAMAT,)) == 0  # nothing made before the agency
    calls = await harness.send(u.callback(camat, agencies["Bawaslu"]))
    assert "Tautan undangan <b>Mitra (Bawaslu)</b> untuk <b>Cengkareng</b>" in calls[-1].text
    link = re.search(r"start=([\w-]+)", calls[-1].text)
    assert link
    found = await invites_store.lookup(harness.db, link[1], utcnow())
    assert found.state is InviteState.VALID and found.invite is not None
    assert (found.invite.role, found.invite.agency) == (Role.PARTNER, "bawaslu")
    # A forged agency, or an agency on another role's invite, makes nothing.
    for forged in (data + ":nosuch", data.replace(":m:", ":o:") + ":bawaslu"):
        (answer,) = await harness.send(u.callback(camat, forged))
        assert answer.text == "Tombol ini sudah tidak berlaku."
    assert await harness.db.fetchval("SELECT count(*) FROM invites WHERE created_by = ?",
                                     (CAMAT,)) == 1


async def test_a_liaison_registers_without_the_pledge(harness: Harness,
                                                      tmp_path: Path) -> None:
    harness.app.bot_data.pledge = pledge_of(tmp_path)
    desk = await members_desk(harness)
    token = await invites_store.create(harness.db, desk, Role.PARTNER, max_uses=1,
                                       ttl=timedelta(days=1), created_by=None, now=utcnow(),
                                       agency="polri")
    panwas = u.user(PANWAS)
    (confirm,) = await harness.send(u.text(panwas, f"/start {token}"))
    assert "<b>Mitra (Polri)</b>" in confirm.text
    calls = await harness.send(u.callback(panwas, f"reg:{token}"))
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    assert "Mitra (Polri)" in calls[-1].text
    member = await members_store.get(harness.db, PANWAS)
    assert member is not None and (member.role, member.agency) == (Role.PARTNER, "polri")
    # The same invite again changes nothing; an invite of another agency moves them to it.
    other = await invites_store.create(harness.db, desk, Role.PARTNER, max_uses=1,
                                       ttl=timedelta(days=1), created_by=None, now=utcnow(),
                                       agency="tni")
    await harness.send(u.callback(panwas, f"reg:{other}"))
    member = await members_store.get(harness.db, PANWAS)
    assert member is not None and member.agency == "tni"


async def members_desk(h: Harness) -> int:
    await h.member(CAMAT, CAMAT_DESK, Role.SUPERVISOR)
    desk = await h.db.fetchval("SELECT id FROM desks WHERE code = ?", (CAMAT_DESK,))
    return int(desk)


async def test_a_liaison_is_listed_with_the_agency_and_never_promoted(
        harness: Harness) -> None:
    await members_desk(harness)
    await harness.member(PANWAS, CAMAT_DESK, Role.PARTNER, name="Pak Panwas",
                         agency="bawaslu")
    camat = u.user(CAMAT)
    (listing,) = await harness.send(u.text(camat, "/anggota"))
    assert "<b>Pak Panwas</b> — Mitra (Bawaslu), Cengkareng" in listing.text
    calls = await harness.send(u.callback(camat, f"mb:{PANWAS}:v:0"))
    actions = [d.split(":")[2] for _, d in calls[-1].buttons() if d.startswith("mb:")]
    assert "pm" not in actions and "dm" not in actions and "rm" in actions
    assert await membership.set_role(harness.db, PANWAS, Role.SUPERVISOR, end_shift=False,
                                     now=utcnow()) is Change.ALREADY
    member = await members_store.get(harness.db, PANWAS)
    assert member is not None and member.role is Role.PARTNER


@pytest.mark.usefixtures("cli_env")
def test_cli_invites_a_liaison(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["invite", "--desk", CAMAT_DESK, "--role", "mitra", "--agency",
                 "Bawaslu"]) == 0
    assert "partner (Bawaslu) invite for 31.73.01 Cengkareng" in capsys.readouterr().out
    assert main(["invite", "--desk", CAMAT_DESK, "--role", "partner"]) == 2
    assert "--role partner needs --agency, one of kpu, bawaslu" in capsys.readouterr().err
    assert main(["invite", "--desk", CAMAT_DESK, "--role", "officer", "--agency", "kpu"]) == 2
    assert "--agency is for --role partner only" in capsys.readouterr().err
    assert main(["invites", "list"]) == 0
    assert "partner/bawaslu\t31.73.01 Cengkareng" in capsys.readouterr().out


async def test_invites_refuse_an_agency_that_does_not_fit(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "posko.db")
    try:
        for role, agency in ((Role.PARTNER, None), (Role.OFFICER, "kpu")):
            with pytest.raises(ValueError, match="names an agency"):
                await invites_store.create(db, 1, role, max_uses=1, ttl=timedelta(days=1),
                                           created_by=None, now=utcnow(), agency=agency)
    finally:
        await db.close()
