"""Helpers for the /lapor and follow-up tests: the people of every level above one kelurahan,
driving the guided report step by step, a whole report sent, and what it queued."""

from __future__ import annotations

from typing import Any

from bot.outbox.message import Rendered
from bot.outbox.render import OutboxRenderer
from bot.outbox.sender import Sender
from storage import drafts as drafts_store
from storage import incidents as incidents_store
from storage import outbox as outbox_store
from storage.drafts import Draft, Step
from storage.incidents import Incident
from storage.models import Role
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.sweeping import intents
from tests.support.telegram import Call

KEL = "31.73.01.1001"  # Kel. Cengkareng Barat
KEL2 = "31.73.01.1002"  # Kel. Duri Kosambi, same kecamatan
KEC = "31.73.01"  # Kec. Cengkareng
KOTA = "31.73"  # Kota Adm. Jakarta Barat
PROV = "31"  # DKI Jakarta
GAMBIR = "31.71.01"  # Kec. Gambir, Jakarta Pusat: another kecamatan
PUSAT = "31.71"  # Kota Adm. Jakarta Pusat
OFFICER, LURAH, CAMAT, WALIKOTA, GUBERNUR, STRANGER = 601, 602, 603, 604, 605, 606
OFFICER2, LURAH2 = 607, 608
DESCRIPTION = "Ada pembagian amplop di dekat TPS 12 oleh tim sukses."
STALE = "Draf laporan ini sudah tidak berlaku"
NOTE = "Massa sudah bubar, TPS aman kembali."  # a closing note
STEPS = list(Step)
STICKER = {"file_id": "stk", "file_unique_id": "stk", "type": "regular", "width": 512,
           "height": 512, "is_animated": False, "is_video": False}


async def people(h: Harness) -> Harness:
    """The supervisors of every level above KEL, a stranger, and two officers."""
    await h.member(OFFICER, KEL, Role.OFFICER, name="Budi Santoso")
    await h.member(LURAH, KEL, Role.SUPERVISOR, name="Pak Lurah")
    await h.member(CAMAT, KEC, Role.SUPERVISOR, name="Bu Camat")
    await h.member(WALIKOTA, KOTA, Role.SUPERVISOR, name="Pak Wali")
    await h.member(GUBERNUR, PROV, Role.SUPERVISOR, name="Bu Gubernur")
    await h.member(STRANGER, GAMBIR, Role.SUPERVISOR, name="Camat Gambir")
    await h.member(OFFICER2, KEL2, Role.OFFICER, name="Siti Aminah")
    await h.member(LURAH2, KEL2, Role.SUPERVISOR, name="Bu Lurah Duri")
    return h


# --- driving the flow ----------------------------------------------------------------------

async def say(h: Harness, who: int, body: str) -> list[Call]:
    return await h.send(u.text(u.user(who), body))


async def press(h: Harness, who: int, data: str) -> list[Call]:
    return await h.send(u.callback(u.user(who), data))


async def current(h: Harness, who: int) -> Draft:
    draft = await drafts_store.draft_of(h.db, who)
    assert draft is not None
    return draft


def photo(file_id: str) -> list[dict[str, Any]]:
    """A photo as Telegram sends it: several sizes, the largest last."""
    return [{"file_id": f"{file_id}-thumb", "file_unique_id": f"{file_id}t", "width": 90,
             "height": 90},
            {"file_id": file_id, "file_unique_id": f"{file_id}u", "width": 1280,
             "height": 960}]


def said(calls: list[Call]) -> str:
    """Every text the bot sent or answered, joined."""
    return "\n".join(c.text for c in calls)


async def walk(h: Harness, who: int, until: Step, *, category: str = "politik_uang",
               severity: str = "sedang", description: str = DESCRIPTION) -> int:
    """Start /lapor and answer every step before ``until`` (optional steps skipped)."""
    await say(h, who, "/lapor")
    draft_id = (await current(h, who)).id
    for step in STEPS[:STEPS.index(until)]:
        if step is Step.CATEGORY:
            await press(h, who, f"lp:{draft_id}:cat:{category}")
        elif step is Step.SEVERITY:
            await press(h, who, f"lp:{draft_id}:sev:{severity}")
        elif step is Step.DESCRIPTION:
            await say(h, who, description)
        elif step is Step.LOCATION:
            await say(h, who, "Lewati")  # a button of the keyboard under the input field
        else:
            await press(h, who, f"lp:{draft_id}:skip")
    assert (await current(h, who)).step is until
    return draft_id


async def report(h: Harness, who: int = OFFICER, **kw: Any) -> Incident:
    """A whole report sent with Kirim; the report it made."""
    draft_id = await walk(h, who, Step.CONFIRM, **kw)
    await press(h, who, f"lp:{draft_id}:send")
    row = await h.db.fetchone("SELECT id FROM incidents WHERE draft_id = ?", (draft_id,))
    assert row is not None
    incident = await incidents_store.get(h.db, int(row[0]))
    assert incident is not None
    return incident


# --- what a report queued, and its follow-up buttons --------------------------------------

async def outbox(h: Harness, kind: str | None = None) -> list[tuple[int, str, Any]]:
    return await intents(h.db, kind)


async def routed(h: Harness, incident: Incident | None = None) -> list[int]:
    """Chats that got a report (its ``incident`` intents), of one report or of all."""
    return sorted(chat for chat, _, payload in await outbox(h, "incident")
                  if incident is None or payload["incident"] == incident.id)


async def rendered_first(h: Harness, kind: str) -> Rendered:
    """The first queued message of ``kind``, rendered as the sender would send it."""
    row = await outbox_store.get_row(h.db, int(await h.db.fetchval(
        "SELECT id FROM outbox WHERE kind = ? ORDER BY id LIMIT 1", (kind,))))
    assert row is not None
    rendered = await OutboxRenderer(h.db, h.app.bot_data.settings)(row)
    assert rendered is not None
    return rendered


def fresh_sender(h: Harness) -> Sender:
    return Sender(h.app.bot, h.db, OutboxRenderer(h.db, h.app.bot_data.settings),
                  private_interval=0.0, group_interval=0.0)


def take(incident: Incident) -> str:
    """The data of a report's *Tangani* button."""
    return f"inc:t:{incident.id}"


def finish(incident: Incident) -> str:
    """The data of a report's *Selesai* button."""
    return f"inc:f:{incident.id}"


def hand_off(incident: Incident) -> str:
    """The data of a report's *Teruskan* button (supervisors' copies)."""
    return f"inc:h:{incident.id}"
