"""Texts of the commands for everyone, ``/bantuan``, ``/bahasa`` and ``/batal``, and of the
command menu (Bahasa Indonesia and English)."""

from __future__ import annotations

ID: dict[str, str] = {
    "help.common": (
        "/status — tugas dan posko Anda\n/bahasa — ganti bahasa\n/batal — batalkan langkah "
        "yang sedang berjalan\n/bantuan — pesan ini"
    ),
    "help.officer": "/checkin — mulai bertugas (kirim lokasi)\n/checkout — selesai bertugas",
    "help.supervisor": (
        "/undang [nama atau kode] — buat tautan undangan untuk wilayah Anda\n"
        "/undangan — undangan yang masih berlaku, untuk dicabut\n"
        "/anggota — anggota wilayah Anda: pindahkan, ubah peran, hapus"
    ),
    "help.header": "<b>Perintah untuk {role}</b>",
    "help.rekap": (
        "/rekap — keadaan posko di wilayah Anda: kurang petugas, ada petugas, di luar jam "
        "tugas"
    ),
    "help.alerts": (
        "/peringatan — peringatan posko kosong di wilayah Anda\n"
        "/langganan — grup menerima peringatan, laporan, dan rekap harian wilayah Anda"
    ),
    "help.report": "/lapor — laporkan kejadian (juga \"kondusif\" jika aman)",
    "help.incidents": "/laporan [LP-…] — laporan terbuka di wilayah Anda",
    "help.partner": (
        "/laporan [LP-…] — laporan terbuka untuk {agency} di wilayah Anda\n"
        "Laporan yang menjadi urusan {agency} dikirim kepada Anda: tekan <b>Tangani</b> lalu "
        "<b>Selesai</b> dengan catatan penutup; pelapor diberi tahu."
    ),
    "help.export": (
        "/ekspor [dari] [sampai] — berkas XLSX kehadiran, peringatan, dan laporan (paling "
        "lama 31 hari)"
    ),
    "language.choose": "Pilih bahasa:",
    "language.set": "Bahasa diganti menjadi bahasa Indonesia.",
    "cancel.done": "Dibatalkan. Tidak ada yang disimpan.",
    "cmd.checkin": "Mulai bertugas di posko",
    "cmd.checkout": "Selesai bertugas",
    "cmd.status": "Tugas dan posko Anda",
    "cmd.rekap": "Keadaan posko di wilayah Anda",
    "cmd.undang": "Undang petugas atau pengawas",
    "cmd.undangan": "Undangan yang masih berlaku",
    "cmd.anggota": "Anggota wilayah Anda",
    "cmd.bahasa": "Ganti bahasa",
    "cmd.batal": "Batalkan langkah yang sedang berjalan",
    "cmd.bantuan": "Daftar perintah",
    "cmd.peringatan": "Peringatan posko kosong",
    "cmd.langganan": "Grup menerima peringatan wilayah Anda",
    "cmd.lapor": "Laporkan kejadian",
    "cmd.laporan": "Laporan terbuka di wilayah Anda",
    "cmd.ekspor": "Ekspor data wilayah Anda (XLSX)",
}

EN: dict[str, str] = {
    "help.common": (
        "/status — your shift and desk\n/language — change language\n/cancel — leave the "
        "current step\n/help — this message"
    ),
    "help.officer": "/checkin — start duty (send location)\n/checkout — end duty",
    "help.supervisor": (
        "/invite [name or code] — create an invite link for your area\n/invites — open invites, to "
        "revoke\n/members — members of your area: move, change role, remove"
    ),
    "help.header": "<b>Commands for {role}</b>",
    "help.rekap": "/board — live board of your area's desks: short, staffed, off duty",
    "help.alerts": (
        "/alerts — empty-desk alerts in your area\n/subscribe — a group receives your "
        "area's alerts"
    ),
    "help.report": "/report — report an incident (also \"all clear\")",
    "help.incidents": "/incidents [LP-…] — open reports in your area",
    "help.partner": (
        "/incidents [LP-…] — open reports for {agency} in your area\n"
        "Reports that are {agency}'s business are sent to you: tap <b>Handle</b>, then "
        "<b>Done</b> with a closing note; the reporter is told."
    ),
    "help.export": "/export [from] [to] — XLSX of shifts, alerts and reports (up to 31 days)",
    "language.choose": "Choose a language:",
    "language.set": "Language set to English.",
    "cancel.done": "Cancelled. Nothing was saved.",
    "cmd.checkin": "Start duty at your desk",
    "cmd.checkout": "End duty",
    "cmd.status": "Your shift and desk",
    "cmd.rekap": "Board of the desks in your area",
    "cmd.undang": "Invite officers or supervisors",
    "cmd.undangan": "Open invites, to revoke",
    "cmd.anggota": "Members of your area",
    "cmd.bahasa": "Change language",
    "cmd.batal": "Leave the current step",
    "cmd.bantuan": "List of commands",
    "cmd.peringatan": "Empty-desk alerts",
    "cmd.langganan": "This group receives alerts",
    "cmd.lapor": "Report an incident",
    "cmd.laporan": "Open reports in your area",
    "cmd.ekspor": "XLSX export of your area",
}
