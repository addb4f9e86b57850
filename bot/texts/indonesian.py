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
    "loc.imprecise": (
        "❌ Check-in ditolak: lokasi kurang akurat (±{accuracy}, batas posko {radius}). "
        "Nyalakan GPS atau mode akurasi tinggi, tunggu sebentar, lalu kirim lokasi lagi."
    ),
    "loc.no_desk_location": (
        "Posko <b>{desk}</b> belum punya koordinat, jadi lokasi tidak bisa diperiksa. "
        "Hubungi sekretariat."
    ),
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
    "cmd.rekap": "Rekap posko di wilayah Anda",
    "help.rekap": "/rekap — papan posko wilayah Anda: kurang petugas, ada petugas, di luar jam",
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
    "cat.netralitas": "Netralitas",
    "cat.netralitas.hint": "ASN, TNI/Polri atau kepala desa berpihak",
    "cat.politik_uang": "Politik uang",
    "cat.politik_uang.hint": "uang atau barang untuk memengaruhi pemilih",
    "cat.sara_hoaks": "SARA & hoaks",
    "cat.sara_hoaks.hint": "ujaran kebencian, isu SARA, berita bohong",
    "cat.kampanye_apk": "Kampanye & APK",
    "cat.kampanye_apk.hint": "kampanye di luar jadwal, alat peraga melanggar",
    "cat.kamtib": "Kamtib",
    "cat.kamtib.hint": "kekerasan, intimidasi, kericuhan",
    "cat.hak_pilih": "Hak pilih",
    "cat.hak_pilih.hint": "DPT bermasalah, pemilih terhalang, akses",
    "cat.logistik": "Logistik",
    "cat.logistik.hint": "surat suara/kotak kurang, rusak, terlambat",
    "cat.lokasi_tps": "Lokasi TPS",
    "cat.lokasi_tps.hint": "banjir, sulit dijangkau, rawan konflik, perbatasan",
    "cat.listrik_internet": "Listrik & internet",
    "cat.listrik_internet.hint": "listrik padam, sinyal atau internet putus",
    "cat.pungut_hitung": "Pungut-hitung",
    "cat.pungut_hitung.hint": "penyimpangan saat mencoblos/menghitung, risiko PSU",
    "cat.penyelenggara": "Penyelenggara",
    "cat.penyelenggara.hint": "perilaku KPPS/PPS/PPK bermasalah",
    "cat.kondusif": "Kondusif",
    "cat.kondusif.hint": "laporan nihil: situasi aman terkendali",
    "cat.lainnya": "Lainnya",
    "cat.lainnya.hint": "kejadian lain",
    "sev.info": "ℹ️ Info",
    "sev.sedang": "🟡 Sedang",
    "sev.tinggi": "🟠 Tinggi",
    "sev.kritis": "🔴 Kritis",
    "lapor.category": "📝 <b>Laporan kejadian</b> di {desk}. Pilih kategori:\n\n{hints}",
    "lapor.hint_line": "• <b>{label}</b> — {hint}",
    "lapor.severity": (
        "Kategori: <b>{category}</b>. Seberapa gawat? (Kritis langsung diteruskan sampai "
        "tingkat kota.)"
    ),
    "lapor.description": "Tuliskan apa yang terjadi: siapa, di mana, kapan ({min}–{max} karakter).",
    "lapor.description_short": "Uraian terlalu pendek: tulis minimal {min} karakter.",
    "lapor.description_long": (
        "Uraian terlalu panjang ({n} karakter), maksimal {max}. Ringkas lalu kirim lagi."
    ),
    "lapor.text_only": "Untuk langkah ini kirim teks (bukan stiker, foto, atau berkas).",
    "lapor.location": "Kirim lokasi kejadian dengan tombol 📍 di bawah, atau tekan Lewati.",
    "lapor.location_button": "📍 Kirim lokasi kejadian",
    "lapor.location_only": "Kirim lokasi dengan tombol 📍, atau tekan Lewati.",
    "lapor.media": (
        "Kirim foto, video atau dokumen sebagai bukti (maksimal {max}), lalu tekan Selesai. "
        "Tidak ada? Tekan Lewati."
    ),
    "lapor.media_got": "Lampiran diterima ({n}/{max}). Kirim lagi, atau tekan Selesai.",
    "lapor.media_full": "Sudah {max} lampiran. Tekan Selesai.",
    "lapor.media_only": "Kirim foto, video atau dokumen, atau tekan Selesai / Lewati.",
    "lapor.tps": "Nomor TPS (mis. 012)? Ketik angkanya, atau tekan Lewati.",
    "lapor.tps_invalid": "Nomor TPS berupa 1–3 angka, mis. 012. Atau tekan Lewati.",
    "lapor.summary": (
        "<b>Ringkasan laporan</b>\nKategori: {category}\nTingkat: {severity}\n"
        "Uraian: {description}\nLokasi: {location}\nLampiran: {media}\nTPS: {tps}\n\n"
        "Kirim sekarang?"
    ),
    "lapor.none": "—",
    "lapor.location_set": "ada",
    "lapor.send": "✅ Kirim",
    "lapor.edit": "✏️ Ubah",
    "lapor.cancel": "✖️ Batal",
    "lapor.skip": "Lewati",
    "lapor.done": "Selesai",
    "lapor.receipt": (
        "✅ Laporan <b>{ref}</b> diterima dan diteruskan kepada {n} penerima. Anda diberi tahu "
        "setiap kali statusnya berubah."
    ),
    "lapor.cancelled": "Laporan dibatalkan. Tidak ada yang disimpan.",
    "lapor.no_desk": "Anda belum terhubung ke posko, jadi belum bisa melapor.",
    "lapor.all_clear": "Situasi aman dan kondusif.",
    "lapor.stale": "Draf laporan ini sudah tidak berlaku. Mulai lagi dengan /lapor.",
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
    "incident.reporter.ditangani": "🛠 Laporan <b>{ref}</b> sedang ditangani oleh {who}.",
    "incident.reporter.selesai": (
        "✅ Laporan <b>{ref}</b> selesai ditangani oleh {who}.\nCatatan: {note}"
    ),
    "incident.taken": "Anda menangani {ref}.",
    "incident.already": "{ref} sudah ditangani oleh {who}.",
    "incident.closed": "{ref} sudah selesai.",
    "incident.note_ask": (
        "Tulis catatan penutup untuk <b>{ref}</b>: apa yang sudah dilakukan? (/batal untuk "
        "membatalkan)"
    ),
    "incident.note_in_private": "Tulis catatan penutup di chat pribadi dengan bot.",
    "incident.note_bounds": "Catatan penutup harus {min}–{max} karakter teks.",
    "incident.note_done": "✅ {ref} ditutup. Pelapor diberi tahu.",
    "incidents.none": "Tidak ada laporan terbuka di wilayah Anda. 👍",
    "incidents.header": "<b>Laporan terbuka: {n}</b> (halaman {page}/{pages})",
    "incidents.line": "{icon} <b>{ref}</b> · {category} · {desk} · {time}\n   {status}",
    "incidents.unknown": "Laporan {ref} tidak ditemukan di wilayah Anda.",
    "incidents.history": "<b>Riwayat</b>",
    "incidents.history_line": "• {time} — {status} ({who}){note}",
    "help.report": "/lapor — laporkan kejadian (juga \"kondusif\" bila aman)",
    "help.incidents": "/laporan [LP-…] — laporan terbuka di wilayah Anda",
    "cmd.lapor": "Laporkan kejadian",
    "cmd.laporan": "Laporan terbuka di wilayah Anda",
    "cmd.ekspor": "Ekspor XLSX wilayah Anda",
    "help.export": "/ekspor [dari] [sampai] — XLSX kehadiran, peringatan, laporan (maks. 31 hari)",
    "incident.open_private_chat": (
        "Buka dulu chat pribadi dengan bot (tekan /start di sana), lalu tekan Selesai lagi."
    ),
}
