"""Helpers for sweep and presence tests: a Jakarta database driven at injected times."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.presence import PresenceConfig
from scheduler.sweep import SweepConfig
from storage import desks as desks_store
from storage import invites as invites_store
from storage import shifts as shifts_store
from storage.models import Desk, EndReason, Role, utcnow
from storage.rules.geo import LocationCheck, LocationFacts, Verdict
from storage.sqlite.engine import Database

WIB = ZoneInfo("Asia/Jakarta")
CONFIG = SweepConfig(grace=timedelta(minutes=15),
                     steps=(timedelta(minutes=15), timedelta(minutes=30)))
PRESENCE = PresenceConfig(every=timedelta(hours=3), timeout=timedelta(minutes=30))
KEL = "31.73.01.1001"  # Kel. Cengkareng Barat
KEC = "31.73.01"  # Kec. Cengkareng
KOTA = "31.73"  # Kota Adm. Jakarta Barat


def wib(hour: int, minute: int = 0, day: int = 23) -> datetime:
    """A moment on Monday 23 November 2026, Jakarta time."""
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


def soon() -> datetime:
    """A moment past the grace of a desk on duty 00:00-24:00, even just after midnight."""
    moment = utcnow() + timedelta(minutes=20)
    local = moment.astimezone(WIB)
    if local.hour == 0 and local.minute < 20:  # today's window only just began
        moment += timedelta(minutes=20)
    return moment


async def only_these_need_staff(db: Database, *codes: str) -> None:
    """Every other desk needs nobody, so tests see only the desks they name."""
    async with db.transaction() as tx:
        await tx.execute("UPDATE desks SET min_staff = 0")
        await tx.executemany("UPDATE desks SET min_staff = 1 WHERE code = ?",
                             [(c,) for c in codes])


async def desk(db: Database, code: str) -> Desk:
    found = await desks_store.by_code(db, code)
    assert found is not None
    return found


async def register(db: Database, user_id: int, code: str, role: Role) -> None:
    target = await desk(db, code)
    token = await invites_store.create(db, target.id, role, max_uses=1, ttl=timedelta(days=1),
                                       created_by=None, now=wib(0))
    await invites_store.redeem(db, token, telegram_id=user_id, full_name=f"User {user_id}",
                               username=None, now=wib(0))


async def check_in(db: Database, user_id: int, code: str, at: datetime) -> int:
    target = await desk(db, code)
    assert target.latitude is not None and target.longitude is not None
    facts = LocationFacts(target.latitude, target.longitude, at)
    started = await shifts_store.start(db, member_id=user_id, desk_id=target.id, facts=facts,
                                       check=LocationCheck(Verdict.OK, 0.0), live_until=None,
                                       update_id=None, now=at)
    return started.shift.id


async def check_out(db: Database, shift_id: int, at: datetime) -> None:
    assert await shifts_store.end(db, shift_id, EndReason.MANUAL, at)


async def intents(db: Database, kind: str | None = None) -> list[tuple[int, str, Any]]:
    """(chat_id, kind, payload) of every outbox row, in order."""
    rows = await db.fetchall("SELECT chat_id, kind, payload FROM outbox ORDER BY id")
    return [(r[0], r[1], json.loads(r[2])) for r in rows if kind is None or r[1] == kind]


async def alert_row(db: Database, code: str) -> Any:
    return await db.fetchone(
        "SELECT a.* FROM alerts a JOIN desks d ON d.id = a.desk_id WHERE d.code = ? "
        "ORDER BY a.id DESC LIMIT 1", (code,))
