"""Texts of empty-desk alerts: the alert message, *Saya tangani*, *Lihat posko*, ``/peringatan``
and ``/langganan`` (Bahasa Indonesia and English)."""

from __future__ import annotations

ID: dict[str, str] = {
    "alert.title_one": "🚨 <b>Posko kosong</b>",
    "alert.title_many": "🚨 <b>{n} posko kosong</b>",
    "alert.line": "• <b>{desk}</b> ({code}) kosong sejak {since} ({duration})",
    "alert.last": "   Terakhir bertugas: {who}",
    "alert.nobody_yet": "   Belum ada yang check-in hari ini.",
    "alert.escalated": "   ⬆️ Diteruskan ke atasan: belum ada yang menangani.",
    "alert.acked": "   ✔️ Ditangani oleh {who} pukul {time}",
    "alert.resolved.staffed": "   ✅ Sudah ada petugas lagi.",
    "alert.resolved.off_duty": "   ✅ Jam tugas sudah selesai.",
    "alert.more": "…dan {n} posko lain: /peringatan",
    "alert.ack_button": "🙋 Saya tangani",
    "alert.ack_button_desk": "🙋 {desk}",
    "alert.view_button": "👁 Lihat posko",
    "resolved.title": "✅ <b>Peringatan selesai</b>",
    "resolved.line": "• <b>{desk}</b>: kosong {duration}, {reason}.",
    "resolved.staffed": "sekarang sudah ada petugas",
    "resolved.off_duty": "jam tugas selesai",
    "ack.done": "Anda menangani {desk}. Semua penerima diberi tahu.",
    "ack.already": "Sudah ditangani oleh {who}.",
    "ack.resolved": "Peringatan ini sudah selesai.",
    "alerts.none": "Tidak ada peringatan terbuka di wilayah Anda. 👍",
    "alerts.header": "<b>Peringatan terbuka: {n}</b>",
    "desk.title": "🏢 <b>{desk}</b> ({code})",
    "desk.duty_on": "Jam tugas sampai {until}; petugas {open}/{min}.",
    "desk.duty_off": "Di luar jam tugas; petugas {open}.",
    "desk.officer": "• {who} sejak {since}",
    "desk.alert": "🚨 Kosong sejak {since}.",
    "subscribe.done": (
        "🔔 Grup ini sekarang menerima peringatan posko kosong untuk <b>{scope}</b> "
        "(nanti juga laporan kejadian dan rekap harian). Hentikan dengan /langganan off."
    ),
    "subscribe.off": "🔕 Langganan grup ini dihentikan.",
    "subscribe.none": "Grup ini tidak berlangganan.",
    "subscribe.groups_only": (
        "Perintah ini dipakai di grup: tambahkan bot ke grup, lalu ketik /langganan di "
        "sana."
    ),
    "subscribe.usage": "Pakai: /langganan [kode posko] atau /langganan off.",
}

EN: dict[str, str] = {
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
    "subscribe.usage": "Usage: /subscribe [desk code] or /subscribe off.",
}
