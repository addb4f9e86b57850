"""Texts of recording a moved TPS and of the news of it (Bahasa Indonesia and English)."""

from __future__ import annotations

ID: dict[str, str] = {
    "move.button": "🚚 Catat pemindahan TPS {tps}",
    "move.reason_ask": "TPS <b>{tps}</b> (laporan {ref}) dipindahkan karena apa?",
    "move.reason.genangan": "Genangan / banjir",
    "move.reason.akses": "Akses",
    "move.reason.konflik": "Konflik",
    "move.reason.lainnya": "Lainnya",
    "move.in_private": "Jawab pertanyaannya dalam percakapan pribadi dengan bot.",
    "move.place_ask": (
        "Ke mana TPS <b>{tps}</b> dipindahkan? Kirim lokasinya (📎 → Lokasi) atau ketik "
        "alamatnya ({min}–{max} karakter). /batal untuk membatalkan."
    ),
    "move.place_only": (
        "Kirim lokasi baru TPS {tps} (📎 → Lokasi) atau ketik alamatnya ({min}–{max} "
        "karakter). /batal untuk membatalkan."
    ),
    "move.done": "🚚 Pemindahan TPS {tps} tercatat. Pengawas dan KPU diberi tahu.",
    "move.recorded": "Pemindahan TPS untuk laporan {ref} sudah tercatat.",
    "move.not_movable": "Hanya laporan lokasi TPS dengan nomor TPS yang dapat mencatat pemindahan.",
    "move.not_yours": "Hanya pelapor, pengawas wilayahnya, atau mitra yang menanganinya.",
    "move.news": (
        "🚚 <b>TPS {tps} dipindahkan</b> · {desk} ({code})\nAlasan: {reason}\nDari: {old}\n"
        "Ke: {new}\nSejak: {time}\nLaporan: {ref}"
    ),
    "move.unknown_place": "—",
    "digest.moved": "🚚 <b>TPS dipindahkan: {n}</b>",
    "digest.moved_line": "• TPS {tps} {desk} ({time}): {reason}; dari {old} ke {new}",
}

EN: dict[str, str] = {
    "move.button": "🚚 Record that TPS {tps} moved",
    "move.reason_ask": "Why did polling station <b>{tps}</b> (report {ref}) move?",
    "move.reason.genangan": "Flooding",
    "move.reason.akses": "Access",
    "move.reason.konflik": "Conflict",
    "move.reason.lainnya": "Other",
    "move.in_private": "Answer the question in your private chat with the bot.",
    "move.place_ask": (
        "Where did polling station <b>{tps}</b> move to? Send its location (📎 → Location) or "
        "type its address ({min}–{max} characters). /cancel to stop."
    ),
    "move.place_only": (
        "Send the new location of polling station {tps} (📎 → Location) or type its address "
        "({min}–{max} characters). /cancel to stop."
    ),
    "move.done": "🚚 The move of polling station {tps} is recorded. Supervisors and KPU are told.",
    "move.recorded": "The polling station move of report {ref} is recorded already.",
    "move.not_movable": "Only a polling-station report with a TPS number can record a move.",
    "move.not_yours": "Only the reporter, the area's supervisors or a partner handling it.",
    "move.news": (
        "🚚 <b>Polling station {tps} moved</b> · {desk} ({code})\nReason: {reason}\nFrom: {old}\n"
        "To: {new}\nSince: {time}\nReport: {ref}"
    ),
    "move.unknown_place": "—",
    "digest.moved": "🚚 <b>Polling stations moved: {n}</b>",
    "digest.moved_line": "• TPS {tps} {desk} ({time}): {reason}; from {old} to {new}",
}
