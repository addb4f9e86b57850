"""The dashboard in tests: a world of one empty desk with an open alert and a report, the
members who look at it, and signing a client in through a real login link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import aiohttp
from aiohttp.test_utils import TestClient

from scheduler.sweep import sweep
from storage import drafts as drafts_store
from storage import incidents as incidents_store
from storage import logins
from storage import members as members_store
from storage.drafts import Step
from storage.models import Role, utcnow
from tests.support.harness import Harness
from tests.support.settings import ADMIN_ID
from tests.support.sweeping import CONFIG, KEC, KEL, only_these_need_staff, soon

GAMBIR = "31.71.01"  # Kec. Gambir, Jakarta Pusat: another kecamatan
OFFICER, CAMAT, OTHER_CAMAT = 801, 802, 803
EVIL = "<img src=x onerror=alert(1)>"  # a desk name that must stay text


@dataclass(frozen=True)
class World:
    alert: int
    kel: int
    kec: int


async def build_world(h: Harness, *, evil_name: bool = False) -> World:
    """KEL on duty all day, empty and alerted (its camat told); a report from KEL; the camat
    of KEC, the camat of Gambir, the admin. ``evil_name``: KEL is named like an HTML tag."""
    db = h.db
    await only_these_need_staff(db, KEL)
    await h.set_desk(KEL, duty_hours="00:00-24:00")
    if evil_name:
        await h.set_desk(KEL, name=EVIL)
    kel = await h.member(OFFICER, KEL, Role.OFFICER, name="Siti Aminah")
    kec = await h.member(CAMAT, KEC, Role.SUPERVISOR, name="Camat Cengkareng")
    await h.member(OTHER_CAMAT, GAMBIR, Role.SUPERVISOR, name="Camat Gambir")
    await members_store.ensure_admin(db, ADMIN_ID, "Admin", None)
    assert (await sweep(db, soon(), CONFIG)).opened == 1
    draft = await drafts_store.start_draft(db, OFFICER, kel.id, utcnow())
    await drafts_store.update_draft(db, draft.id, OFFICER, Step.CONFIRM, utcnow(),
                                    category="kamtib", severity="kritis",
                                    description=f"Kericuhan {EVIL} di dekat TPS 7.")
    await incidents_store.submit(db, draft.id, OFFICER, [CAMAT], utcnow())
    return World(int(await db.fetchval("SELECT id FROM alerts")), kel.id, kec.id)


def turn_on(h: Harness, port: int = 8080) -> None:
    """/dasbor makes links only when the dashboard is on."""
    data = h.app.bot_data
    data.settings = data.settings.model_copy(update={"dashboard_port": port})


async def sign_in(h: Harness, client: TestClient[aiohttp.web.Request, aiohttp.web.Application],
                  member_id: int) -> aiohttp.ClientResponse:
    """Post a fresh login link of ``member_id``, as the sign-in page does."""
    token = await logins.create_link(h.db, member_id, utcnow())
    return await client.post("/auth/link", json={"token": token})


def later(minutes: float) -> timedelta:
    return timedelta(minutes=minutes)
