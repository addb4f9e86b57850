"""A moved TPS: a lokasi_tps report records the reason and the new place, asked in private;
the desk's supervisors and the KPU liaison are told; a restart, a double tap or /batal loses
or doubles nothing."""

from __future__ import annotations

from datetime import timedelta

from bot.reports.digest import digest_text
from bot.reports.export import export_data
from bot.texts import t
from scheduler.digest import build_digest
from storage import desks as desks_store
from storage import incidents as incidents_store
from storage import relocations
from storage.drafts import Step
from storage.incidents import Incident
from storage.models import Role, utcnow
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.reports import (
    CAMAT,
    KEC,
    LURAH,
    OFFICER,
    STRANGER,
    outbox,
    press,
    rendered_first,
    said,
    say,
    walk,
)

PPK = 671  # the KPU liaison of the kecamatan
PLACE = (-6.1512, 106.7340)


async def flooded(h: Harness) -> tuple[Incident, list[tuple[str, str]]]:
    """A lokasi_tps report of TPS 12 sent; the receipt's buttons."""
    await h.member(PPK, KEC, Role.PARTNER, name="Pak PPK", agency="kpu")
    draft_id = await walk(h, OFFICER, Step.TPS, category="lokasi_tps", severity="tinggi",
                          description="TPS 012 tergenang air setinggi 40 cm sejak subuh.")
    await say(h, OFFICER, "12")
    calls = await press(h, OFFICER, f"lp:{draft_id}:send")
    (receipt,) = [c for c in calls if "diterima" in c.text]
    row = await h.db.fetchone("SELECT id FROM incidents WHERE draft_id = ?", (draft_id,))
    assert row is not None
    incident = await incidents_store.get(h.db, int(row[0]))
    assert incident is not None and incident.tps == "012"
    return incident, receipt.buttons()


async def test_the_reporter_records_the_move_and_the_right_people_hear(h: Harness) -> None:
    incident, buttons = await flooded(h)
    assert buttons == [("🚚 Catat pemindahan TPS 012", f"tpm:{incident.id}")]
    calls = await press(h, OFFICER, f"tpm:{incident.id}")
    (question,) = [c for c in calls if c.method == "sendMessage"]
    assert "TPS <b>012</b>" in question.text
    assert [d for _, d in question.buttons()] == [
        f"tpm:{incident.id}:{reason}" for reason in relocations.REASONS]
    calls = await press(h, OFFICER, f"tpm:{incident.id}:genangan")
    assert "Ke mana TPS <b>012</b> dipindahkan?" in said(calls)
    before = await outbox(h, "tps_moved")
    calls = await h.send(u.location(u.user(OFFICER), *PLACE))
    assert said(calls) == t("id", "move.done", tps="012")
    assert await h.db.fetchval("SELECT count(*) FROM shifts") == 0  # the TPS's, no check-in
    move = await relocations.of_incident(h.db, incident.id)
    assert move is not None and move.step == "done" and move.reason == "genangan"
    assert (move.new_latitude, move.new_longitude, move.new_address) == (*PLACE, None)
    told = sorted(chat for chat, _, _ in await outbox(h, "tps_moved"))
    assert before == [] and told == [LURAH, CAMAT, PPK]
    history = await incidents_store.history(h.db, incident.id)
    assert history[-1][1:] == (OFFICER, "dipindahkan", "TPS 012: genangan")
    news = await rendered_first(h, "tps_moved")
    assert "🚚 <b>TPS 012 dipindahkan</b> · Cengkareng Barat" in news.text
    assert "Alasan: Genangan / banjir" in news.text and incident.ref in news.text
    assert "maps.google.com/?q=-6.151200,106.734000" in news.text
    # Recorded once: the button again, and the same location again, change nothing.
    assert said(await press(h, OFFICER, f"tpm:{incident.id}")) == t(
        "id", "move.recorded", ref=incident.ref)
    await h.send(u.location(u.user(OFFICER), *PLACE))
    assert len(await outbox(h, "tps_moved")) == 3


async def test_an_address_and_bad_answers(h: Harness) -> None:
    incident, _ = await flooded(h)
    await press(h, OFFICER, f"tpm:{incident.id}")
    await press(h, OFFICER, f"tpm:{incident.id}:akses")
    calls = await say(h, OFFICER, "RW")
    assert said(calls) == t("id", "move.place_only", tps="012", min=5, max=300)
    calls = await say(h, OFFICER, "x" * 301)
    assert said(calls) == t("id", "move.place_only", tps="012", min=5, max=300)
    assert (await relocations.of_incident(h.db, incident.id)).step == "place"  # type: ignore[union-attr]
    await say(h, OFFICER, "Balai RW 05 <Jl. Kapuk Raya> No. 12")
    move = await relocations.of_incident(h.db, incident.id)
    assert move is not None and move.new_address == "Balai RW 05 <Jl. Kapuk Raya> No. 12"
    news = await rendered_first(h, "tps_moved")
    assert "Ke: Balai RW 05 &lt;Jl. Kapuk Raya&gt; No. 12" in news.text
    moved = await relocations.moved_between(h.db, None, utcnow() - timedelta(hours=1),
                                            utcnow() + timedelta(minutes=1))
    assert [(m.tps, m.reason, m.ref) for m in moved] == [("012", "akses", incident.ref)]


async def test_who_may_record_and_batal(h: Harness) -> None:
    incident, _ = await flooded(h)
    assert said(await press(h, STRANGER, f"tpm:{incident.id}")) == t("id", "move.not_yours")
    # The camat in scope records it from /laporan; the reporter's /batal is not theirs.
    (one,) = await say(h, CAMAT, f"/laporan {incident.ref}")
    assert ("🚚 Catat pemindahan TPS 012", f"tpm:{incident.id}") in one.buttons()
    await press(h, CAMAT, f"tpm:{incident.id}")
    await press(h, CAMAT, f"tpm:{incident.id}:konflik")
    await say(h, CAMAT, "/batal")
    assert await relocations.of_incident(h.db, incident.id) is None
    await say(h, CAMAT, "Aula Kantor Camat")  # no longer the answer to anything
    assert await outbox(h, "tps_moved") == []
    # A forged reason.
    assert said(await press(h, OFFICER, f"tpm:{incident.id}:tsunami")) == t("id",
                                                                           "button.stale")


async def test_only_a_lokasi_tps_report_with_a_number_moves(h: Harness) -> None:
    draft_id = await walk(h, OFFICER, Step.CONFIRM, category="lokasi_tps", severity="sedang",
                          description="Lokasi TPS 3 berdekatan dengan saluran air.")
    calls = await press(h, OFFICER, f"lp:{draft_id}:send")
    (receipt,) = [c for c in calls if "diterima" in c.text]
    assert receipt.buttons() == []  # no TPS number: nothing to move
    incident_id = int(await h.db.fetchval("SELECT id FROM incidents WHERE draft_id = ?",
                                          (draft_id,)))
    assert said(await press(h, OFFICER, f"tpm:{incident_id}")) == t("id", "move.not_movable")
    assert await relocations.of_incident(h.db, incident_id) is None


async def test_the_digest_and_the_export_list_the_moved_tps(h: Harness) -> None:
    incident, _ = await flooded(h)
    await press(h, OFFICER, f"tpm:{incident.id}")
    await press(h, OFFICER, f"tpm:{incident.id}:genangan")
    await h.send(u.location(u.user(OFFICER), *PLACE))
    kec = await desks_store.by_code(h.db, KEC)
    assert kec is not None
    now = utcnow()
    digest = await build_digest(h.db, kec, now + timedelta(minutes=1), kec.tz, now=now)
    text = digest_text(digest, "id")
    assert "🚚 <b>TPS dipindahkan: 1</b>" in text
    (line,) = [x for x in text.splitlines() if x.startswith("• TPS 012 Cengkareng Barat")]
    assert "Genangan / banjir; dari — ke <a href=" in line  # reported without a location
    elsewhere = await desks_store.by_code(h.db, "31.71.01")
    assert elsewhere is not None
    other = await build_digest(h.db, elsewhere, now + timedelta(minutes=1), kec.tz, now=now)
    assert other.moved == []
    today = now.astimezone(kec.tz).date()
    _, sheets = await export_data(h.db, kec.path, today, today, kec.tz, "id")
    (moved,) = [s for s in sheets if s.title == "TPS dipindahkan"]
    assert moved.headers[:5] == ["Nomor laporan", "Kode posko", "Nama posko", "TPS", "Alasan"]
    assert moved.rows[0][:7] == [incident.ref, "31.73.01.1001", "Cengkareng Barat", "012",
                                 "Genangan / banjir", "", "-6.151200, 106.734000"]
    _, quiet = await export_data(h.db, elsewhere.path, today, today, kec.tz, "id")
    assert "TPS dipindahkan" not in [s.title for s in quiet]
