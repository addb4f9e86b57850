"""The one ordered registry of handlers: every command and button, who may use it, and where
its callback lives.

Order matters: PTB runs the first matching handler of a group. A guard against floods runs
before all of them (repeated texts; unknown users answered at most once a minute). Commands
come first and react to new messages only (PTB would also fire them on *edited* messages);
then locations; then buttons by their kind (``bot.callbacks``), with a catch-all for stale
buttons; then a fallback for anything else said in a private chat. Groups get silence unless
a command is addressed.

``Who`` is what each callback checks before it acts (``bot.handlers.access`` is the one place
that knows a caller's role and scope); the tables below are the place to read it, and
``tests/handlers/test_authorization_matrix.py`` holds every row to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import callbacks as cb
from bot.handlers import (
    alerts,
    board,
    checkin,
    common,
    dashboard,
    digests,
    errors,
    exports,
    general,
    handoff,
    incidents,
    invites,
    members,
    onboarding,
    pledge,
    presence,
    relocation,
    report,
    status,
    subscriptions,
    suggest,
    throttle,
)
from bot.handlers.common import Callback

NEW = filters.UpdateType.MESSAGE
PRIVATE = filters.ChatType.PRIVATE


class Who(StrEnum):
    """Who may use a command or press a button; everyone else gets one line saying why."""

    ANYONE = "anyone, in a private chat"
    MEMBER = "any member, in a private chat"
    OFFICER = "officers, in a private chat"
    REPORTER = "officers, supervisors and partner liaisons with a desk, in a private chat"
    SUPERVISOR = "supervisors and admins, in a private chat"
    FOLLOWER = "supervisors, admins and partner liaisons, in a private chat"
    GROUP = "supervisors and admins, in a group"
    INVITED = "whoever holds the invite"
    OWNER = "the member it was sent to"
    IN_SCOPE = "supervisors and admins whose scope holds the desk"
    CONCERNED = ("supervisors and admins whose scope holds the desk, and liaisons in scope of "
                 "an agency the report concerns")
    ABOVE = "supervisors above the member or the invite's maker, and admins"
    RECORDER = ("the reporter, supervisors whose scope holds the desk, and liaisons of an "
                "agency the report concerns")


@dataclass(frozen=True, slots=True)
class Command:
    """A command: its Indonesian name first, then its English alias."""

    names: tuple[str, ...]
    callback: Callback
    who: Who


@dataclass(frozen=True, slots=True)
class Button:
    """A button kind, the callback its presses go to, and who may press it.

    ``own_chat``: the button is only ever sent to one member in their private chat with the
    bot, so a press anywhere else is forged and is answered as stale before the callback runs
    (``common.own_chat_only``). Buttons without it are also sent to subscribed groups.
    """

    kind: type[cb.CallbackData]
    callback: Callback
    who: Who
    own_chat: bool


COMMANDS = [
    Command(("start",), onboarding.start, Who.ANYONE),
    Command(("checkin",), checkin.checkin, Who.OFFICER),
    Command(("checkout",), checkin.checkout, Who.OFFICER),
    Command(("status",), status.status, Who.MEMBER),
    Command(("rekap", "board"), board.rekap, Who.SUPERVISOR),
    Command(("lapor", "report"), report.lapor, Who.REPORTER),
    Command(("laporan", "incidents"), incidents.open_reports, Who.FOLLOWER),
    Command(("ekspor", "export"), exports.export, Who.SUPERVISOR),
    Command(("rekapharian", "digest"), digests.digest, Who.SUPERVISOR),
    Command(("peringatan", "alerts"), alerts.open_alerts, Who.SUPERVISOR),
    Command(("dasbor", "dashboard"), dashboard.dashboard, Who.SUPERVISOR),
    Command(("undang", "invite"), invites.invite, Who.SUPERVISOR),
    Command(("undangan", "invites"), invites.open_invites, Who.SUPERVISOR),
    Command(("anggota", "members"), members.members, Who.SUPERVISOR),
    Command(("langganan", "subscribe"), subscriptions.subscribe, Who.GROUP),
    Command(("bahasa", "language"), general.language, Who.MEMBER),
    Command(("batal", "cancel"), general.cancel, Who.MEMBER),
    Command(("bantuan", "help"), general.help_command, Who.MEMBER),
]

OWN_CHAT = True  # only in the presser's own private chat with the bot
ANY_CHAT = False  # also under messages in subscribed groups

BUTTONS = [
    Button(cb.Registration, onboarding.confirm, Who.INVITED, OWN_CHAT),
    Button(cb.PledgeAgree, pledge.agree, Who.MEMBER, OWN_CHAT),
    Button(cb.Checkout, checkin.checkout_confirmed, Who.OWNER, OWN_CHAT),
    Button(cb.Language, general.language_chosen, Who.MEMBER, OWN_CHAT),
    Button(cb.InviteDesk, invites.invite_desk_chosen, Who.IN_SCOPE, OWN_CHAT),
    Button(cb.InviteRole, invites.invite_role_chosen, Who.IN_SCOPE, OWN_CHAT),
    Button(cb.ReportStep, report.button, Who.OWNER, OWN_CHAT),
    Button(cb.ReportTake, incidents.take, Who.CONCERNED, ANY_CHAT),
    Button(cb.ReportFinish, incidents.finish, Who.CONCERNED, ANY_CHAT),
    Button(cb.ReportHandOff, handoff.offer, Who.IN_SCOPE, ANY_CHAT),
    Button(cb.ReportHandTo, handoff.hand_to, Who.IN_SCOPE, OWN_CHAT),
    Button(cb.ReportsPage, incidents.turn_page, Who.FOLLOWER, OWN_CHAT),
    Button(cb.TpsMove, relocation.pressed_move, Who.RECORDER, OWN_CHAT),
    Button(cb.AlertAck, alerts.acknowledge, Who.IN_SCOPE, ANY_CHAT),
    Button(cb.DeskView, alerts.desk_view, Who.IN_SCOPE, ANY_CHAT),
    Button(cb.AlertsPage, alerts.turn_page, Who.SUPERVISOR, OWN_CHAT),
    Button(cb.StillHere, presence.still_here, Who.OWNER, OWN_CHAT),
    Button(cb.BoardPage, board.turn, Who.IN_SCOPE, OWN_CHAT),
    Button(cb.InvitesPage, invites.invites_page, Who.SUPERVISOR, OWN_CHAT),
    Button(cb.InviteRevoke, invites.revoke, Who.ABOVE, OWN_CHAT),
    Button(cb.MembersPage, members.turn_page, Who.SUPERVISOR, OWN_CHAT),
    Button(cb.MemberAction, members.act, Who.ABOVE, OWN_CHAT),
]


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add every handler to ``app`` in the documented order."""
    # -4. First of all: a repeated text, or an unknown user's message within the minute of
    #     the last answer, stops here (``bot.handlers.throttle``).
    app.add_handler(TypeHandler(Update, throttle.guard), group=-4)
    # 0. Before everything: a private message that is a closing note (group -3), the new
    #    place of a moved TPS (group -2) or answers a /lapor step (group -1) is consumed
    #    there; anything else passes on to the handlers below.
    app.add_handler(MessageHandler(NEW & PRIVATE & ~filters.COMMAND, incidents.closing_note),
                    group=-3)
    app.add_handler(MessageHandler(NEW & PRIVATE & ~filters.COMMAND, relocation.place_input),
                    group=-2)
    app.add_handler(MessageHandler(NEW & PRIVATE & ~filters.COMMAND, report.route_input),
                    group=-1)
    # 1. Commands, new messages only.
    for command in COMMANDS:
        app.add_handler(CommandHandler(command.names, command.callback, filters=NEW))
    # 2. A location in a private chat: check-in (a venue also carries a location; the
    #    geofence rules refuse it). Live-location updates arrive as edited messages.
    app.add_handler(MessageHandler(NEW & PRIVATE & filters.LOCATION, checkin.location))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & PRIVATE & filters.LOCATION,
                                   checkin.live_update))
    # 3. Buttons, by kind; anything else is a stale or foreign button.
    for button in BUTTONS:
        callback = common.own_chat_only(button.callback) if button.own_chat else button.callback
        app.add_handler(CallbackQueryHandler(callback, pattern=button.kind.pattern()))
    app.add_handler(CallbackQueryHandler(common.stale_button))
    # 4. Anything else new in a private chat (text, stickers, photos, unknown commands).
    app.add_handler(MessageHandler(NEW & PRIVATE, suggest.fallback))
    # Errors: logged without the token; the user gets an apology in private chats.
    app.add_error_handler(errors.on_error)
