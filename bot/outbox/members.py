"""The membership kind of the outbox: a member told that they were moved, removed or given
another role (``storage.membership``)."""

from __future__ import annotations

from bot.outbox.message import Rendered
from bot.texts import fmt_time, t
from storage import desks as desks_store
from storage import shifts as shifts_store
from storage.models import utcnow
from storage.outbox_kinds import MemberChangedPayload
from storage.sqlite.engine import Database

_CHANGES = ("moved", "removed", "role")


class MemberRenderer:
    """Notices to a member about their own membership."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def changed(self, payload: MemberChangedPayload, lang: str) -> Rendered | None:
        """What changed, and the shift it ended; nothing for a change this version does not
        know or a desk that is gone."""
        desk = await desks_store.get(self.db, payload.desk)
        if desk is None or payload.change not in _CHANGES:
            return None
        role = t(lang, f"role.{payload.role}") if payload.role in ("officer", "supervisor") \
            else payload.role
        lines = [t(lang, f"member.notice.{payload.change}", role=role, desk=desk.name,
                   code=desk.code)]
        shift = await shifts_store.get(self.db, payload.shift) if payload.shift else None
        if shift is not None and shift.ended_at is not None:
            ended_at = await desks_store.get(self.db, shift.desk_id)
            where = ended_at or desk
            lines.insert(0, t(lang, "member.notice.shift_ended", desk=where.name,
                              time=fmt_time(lang, shift.ended_at, where.tz, utcnow())))
        return Rendered("\n".join(lines))
