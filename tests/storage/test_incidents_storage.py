"""The incident store on a real SQLite file: drafts, submission, routing, follow-up, listing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from storage import drafts as drafts_store
from storage import incidents as incidents_store
from storage import subscriptions as subscriptions_store
from storage.drafts import Step
from storage.incidents import FollowUp, SubmitOutcome
from storage.models import Desk, Role, utcnow
from storage.sqlite.engine import Database
from tests.support.sweeping import desk, intents, register

KEL, KEL2, KEC, KOTA, PROV = "31.73.01.1001", "31.73.01.1002", "31.73.01", "31.73", "31"
GAMBIR, PUSAT = "31.71.01", "31.71"
OFFICER, LURAH, CAMAT, WALIKOTA, GUBERNUR, STRANGER, OFFICER2 = range(701, 708)


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(db_path)
    for who, code, role in ((OFFICER, KEL, Role.OFFICER), (LURAH, KEL, Role.SUPERVISOR),
                            (CAMAT, KEC, Role.SUPERVISOR), (WALIKOTA, KOTA, Role.SUPERVISOR),
                            (GUBERNUR, PROV, Role.SUPERVISOR),
                            (STRANGER, GAMBIR, Role.SUPERVISOR), (OFFICER2, KEL2, Role.OFFICER)):
        await register(database, who, code, role)
    yield database
    await database.close()


async def confirmed(db: Database, who: int, code: str = KEL, *, severity: str = "sedang",
                    media: list[tuple[str, str]] | None = None, minutes_ago: int = 0) -> int:
    """A draft at the summary step; its id."""
    at = utcnow() - timedelta(minutes=minutes_ago)
    draft = await drafts_store.start_draft(db, who, (await desk(db, code)).id, at)
    moved = await drafts_store.update_draft(
        db, draft.id, who, Step.CONFIRM, at, category="kamtib", severity=severity,
        description="Kericuhan kecil di depan TPS 3.", media=media or [], tps="003")
    assert moved is not None
    return draft.id


async def submitted(db: Database, who: int = OFFICER, code: str = KEL, *, chats: list[int]
                    | None = None, minutes_ago: int = 0, **kw: Any) -> incidents_store.Incident:
    draft_id = await confirmed(db, who, code, minutes_ago=minutes_ago, **kw)
    outcome, incident = await incidents_store.submit(
        db, draft_id, who, chats if chats is not None else [LURAH, CAMAT],
        utcnow() - timedelta(minutes=minutes_ago))
    assert outcome is SubmitOutcome.CREATED and incident is not None
    return incident


async def count(db: Database, table: str) -> int:
    return int(await db.fetchval(f"SELECT count(*) FROM {table}"))


# --- drafts -------------------------------------------------------------------------------

async def test_draft_steps_and_fields(db: Database) -> None:
    kel = await desk(db, KEL)
    draft = await drafts_store.start_draft(db, OFFICER, kel.id, utcnow())
    assert (draft.step, draft.category, draft.media, draft.tps) == (Step.CATEGORY, None, [], None)
    moved = await drafts_store.update_draft(db, draft.id, OFFICER, Step.TPS, utcnow(),
                                            media=[("photo", "a"), ("video", "b")],
                                            latitude=-6.1, longitude=106.7)
    assert moved is not None and moved.step is Step.TPS
    assert moved.media == [("photo", "a"), ("video", "b")]
    assert (moved.latitude, moved.longitude) == (-6.1, 106.7)
    # Someone else's id, or a draft that is gone, moves nothing.
    assert await drafts_store.update_draft(db, draft.id, OFFICER2, Step.CONFIRM,
                                           utcnow()) is None
    assert await drafts_store.update_draft(db, draft.id + 1, OFFICER, Step.CONFIRM,
                                           utcnow()) is None
    with pytest.raises(ValueError, match="unknown draft fields"):
        await drafts_store.update_draft(db, draft.id, OFFICER, Step.TPS, utcnow(), status="x")
    assert (await drafts_store.draft_of(db, OFFICER)) == moved


async def test_a_new_draft_replaces_the_old_one_with_a_fresh_id(db: Database) -> None:
    kel = await desk(db, KEL)
    first = await drafts_store.start_draft(db, OFFICER, kel.id, utcnow())
    assert await drafts_store.discard_draft(db, OFFICER)
    assert not await drafts_store.discard_draft(db, OFFICER)
    second = await drafts_store.start_draft(db, OFFICER, kel.id, utcnow())
    third = await drafts_store.start_draft(db, OFFICER, kel.id, utcnow())
    assert first.id < second.id < third.id  # ids are never reused
    assert await count(db, "incident_drafts") == 1
    assert (await drafts_store.draft_of(db, OFFICER)) == third


# --- submit -------------------------------------------------------------------------------

async def test_submit_makes_one_report_with_its_routing(db: Database) -> None:
    draft_id = await confirmed(db, OFFICER, media=[("photo", "p1"), ("document", "d1")])
    outcome, incident = await incidents_store.submit(db, draft_id, OFFICER, [LURAH, -1001],
                                                     utcnow())
    assert outcome is SubmitOutcome.CREATED and incident is not None
    assert incident.ref == f"LP-{KEL}-0001" and incident.status == "baru"
    assert (incident.category, incident.severity, incident.tps) == ("kamtib", "sedang", "003")
    assert await incidents_store.media_of(db, incident.id) == [("photo", "p1"),
                                                                ("document", "d1")]
    # A photo and a document cannot share a Telegram album: one message each.
    album = {"incident": incident.id, "kinds": ["photo", "video"]}
    documents = {"incident": incident.id, "kinds": ["document"]}
    assert await intents(db) == [
        (LURAH, "incident_media", album), (LURAH, "incident_media", documents),
        (LURAH, "incident", {"incident": incident.id}),
        (-1001, "incident_media", album), (-1001, "incident_media", documents),
        (-1001, "incident", {"incident": incident.id})]
    assert await incidents_store.routed_to(db, incident.id) == 2
    assert await drafts_store.draft_of(db, OFFICER) is None
    # Again (a double tap, a redelivered update): the same report, nothing new.
    again = await incidents_store.submit(db, draft_id, OFFICER, [LURAH, -1001], utcnow())
    assert again == (SubmitOutcome.REPEATED, incident)
    assert (await count(db, "incidents"), await count(db, "outbox"),
            await count(db, "incident_history")) == (1, 6, 1)
    # Someone else cannot claim it; an unknown draft is stale.
    assert await incidents_store.submit(db, draft_id, OFFICER2, [], utcnow()) == \
        (SubmitOutcome.STALE, None)
    assert await incidents_store.submit(db, 99_999, OFFICER, [], utcnow()) == \
        (SubmitOutcome.STALE, None)


async def test_submit_needs_a_confirmed_draft(db: Database) -> None:
    draft = await drafts_store.start_draft(db, OFFICER, (await desk(db, KEL)).id, utcnow())
    await drafts_store.update_draft(db, draft.id, OFFICER, Step.TPS, utcnow(),
                                    category="kamtib", severity="info", description="x" * 20)
    assert await incidents_store.submit(db, draft.id, OFFICER, [LURAH], utcnow()) == \
        (SubmitOutcome.STALE, None)
    assert await count(db, "incidents") == 0 and await count(db, "outbox") == 0
    assert await drafts_store.draft_of(db, OFFICER) is not None


async def test_references_count_per_desk(db: Database) -> None:
    refs = [(await submitted(db, who, code)).ref
            for who, code in ((OFFICER, KEL), (OFFICER, KEL), (OFFICER2, KEL2), (CAMAT, KEC),
                              (OFFICER, KEL))]
    assert refs == [f"LP-{KEL}-0001", f"LP-{KEL}-0002", f"LP-{KEL2}-0001", f"LP-{KEC}-0001",
                    f"LP-{KEL}-0003"]
    found = await incidents_store.by_ref(db, f"  lp-{KEL}-0002 ")
    assert found is not None and found.ref == f"LP-{KEL}-0002"
    assert await incidents_store.by_ref(db, f"LP-{KEL}-0009") is None


# --- recipients ---------------------------------------------------------------------------

async def routing(db: Database, code: str, severity: str) -> list[int]:
    return await incidents_store.recipients(db, await desk(db, code), severity)


async def test_recipients_by_severity_and_level(db: Database) -> None:
    for severity in ("info", "sedang", "tinggi"):
        assert await routing(db, KEL, severity) == [LURAH, CAMAT]
    assert await routing(db, KEL, "kritis") == [LURAH, CAMAT, WALIKOTA]
    assert await routing(db, KEL2, "sedang") == [CAMAT]  # no lurah registered there
    assert await routing(db, KEC, "sedang") == [CAMAT, WALIKOTA]
    assert await routing(db, KEC, "kritis") == [CAMAT, WALIKOTA]
    assert await routing(db, GAMBIR, "kritis") == [STRANGER]


async def test_kritis_never_reaches_fewer_than_the_usual_routing(db: Database) -> None:
    await register(db, 790, PUSAT, Role.SUPERVISOR)
    for code in (KEL, KEC, KOTA, PROV, PUSAT, GAMBIR):
        usual = set(await routing(db, code, "tinggi"))
        assert usual <= set(await routing(db, code, "kritis")), code
    assert await routing(db, KOTA, "kritis") == [WALIKOTA, GUBERNUR]


async def test_recipients_skip_inactive_supervisors(db: Database) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE members SET active = 0 WHERE telegram_id = ?", (LURAH,))
    assert await routing(db, KEL, "sedang") == [CAMAT]


async def test_groups_receive_reports_of_their_scope(db: Database) -> None:
    now = utcnow()
    groups = {-1001: KEC, -1002: PUSAT, -1003: KEL2, -1004: PROV, -1005: KEL}
    for chat, code in groups.items():
        await subscriptions_store.subscribe(db, chat, (await desk(db, code)).id, None, CAMAT,
                                            now)
    assert await routing(db, KEL, "info") == [-1005, -1004, -1001, LURAH, CAMAT]
    assert await routing(db, GAMBIR, "info") == [-1004, -1002, STRANGER]
    await subscriptions_store.unsubscribe(db, -1001, None)
    assert -1001 not in await routing(db, KEL, "kritis")


# --- follow-up ----------------------------------------------------------------------------

async def test_take_then_close_with_history_and_announcements(db: Database) -> None:
    incident = await submitted(db)
    assert await incidents_store.take(db, incident.id, CAMAT, utcnow()) is FollowUp.DONE
    assert await incidents_store.take(db, incident.id, LURAH, utcnow()) is FollowUp.ALREADY
    taken = await incidents_store.get(db, incident.id)
    assert taken is not None and (taken.status, taken.handler_id) == ("ditangani", CAMAT)
    routed = [(row[0], row[1]) for row in await db.fetchall(
        "SELECT id, chat_id FROM outbox WHERE kind = 'incident' ORDER BY id")]
    assert [(c, p["target"]) for c, _, p in await intents(db, "incident_update")] == \
        [(chat, target) for target, chat in routed]
    assert [p for _, _, p in await intents(db, "incident_status")] == \
        [{"incident": incident.id, "status": "ditangani", "agency": None}]
    assert [c for c, _, _ in await intents(db, "incident_status")] == [OFFICER]

    assert await incidents_store.pending_note(db, CAMAT) is None
    await incidents_store.ask_closing_note(db, incident.id, CAMAT, utcnow())
    assert await incidents_store.pending_note(db, CAMAT) == incident.id
    outcome, closed = await incidents_store.close(db, CAMAT, "Sudah dilerai polisi.", utcnow())
    assert outcome is FollowUp.DONE and closed is not None
    assert (closed.status, closed.closing_note, closed.handler_id) == \
        ("selesai", "Sudah dilerai polisi.", CAMAT)
    assert await incidents_store.pending_note(db, CAMAT) is None
    assert [(who, status, note) for _, who, status, note in
            await incidents_store.history(db, incident.id)] == [
        (OFFICER, "baru", None), (CAMAT, "ditangani", None),
        (CAMAT, "selesai", "Sudah dilerai polisi.")]
    assert [p["status"] for _, _, p in await intents(db, "incident_status")] == \
        ["ditangani", "selesai"]
    assert len(await intents(db, "incident_update")) == 4
    assert await incidents_store.take(db, incident.id, LURAH, utcnow()) is FollowUp.CLOSED


async def test_close_a_new_report_directly_and_twice(db: Database) -> None:
    incident = await submitted(db)
    for who in (LURAH, CAMAT):
        await incidents_store.ask_closing_note(db, incident.id, who, utcnow())
    outcome, closed = await incidents_store.close(db, LURAH, "Aman.", utcnow())
    assert outcome is FollowUp.DONE and closed is not None and closed.handler_id == LURAH
    # The camat's note comes too late: nothing changes, the pending note is gone.
    outcome, late = await incidents_store.close(db, CAMAT, "Juga aman.", utcnow())
    assert outcome is FollowUp.CLOSED and late is not None and late.closing_note == "Aman."
    assert await incidents_store.pending_note(db, CAMAT) is None
    assert await incidents_store.close(db, CAMAT, "Lagi.", utcnow()) == (FollowUp.ALREADY, None)
    assert [s for _, _, s, _ in await incidents_store.history(db, incident.id)] == \
        ["baru", "selesai"]


async def test_a_later_selesai_replaces_the_pending_note(db: Database) -> None:
    first, second = await submitted(db), await submitted(db)
    await incidents_store.ask_closing_note(db, first.id, CAMAT, utcnow())
    await incidents_store.ask_closing_note(db, second.id, CAMAT, utcnow())
    assert await incidents_store.pending_note(db, CAMAT) == second.id
    assert await incidents_store.drop_note(db, CAMAT)
    assert not await incidents_store.drop_note(db, CAMAT)
    assert await incidents_store.close(db, CAMAT, "x" * 5, utcnow()) == (FollowUp.ALREADY, None)


# --- listing ------------------------------------------------------------------------------

async def test_open_in_scope_orders_and_pages(db: Database) -> None:
    made = {}
    for name, who, code, severity, minutes_ago in (
            ("old_kritis", OFFICER, KEL, "kritis", 50), ("new_info", OFFICER, KEL, "info", 1),
            ("mid_tinggi", OFFICER2, KEL2, "tinggi", 20), ("old_info", OFFICER, KEL, "info", 40),
            ("new_kritis", OFFICER2, KEL2, "kritis", 5), ("gambir", STRANGER, GAMBIR,
                                                           "kritis", 0)):
        made[name] = await submitted(db, who, code, severity=severity, minutes_ago=minutes_ago)
    closed = await submitted(db, severity="kritis")
    await incidents_store.ask_closing_note(db, closed.id, CAMAT, utcnow())
    await incidents_store.close(db, CAMAT, "beres", utcnow())

    async def listed(code: str | None, offset: int = 0, limit: int = 10) -> tuple[int, list[str]]:
        scope = (await desk(db, code)).path if code else None
        total, found = await incidents_store.open_in_scope(db, scope, offset, limit)
        names = {i.id: n for n, i in made.items()}
        return total, [names[i.id] for i in found]

    order = ["new_kritis", "old_kritis", "mid_tinggi", "new_info", "old_info"]
    assert await listed(KEC) == (5, order)
    assert await listed(KEC, 0, 2) == (5, order[:2])
    assert await listed(KEC, 4, 2) == (5, order[4:])
    assert await listed(KEL) == (3, ["old_kritis", "new_info", "old_info"])
    assert await listed(GAMBIR) == (1, ["gambir"])
    assert await listed(PUSAT) == (1, ["gambir"])
    assert await listed(None) == (6, ["gambir", *order])


async def test_scope_range_does_not_leak_into_sibling_paths(db: Database) -> None:
    kel: Desk = await desk(db, KEL)
    await submitted(db)
    total, _ = await incidents_store.open_in_scope(db, kel.path, 0, 5)
    assert total == 1
    sibling = await desk(db, KEL2)
    assert await incidents_store.open_in_scope(db, sibling.path, 0, 5) == (0, [])
