"""Texts of ``/lapor``, the guided incident report, with its categories and severities
(Bahasa Indonesia and English)."""

from __future__ import annotations

ID: dict[str, str] = {
    "cat.netralitas": "Netralitas",
    "cat.netralitas.hint": "ASN, TNI/Polri, atau kepala desa berpihak",
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
    "lapor.category": "📝 <b>Laporan kejadian</b> di {desk}. Pilih kategori:",
    "lapor.category_hints": "📝 <b>Laporan kejadian</b> di {desk}. Pilih kategori:\n\n{hints}",
    "lapor.hints_show": "❓ Arti kategori",
    "lapor.hints_hide": "🔼 Tutup penjelasan",
    "lapor.hint_line": "• <b>{label}</b> — {hint}",
    "lapor.severity": (
        "Kategori: <b>{category}</b>. Seberapa gawat? (Kritis langsung diteruskan sampai "
        "tingkat kabupaten/kota.)"
    ),
    "lapor.description": (
        "Tuliskan apa yang terjadi: siapa, di mana, dan kapan ({min}–{max} karakter)."
    ),
    "lapor.description_short": "Uraian terlalu pendek: tulis paling sedikit {min} karakter.",
    "lapor.description_long": (
        "Uraian terlalu panjang ({n} karakter); paling banyak {max}. Ringkas, lalu kirim "
        "lagi."
    ),
    "lapor.text_only": "Untuk langkah ini, kirim teks (bukan stiker, foto, atau berkas).",
    "lapor.location": "Kirim lokasi kejadian dengan tombol 📍 di bawah, atau tekan Lewati.",
    "lapor.location_button": "📍 Kirim lokasi kejadian",
    "lapor.location_only": "Kirim lokasi dengan tombol 📍, atau tekan Lewati.",
    "lapor.location_saved": "📍 Lokasi kejadian tercatat.",
    "lapor.location_skipped": "📍 Laporan tanpa lokasi kejadian.",
    "lapor.media": (
        "Kirim foto, video, atau dokumen sebagai bukti (paling banyak {max}), lalu tekan "
        "Selesai. Tidak ada bukti? Tekan Lewati."
    ),
    "lapor.media_got": "Lampiran diterima ({n}/{max}). Kirim lagi, atau tekan Selesai.",
    "lapor.media_full": "Sudah {max} lampiran. Tekan Selesai.",
    "lapor.media_only": (
        "Kirim foto, video, atau dokumen. Jika sudah, tekan Selesai; jika tidak ada, tekan "
        "Lewati."
    ),
    "lapor.tps": "Nomor TPS (misalnya 012)? Ketik angkanya, atau tekan Lewati.",
    "lapor.tps_invalid": (
        "Nomor TPS terdiri atas 1–3 angka, misalnya 012. Ketik lagi, atau tekan Lewati."
    ),
    "lapor.summary": (
        "<b>Ringkasan laporan</b>\nKategori: {category}\nTingkat: {severity}\n"
        "Uraian: {description}\nLokasi: {location}\nLampiran: {media}\nTPS: {tps}\n\n"
        "Kirim sekarang?"
    ),
    "lapor.none": "—",
    "lapor.location_set": "ada",
    "lapor.send": "✅ Kirim",
    "lapor.edit": "✏️ Ubah",
    "lapor.fix_ask": "Bagian mana yang ingin diubah? Jawaban lainnya tetap tersimpan.",
    "lapor.fix.cat": "Kategori",
    "lapor.fix.sev": "Tingkat",
    "lapor.fix.desc": "Uraian",
    "lapor.fix.loc": "Lokasi",
    "lapor.fix.media": "Lampiran",
    "lapor.fix.tps": "Nomor TPS",
    "lapor.back": "⬅️ Kembali ke ringkasan",
    "lapor.cancel": "✖️ Batal",
    "lapor.skip": "Lewati",
    "lapor.done": "Selesai",
    "lapor.receipt_agencies": "Instansi mitra yang menangani: {agencies}.",
    "lapor.receipt": (
        "✅ Laporan <b>{ref}</b> diterima dan diteruskan kepada {n} penerima. Anda akan "
        "diberi tahu setiap kali statusnya berubah."
    ),
    "lapor.cancelled": "Laporan dibatalkan. Tidak ada yang disimpan.",
    "lapor.no_desk": "Anda belum terhubung ke posko mana pun sehingga belum dapat melapor.",
    "lapor.all_clear": "Situasi aman dan kondusif.",
    "lapor.stale": "Draf laporan ini sudah tidak berlaku. Mulai lagi dengan /lapor.",
}

EN: dict[str, str] = {
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
    "lapor.category": "📝 <b>Incident report</b> at {desk}. Choose a category:",
    "lapor.category_hints": "📝 <b>Incident report</b> at {desk}. Choose a category:\n\n{hints}",
    "lapor.hints_show": "❓ What they mean",
    "lapor.hints_hide": "🔼 Hide the explanations",
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
    "lapor.location_saved": "📍 Incident location saved.",
    "lapor.location_skipped": "📍 Report without a location.",
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
    "lapor.fix_ask": "Which part do you want to change? Your other answers are kept.",
    "lapor.fix.cat": "Category",
    "lapor.fix.sev": "Severity",
    "lapor.fix.desc": "Description",
    "lapor.fix.loc": "Location",
    "lapor.fix.media": "Attachments",
    "lapor.fix.tps": "Polling station",
    "lapor.back": "⬅️ Back to the summary",
    "lapor.cancel": "✖️ Cancel",
    "lapor.skip": "Skip",
    "lapor.done": "Done",
    "lapor.receipt_agencies": "Partner agencies that handle it: {agencies}.",
    "lapor.receipt": (
        "✅ Report <b>{ref}</b> received and forwarded to {n} recipient(s). You are told "
        "whenever its status changes."
    ),
    "lapor.cancelled": "Report cancelled. Nothing was saved.",
    "lapor.no_desk": "You are not attached to a desk, so you cannot report yet.",
    "lapor.all_clear": "The situation is safe and calm.",
    "lapor.stale": "This report draft is no longer valid. Start again with /report.",
}
