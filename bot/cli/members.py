"""The operators' membership commands: ``invites list|revoke`` and ``members
list|move|remove|role``.

They change the store the way a supervisor's buttons do (``storage.invites``,
``storage.membership``), one transaction each; the member concerned is told through the
outbox, so the running bot sends it. On the server there is no rank to respect: an operator
may act on every member but an admin. A member on duty is moved, removed or made a supervisor
only with ``--yes``, which ends their shift.
"""

from __future__ import annotations

import argparse
from datetime import datetime

from bot.cli.common import USAGE_ERROR, CliError, with_db
from bot.config import Settings
from storage.sqlite.engine import Database


def _role(role: str, agency: str | None) -> str:
    """A role as the command line prints it: ``partner/bawaslu`` for a liaison."""
    return f"{role}/{agency}" if agency else role

def _local(moment: datetime, timezone: str) -> str:
    from zoneinfo import ZoneInfo

    return f"{moment.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M %Z}"


async def _scope(db: Database, code: str | None) -> str | None:
    """The path of the desk ``code`` (None: everything)."""
    from storage import desks as desks_store

    if code is None:
        return None
    desk = await desks_store.by_code(db, code)
    if desk is None:
        raise CliError(f"no desk has the code {code}")
    return desk.path


def cmd_invites(args: argparse.Namespace, settings: Settings) -> int:
    """``invites list`` prints the open invites; ``invites revoke`` revokes one."""
    from storage import invites as invites_store
    from storage.invites import RevokeOutcome
    from storage.models import utcnow

    async def listing(db: Database) -> int:
        total, found = await invites_store.open_in_scope(db, await _scope(db, args.scope),
                                                         utcnow())
        for invite in found:
            maker = invite.creator_name or ("server" if invite.created_by is None
                                            else str(invite.created_by))
            print(f"{invite.id}\t{_role(invite.role, invite.agency)}\t"
                  f"{invite.desk_code} {invite.desk_name}\t"
                  f"{invite.uses_left}/{invite.max_uses} left\tuntil "
                  f"{_local(invite.expires_at, invite.timezone)}\tby {maker}")
        print(f"{total} open invite(s)")
        return 0

    async def revoking(db: Database) -> int:
        invite = await invites_store.find(db, args.invite)
        if invite is None:
            raise CliError(f"no invite has the number or token {args.invite[:40]}")
        outcome = await invites_store.revoke(db, invite.id, utcnow())
        if outcome is RevokeOutcome.ALREADY:
            print(f"invite {invite.id} was already revoked")
        else:
            print(f"invite {invite.id} revoked: its link no longer registers anybody")
        return 0

    if args.action == "list":
        return with_db(settings, listing, writes=False)
    return with_db(settings, revoking)


def cmd_members(args: argparse.Namespace, settings: Settings) -> int:
    """``members list|move|remove|role``."""
    from storage import desks as desks_store
    from storage import membership
    from storage.membership import Change
    from storage.models import Role, utcnow

    async def listing(db: Database) -> int:
        total, lines = await membership.list_in_scope(db, await _scope(db, args.scope))
        for line in lines:
            duty = "\ton duty" if line.on_duty else ""
            print(f"{line.telegram_id}\t{_role(line.role, line.agency)}\t"
                  f"{line.desk_code} {line.desk_name}\t"
                  f"{line.full_name}{duty}")
        print(f"{total} member(s)")
        return 0

    async def change(db: Database) -> int:
        if args.telegram_id in settings.admin_ids:
            raise CliError(f"{args.telegram_id} is an admin (POSKO_ADMIN_IDS)")
        line = await membership.get_line(db, args.telegram_id)
        if line is None:
            raise CliError(f"{args.telegram_id} is not a member")
        now, confirmed = utcnow(), args.yes
        if args.action == "move":
            desk = await desks_store.by_code(db, args.desk)
            if desk is None:
                raise CliError(f"no desk has the code {args.desk}")
            outcome = await membership.move(db, line.telegram_id, desk.id, end_shift=confirmed,
                                            now=now)
            done = f"moved {line.full_name} to {desk.code} {desk.name}"
        elif args.action == "remove":
            outcome = await membership.remove(db, line.telegram_id, end_shift=confirmed,
                                              now=now)
            done = f"removed {line.full_name} from {line.desk_code} {line.desk_name}"
        else:
            outcome = await membership.set_role(db, line.telegram_id, Role(args.role),
                                                end_shift=confirmed, now=now)
            done = f"{line.full_name} is now {args.role} at {line.desk_code} {line.desk_name}"
        if outcome is Change.ON_DUTY:
            raise CliError(f"{line.full_name} is on duty at {line.desk_code}; add --yes to "
                           "end their shift")
        if outcome is Change.GONE:
            raise CliError(f"{args.telegram_id} is not a member")
        if outcome is Change.ALREADY:
            print(f"nothing changed: {line.full_name} already is that")
            return 0
        print(f"{done}; they will be told when the bot runs")
        return 0

    if args.action == "list":
        return with_db(settings, listing, writes=False)
    if args.action == "role" and args.role not in ("officer", "supervisor"):
        raise CliError("the role is officer or supervisor", USAGE_ERROR)
    return with_db(settings, change)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``invites`` and ``members`` commands of ``posko-bot``."""
    inv = sub.add_parser("invites", help="list the open invites, or revoke one")
    inv_sub = inv.add_subparsers(dest="action", required=True, metavar="ACTION")
    inv_list = inv_sub.add_parser("list", help="invites not expired, used up or revoked")
    inv_list.add_argument("--scope", help="desk code whose scope to list (default: all)")
    inv_rev = inv_sub.add_parser("revoke", help="revoke an invite: its link stops working")
    inv_rev.add_argument("invite", help="the invite's number (from list), its token or link")
    mem = sub.add_parser("members", help="list, move, remove members or change their role")
    mem_sub = mem.add_subparsers(dest="action", required=True, metavar="ACTION")
    mem_list = mem_sub.add_parser("list", help="members, by desk")
    mem_list.add_argument("--scope", help="desk code whose scope to list (default: all)")
    for name, text in (("move", "move a member to another desk"),
                       ("remove", "remove a member (their history is kept)"),
                       ("role", "make a member an officer or a supervisor")):
        cmd = mem_sub.add_parser(name, help=text)
        cmd.add_argument("telegram_id", type=int, help="the member's Telegram user id")
        if name == "move":
            cmd.add_argument("desk", help="desk code, e.g. 31.73.01.1001")
        if name == "role":
            cmd.add_argument("role", choices=("officer", "supervisor"))
        cmd.add_argument("--yes", action="store_true",
                         help="also when they are on duty: their shift ends")
