"""Who is asking: the one place that turns a Telegram user into a caller with a role and scope.

Every handler starts with :func:`identify`; every scope decision goes through
:meth:`Caller.can_oversee`, which uses the store's one scope check.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from telegram import Update

from bot.context import Ctx
from bot.texts import LANGUAGES
from storage import desks as desks_store
from storage import members as members_store
from storage.models import Desk, Member, Role


@dataclass(frozen=True, slots=True)
class Caller:
    """A user as the bot sees them for one update."""

    user_id: int
    name: str
    lang: str
    member: Member | None
    desk: Desk | None
    is_admin: bool

    @property
    def role(self) -> Role | None:
        """Effective role: admin by configuration wins over any stored role."""
        if self.is_admin:
            return Role.ADMIN
        if self.member is None or self.desk is None:
            return None
        return self.member.role

    @property
    def is_officer(self) -> bool:
        """An officer attached to a desk."""
        return self.role is Role.OFFICER

    @property
    def is_supervisor(self) -> bool:
        """A supervisor or an admin."""
        return self.role in (Role.SUPERVISOR, Role.ADMIN)

    @property
    def is_partner(self) -> bool:
        """A liaison of a partner agency attached to a desk."""
        return self.role is Role.PARTNER

    @property
    def follows_reports(self) -> bool:
        """Whether the caller takes and closes reports: supervisors, admins and liaisons."""
        return self.is_supervisor or self.is_partner

    @property
    def agency(self) -> str | None:
        """A liaison's agency; None for everyone else."""
        return self.member.agency if self.is_partner and self.member is not None else None

    @property
    def scope_path(self) -> str | None:
        """Path of the caller's scope; None means everything (admins)."""
        if self.is_admin or self.desk is None:
            return None
        return self.desk.path

    def can_oversee(self, desk: Desk) -> bool:
        """Whether the caller may see and act on ``desk`` (supervisors: their subtree)."""
        if self.is_admin:
            return True
        if self.role is not Role.SUPERVISOR or self.desk is None:
            return False
        return desks_store.within(self.desk.path, desk.path)

    def can_follow_up(self, desk: Desk, agencies: Collection[str]) -> bool:
        """Whether the caller may take and close a report at ``desk`` that concerns
        ``agencies``: a supervisor in scope, or a liaison of one of them in scope."""
        if self.can_oversee(desk):
            return True
        return (self.is_partner and self.desk is not None and self.agency in agencies
                and desks_store.within(self.desk.path, desk.path))


_CALLER = "posko_caller"  # where an update's context keeps its caller


def menu_language(language_code: str | None, default: str) -> str:
    """The language of the command menu Telegram shows a user whose app is set to
    ``language_code`` (``en-GB``: the English menu); replies start in it too, until the user
    picks one with /bahasa. The default menu is in ``default``."""
    code = (language_code or "").split("-")[0].lower()
    return code if code in LANGUAGES else default


def known(context: Ctx) -> Caller | None:
    """The caller :func:`identify` found for this update, if it got that far (no lookup)."""
    caller = vars(context).get(_CALLER)
    return caller if isinstance(caller, Caller) else None


async def identify(update: Update, context: Ctx) -> Caller | None:
    """The caller of an update, or None for updates without a user (channel posts, ...).

    Looked up once per update: PTB gives every handler of one update the same context, so a
    message that passes the report router (group -1) on its way to check-in reads the member
    and their desk once. No handler changes the caller's membership before another handler
    of the same update asks again. Across updates the roster cache answers until members or
    desks change (``storage.members.Roster``).
    """
    user = update.effective_user
    if user is None:
        return None
    known = vars(context).get(_CALLER)
    if isinstance(known, Caller) and known.user_id == user.id:
        return known
    data = context.bot_data
    is_admin = user.id in data.settings.admin_ids
    member, desk = await data.roster.get_with_desk(user.id)
    if member is None and is_admin:
        await members_store.ensure_admin(data.db, user.id, user.full_name, user.username)
        member, desk = await data.roster.get_with_desk(user.id)
    if member is not None and not member.active and update.effective_chat is not None \
            and update.effective_chat.id == user.id:
        # They were deactivated because sending to them failed (bot blocked); writing to the
        # bot in private again means they unblocked it: alerts and digests resume.
        await members_store.reactivate(data.db, user.id)
        member = member.model_copy(update={"active": True})
    lang = (member.language if member and member.language else None) or menu_language(
        user.language_code, data.settings.language)
    caller = Caller(user.id, user.full_name, lang, member, desk, is_admin)
    vars(context)[_CALLER] = caller
    return caller
