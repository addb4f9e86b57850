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
    "loc.imprecise": (
        "❌ Check-in refused: the location is not precise enough (±{accuracy}; the desk's "
        "limit is {radius}). Turn on GPS or high accuracy, wait a moment, and send it again."
    ),
    "loc.no_desk_location": (
        "Desk <b>{desk}</b> has no coordinates yet, so locations cannot be verified. "
        "Contact the secretariat."
    ),
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
    "cmd.rekap": "Board of the desks in your area",
    "help.rekap": "/board — live board of your area's desks: short, staffed, off duty",
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
    "cat.netralitas": "Neutrality",
    "cat.netralitas.hint": "civil servants, TNI/Polri or village heads taking sides",
    "cat.politik_uang": "Money politics",
    "cat.politik_uang.hint": "money or goods to sway voters",
    "cat.sara_hoaks": "SARA & hoaxes",
    "cat.sara_hoaks.hint": "hate speech, ethnic/religious incitement, false news",
    "cat.kampanye_apk": "Campaign & props",
    "cat.kampanye_apk.hint": "campaigning off schedule, props in breach",
    "cat.kamtib": "Security & order",
    "cat.kamtib.hint": "violence, intimidation, unrest",
    "cat.hak_pilih": "Right to vote",
    "cat.hak_pilih.hint": "voter list problems, voters blocked, access",
    "cat.logistik": "Logistics",
    "cat.logistik.hint": "ballots/boxes short, damaged, late",
    "cat.lokasi_tps": "Polling station site",
    "cat.lokasi_tps.hint": "flooded, unreachable, conflict-prone, border area",
    "cat.listrik_internet": "Power & internet",
    "cat.listrik_internet.hint": "power cut, no signal or internet",
    "cat.pungut_hitung": "Voting & counting",
    "cat.pungut_hitung.hint": "irregularities in voting/counting, re-vote risk",
    "cat.penyelenggara": "Election officials",
    "cat.penyelenggara.hint": "misconduct of KPPS/PPS/PPK",
    "cat.kondusif": "All clear",
    "cat.kondusif.hint": "zero report: the situation is calm",
    "cat.lainnya": "Other",
    "cat.lainnya.hint": "anything else",
    "sev.info": "ℹ️ Info",
    "sev.sedang": "🟡 Moderate",
    "sev.tinggi": "🟠 High",
    "sev.kritis": "🔴 Critical",
    "lapor.category": "📝 <b>Incident report</b> at {desk}. Choose a category:\n\n{hints}",
    "lapor.hint_line": "• <b>{label}</b> — {hint}",
    "lapor.severity": (
        "Category: <b>{category}</b>. How serious? (Critical goes straight up to the city "
        "level.)"
    ),
    "lapor.description": "Describe what happened: who, where, when ({min}–{max} characters).",
    "lapor.description_short": "Too short: write at least {min} characters.",
    "lapor.description_long": (
        "Too long ({n} characters), at most {max}. Shorten it and send again."
    ),
    "lapor.text_only": "For this step send text (not a sticker, photo or file).",
    "lapor.location": "Send the incident's location with the 📍 button below, or tap Skip.",
    "lapor.location_button": "📍 Send incident location",
    "lapor.location_only": "Send a location with the 📍 button, or tap Skip.",
    "lapor.media": (
        "Send photos, videos or documents as evidence (at most {max}), then tap Done. None? "
        "Tap Skip."
    ),
    "lapor.media_got": "Attachment received ({n}/{max}). Send more, or tap Done.",
    "lapor.media_full": "{max} attachments already. Tap Done.",
    "lapor.media_only": "Send a photo, video or document, or tap Done / Skip.",
    "lapor.tps": "Polling station number (e.g. 012)? Type it, or tap Skip.",
    "lapor.tps_invalid": "A polling station number is 1–3 digits, e.g. 012. Or tap Skip.",
    "lapor.summary": (
        "<b>Report summary</b>\nCategory: {category}\nSeverity: {severity}\n"
        "Description: {description}\nLocation: {location}\nAttachments: {media}\n"
        "Polling station: {tps}\n\nSend now?"
    ),
    "lapor.none": "—",
    "lapor.location_set": "given",
    "lapor.send": "✅ Send",
    "lapor.edit": "✏️ Change",
    "lapor.cancel": "✖️ Cancel",
    "lapor.skip": "Skip",
    "lapor.done": "Done",
    "lapor.receipt": (
        "✅ Report <b>{ref}</b> received and forwarded to {n} recipient(s). You are told "
        "whenever its status changes."
    ),
    "lapor.cancelled": "Report cancelled. Nothing was saved.",
    "lapor.no_desk": "You are not attached to a desk, so you cannot report yet.",
    "lapor.all_clear": "The situation is safe and calm.",
    "lapor.stale": "This report draft is no longer valid. Start again with /report.",
    "incident.title": "{icon} <b>Report {ref}</b> · {severity}",
    "incident.body": (
        "Desk: <b>{desk}</b> ({code})\nCategory: {category}\nReporter: {reporter}\nTime: "
        "{time}"
    ),
    "incident.tps": "Polling station: {tps}",
    "incident.location": "Location: {link}",
    "incident.status.baru": "🆕 Not yet handled",
    "incident.status.ditangani": "🛠 Handled by {who}",
    "incident.status.selesai": "✅ Done ({who}): {note}",
    "incident.take": "🛠 Handle",
    "incident.finish": "✅ Done",
    "incident.media_caption": "Attachments of report {ref}",
    "incident.reporter.ditangani": "🛠 Report <b>{ref}</b> is being handled by {who}.",
    "incident.reporter.selesai": "✅ Report <b>{ref}</b> was closed by {who}.\nNote: {note}",
    "incident.taken": "You are handling {ref}.",
    "incident.already": "{ref} is already handled by {who}.",
    "incident.closed": "{ref} is already closed.",
    "incident.note_ask": (
        "Write the closing note for <b>{ref}</b>: what was done? (/cancel to stop)"
    ),
    "incident.note_in_private": "Write the closing note in your private chat with the bot.",
    "incident.note_bounds": "The closing note must be {min}–{max} characters of text.",
    "incident.note_done": "✅ {ref} closed. The reporter is told.",
    "incidents.none": "No open reports in your area. 👍",
    "incidents.header": "<b>Open reports: {n}</b> (page {page}/{pages})",
    "incidents.line": "{icon} <b>{ref}</b> · {category} · {desk} · {time}\n   {status}",
    "incidents.unknown": "Report {ref} was not found in your area.",
    "incidents.history": "<b>History</b>",
    "incidents.history_line": "• {time} — {status} ({who}){note}",
    "help.report": "/report — report an incident (also \"all clear\")",
    "help.incidents": "/incidents [LP-…] — open reports in your area",
    "cmd.lapor": "Report an incident",
    "cmd.laporan": "Open reports in your area",
    "cmd.ekspor": "XLSX export of your area",
    "help.export": "/export [from] [to] — XLSX of shifts, alerts and reports (up to 31 days)",
    "incident.open_private_chat": (
        "Open a private chat with the bot first (press /start there), then tap Done again."
    ),
}
