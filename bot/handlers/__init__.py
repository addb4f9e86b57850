"""The one ordered registry of handlers.

Order matters: PTB runs the first matching handler of a group. Commands come first and react
to new messages only (PTB would also fire them on *edited* messages); then locations; then
buttons by their callback-data prefix, with a catch-all for stale buttons; then a fallback
for anything else said in a private chat. Groups get silence unless a command is addressed.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.handlers import (
    alerts,
    board,
    checkin,
    common,
    errors,
    exports,
    general,
    incidents,
    invites,
    onboarding,
    presence,
    report,
    status,
    subscriptions,
)
from bot.outbox import presence as outbox_presence
from bot.views import alerts as views_alerts
from bot.views import incidents as views_incidents

NEW = filters.UpdateType.MESSAGE
PRIVATE = filters.ChatType.PRIVATE

# (Indonesian name, English alias) -> callback
COMMANDS = [
    (("start",), onboarding.start),
    (("checkin",), checkin.checkin),
    (("checkout",), checkin.checkout),
    (("status",), status.status),
    (("rekap", "board"), board.board),
    (("lapor", "report"), report.lapor),
    (("laporan", "incidents"), incidents.open_reports),
    (("ekspor", "export"), exports.export),
    (("peringatan", "alerts"), alerts.open_alerts),
    (("undang", "invite"), invites.invite),
    (("langganan", "subscribe"), subscriptions.subscribe),
    (("bahasa", "language"), general.language),
    (("batal", "cancel"), general.cancel),
    (("bantuan", "help"), general.help_command),
]


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add every handler to ``app`` in the documented order."""
    # 0. Before everything: a private message that is a supervisor's closing note (group -2)
    #    or answers a /lapor step (group -1) is consumed there; anything else passes on to
    #    the handlers below.
    app.add_handler(MessageHandler(NEW & PRIVATE & ~filters.COMMAND, incidents.closing_note),
                    group=-2)
    app.add_handler(MessageHandler(NEW & PRIVATE & ~filters.COMMAND, report.route_input),
                    group=-1)
    # 1. Commands, new messages only.
    for names, callback in COMMANDS:
        app.add_handler(CommandHandler(names, callback, filters=NEW))
    # 2. A location in a private chat: check-in (a venue also carries a location; the
    #    geofence rules refuse it). Live-location updates arrive as edited messages.
    app.add_handler(MessageHandler(NEW & PRIVATE & filters.LOCATION, checkin.location))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & PRIVATE & filters.LOCATION,
                                   checkin.live_update))
    # 3. Buttons, by callback-data prefix; anything else is a stale or foreign button.
    app.add_handler(CallbackQueryHandler(onboarding.confirm, pattern=f"^{onboarding.REG_PREFIX}"))
    app.add_handler(CallbackQueryHandler(checkin.checkout_confirmed,
                                         pattern=f"^{checkin.CHECKOUT_PREFIX}"))
    app.add_handler(CallbackQueryHandler(general.language_chosen,
                                         pattern=f"^{general.LANG_PREFIX}"))
    app.add_handler(CallbackQueryHandler(invites.invite_role_chosen,
                                         pattern=f"^{invites.INVITE_PREFIX}"))
    app.add_handler(CallbackQueryHandler(report.button, pattern=f"^{report.PREFIX}"))
    app.add_handler(CallbackQueryHandler(incidents.take,
                                         pattern=f"^{views_incidents.TAKE_PREFIX}"))
    app.add_handler(CallbackQueryHandler(incidents.finish,
                                         pattern=f"^{views_incidents.FINISH_PREFIX}"))
    app.add_handler(CallbackQueryHandler(incidents.turn_page,
                                         pattern=f"^{views_incidents.PAGE_PREFIX}"))
    app.add_handler(CallbackQueryHandler(alerts.acknowledge, pattern=f"^{views_alerts.ACK_PREFIX}"))
    app.add_handler(CallbackQueryHandler(alerts.desk_view, pattern=f"^{views_alerts.DESK_PREFIX}"))
    app.add_handler(CallbackQueryHandler(presence.still_here,
                                         pattern=f"^{outbox_presence.PRESENCE_PREFIX}"))
    app.add_handler(CallbackQueryHandler(board.turn, pattern=f"^{board.PREFIX}"))
    app.add_handler(CallbackQueryHandler(common.stale_button))
    # 4. Anything else new in a private chat (text, stickers, photos, unknown commands).
    app.add_handler(MessageHandler(NEW & PRIVATE, common.fallback))
    # Errors: logged without the token; the user gets an apology in private chats.
    app.add_error_handler(errors.on_error)
