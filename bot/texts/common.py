"""Texts every handler shares: role names, refusals, stale buttons, the fallback and error
replies (a passing storage fault among them), units of measure and the clock (Bahasa Indonesia and
English)."""

from __future__ import annotations

ID: dict[str, str] = {
    "role.officer": "Petugas",
    "role.supervisor": "Pengawas",
    "role.admin": "Admin",
    "role.partner": "Mitra",
    "unknown_user": (
        "Maaf, Anda belum terdaftar. Mintalah tautan undangan kepada sekretariat posko "
        "atau pengawas Anda, lalu buka tautan itu. ID Telegram Anda: <code>{id}</code>"
    ),
    "private_only": "Perintah ini hanya dapat dipakai dalam percakapan pribadi dengan bot.",
    "officers_only": "Perintah ini untuk petugas posko.",
    "supervisors_only": "Perintah ini untuk pengawas dan admin.",
    "desk_unknown": "Posko dengan kode {code} tidak ditemukan.",
    "out_of_scope": "Posko {code} tidak berada dalam wilayah Anda.",
    "button.stale": "Tombol ini sudah tidak berlaku.",
    "button.not_yours": "Tombol ini bukan untuk Anda.",
    "button.for_supervisors": "Tombol ini untuk pengawas dan admin.",
    "fallback": (
        "Maaf, saya tidak mengerti pesan itu. Ketik /bantuan untuk melihat daftar perintah."
    ),
    "fallback.did_you_mean": (
        "Maksud Anda /{command}? Ketik /bantuan untuk melihat daftar perintah."
    ),
    "fallback.checkin": (
        "Untuk mencatat kehadiran di posko, ketik /checkin lalu kirim lokasi Anda dengan "
        "tombol 📍."
    ),
    "fallback.media": (
        "Untuk melaporkan kejadian dengan foto atau video, ketik /lapor, lalu kirim fotonya "
        "saat diminta."
    ),
    "error": "Maaf, terjadi kesalahan. Silakan coba beberapa saat lagi.",
    "store_unavailable": (
        "Maaf, penyimpanan data bot untuk sementara terganggu sehingga permintaan Anda belum "
        "tersimpan. Silakan coba satu menit lagi."
    ),
    "unit.m": "{n} m",
    "unit.km": "{n} km",
    "unit.sec": "{n} detik",
    "unit.hm": "{h} jam {m} menit",
    "unit.min": "{m} menit",
    "unit.under_min": "kurang dari 1 menit",
    "unit.clock": "{h}.{m}",
}

EN: dict[str, str] = {
    "role.officer": "Officer",
    "role.supervisor": "Supervisor",
    "role.admin": "Admin",
    "role.partner": "Partner liaison",
    "unknown_user": (
        "Sorry, you are not registered. Ask the posko secretariat or your supervisor for an "
        "invite link, then open it. Your Telegram ID: <code>{id}</code>"
    ),
    "private_only": "This command only works in a private chat with the bot.",
    "officers_only": "This command is for desk officers.",
    "supervisors_only": "This command is for supervisors and admins.",
    "desk_unknown": "No desk has the code {code}.",
    "out_of_scope": "Desk {code} is not within your area.",
    "button.stale": "This button is no longer valid.",
    "button.not_yours": "This button is not for you.",
    "button.for_supervisors": "This button is for supervisors and admins.",
    "fallback": "Sorry, I did not understand that. Type /help for the list of commands.",
    "fallback.did_you_mean": "Did you mean /{command}? Type /help for the list of commands.",
    "fallback.checkin": (
        "To record that you are at the desk, type /checkin and send your location with the "
        "📍 button."
    ),
    "fallback.media": (
        "To report an incident with a photo or video, type /lapor (/report); send the photo "
        "when it asks for one."
    ),
    "error": "Sorry, something went wrong. Please try again in a moment.",
    "store_unavailable": (
        "Sorry, the bot cannot save data for a moment, so your request was not saved. "
        "Please try again in a minute."
    ),
    "unit.m": "{n} m",
    "unit.km": "{n} km",
    "unit.sec": "{n} seconds",
    "unit.hm": "{h} h {m} min",
    "unit.min": "{m} min",
    "unit.under_min": "under a minute",
    "unit.clock": "{h}:{m}",
}
