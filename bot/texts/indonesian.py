"""Bahasa Indonesia message catalog (the default language)."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "role.officer": "Petugas",
    "role.supervisor": "Pengawas",
    "role.admin": "Admin",
    "unknown_user": (
        "Maaf, Anda belum terdaftar. Mintalah tautan undangan kepada sekretariat posko "
        "atau pengawas Anda, lalu buka tautan itu."
    ),
    "welcome_back": (
        "Halo {name}! Anda terdaftar sebagai <b>{role}</b> di <b>{desk}</b>.\n"
        "Ketik /bantuan untuk daftar perintah."
    ),
    "welcome_admin": "Halo {name}! Anda admin seluruh posko. Ketik /bantuan untuk daftar perintah.",
    "invite.unknown": "Tautan undangan ini tidak dikenal. Periksa tautannya atau minta yang baru.",
    "invite.expired": "Tautan undangan ini sudah kedaluwarsa. Mintalah undangan baru.",
    "invite.used_up": "Tautan undangan ini sudah habis dipakai. Mintalah undangan baru.",
    "invite.revoked": "Tautan undangan ini sudah dicabut. Mintalah undangan baru.",
    "invite.confirm": (
        "Anda diundang sebagai <b>{role}</b> di <b>{desk}</b> ({code}).\n"
        "Nama yang akan dicatat: <b>{name}</b>\n\nDaftar sekarang?"
    ),
    "invite.confirm_yes": "✅ Daftar",
    "invite.confirm_no": "✖️ Batal",
    "invite.registered": (
        "✅ Terdaftar sebagai <b>{role}</b> di <b>{desk}</b>.\nKetik /bantuan untuk daftar "
        "perintah."
    ),
    "invite.already": "Anda sudah terdaftar sebagai <b>{role}</b> di <b>{desk}</b>.",
    "invite.on_shift": "Anda masih bertugas. Lakukan /checkout dulu sebelum pindah posko.",
    "invite.declined": "Pendaftaran dibatalkan. Tidak ada yang disimpan.",
    "invite.usage": (
        "Pakai: /undang [kode posko]. Tanpa kode, undangan untuk posko Anda sendiri. "
        "Kode harus berada dalam wilayah Anda."
    ),
    "invite.choose_role": "Undangan untuk <b>{desk}</b> ({code}). Pilih peran:",
    "invite.created": (
        "Tautan undangan <b>{role}</b> untuk <b>{desk}</b>\n"
        "Berlaku sampai {expires}, untuk {uses} orang:\n{link}"
    ),
    "private_only": "Perintah ini hanya bisa dipakai di chat pribadi dengan bot.",
    "officers_only": "Perintah ini untuk petugas posko.",
    "supervisors_only": "Perintah ini untuk pengawas dan admin.",
    "desk_unknown": "Posko dengan kode {code} tidak ditemukan.",
    "out_of_scope": "Posko {code} tidak berada dalam wilayah Anda.",
    "checkin.ask": (
        "Check-in di <b>{desk}</b>: kirim lokasi Anda saat ini dengan tombol di bawah. "
        "Anda juga boleh berbagi lokasi langsung (live) agar kehadiran terus tercatat."
    ),
    "checkin.button": "📍 Kirim lokasi saya",
    "checkin.already": (
        "Anda sudah check-in di <b>{desk}</b> sejak {since}. Ketik /checkout untuk mengakhiri."
    ),
    "checkin.ok": "✅ Check-in tercatat di <b>{desk}</b> pukul {time} ({distance} dari posko).",
    "checkin.ok_live": "Lokasi langsung aktif sampai {until}; kehadiran Anda terus diperbarui.",
    "checkin.no_desk": "Anda belum terhubung ke posko mana pun. Hubungi sekretariat.",
    "loc.forwarded": (
        "Lokasi yang diteruskan tidak diterima. Kirim lokasi Anda sendiri dengan tombol 📍."
    ),
    "loc.venue": "Tempat (venue) tidak diterima. Kirim lokasi Anda saat ini dengan tombol 📍.",
    "loc.stale": "Lokasi ini terlalu lama (lebih dari {max}). Kirim lokasi Anda saat ini.",
    "loc.invalid": "Koordinat lokasi tidak sah. Kirim lokasi Anda saat ini dengan tombol 📍.",
    "loc.too_far": (
        "❌ Check-in ditolak: Anda berada {distance} dari <b>{desk}</b> (batas {radius}). "
        "Datanglah ke posko lalu kirim lokasi lagi."
    ),
    "loc.no_desk_location": (
        "Posko <b>{desk}</b> belum punya koordinat, jadi lokasi tidak bisa diperiksa. "
        "Hubungi sekretariat."
    ),
    "loc.not_needed": "Lokasi hanya dipakai untuk check-in petugas.",
    "checkout.none": "Anda tidak sedang bertugas.",
    "checkout.confirm_empty": (
        "Jika Anda check-out sekarang, <b>{desk}</b> kekurangan petugas ({left}/{min}) "
        "padahal masih jam tugas. Tetap check-out?"
    ),
    "checkout.yes": "Ya, check-out",
    "checkout.no": "Tidak, tetap bertugas",
    "checkout.ok": "👋 Check-out tercatat pukul {time}. Lama bertugas {duration}.",
    "checkout.kept": "Baik, Anda tetap bertugas.",
    "status.on_shift": "🟢 Anda bertugas di <b>{desk}</b> sejak {since} ({duration}).",
    "status.off_shift": "⚪ Anda tidak sedang bertugas.",
    "status.desk": "Posko {desk}: {open}/{min} petugas, {duty}.",
    "status.duty_on": "jam tugas sampai {until}",
    "status.duty_off": "di luar jam tugas",
    "status.scope": (
        "<b>{scope}</b>: {total} posko — {on_duty} dalam jam tugas, {short} kurang petugas, "
        "{staffed} ada petugas."
    ),
    "status.all": "Seluruh wilayah",
    "help.common": (
        "/status — tugas dan posko Anda\n/bahasa — ganti bahasa\n/batal — batalkan langkah "
        "yang sedang berjalan\n/bantuan — pesan ini"
    ),
    "help.officer": "/checkin — mulai bertugas (kirim lokasi)\n/checkout — selesai bertugas",
    "help.supervisor": "/undang [kode] — buat tautan undangan untuk wilayah Anda",
    "help.header": "<b>Perintah untuk {role}</b>",
    "language.choose": "Pilih bahasa:",
    "language.set": "Bahasa diganti ke Bahasa Indonesia.",
    "cancel.done": "Dibatalkan. Tidak ada yang disimpan.",
    "fallback": "Maaf, saya tidak mengerti pesan itu. Ketik /bantuan untuk daftar perintah.",
    "button.stale": "Tombol ini sudah tidak berlaku.",
    "button.not_yours": "Tombol ini bukan untuk Anda.",
    "error": "Maaf, terjadi kesalahan. Silakan coba lagi sebentar lagi.",
    "unit.m": "{n} m",
    "unit.km": "{n} km",
    "unit.sec": "{n} detik",
    "unit.hm": "{h} jam {m} menit",
    "unit.min": "{m} menit",
    "cmd.checkin": "Mulai bertugas di posko",
    "cmd.checkout": "Selesai bertugas",
    "cmd.status": "Tugas dan posko Anda",
    "cmd.undang": "Undang petugas atau pengawas",
    "cmd.bahasa": "Ganti bahasa",
    "cmd.batal": "Batalkan langkah yang berjalan",
    "cmd.bantuan": "Daftar perintah",
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
    "presence.ask": (
        "❓ Masih bertugas di posko <b>{desk}</b>? Tekan tombol di bawah dalam {timeout}; "
        "tanpa jawaban, shift Anda ditutup."
    ),
    "presence.button": "✅ Masih bertugas",
    "presence.thanks": "Terima kasih, kehadiran Anda tercatat.",
    "presence.stale": "Pertanyaan ini sudah tidak berlaku.",
    "shift_closed.presence_timeout": (
        "⏹ Shift Anda di <b>{desk}</b> ditutup pukul {time} karena tidak ada jawaban. "
        "Ketik /checkin bila masih bertugas."
    ),
    "shift_closed.duty_end": "⏹ Jam tugas <b>{desk}</b> selesai; shift Anda ditutup pukul {time}.",
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
    "help.alerts": (
        "/peringatan — peringatan posko kosong di wilayah Anda\n/langganan — grup "
        "menerima peringatan wilayah Anda"
    ),
    "cmd.peringatan": "Peringatan posko kosong",
    "cmd.langganan": "Grup ini menerima peringatan",
    "subscribe.usage": "Pakai: /langganan [kode posko] atau /langganan off.",
}
