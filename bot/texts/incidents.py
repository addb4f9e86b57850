"""Texts of following reports up: the routed report, *Tangani*, *Selesai*, ``/laporan`` and
the report status words (Bahasa Indonesia and English)."""

from __future__ import annotations

ID: dict[str, str] = {
    "incident.title": "{icon} <b>Laporan {ref}</b> · {severity}",
    "incident.body": (
        "Posko: <b>{desk}</b> ({code})\nKategori: {category}\nPelapor: {reporter}\nWaktu: "
        "{time}"
    ),
    "incident.tps": "TPS: {tps}",
    "incident.location": "Lokasi: {link}",
    "incident.status.baru": "🆕 Belum ditangani",
    "incident.status.ditangani": "🛠 Ditangani oleh {who}",
    "incident.status.selesai": "✅ Selesai ({who}): {note}",
    "incident.take": "🛠 Tangani",
    "incident.finish": "✅ Selesai",
    "incident.media_caption": "Lampiran laporan {ref}",
    "incident.full_text": "Selengkapnya: /laporan {ref}",
    "incident.reporter.ditangani": "🛠 Laporan <b>{ref}</b> sedang ditangani oleh {who}.",
    "incident.reporter.selesai": (
        "✅ Laporan <b>{ref}</b> selesai ditangani oleh {who}.\nCatatan: {note}"
    ),
    "incident.taken": "Anda menangani {ref}.",
    "incident.already": "{ref} sudah ditangani oleh {who}.",
    "incident.closed": "{ref} sudah selesai.",
    "incident.note_ask": (
        "Tulis catatan penutup untuk <b>{ref}</b>: apa yang sudah dilakukan? (ketik /batal "
        "untuk membatalkan)"
    ),
    "incident.note_in_private": "Tulis catatan penutup dalam percakapan pribadi dengan bot.",
    "incident.note_bounds": "Panjang catatan penutup harus {min}–{max} karakter.",
    "incident.note_done": "✅ {ref} ditutup. Pelapor akan diberi tahu.",
    "incident.open_private_chat": (
        "Buka percakapan pribadi dengan bot terlebih dahulu (tekan /start di sana), lalu "
        "tekan Selesai lagi."
    ),
    "incidents.none": "Tidak ada laporan terbuka di wilayah Anda. 👍",
    "incidents.header": "<b>Laporan terbuka: {n}</b> (halaman {page}/{pages})",
    "incidents.line": "{icon} <b>{ref}</b> · {category} · {desk} · {time}\n   {status}",
    "incidents.unknown": "Laporan {ref} tidak ditemukan di wilayah Anda.",
    "incidents.history": "<b>Riwayat</b>",
    "incidents.history_line": "• {time} — {status} ({who}){note}",
    "status.baru": "baru",
    "status.ditangani": "ditangani",
    "status.selesai": "selesai",
    "status.diteruskan": "diteruskan",
    "status.dipindahkan": "TPS dipindahkan",
    "incident.agencies": "Mitra: {agencies}",
    "incident.hand_off": "↪️ Teruskan",
    "incident.not_for_agency": "Laporan ini bukan untuk {agency}.",
    "incident.reporter.diteruskan": (
        "↪️ Laporan <b>{ref}</b> diteruskan kepada {agency} untuk ditindaklanjuti."
    ),
    "handoff.choose": (
        "Teruskan laporan <b>{ref}</b> kepada instansi mitra mana?\nSudah menerima: {already}"
    ),
    "handoff.in_private": "Pilih instansinya dalam percakapan pribadi dengan bot.",
    "handoff.none_left": "{ref} sudah diteruskan kepada semua instansi mitra.",
    "handoff.already": "{ref} sudah diteruskan kepada {agency}.",
    "handoff.done": (
        "↪️ {ref} diteruskan kepada {agency} ({n} mitra). Pelapor diberi tahu."
    ),
    "handoff.done_nobody": (
        "↪️ {ref} diteruskan kepada {agency}. Belum ada mitra {agency} yang terdaftar di "
        "wilayah ini: mereka akan melihatnya di /laporan setelah terdaftar. Pelapor diberi tahu."
    ),
}

EN: dict[str, str] = {
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
    "incident.full_text": "Full report: /laporan {ref}",
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
    "incident.open_private_chat": (
        "Open a private chat with the bot first (press /start there), then tap Done again."
    ),
    "incidents.none": "No open reports in your area. 👍",
    "incidents.header": "<b>Open reports: {n}</b> (page {page}/{pages})",
    "incidents.line": "{icon} <b>{ref}</b> · {category} · {desk} · {time}\n   {status}",
    "incidents.unknown": "Report {ref} was not found in your area.",
    "incidents.history": "<b>History</b>",
    "incidents.history_line": "• {time} — {status} ({who}){note}",
    "status.baru": "new",
    "status.ditangani": "being handled",
    "status.selesai": "closed",
    "status.diteruskan": "handed on",
    "status.dipindahkan": "polling station moved",
    "incident.agencies": "Partners: {agencies}",
    "incident.hand_off": "↪️ Hand on",
    "incident.not_for_agency": "This report is not for {agency}.",
    "incident.reporter.diteruskan": "↪️ Report <b>{ref}</b> was handed to {agency} to act on.",
    "handoff.choose": (
        "Hand report <b>{ref}</b> to which partner agency?\nAlready has it: {already}"
    ),
    "handoff.in_private": "Choose the agency in your private chat with the bot.",
    "handoff.none_left": "{ref} was handed to every partner agency already.",
    "handoff.already": "{ref} was handed to {agency} already.",
    "handoff.done": "↪️ {ref} handed to {agency} ({n} liaison(s)). The reporter is told.",
    "handoff.done_nobody": (
        "↪️ {ref} handed to {agency}. No {agency} liaison is registered in this area yet: "
        "they will see it in /laporan once registered. The reporter is told."
    ),
}
