"""Who may do what: every command (and its English alias) and every button kind, pressed or
typed by each kind of user, through the real Application. Every handler checks who is asking;
a user sees and changes only their own scope; unknown users get one polite line; group chats
never get one person's data.

One table: a row per command or button, a column per caller. Each cell names the outcome and
a distinctive piece of the bot's answer. A refused cell must leave the database exactly as it
was (no alert taken, no report taken, no invite made, ...); an allowed cell may change only
what its action is about, and the test checks that change.

It is one file on purpose: the table, the world its cells point at and the effects they check
are read together, row by row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from bot import handlers
from bot.callbacks import KINDS, ReportStep
from bot.texts import t
from scheduler.presence import check_presence
from scheduler.sweep import sweep
from storage import drafts as drafts_store
from storage import incidents as incidents_store
from storage import invites as invites_store
from storage import members as members_store
from storage.drafts import Step
from storage.models import Role, utcnow
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.settings import ADMIN_ID
from tests.support.sweeping import CONFIG, KEC, KEL, PRESENCE, WIB, check_in, only_these_need_staff
from tests.support.telegram import Call

GAMBIR = "31.71.01"  # Kec. Gambir, Jakarta Pusat: another kecamatan
OFFICER, CAMAT, OTHER_CAMAT, STRANGER, LIAISON = 801, 802, 803, 804, 805
GROUP = -100555
REF = f"LP-{KEL}-0001"
NAME = "Budi Santoso"  # what tests.support.updates.user calls everybody

# The callers: (Telegram user, chat it happens in).
ACTORS = {
    "unknown": (STRANGER, "private"),
    "officer": (OFFICER, "private"),
    "supervisor elsewhere": (OTHER_CAMAT, "private"),
    "supervisor in scope": (CAMAT, "private"),
    "admin": (ADMIN_ID, "private"),
    "group": (CAMAT, "group"),  # the camat, in a group chat
    "partner": (LIAISON, "private"),  # the Polri liaison of the kecamatan
}


def say(key: str, **values: Any) -> str:
    return t("id", key, **values)


UNKNOWN = say("unknown_user", id=STRANGER)
PRIVATE = say("private_only")
SUPERVISORS = say("supervisors_only")
OFFICERS = say("officers_only")
STALE = say("button.stale")
NOT_YOURS = say("button.not_yours")
GROUPS_ONLY = say("subscribe.groups_only")
OUT_KEL = say("out_of_scope", code=KEL)
OUT_KEC = say("out_of_scope", code=KEC)


@dataclass(frozen=True)
class Cell:
    """The expected outcome of one action by one caller."""

    outcome: str  # "ok", "silence" or "refused: <why>"
    says: str  # a distinctive fragment of the answer (a refusal: its whole line)
    effect: str | None = None  # what an allowed action changes (see EFFECTS)


def ok(says: str, effect: str | None = None) -> Cell:
    return Cell("ok", says, effect)


def no(why: str, says: str) -> Cell:
    return Cell(f"refused: {why}", says)


SILENCE = Cell("silence", "")


def row(unknown: Cell, officer: Cell, elsewhere: Cell, in_scope: Cell, admin: Cell,
        group: Cell, partner: Cell) -> dict[str, Cell]:
    return dict(zip(ACTORS, (unknown, officer, elsewhere, in_scope, admin, group, partner),
                    strict=True))


def for_role(role: str, desk: str) -> str:
    return say("welcome_back", name=NAME, role=say(f"role.{role}"), desk=desk)


# Commands, by their Indonesian name and English alias.
COMMANDS: dict[tuple[str, ...], dict[str, Cell]] = {
    ("start",): row(
        no("unknown", UNKNOWN), ok(for_role("officer", "Cengkareng Barat")),
        ok(for_role("supervisor", "Gambir")), ok(for_role("supervisor", "Cengkareng")),
        ok(say("welcome_admin", name=NAME)), SILENCE,
        ok(say("welcome_back", name=NAME, role="Mitra (Polri)", desk="Cengkareng"))),
    ("checkin",): row(
        no("unknown", UNKNOWN), ok("Anda sudah check-in di <b>Cengkareng Barat</b>"),
        no("officers only", OFFICERS), no("officers only", OFFICERS),
        no("officers only", OFFICERS), no("private only", PRIVATE),
        no("officers only", OFFICERS)),
    ("checkout",): row(
        no("unknown", UNKNOWN),
        ok(say("checkout.confirm_empty", desk="Cengkareng Barat", left=0, min=1)),
        no("officers only", OFFICERS), no("officers only", OFFICERS),
        no("officers only", OFFICERS), no("private only", PRIVATE),
        no("officers only", OFFICERS)),
    ("status",): row(
        no("unknown", UNKNOWN), ok("🟢 Anda bertugas di <b>Cengkareng Barat</b>"),
        ok("<b>Gambir</b>: "), ok("<b>Cengkareng</b>: "), ok("<b>Seluruh wilayah</b>: "),
        no("private only", PRIVATE),
        ok("🤝 Anda mitra <b>Polri</b> di <b>Cengkareng</b>")),
    ("rekap", "board"): row(
        no("unknown", UNKNOWN), no("supervisors only", SUPERVISORS), ok("📋 <b>Gambir</b>:"),
        ok("📋 <b>Cengkareng</b>:"), ok("📋 <b>Daerah Khusus Ibukota Jakarta</b>:"),
        no("private only", PRIVATE),
        no("supervisors only", SUPERVISORS)),
    ("lapor", "report"): row(
        no("unknown", UNKNOWN), ok("<b>Laporan kejadian</b> di Cengkareng Barat", "draft"),
        ok("<b>Laporan kejadian</b> di Gambir", "draft"),
        ok("<b>Laporan kejadian</b> di Cengkareng.", "draft"),
        no("no desk", say("lapor.no_desk")), no("private only", PRIVATE),
        ok("<b>Laporan kejadian</b> di Cengkareng.", "draft")),
    ("laporan", "incidents"): row(
        no("unknown", UNKNOWN), no("supervisors only", SUPERVISORS),
        ok(say("incidents.none")), ok("<b>Laporan terbuka: 1</b>"),
        ok("<b>Laporan terbuka: 1</b>"), no("private only", PRIVATE),
        ok("<b>Laporan terbuka: 1</b>")),
    ("ekspor", "export"): row(
        no("unknown", UNKNOWN), no("supervisors only", SUPERVISORS),
        ok("Tidak ada catatan kehadiran, peringatan, atau laporan di Gambir (31.71.01)"),
        ok("📊 Ekspor Cengkareng (31.73.01), "), ok("📊 Ekspor seluruh wilayah, "),
        no("private only", PRIVATE),
        no("supervisors only", SUPERVISORS)),
    ("rekapharian", "digest"): row(
        no("unknown", UNKNOWN), no("supervisors only", SUPERVISORS),
        ok("📊 <b>Rekap harian Gambir</b>"), ok("📊 <b>Rekap harian Cengkareng</b>"),
        ok("📊 <b>Rekap harian seluruh wilayah</b>"), no("private only", PRIVATE),
        no("supervisors only", SUPERVISORS)),
    ("peringatan", "alerts"): row(
        no("unknown", UNKNOWN), no("supervisors only", SUPERVISORS), ok(say("alerts.none")),
        ok("<b>Peringatan terbuka: 1</b>"), ok("<b>Peringatan terbuka: 1</b>"),
        no("private only", PRIVATE),
        no("supervisors only", SUPERVISORS)),
    ("dasbor", "dashboard"): row(
        no("unknown", UNKNOWN), no("supervisors only", SUPERVISORS),
        ok("🗺 <b>Dasbor Gambir</b>", "login link"), ok("🗺 <b>Dasbor Cengkareng</b>", "login link"),
        ok("🗺 <b>Dasbor Seluruh wilayah</b>", "login link"), no("private only", PRIVATE),
        no("supervisors only", SUPERVISORS)),
    ("undang", "invite"): row(
        no("unknown", UNKNOWN), no("supervisors only", SUPERVISORS),
        ok(say("invite.choose_desk_own")), ok(say("invite.choose_desk_own")),
        no("no desk of their own", say("invite.usage", max=500)), no("private only", PRIVATE),
        no("supervisors only", SUPERVISORS)),
    ("undangan", "invites"): row(
        no("unknown", UNKNOWN), no("supervisors only", SUPERVISORS),
        ok("✉️ <b>Undangan yang masih berlaku di Gambir: 0</b>"),
        ok("✉️ <b>Undangan yang masih berlaku di Cengkareng: 1</b>"),
        ok("✉️ <b>Undangan yang masih berlaku di Seluruh wilayah: 1</b>"),
        no("private only", PRIVATE),
        no("supervisors only", SUPERVISORS)),
    ("anggota", "members"): row(
        no("unknown", UNKNOWN), no("supervisors only", SUPERVISORS),
        ok("👥 <b>Anggota di Gambir: 1</b>"), ok("👥 <b>Anggota di Cengkareng: 3</b>"),
        ok("👥 <b>Anggota di Seluruh wilayah: 4</b>"), no("private only", PRIVATE),
        no("supervisors only", SUPERVISORS)),
    ("langganan", "subscribe"): row(
        no("unknown", UNKNOWN), no("groups only", GROUPS_ONLY), no("groups only", GROUPS_ONLY),
        no("groups only", GROUPS_ONLY), no("groups only", GROUPS_ONLY),
        ok(say("subscribe.done", scope="Cengkareng"), "subscribed"),
        no("groups only", GROUPS_ONLY)),
    ("bahasa", "language"): row(
        no("unknown", UNKNOWN), ok(say("language.choose")), ok(say("language.choose")),
        ok(say("language.choose")), ok(say("language.choose")), no("private only", PRIVATE),
        ok(say("language.choose"))),
    ("batal", "cancel"): row(
        no("unknown", UNKNOWN), ok(say("cancel.done")), ok(say("cancel.done")),
        ok(say("cancel.done")), ok(say("cancel.done")), no("private only", PRIVATE),
        ok(say("cancel.done"))),
    ("bantuan", "help"): row(
        no("unknown", UNKNOWN), ok(say("help.header", role="Petugas")),
        ok(say("help.header", role="Pengawas")), ok(say("help.header", role="Pengawas")),
        ok(say("help.header", role="Admin")), no("private only", PRIVATE),
        ok(say("help.header", role="Mitra (Polri)"))),
}

# Buttons, by kind; the data is filled in from the objects of the world.
BUTTONS: dict[str, tuple[str, dict[str, Cell]]] = {
    "ack": ("ack:{alert}", row(
        no("out of scope", OUT_KEL), no("out of scope", OUT_KEL), no("out of scope", OUT_KEL),
        ok(say("ack.done", desk="Cengkareng Barat"), "acked"),
        ok(say("ack.done", desk="Cengkareng Barat"), "acked"),
        ok(say("ack.done", desk="Cengkareng Barat"), "acked"),
        no("out of scope", OUT_KEL))),
    "desk view": ("desk:{kel}", row(
        no("supervisors only", say("button.for_supervisors")),
        no("supervisors only", say("button.for_supervisors")), no("out of scope", OUT_KEL),
        ok(say("desk.title", desk="Cengkareng Barat", code=KEL)),
        ok(say("desk.title", desk="Cengkareng Barat", code=KEL)),
        ok(say("desk.title", desk="Cengkareng Barat", code=KEL)),
        no("supervisors only", say("button.for_supervisors")))),
    "presence answer": ("pc:{check}", row(
        no("not yours", NOT_YOURS), ok(say("presence.thanks"), "present"),
        no("not yours", NOT_YOURS), no("not yours", NOT_YOURS), no("not yours", NOT_YOURS),
        no("private only", STALE),
        no("not yours", NOT_YOURS))),
    "incident take": ("inc:t:{incident}", row(
        no("supervisors only", SUPERVISORS), no("supervisors only", SUPERVISORS),
        no("out of scope", OUT_KEL), ok(say("incident.taken", ref=REF), "taken"),
        ok(say("incident.taken", ref=REF), "taken"),
        ok(say("incident.taken", ref=REF), "taken"),
        ok(say("incident.taken", ref=REF), "taken"))),
    "incident finish": ("inc:f:{incident}", row(
        no("supervisors only", SUPERVISORS), no("supervisors only", SUPERVISORS),
        no("out of scope", OUT_KEL), ok(say("incident.note_ask", ref=REF), "note owed"),
        ok(say("incident.note_ask", ref=REF), "note owed"),
        ok(say("incident.note_in_private"), "note owed"),
        ok(say("incident.note_ask", ref=REF), "note owed"))),
    # Handing on is the supervisors': the agencies are offered in private, and one chosen
    # there is recorded.
    "incident hand off": ("inc:h:{incident}", row(
        no("supervisors only", SUPERVISORS), no("supervisors only", SUPERVISORS),
        no("out of scope", OUT_KEL), ok(say("handoff.choose", ref=REF, already="Polri, TNI")),
        ok(say("handoff.choose", ref=REF, already="Polri, TNI")),
        ok(say("handoff.in_private")), no("supervisors only", SUPERVISORS))),
    "incident hand to": ("inc:a:{incident}:bawaslu", row(
        no("supervisors only", SUPERVISORS), no("supervisors only", SUPERVISORS),
        no("out of scope", OUT_KEL),
        ok(say("handoff.done_nobody", ref=REF, agency="Bawaslu"), "handed"),
        ok(say("handoff.done_nobody", ref=REF, agency="Bawaslu"), "handed"),
        no("private only", STALE), no("supervisors only", SUPERVISORS))),
    # Recording a moved TPS: who may is checked before whether this report can (a kamtib
    # one cannot; tests/handlers/reports/test_relocation.py records one).
    "tps move": ("tpm:{incident}", row(
        no("not theirs", say("move.not_yours")), no("not movable", say("move.not_movable")),
        no("not theirs", say("move.not_yours")), no("not movable", say("move.not_movable")),
        no("not movable", say("move.not_movable")), no("private only", STALE),
        no("not movable", say("move.not_movable")))),
    "incidents page": ("incp:0", row(
        no("stale", STALE), no("supervisors only", SUPERVISORS), ok(say("incidents.none")),
        ok("<b>Laporan terbuka: 1</b>"), ok("<b>Laporan terbuka: 1</b>"),
        no("private only", STALE),
        ok("<b>Laporan terbuka: 1</b>"))),
    "alerts page": ("alp:0", row(
        no("stale", STALE), no("supervisors only", SUPERVISORS), ok(say("alerts.none")),
        ok("<b>Peringatan terbuka: 1</b>"), ok("<b>Peringatan terbuka: 1</b>"),
        no("private only", STALE),
        no("supervisors only", SUPERVISORS))),
    "board page": ("rk:{kec}:0", row(
        no("stale", STALE), no("supervisors only", SUPERVISORS), no("out of scope", OUT_KEC),
        ok("📋 <b>Cengkareng</b>:"), ok("📋 <b>Cengkareng</b>:"),
        no("private only", STALE),
        no("supervisors only", SUPERVISORS))),
    "checkout confirm": ("co:{shift}:y", row(
        no("not yours", NOT_YOURS), ok("👋 Check-out tercatat pukul", "checked out"),
        no("not yours", NOT_YOURS), no("not yours", NOT_YOURS), no("not yours", NOT_YOURS),
        no("private only", STALE),
        no("not yours", NOT_YOURS))),
    "invite desk": ("ivd:{kel}:1", row(
        no("out of scope", OUT_KEL), no("out of scope", OUT_KEL), no("out of scope", OUT_KEL),
        ok(say("invite.choose_role", desk="Cengkareng Barat", code="31.73.01.1001", uses=1)),
        ok(say("invite.choose_role", desk="Cengkareng Barat", code="31.73.01.1001", uses=1)),
        no("private only", STALE),
        no("out of scope", OUT_KEL))),
    "invite role": ("inv:{kel}:o:1", row(
        no("out of scope", OUT_KEL), no("out of scope", OUT_KEL), no("out of scope", OUT_KEL),
        ok("Tautan undangan <b>Petugas</b> untuk <b>Cengkareng Barat</b>", "invited"),
        ok("Tautan undangan <b>Petugas</b> untuk <b>Cengkareng Barat</b>", "invited"),
        no("private only", STALE),
        no("out of scope", OUT_KEL))),
    "registration": ("reg:{token}", row(
        ok(say("invite.registered", role="Pengawas", desk="Cengkareng"), "registered"),
        no("on shift", say("invite.on_shift")),
        ok(say("invite.registered", role="Pengawas", desk="Cengkareng"), "registered"),
        ok(say("invite.already", role="Pengawas", desk="Cengkareng")),
        ok(say("invite.registered", role="Pengawas", desk="Cengkareng"), "registered"),
        no("private only", STALE),
        ok(say("invite.registered", role="Pengawas", desk="Cengkareng"), "registered"))),
    "invites page": ("ivp:0", row(
        no("stale", STALE), no("supervisors only", SUPERVISORS),
        ok("✉️ <b>Undangan yang masih berlaku di Gambir: 0</b>"),
        ok("✉️ <b>Undangan yang masih berlaku di Cengkareng: 1</b>"),
        ok("✉️ <b>Undangan yang masih berlaku di Seluruh wilayah: 1</b>"),
        no("private only", STALE),
        no("supervisors only", SUPERVISORS))),
    "invite revoke": ("ivr:{invite}:yes", row(
        no("stale", STALE), no("supervisors only", SUPERVISORS), no("out of scope", OUT_KEC),
        no("made on the server", say("invites.not_yours")),
        ok("Undangan Pengawas untuk <b>Cengkareng</b> dicabut", "revoked"),
        no("private only", STALE),
        no("supervisors only", SUPERVISORS))),
    "members page": ("mbp:0", row(
        no("stale", STALE), no("supervisors only", SUPERVISORS),
        ok("👥 <b>Anggota di Gambir: 1</b>"), ok("👥 <b>Anggota di Cengkareng: 3</b>"),
        ok("👥 <b>Anggota di Seluruh wilayah: 4</b>"), no("private only", STALE),
        no("supervisors only", SUPERVISORS))),
    "member action": (f"mb:{OFFICER}:ry:0", row(
        no("stale", STALE), no("supervisors only", SUPERVISORS), no("out of scope", OUT_KEL),
        ok(say("members.removed", name=NAME, desk="Cengkareng Barat"), "removed"),
        ok(say("members.removed", name=NAME, desk="Cengkareng Barat"), "removed"),
        no("private only", STALE),
        no("supervisors only", SUPERVISORS))),
    # With no pledge set (this world's), its button changes nothing for anyone; who may
    # confirm one is tests/handlers/test_pledge.py's.
    "pledge": ("pk:0123456789abcdef", row(
        no("stale", STALE), no("no pledge", say("pledge.none")),
        no("no pledge", say("pledge.none")), no("no pledge", say("pledge.none")),
        no("no pledge", say("pledge.none")), no("private only", STALE),
        no("no pledge", say("pledge.none")))),
    "language": ("lang:en", row(
        no("unknown", STALE), ok(t("en", "language.set"), "english"),
        ok(t("en", "language.set"), "english"), ok(t("en", "language.set"), "english"),
        ok(t("en", "language.set"), "english"), no("private only", STALE),
        ok(t("en", "language.set"), "english"))),
}

CELLS = [pytest.param("command", f"/{name}", actor, cell, id=f"/{name}-{actor}")
         for names, cells in COMMANDS.items() for name in names
         for actor, cell in cells.items()]
CELLS += [pytest.param("button", kind, actor, cell, id=f"{kind}-{actor}")
          for kind, (_, cells) in BUTTONS.items() for actor, cell in cells.items()]


# --- the world -----------------------------------------------------------------------------

@dataclass(frozen=True)
class World:
    """The objects the buttons refer to."""

    alert: int
    incident: int
    check: int
    shift: int
    kel: int
    kec: int
    token: str
    invite: int


@pytest.fixture
async def world(harness: Harness) -> World:
    """KEL on duty all day and empty when swept (an open alert), then its officer on shift
    for four hours (a pending presence question), a kamtib report from KEL (routed to the
    Polri liaison), a one-use supervisor invite for the kecamatan; the camat of KEC, the camat
    of Gambir, the Polri liaison of KEC, the admin known."""
    await harness.stop_sender()
    # /dasbor makes links only when the dashboard is on; its pages are tests/dashboard's.
    data = harness.app.bot_data
    data.settings = data.settings.model_copy(update={"dashboard_port": 8080})
    db = harness.db
    await only_these_need_staff(db, KEL)
    await harness.set_desk(KEL, duty_hours="00:00-24:00")
    kel = await harness.member(OFFICER, KEL, Role.OFFICER)
    kec = await harness.member(CAMAT, KEC, Role.SUPERVISOR)
    await harness.member(OTHER_CAMAT, GAMBIR, Role.SUPERVISOR)
    await harness.member(LIAISON, KEC, Role.PARTNER, agency="polri")
    await members_store.ensure_admin(db, ADMIN_ID, "Admin", None)
    moment = utcnow() + timedelta(minutes=20)
    if moment.astimezone(WIB).hour == 0 and moment.astimezone(WIB).minute < 20:
        moment += timedelta(minutes=20)  # today's window only just began
    assert (await sweep(db, moment, CONFIG)).opened == 1
    shift = await check_in(db, OFFICER, KEL, utcnow() - timedelta(hours=4))
    assert (await check_presence(db, utcnow(), PRESENCE)).asked == 1
    draft = await drafts_store.start_draft(db, OFFICER, kel.id, utcnow())
    await drafts_store.update_draft(db, draft.id, OFFICER, Step.CONFIRM, utcnow(),
                                    category="kamtib", severity="tinggi",
                                    description="Kericuhan kecil di dekat TPS 7.")
    _, incident = await incidents_store.submit(db, draft.id, OFFICER, [CAMAT, LIAISON],
                                               utcnow(), ("polri", "tni"))
    assert incident is not None and incident.ref == REF
    token = await invites_store.create(db, kec.id, Role.SUPERVISOR, max_uses=1,
                                       ttl=timedelta(days=1), created_by=None, now=utcnow())
    return World(alert=int(await db.fetchval("SELECT id FROM alerts")), incident=incident.id,
                 check=int(await db.fetchval("SELECT id FROM presence_checks")), shift=shift,
                 kel=kel.id, kec=kec.id, token=token,
                 invite=int(await db.fetchval("SELECT max(id) FROM invites")))


STATE = {
    "members": "SELECT telegram_id, desk_id, role, language, active, removed_at FROM members",
    "invites": "SELECT id, desk_id, role, max_uses, uses, created_by, revoked_at FROM invites",
    "shifts": "SELECT id, member_id, ended_at, end_reason, last_seen_at FROM shifts",
    "presence": "SELECT id, answered_at, expired_at FROM presence_checks",
    "alerts": "SELECT id, acked_by, acked_at, resolved_at FROM alerts",
    "incidents": "SELECT id, status, handler_id, closing_note FROM incidents",
    "notes": "SELECT member_id, incident_id FROM closing_notes",
    "drafts": "SELECT member_id, desk_id, step FROM incident_drafts",
    "subscriptions": "SELECT chat_id, desk_id, active, created_by FROM subscriptions",
    "logins": "SELECT member_id, used_at FROM dashboard_logins",
    "agencies": "SELECT incident_id, agency, handed_by FROM incident_agencies",
}


async def state(h: Harness) -> dict[str, list[tuple[Any, ...]]]:
    return {name: sorted(tuple(r) for r in await h.db.fetchall(sql))
            for name, sql in STATE.items()}


async def one(h: Harness, sql: str, *params: Any) -> tuple[Any, ...]:
    found = await h.db.fetchone(sql, params)
    assert found is not None, sql
    return tuple(found)


# What an allowed action changes: the tables it may touch, and the check of the change.
async def _acked(h: Harness, w: World, who: int) -> None:
    assert await one(h, "SELECT acked_by FROM alerts WHERE id = ?", w.alert) == (who,)


async def _present(h: Harness, w: World, who: int) -> None:
    (answered,) = await one(h, "SELECT answered_at FROM presence_checks WHERE id = ?", w.check)
    assert answered is not None


async def _taken(h: Harness, w: World, who: int) -> None:
    assert await one(h, "SELECT status, handler_id FROM incidents WHERE id = ?",
                     w.incident) == ("ditangani", who)


async def _note_owed(h: Harness, w: World, who: int) -> None:
    assert await incidents_store.pending_note(h.db, who) == w.incident


async def _checked_out(h: Harness, w: World, who: int) -> None:
    assert await one(h, "SELECT end_reason FROM shifts WHERE id = ?", w.shift) == ("manual",)


async def _invited(h: Harness, w: World, who: int) -> None:
    assert await one(h, "SELECT desk_id, role, max_uses, created_by FROM invites "
                        "WHERE created_by IS NOT NULL") == (w.kel, "officer", 1, who)


async def _registered(h: Harness, w: World, who: int) -> None:
    assert await one(h, "SELECT desk_id, role FROM members WHERE telegram_id = ?",
                     who) == (w.kec, "supervisor")
    found = await invites_store.lookup(h.db, w.token, utcnow())
    assert found.invite is not None and found.invite.uses == 1


async def _english(h: Harness, w: World, who: int) -> None:
    assert await one(h, "SELECT language FROM members WHERE telegram_id = ?", who) == ("en",)


async def _draft(h: Harness, w: World, who: int) -> None:
    draft = await drafts_store.draft_of(h.db, who)
    assert draft is not None and draft.step is Step.CATEGORY
    member = await members_store.get(h.db, who)
    assert member is not None and draft.desk_id == member.desk_id


async def _subscribed(h: Harness, w: World, who: int) -> None:
    assert await one(h, "SELECT desk_id, active, created_by FROM subscriptions "
                        "WHERE chat_id = ?", GROUP) == (w.kec, 1, who)


async def _revoked(h: Harness, w: World, who: int) -> None:
    (revoked,) = await one(h, "SELECT revoked_at FROM invites WHERE id = ?", w.invite)
    assert revoked is not None
    assert (await invites_store.lookup(h.db, w.token, utcnow())).state.value == "revoked"


async def _removed(h: Harness, w: World, who: int) -> None:
    assert await members_store.get_with_desk(h.db, OFFICER) == (None, None)
    assert await one(h, "SELECT end_reason FROM shifts WHERE id = ?", w.shift) == ("admin",)


async def _login_link(h: Harness, w: World, who: int) -> None:
    assert await one(h, "SELECT member_id, used_at FROM dashboard_logins") == (who, None)


async def _handed(h: Harness, w: World, who: int) -> None:
    assert await one(h, "SELECT agency, handed_by FROM incident_agencies WHERE incident_id = ? "
                        "AND handed_by IS NOT NULL", w.incident) == ("bawaslu", who)


EFFECTS = {
    "handed": (("agencies",), _handed),
    "login link": (("logins",), _login_link),
    "acked": (("alerts",), _acked),
    "present": (("presence", "shifts"), _present),
    "taken": (("incidents",), _taken),
    "note owed": (("notes",), _note_owed),
    "checked out": (("shifts",), _checked_out),
    "invited": (("invites",), _invited),
    "registered": (("members", "invites"), _registered),
    "english": (("members",), _english),
    "draft": (("drafts",), _draft),
    "subscribed": (("subscriptions",), _subscribed),
    "revoked": (("invites",), _revoked),
    "removed": (("members", "shifts", "presence", "drafts"), _removed),
}


# --- the test ------------------------------------------------------------------------------

def texts(calls: list[Call]) -> list[str]:
    return [c.text for c in calls if c.text]


@pytest.mark.parametrize(("kind", "action", "actor", "cell"), CELLS)
async def test_authorization_matrix(harness: Harness, world: World, kind: str, action: str,
                                    actor: str, cell: Cell) -> None:
    who, where = ACTORS[actor]
    person = u.user(who)
    chat = u.group_chat(GROUP) if where == "group" else u.private_chat(person)
    before = await state(harness)
    if kind == "command":
        calls = await harness.send(u.text(person, action, chat=chat))
    else:
        data = BUTTONS[action][0].format(**vars(world))
        calls = await harness.send(u.callback(person, data, chat=chat))
    said = "\n".join(texts(calls))
    sends = [c for c in calls if c.method in ("sendMessage", "sendDocument", "sendPhoto")]
    # Every message goes to where the action happened, or privately to the one who acted.
    assert all(int(c.params["chat_id"]) in (chat["id"], who) for c in sends), calls

    if kind == "button":  # a press always gets exactly one answer
        assert [c.method for c in calls].count("answerCallbackQuery") == 1, calls
    if cell.outcome == "silence":
        assert calls == []
    elif cell.outcome.startswith("refused"):
        if kind == "command":  # one line, nothing else
            assert texts(calls) == [cell.says], calls
            assert not calls[0].buttons()
        else:  # the answer (or the button's message) says why; nothing is sent
            assert cell.says in texts(calls), calls
            assert sends == [], calls
    else:
        assert cell.says in said, said
    if kind == "command" and where == "group" and cell.outcome != "ok":
        assert all(c.text == PRIVATE for c in calls), calls  # no data in a group

    after = await state(harness)
    if cell.effect is None:  # a refusal, or an answer that only shows: nothing changed
        assert after == before
        return
    touched, check = EFFECTS[cell.effect]
    for table in STATE:
        if table not in touched:
            assert after[table] == before[table], table
    assert any(after[table] != before[table] for table in touched), cell.effect
    await check(harness, world, who)


def test_the_table_covers_every_command_and_button() -> None:
    """Every registered command name and button prefix has its row (a new command or button
    would otherwise go unchecked); the /lapor flow's own buttons are the report tests' job."""
    assert {name for command in handlers.COMMANDS for name in command.names} == \
        {name for names in COMMANDS for name in names}
    kinds = [kind for kind in KINDS if kind is not ReportStep]
    templates = [data for data, _ in BUTTONS.values()]
    sample = World(alert=1, incident=2, check=3, shift=4, kel=5, kec=6, token="t0k3n",
                   invite=7)
    assert sorted(next(k.PREFIX for k in kinds if k.parse(d.format(**vars(sample))))
                  for d in templates) == sorted(k.PREFIX for k in kinds)


def test_every_button_kind_is_registered_once() -> None:
    """Each kind of ``bot.callbacks`` has exactly one handler and a declared ``Who``; a kind
    declared but never registered would be answered as a stale button."""
    registered = [button.kind for button in handlers.BUTTONS]
    assert sorted(k.__name__ for k in registered) == sorted(k.__name__ for k in KINDS)
    assert all(isinstance(button.who, handlers.Who) for button in handlers.BUTTONS)
