"""Texts around the neutrality pledge; the pledge itself is the operator's own text."""

from __future__ import annotations

ID: dict[str, str] = {
    "pledge.show": (
        "📜 <b>Pakta integritas netralitas ASN</b>\n\n{text}\n\n"
        "Setelah membaca, tekan <b>Saya setuju</b>."
    ),
    "pledge.agree": "✅ Saya setuju",
    "pledge.thanks": (
        "✅ Terima kasih. Persetujuan Anda atas pakta integritas tercatat pada {time}."
    ),
    "pledge.before_checkin": (
        "Sebelum check-in, Anda perlu menyetujui pakta integritas netralitas ASN. Bacalah "
        "pakta di bawah, tekan <b>Saya setuju</b>, lalu kirim lokasi Anda lagi."
    ),
    "pledge.changed": (
        "Teks pakta integritas sudah diperbarui. Bacalah teks yang baru di bawah, lalu tekan "
        "<b>Saya setuju</b>."
    ),
    "pledge.none": "Instalasi ini tidak memakai pakta integritas.",
}

EN: dict[str, str] = {
    "pledge.show": (
        "📜 <b>Civil servants' neutrality pledge</b>\n\n{text}\n\n"
        "Once you have read it, tap <b>I agree</b>."
    ),
    "pledge.agree": "✅ I agree",
    "pledge.thanks": "✅ Thank you. Your agreement to the pledge was recorded at {time}.",
    "pledge.before_checkin": (
        "Before checking in, you need to agree to the neutrality pledge. Read it below, tap "
        "<b>I agree</b>, then send your location again."
    ),
    "pledge.changed": (
        "The pledge text has been updated. Read the new text below, then tap <b>I agree</b>."
    ),
    "pledge.none": "This installation uses no pledge.",
}
