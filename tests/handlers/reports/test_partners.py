"""Partner liaisons: reports reach the agencies their category routes to, liaisons take and
close their agency's reports and nothing else, and a supervisor hands a report on with
*Teruskan*; every hand-off is in the history and the reporter is told."""

from __future__ import annotations

from bot.texts import t
from storage import incidents as incidents_store
from storage import partners
from storage.models import Role
from storage.rules.agencies import routing
from tests.support.harness import Harness
from tests.support.reports import (
    CAMAT,
    GAMBIR,
    KEC,
    KEL,
    LURAH,
    NOTE,
    OFFICER,
    WALIKOTA,
    hand_off,
    outbox,
    press,
    rendered_first,
    report,
    routed,
    said,
    say,
    take,
)

PANWAS, POLSEK, BAWASLU_GAMBIR, BABINSA = 651, 652, 653, 654


async def liaisons(h: Harness) -> None:
    """Bawaslu and Polri liaisons at the kecamatan, a TNI one at the kelurahan, and Bawaslu's
    in another kecamatan."""
    await h.member(PANWAS, KEC, Role.PARTNER, name="Pak Panwas", agency="bawaslu")
    await h.member(POLSEK, KEC, Role.PARTNER, name="Kapolsek", agency="polri")
    await h.member(BABINSA, KEL, Role.PARTNER, name="Babinsa", agency="tni")
    await h.member(BAWASLU_GAMBIR, GAMBIR, Role.PARTNER, name="Panwas Gambir", agency="bawaslu")


async def test_each_category_reaches_its_agencies_in_scope(h: Harness) -> None:
    await liaisons(h)
    money = await report(h, category="politik_uang", severity="sedang")
    assert await routed(h, money) == [LURAH, CAMAT, PANWAS]
    kamtib = await report(h, category="kamtib", severity="tinggi")
    assert await routed(h, kamtib) == [LURAH, CAMAT, POLSEK, BABINSA]
    assert await partners.agencies_of(h.db, money.id) == ["bawaslu"]
    assert await partners.agencies_of(h.db, kamtib.id) == ["polri", "tni"]


async def test_the_receipt_names_the_agencies(h: Harness) -> None:
    await liaisons(h)
    incident = await report(h, category="kamtib", severity="info")
    (receipt,) = [c for c in h.request.calls if c.method == "sendMessage"
                  and incident.ref in c.text and "diterima" in c.text]
    assert "Instansi mitra yang menangani: Polri, TNI." in receipt.text


async def test_an_operator_changes_the_table(h: Harness) -> None:
    await liaisons(h)
    data = h.app.bot_data
    data.settings = data.settings.model_copy(update={"report_routes": "kamtib=polri"})
    del data.settings.__dict__["routing"]  # the copy shares the cached table: read it anew
    assert data.settings.routing.agencies_for("kamtib") == ("polri",)
    incident = await report(h, category="kamtib", severity="info")
    assert await routed(h, incident) == [LURAH, CAMAT, POLSEK]


async def test_the_liaison_takes_and_closes_and_the_reporter_hears_who(h: Harness) -> None:
    await liaisons(h)
    incident = await report(h, category="politik_uang")
    calls = await press(h, PANWAS, take(incident))
    assert said(calls) == t("id", "incident.taken", ref=incident.ref)
    (status,) = [p for c, k, p in await outbox(h, "incident_status") if c == OFFICER]
    assert status["status"] == "ditangani"
    rendered = await rendered_first(h, "incident_status")
    assert "ditangani oleh Pak Panwas (Bawaslu)" in rendered.text
    await press(h, PANWAS, f"inc:f:{incident.id}")
    calls = await say(h, PANWAS, NOTE)
    assert t("id", "incident.note_done", ref=incident.ref) in said(calls)
    closed = await incidents_store.get(h.db, incident.id)
    assert closed is not None and (closed.status, closed.handler_id) == ("selesai", PANWAS)


async def test_a_liaison_of_another_agency_or_area_is_refused(h: Harness) -> None:
    await liaisons(h)
    incident = await report(h, category="politik_uang")
    calls = await press(h, POLSEK, take(incident))
    assert said(calls) == t("id", "incident.not_for_agency", agency="Polri")
    calls = await press(h, BAWASLU_GAMBIR, take(incident))
    assert said(calls) == t("id", "out_of_scope", code=KEL)
    calls = await say(h, POLSEK, f"/laporan {incident.ref}")
    assert said(calls) == t("id", "incidents.unknown", ref=incident.ref)
    still = await incidents_store.get(h.db, incident.id)
    assert still is not None and still.status == "baru"


async def test_laporan_lists_only_the_agencys_reports(h: Harness) -> None:
    await liaisons(h)
    money = await report(h, category="politik_uang")
    kamtib = await report(h, category="kamtib", severity="tinggi")
    text = said(await say(h, PANWAS, "/laporan"))
    assert "Laporan terbuka: 1" in text and money.ref in text and kamtib.ref not in text
    text = said(await say(h, POLSEK, "/laporan"))
    assert kamtib.ref in text and money.ref not in text
    # A liaison's list has no hand-off button: that is the supervisors'.
    (listing,) = [c for c in h.request.calls[-1:]]
    assert not any(d.startswith("inc:h:") for _, d in listing.buttons())


async def test_a_liaison_sees_no_presence(h: Harness) -> None:
    await liaisons(h)
    await report(h, category="politik_uang")
    text = said(await say(h, PANWAS, "/status"))
    assert text == t("id", "status.partner", agency="Bawaslu", desk="Cengkareng", n=1)
    for command in ("/rekap", "/ekspor", "/peringatan", "/dasbor", "/anggota"):
        assert said(await say(h, PANWAS, command)) == t("id", "supervisors_only"), command


async def test_teruskan_offers_the_agencies_in_private_and_hands_on(h: Harness) -> None:
    await liaisons(h)
    incident = await report(h, category="kamtib", severity="tinggi")
    calls = await press(h, CAMAT, hand_off(incident))
    (offer,) = [c for c in calls if c.method == "sendMessage"]
    assert int(offer.params["chat_id"]) == CAMAT
    assert "Sudah menerima: Polri, TNI" in offer.text
    names = [label for label, _ in offer.buttons()]
    assert names == ["KPU", "Bawaslu", "BPBD", "Satpol PP"]  # not those it reached already
    data = next(d for label, d in offer.buttons() if label == "Bawaslu")
    before = await routed(h, incident)
    calls = await press(h, CAMAT, data)
    assert t("id", "handoff.done", ref=incident.ref, agency="Bawaslu", n=1) in said(calls)
    assert sorted(set(await routed(h, incident)) - set(before)) == [PANWAS]
    assert await partners.agencies_of(h.db, incident.id) == ["polri", "tni", "bawaslu"]
    history = await incidents_store.history(h.db, incident.id)
    assert [(s, who, note) for _, who, s, note in history][-1] == ("diteruskan", CAMAT,
                                                                   "Bawaslu")
    told = [p for c, _, p in await outbox(h, "incident_status") if c == OFFICER]
    assert told == [{"incident": incident.id, "status": "diteruskan", "agency": "bawaslu"}]
    # The Bawaslu liaison may now take it; a second hand-off changes nothing.
    assert said(await press(h, PANWAS, take(incident))) == t("id", "incident.taken",
                                                             ref=incident.ref)
    calls = await press(h, CAMAT, data)
    assert said(calls) == t("id", "handoff.already", ref=incident.ref, agency="Bawaslu")
    assert len(await partners.agencies_of(h.db, incident.id)) == 3


async def test_hand_off_is_refused_to_all_but_supervisors_in_scope(h: Harness) -> None:
    await liaisons(h)
    incident = await report(h, category="kamtib", severity="tinggi")
    forged = f"inc:a:{incident.id}:bawaslu"
    assert said(await press(h, POLSEK, forged)) == t("id", "supervisors_only")
    assert said(await press(h, OFFICER, hand_off(incident))) == t("id", "supervisors_only")
    assert said(await press(h, CAMAT, f"inc:a:{incident.id}:nosuch")) == t("id",
                                                                           "button.stale")
    assert await partners.agencies_of(h.db, incident.id) == ["polri", "tni"]


async def test_a_closed_report_is_not_handed_on(h: Harness) -> None:
    await liaisons(h)
    incident = await report(h, category="kamtib", severity="tinggi")
    await press(h, CAMAT, f"inc:f:{incident.id}")
    await say(h, CAMAT, NOTE)
    calls = await press(h, WALIKOTA, f"inc:a:{incident.id}:bawaslu")
    assert said(calls) == t("id", "incident.closed", ref=incident.ref)
    assert await partners.agencies_of(h.db, incident.id) == ["polri", "tni"]


def test_routing_defaults_and_settings() -> None:
    table = routing("", "", incidents_store.CATEGORIES)
    assert table.agencies_for("politik_uang") == ("bawaslu",)
    assert table.agencies_for("kamtib") == ("polri", "tni")
    assert table.agencies_for("lokasi_tps") == ("kpu", "bpbd")
    assert table.agencies_for("kondusif") == ()
    assert set(table.routes) == set(incidents_store.CATEGORIES)
    custom = routing("pln=PLN UP3;kpu=KPU Kota", "listrik_internet=pln;kamtib=",
                     incidents_store.CATEGORIES)
    assert custom.agencies_for("listrik_internet") == ("pln",)
    assert custom.agencies_for("kamtib") == ()
    assert custom.name("kpu") == "KPU Kota" and custom.name("pln") == "PLN UP3"
    assert custom.agencies_for("politik_uang") == ("bawaslu",)  # untouched
