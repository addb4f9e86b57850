"""Who may change whom: a supervisor manages the members and invites below them, never
themselves, a peer or someone above. Built on the one scope check, ``Caller.can_oversee``.

A member is below a supervisor when their desk lies in the supervisor's scope and they are an
officer, or a supervisor of a desk strictly inside it (a camat manages the lurah, not another
camat of the same kecamatan nor the kota). Admins (by configuration or stored role) are below
nobody; an admin manages everyone else.
"""

from __future__ import annotations

from bot.context import Ctx
from bot.handlers.access import Caller
from bot.texts import t
from storage.invites import OpenInvite
from storage.membership import MemberLine
from storage.models import Desk, Role


def _strictly_inside(caller: Caller, desk: Desk) -> bool:
    """The desk is in the caller's scope and not the caller's own desk (admins: anywhere)."""
    if caller.is_admin:
        return True
    return caller.can_oversee(desk) and caller.desk is not None and desk.id != caller.desk.id


def member_refusal(context: Ctx, caller: Caller, line: MemberLine, desk: Desk) -> str | None:
    """Why ``caller`` may not change this member (at ``desk``), in their language; None when
    they may."""
    if line.telegram_id == caller.user_id:
        return t(caller.lang, "members.self")
    if not caller.is_supervisor:
        return t(caller.lang, "supervisors_only")
    if not caller.can_oversee(desk):
        return t(caller.lang, "out_of_scope", code=desk.code)
    if line.telegram_id in context.bot_data.settings.admin_ids or (
            line.member_role is Role.SUPERVISOR and not _strictly_inside(caller, desk)):
        return t(caller.lang, "members.not_below", name=line.full_name)
    return None


async def may_revoke(context: Ctx, caller: Caller, invite: OpenInvite, desk: Desk) -> bool:
    """Whether ``caller`` may revoke an invite to ``desk``: its maker while it is in their
    scope, or a supervisor above the maker (an invite made on the server: admins only)."""
    if caller.is_admin:
        return True
    if not caller.is_supervisor or not caller.can_oversee(desk):
        return False
    if invite.created_by == caller.user_id:
        return True
    if invite.created_by is None or invite.created_by in context.bot_data.settings.admin_ids:
        return False
    maker, maker_desk = await context.bot_data.roster.get_with_desk(invite.created_by)
    if maker is None:  # removed since: whoever oversees the desk cleans up after them
        return True
    if maker.role is Role.ADMIN or maker_desk is None:
        return False
    return maker.role is not Role.SUPERVISOR or _strictly_inside(caller, maker_desk)
