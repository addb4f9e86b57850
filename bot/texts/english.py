"""English message catalog (selectable per user with /language)."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "role.officer": "Officer",
    "role.supervisor": "Supervisor",
    "role.admin": "Admin",
    "unknown_user": (
        "Sorry, you are not registered. Ask the posko secretariat or your supervisor for an "
        "invite link, then open it."
    ),
    "welcome_back": (
        "Hello {name}! You are registered as <b>{role}</b> at <b>{desk}</b>.\n"
        "Type /help for the list of commands."
    ),
    "welcome_admin": "Hello {name}! You are an admin of every desk. Type /help for commands.",
    "invite.unknown": "This invite link is not known. Check the link or ask for a new one.",
    "invite.expired": "This invite link has expired. Ask for a new invite.",
    "invite.used_up": "This invite link has been used up. Ask for a new invite.",
    "invite.revoked": "This invite link was revoked. Ask for a new invite.",
    "invite.confirm": (
        "You are invited as <b>{role}</b> at <b>{desk}</b> ({code}).\n"
        "Name to be recorded: <b>{name}</b>\n\nRegister now?"
    ),
    "invite.confirm_yes": "✅ Register",
    "invite.confirm_no": "✖️ Cancel",
    "invite.registered": (
        "✅ Registered as <b>{role}</b> at <b>{desk}</b>.\nType /help for the list of commands."
    ),
    "invite.already": "You are already registered as <b>{role}</b> at <b>{desk}</b>.",
    "invite.on_shift": "You are still on duty. /checkout first before moving to another desk.",
    "invite.declined": "Registration cancelled. Nothing was saved.",
    "invite.usage": (
        "Usage: /invite [desk code]. Without a code, the invite is for your own desk. "
        "The code must be within your area."
    ),
    "invite.choose_role": "Invite for <b>{desk}</b> ({code}). Choose a role:",
    "invite.created": (
        "Invite link for a <b>{role}</b> at <b>{desk}</b>\n"
        "Valid until {expires}, for {uses} person(s):\n{link}"
    ),
    "private_only": "This command only works in a private chat with the bot.",
    "officers_only": "This command is for desk officers.",
    "supervisors_only": "This command is for supervisors and admins.",
    "desk_unknown": "No desk has the code {code}.",
    "out_of_scope": "Desk {code} is not within your area.",
    "checkin.ask": (
        "Check in at <b>{desk}</b>: send your current location with the button below. "
        "You may also share your live location to keep your presence up to date."
    ),
    "checkin.button": "📍 Send my location",
    "checkin.already": (
        "You have been checked in at <b>{desk}</b> since {since}. Type /checkout to end."
    ),
    "checkin.ok": "✅ Checked in at <b>{desk}</b> at {time} ({distance} from the desk).",
    "checkin.ok_live": "Live location active until {until}; your presence keeps updating.",
    "checkin.no_desk": "You are not attached to any desk. Contact the secretariat.",
    "loc.forwarded": "A forwarded location is not accepted. Send your own with the 📍 button.",
    "loc.venue": "A venue is not accepted. Send your current location with the 📍 button.",
    "loc.stale": "This location is too old (over {max}). Send your current location.",
    "loc.invalid": "The coordinates are invalid. Send your current location with the 📍 button.",
    "loc.too_far": (
        "❌ Check-in refused: you are {distance} from <b>{desk}</b> (limit {radius}). "
        "Go to the desk and send your location again."
    ),
    "loc.no_desk_location": (
        "Desk <b>{desk}</b> has no coordinates yet, so locations cannot be verified. "
        "Contact the secretariat."
    ),
    "loc.not_needed": "Locations are only used for officers' check-in.",
    "checkout.none": "You are not on duty.",
    "checkout.confirm_empty": (
        "If you check out now, <b>{desk}</b> will be short of staff ({left}/{min}) during "
        "duty hours. Check out anyway?"
    ),
    "checkout.yes": "Yes, check out",
    "checkout.no": "No, stay on duty",
    "checkout.ok": "👋 Checked out at {time}. Time on duty {duration}.",
    "checkout.kept": "OK, you stay on duty.",
    "status.on_shift": "🟢 You are on duty at <b>{desk}</b> since {since} ({duration}).",
    "status.off_shift": "⚪ You are not on duty.",
    "status.desk": "Desk {desk}: {open}/{min} officers, {duty}.",
    "status.duty_on": "on duty until {until}",
    "status.duty_off": "outside duty hours",
    "status.scope": (
        "<b>{scope}</b>: {total} desks — {on_duty} on duty, {short} short of staff, "
        "{staffed} staffed."
    ),
    "status.all": "All regions",
    "help.common": (
        "/status — your shift and desk\n/language — change language\n/cancel — leave the "
        "current step\n/help — this message"
    ),
    "help.officer": "/checkin — start duty (send location)\n/checkout — end duty",
    "help.supervisor": "/invite [code] — create an invite link for your area",
    "help.header": "<b>Commands for {role}</b>",
    "language.choose": "Choose a language:",
    "language.set": "Language set to English.",
    "cancel.done": "Cancelled. Nothing was saved.",
    "fallback": "Sorry, I did not understand that. Type /help for the list of commands.",
    "button.stale": "This button is no longer valid.",
    "button.not_yours": "This button is not for you.",
    "error": "Sorry, something went wrong. Please try again in a moment.",
    "unit.m": "{n} m",
    "unit.km": "{n} km",
    "unit.sec": "{n} seconds",
    "unit.hm": "{h} h {m} min",
    "unit.min": "{m} min",
    "cmd.checkin": "Start duty at your desk",
    "cmd.checkout": "End duty",
    "cmd.status": "Your shift and desk",
    "cmd.undang": "Invite officers or supervisors",
    "cmd.bahasa": "Change language",
    "cmd.batal": "Leave the current step",
    "cmd.bantuan": "List of commands",
    "alert.title_one": "🚨 <b>Desk empty</b>",
    "alert.title_many": "🚨 <b>{n} desks empty</b>",
    "alert.line": "• <b>{desk}</b> ({code}) empty since {since} ({duration})",
    "alert.last": "   Last on duty: {who}",
    "alert.nobody_yet": "   Nobody has checked in today.",
    "alert.escalated": "   ⬆️ Escalated: nobody has taken it yet.",
    "alert.acked": "   ✔️ Taken by {who} at {time}",
    "alert.resolved.staffed": "   ✅ Staffed again.",
    "alert.resolved.off_duty": "   ✅ Duty hours are over.",
    "alert.more": "…and {n} more desks: /alerts",
    "alert.ack_button": "🙋 I'll handle it",
    "alert.ack_button_desk": "🙋 {desk}",
    "alert.view_button": "👁 View desk",
    "resolved.title": "✅ <b>Alert over</b>",
    "resolved.line": "• <b>{desk}</b>: empty for {duration}, {reason}.",
    "resolved.staffed": "now staffed again",
    "resolved.off_duty": "duty hours over",
    "ack.done": "You are handling {desk}. Everyone who was alerted is told.",
    "ack.already": "Already taken by {who}.",
    "ack.resolved": "This alert is already over.",
    "alerts.none": "No open alerts in your area. 👍",
    "alerts.header": "<b>Open alerts: {n}</b>",
    "desk.title": "🏢 <b>{desk}</b> ({code})",
    "desk.duty_on": "On duty until {until}; officers {open}/{min}.",
    "desk.duty_off": "Outside duty hours; officers {open}.",
    "desk.officer": "• {who} since {since}",
    "desk.alert": "🚨 Empty since {since}.",
    "presence.ask": (
        "❓ Still on duty at <b>{desk}</b>? Tap the button below within {timeout}; "
        "without an answer your shift is closed."
    ),
    "presence.button": "✅ Still on duty",
    "presence.thanks": "Thank you, your presence is recorded.",
    "presence.stale": "This question is no longer valid.",
    "shift_closed.presence_timeout": (
        "⏹ Your shift at <b>{desk}</b> was closed at {time} for lack of an answer. "
        "Type /checkin if you are still on duty."
    ),
    "shift_closed.duty_end": "⏹ Duty hours at <b>{desk}</b> are over; your shift closed at {time}.",
    "subscribe.done": (
        "🔔 This group now receives empty-desk alerts for <b>{scope}</b> "
        "(later also incident reports and the daily digest). Stop with /subscribe off."
    ),
    "subscribe.off": "🔕 This group's subscription has ended.",
    "subscribe.none": "This group has no subscription.",
    "subscribe.groups_only": (
        "Use this in a group: add the bot to the group, then type /subscribe "
        "there."
    ),
    "help.alerts": (
        "/alerts — empty-desk alerts in your area\n/subscribe — a group receives your "
        "area's alerts"
    ),
    "cmd.peringatan": "Empty-desk alerts",
    "cmd.langganan": "This group receives alerts",
    "subscribe.usage": "Usage: /subscribe [desk code] or /subscribe off.",
}
