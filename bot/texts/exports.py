"""Texts of /ekspor and its XLSX (Bahasa Indonesia and English)."""

from __future__ import annotations

ID: dict[str, str] = {
    "export.usage": (
        "Cara pakai: /ekspor [dari] [sampai], misalnya <code>/ekspor 2026-11-20 "
        "2026-11-25</code>, <code>/ekspor kemarin</code>, atau <code>/ekspor hari ini</code> "
        "(tanpa tanggal: hari ini)."
    ),
    "export.bad_date": (
        "Tanggal tidak dikenali: {value}. Tulis tanggal seperti 2026-11-20, 20/11/2026, atau "
        "20-11-2026."
    ),
    "export.order": "Tanggal akhir ({last}) lebih awal dari tanggal awal ({first}).",
    "export.too_long": "Rentang paling lama {max} hari; {first}–{last} mencakup {days} hari.",
    "export.too_big": (
        "Ekspor {scope} untuk {period} berisi {rows} baris, lebih dari {max} baris yang "
        "dapat dikirim melalui Telegram."
    ),
    "export.too_big.days": (
        " Pilih rentang yang lebih pendek, atau mintalah sekretariat menjalankan "
        "<code>posko-bot export</code> di server."
    ),
    "export.too_big.ask": (
        " Mintalah sekretariat menjalankan <code>posko-bot export</code> di server."
    ),
    "export.too_big.server": (
        " Jalankan <code>posko-bot export --scope KODE</code> di server, atau pilih wilayah "
        "yang lebih kecil."
    ),
    "export.empty": (
        "Tidak ada catatan kehadiran, peringatan, atau laporan di {scope} pada {period}."
    ),
    "export.caption": (
        "📊 Ekspor {scope}, {period}: {shifts} catatan kehadiran, {alerts} peringatan, "
        "{incidents} laporan (waktu {zone})."
    ),
    "export.all": "seluruh wilayah",
    "export.file_all": "semua",
    "export.sheet.shifts": "Kehadiran",
    "export.sheet.alerts": "Peringatan",
    "export.sheet.incidents": "Laporan",
    "export.sheet.pledges": "Pakta integritas",
    "export.sheet.moved": "TPS dipindahkan",
    "export.col.reason": "Alasan",
    "export.col.moved_from": "Dari (lokasi laporan)",
    "export.col.moved_to": "Ke",
    "export.col.moved": "Dipindahkan ({zone})",
    "export.col.member": "Anggota",
    "export.col.role": "Peran",
    "export.col.pledged": "Menyetujui pakta ({zone})",
    "export.col.desk_code": "Kode posko",
    "export.col.desk_name": "Nama posko",
    "export.col.officer": "Petugas",
    "export.col.started": "Mulai ({zone})",
    "export.col.ended": "Selesai ({zone})",
    "export.col.duration": "Durasi (menit)",
    "export.col.end_reason": "Alasan selesai",
    "export.col.distance": "Jarak ke posko (m)",
    "export.col.short_since": "Kosong sejak ({zone})",
    "export.col.opened": "Peringatan dibuka ({zone})",
    "export.col.reached": "Diteruskan sampai tingkat",
    "export.col.acked_by": "Ditangani oleh",
    "export.col.acked_at": "Ditangani pada ({zone})",
    "export.col.ack_minutes": "Menit sampai ditangani",
    "export.col.resolved": "Selesai ({zone})",
    "export.col.resolution": "Penyelesaian",
    "export.col.empty_minutes": "Menit kosong",
    "export.col.ref": "Nomor laporan",
    "export.col.category": "Kategori",
    "export.col.severity": "Tingkat kegawatan",
    "export.col.status": "Status",
    "export.col.reporter": "Pelapor",
    "export.col.handler": "Ditangani oleh",
    "export.col.created": "Dibuat ({zone})",
    "export.col.description": "Uraian",
    "export.col.closed": "Ditutup ({zone})",
    "export.col.closing_note": "Catatan penutup",
    "export.col.tps": "TPS",
    "export.end.open": "masih bertugas",
    "export.end.manual": "diakhiri petugas",
    "export.end.presence_timeout": "tidak menjawab pertanyaan kehadiran",
    "export.end.duty_end": "jam tugas selesai",
    "export.end.handover": "serah terima",
    "export.end.admin": "diakhiri pengawas atau admin",
    "export.resolution.open": "masih terbuka",
    "export.resolution.staffed": "ada petugas lagi",
    "export.resolution.off_duty": "jam tugas selesai",
    "export.level.provinsi": "Provinsi",
    "export.level.kabupaten_kota": "Kab./Kota",
    "export.level.kecamatan": "Kecamatan",
    "export.level.kelurahan_desa": "Kel./Desa",
    "export.sev.info": "info",
    "export.sev.sedang": "sedang",
    "export.sev.tinggi": "tinggi",
    "export.sev.kritis": "kritis",
    "export.status.baru": "baru",
    "export.status.ditangani": "ditangani",
    "export.status.selesai": "selesai",
}

EN: dict[str, str] = {
    "export.usage": (
        "Use: /export [from] [to], e.g. <code>/export 2026-11-20 2026-11-25</code>, "
        "<code>/export yesterday</code> or <code>/export today</code> (no date: today)."
    ),
    "export.bad_date": (
        "Not a date: {value}. Write it like 2026-11-20, 20/11/2026 or 20-11-2026."
    ),
    "export.order": "The end date ({last}) is before the start date ({first}).",
    "export.too_long": "At most {max} days; {first}–{last} is {days} days.",
    "export.too_big": (
        "The export of {scope} for {period} has {rows} rows, more than the {max} a chat can "
        "carry."
    ),
    "export.too_big.days": (
        " Choose fewer days, or ask the secretariat to run <code>posko-bot export</code> on "
        "the server."
    ),
    "export.too_big.ask": (
        " Ask the secretariat to run <code>posko-bot export</code> on the server."
    ),
    "export.too_big.server": (
        " Run <code>posko-bot export --scope CODE</code> on the server, or choose a smaller "
        "area."
    ),
    "export.empty": "No shifts, alerts or reports in {scope} on {period}.",
    "export.caption": (
        "📊 Export of {scope}, {period}: {shifts} shifts, {alerts} alerts, {incidents} reports "
        "(times in {zone})."
    ),
    "export.all": "all areas",
    "export.file_all": "all",
    "export.sheet.shifts": "Shifts",
    "export.sheet.alerts": "Alerts",
    "export.sheet.incidents": "Reports",
    "export.sheet.pledges": "Pledge",
    "export.sheet.moved": "Moved polling stations",
    "export.col.reason": "Reason",
    "export.col.moved_from": "From (the report's place)",
    "export.col.moved_to": "To",
    "export.col.moved": "Moved ({zone})",
    "export.col.member": "Member",
    "export.col.role": "Role",
    "export.col.pledged": "Agreed to the pledge ({zone})",
    "export.col.desk_code": "Desk code",
    "export.col.desk_name": "Desk name",
    "export.col.officer": "Officer",
    "export.col.started": "Started ({zone})",
    "export.col.ended": "Ended ({zone})",
    "export.col.duration": "Duration (min)",
    "export.col.end_reason": "End reason",
    "export.col.distance": "Distance to desk (m)",
    "export.col.short_since": "Empty since ({zone})",
    "export.col.opened": "Alert opened ({zone})",
    "export.col.reached": "Highest level told",
    "export.col.acked_by": "Taken by",
    "export.col.acked_at": "Taken at ({zone})",
    "export.col.ack_minutes": "Minutes to take",
    "export.col.resolved": "Resolved ({zone})",
    "export.col.resolution": "Resolution",
    "export.col.empty_minutes": "Minutes empty",
    "export.col.ref": "Report number",
    "export.col.category": "Category",
    "export.col.severity": "Severity",
    "export.col.status": "Status",
    "export.col.reporter": "Reporter",
    "export.col.handler": "Handler",
    "export.col.created": "Created ({zone})",
    "export.col.description": "Description",
    "export.col.closed": "Closed ({zone})",
    "export.col.closing_note": "Closing note",
    "export.col.tps": "TPS",
    "export.end.open": "still on duty",
    "export.end.manual": "ended by the officer",
    "export.end.presence_timeout": "no answer to presence check",
    "export.end.duty_end": "duty hours ended",
    "export.end.handover": "handover",
    "export.end.admin": "ended by a supervisor or admin",
    "export.resolution.open": "still open",
    "export.resolution.staffed": "staffed again",
    "export.resolution.off_duty": "duty hours ended",
    "export.level.provinsi": "Province",
    "export.level.kabupaten_kota": "Regency/City",
    "export.level.kecamatan": "District",
    "export.level.kelurahan_desa": "Village",
    "export.sev.info": "info",
    "export.sev.sedang": "medium",
    "export.sev.tinggi": "high",
    "export.sev.kritis": "critical",
    "export.status.baru": "new",
    "export.status.ditangani": "in progress",
    "export.status.selesai": "closed",
}
