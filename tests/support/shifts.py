"""Members and shifts written straight into the five Gambir desks (``data.GAMBIR_CSV``) at a
fixed moment, for the storage tests of shifts, scope summaries and the Database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import desks as desks_store
from storage import shifts
from storage.models import to_db
from storage.rules.geo import LocationCheck, LocationFacts, Verdict
from storage.sqlite.engine import Database

NOW = datetime(2024, 11, 27, 3, 0, tzinfo=UTC)  # 10:00 WIB
GAMBIR = (-6.176384, 106.826707)  # the desk of Kel. Gambir


async def desk_id(db: Database, code: str) -> int:
    desk = await desks_store.by_code(db, code)
    assert desk is not None
    return desk.id


async def add_member(db: Database, telegram_id: int, code: str = "31.71.01.1001") -> int:
    """A member row written directly (members need an existing desk)."""
    desk = await desk_id(db, code)
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO members (telegram_id, full_name, desk_id, role, created_at, updated_at) "
            "VALUES (?, ?, ?, 'officer', ?, ?)",
            (telegram_id, f"Petugas {telegram_id}", desk, to_db(NOW), to_db(NOW)),
        )
    return desk


def located(lat: float = GAMBIR[0], lon: float = GAMBIR[1], accuracy: float | None = 8.0,
            at: datetime = NOW) -> LocationFacts:
    return LocationFacts(latitude=lat, longitude=lon, sent_at=at, live=True, accuracy_m=accuracy)


async def check_in(db: Database, member: int, desk: int, *, update_id: int | None = None,
                   now: datetime = NOW, distance: float = 12.5) -> shifts.Started:
    return await shifts.start(db, member_id=member, desk_id=desk, facts=located(at=now),
                              check=LocationCheck(Verdict.OK, distance),
                              live_until=now + timedelta(hours=1), update_id=update_id, now=now)
