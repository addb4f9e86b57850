"""Members: who a Telegram user is to the bot (desk and role) and their preferences."""

from __future__ import annotations

from storage.models import Desk, Member, Role, to_db, utcnow
from storage.sqlite.engine import Database

_COLUMNS = "telegram_id, full_name, username, desk_id, role, language, active, agency"
# The member's columns are prefixed m_, the desk's d_: one row holds both records.
_WITH_DESK = (f"SELECT {', '.join(f'm.{name} AS m_{name}' for name in Member.model_fields)}, "
              f"{', '.join(f'd.{name} AS d_{name}' for name in Desk.model_fields)} "
              "FROM members m LEFT JOIN desks d ON d.id = m.desk_id "
              "WHERE m.telegram_id = ? AND m.removed_at IS NULL")
LANGUAGES = ("id", "en")


async def get(db: Database, telegram_id: int) -> Member | None:
    """The member with this Telegram user id, active or not."""
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM members WHERE telegram_id = ?", (telegram_id,)
    )
    return Member.from_row(row) if row else None


async def get_with_desk(db: Database, telegram_id: int) -> tuple[Member | None, Desk | None]:
    """The member with this Telegram user id and their desk, in one query; a removed member
    (``storage.membership``) is nobody until an invite registers them again."""
    row = await db.fetchone(_WITH_DESK, (telegram_id,))
    if row is None:
        return None, None
    member = Member.from_row(row, prefix="m_")
    if row["d_id"] is None:  # no desk (an admin), or a dangling desk id
        return member, None
    return member, Desk.from_row(row, prefix="d_")


class Roster:
    """Members with their desks by Telegram id, kept until the roster changes.

    Every update needs its caller, and the join behind :func:`get_with_desk` costs several
    times what reading one counter does. Triggers (migration 5) bump ``roster.version`` on
    any change to members or desks, whichever process makes it, so:

    1. Read the version (a point read on committed data).
    2. If it differs from the one the cache was filled under, empty the cache.
    3. Answer from the cache, or read the member and desk and keep them. They are read after
       the version, so they are at least as new as it: a later change bumps it again.

    A full cache is emptied rather than evicted entry by entry: it only has to carry the
    callers of a busy stretch, and stays small (``limit`` entries) for a national roster.
    """

    def __init__(self, db: Database, limit: int = 5_000):
        self._db = db
        self._limit = limit
        self._version: int | None = None
        self._entries: dict[int, tuple[Member | None, Desk | None]] = {}

    async def get_with_desk(self, telegram_id: int) -> tuple[Member | None, Desk | None]:
        """Like :func:`get_with_desk`, as of the roster's last change."""
        version = await self._db.fetchval("SELECT version FROM roster")
        if version != self._version:
            self._entries.clear()
            self._version = version
        found = self._entries.get(telegram_id)
        if found is None:
            found = await get_with_desk(self._db, telegram_id)
            if len(self._entries) >= self._limit:
                self._entries.clear()
            self._entries[telegram_id] = found
        return found


async def ensure_admin(db: Database, telegram_id: int, full_name: str,
                       username: str | None) -> None:
    """Give a configured admin a member row (for their language) unless they have one."""
    now = to_db(utcnow())
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO members (telegram_id, full_name, username, desk_id, role, created_at, "
            "updated_at) VALUES (?, ?, ?, NULL, 'admin', ?, ?) "
            "ON CONFLICT (telegram_id) DO NOTHING",
            (telegram_id, full_name, username, now, now),
        )


async def set_language(db: Database, telegram_id: int, language: str) -> bool:
    """Store the member's UI language; False if they are not a member."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language}")
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "UPDATE members SET language = ?, updated_at = ? WHERE telegram_id = ?",
            (language, to_db(utcnow()), telegram_id),
        )
        return cursor.rowcount == 1


async def count_by_role(db: Database) -> dict[Role, int]:
    """Active members per role."""
    rows = await db.scan(
        "SELECT role, count(*) FROM members WHERE active = 1 GROUP BY role"
    )
    return {Role(r[0]): int(r[1]) for r in rows}


async def supervisors_of(db: Database, desk_ids: list[int]) -> dict[int, list[int]]:
    """Active supervisors (Telegram ids) at each of the given desks."""
    found: dict[int, list[int]] = {}
    # Ordered within each chunk; a desk's supervisors are all in its chunk.
    for desk_id, telegram_id in await db.fetch_in(
            "SELECT desk_id, telegram_id FROM members WHERE role = 'supervisor' AND active = 1 "
            "AND desk_id IN ({keys}) ORDER BY telegram_id", desk_ids):
        found.setdefault(desk_id, []).append(telegram_id)
    return found


async def reactivate(db: Database, telegram_id: int) -> None:
    """A deactivated member (the bot was blocked) is reachable again; a removed one stays
    removed."""
    async with db.transaction() as tx:
        await tx.execute("UPDATE members SET active = 1, updated_at = ? WHERE telegram_id = ? "
                         "AND active = 0 AND removed_at IS NULL", (to_db(utcnow()), telegram_id))
