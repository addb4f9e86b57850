"""Texts of the daily digest (Bahasa Indonesia and English)."""

from __future__ import annotations

ID: dict[str, str] = {
    "digest.title": "📊 <b>Rekap harian {scope}</b>\n{start} – {end}",
    "weekly.title": "📅 <b>Laporan mingguan {scope}</b>\n{start} – {end}",
    "weekly.agencies": "Laporan per instansi mitra: {agencies}",
    "weekly.overdue": "Laporan terbuka lebih dari 3 hari: <b>{n}</b>",
    "weekly.chart_title": "Laporan mingguan {scope}, {start} – {end}",
    "weekly.chart_caption": "📅 Grafik laporan mingguan {scope}",
    "weekly.file_caption": "📅 Ekspor minggu ini: {scope}, {period}",
    "weekly.file_too_big": (
        "📅 Ekspor minggu ini untuk {scope} terlalu besar untuk dikirim lewat Telegram ({rows} "
        "baris, paling banyak {max}). Di server: <code>posko-bot export --scope {code} "
        "--from {first} --to {last}</code>"
    ),
    "digest.desks": "Posko dalam jam tugas: <b>{desks}</b>, terisi <b>{share}</b> dari jam tugas",
    "digest.no_duty": "Tidak ada jam tugas dalam 24 jam ini.",
    "digest.counted_from": "Dihitung sejak {time}, saat posko wilayah ini dimasukkan ke sistem.",
    "digest.empty": "Kosong: {episodes} kali, total {duration}",
    "digest.hours": "{h} jam",
    "digest.alerts": "Peringatan baru: {alerts}, ditangani {acked}{median}, "
                     "masih terbuka {open}",
    "digest.median": " (separuhnya dalam {time} atau kurang)",
    "digest.incidents": "Laporan kejadian: {n}",
    "digest.categories": " ({categories})",
    "digest.statuses": "Status laporan kejadian: {statuses}",
    "digest.calm": "Laporan kondusif (aman): {n}",
    "digest.earlier": "Dibuka sebelum periode ini dan masih terbuka: {alerts} peringatan, "
                      "{incidents} laporan",
    "digest.worst": "<b>Paling lama kosong</b>",
    "digest.worst_line": "{n}. {desk} ({code}): kosong {duration}, terisi {share}",
    "digest.units": "<b>Per wilayah</b> (dari yang terendah)",
    "digest.unit_line": "• {unit}: {share}",
    "digest.more_units": "…dan {n} wilayah lain",
    "digest.everything": "seluruh wilayah",
    "digest.chart_title": "Rekap harian {scope}\n{start} – {end}",
    "digest.chart_share": "Terisi (% jam tugas), dari yang terendah",
    "digest.chart_categories": "Laporan kejadian per kategori",
    "digest.chart_empty": "Tidak ada data",
    "digest.chart_caption": "Grafik rekap harian {scope}",
    "digest.usage": (
        "Ketik /rekapharian untuk hari ini, atau /rekapharian 2026-11-20 untuk hari yang "
        "sudah lewat."
    ),
    "digest.future": "Tanggal {day} belum tiba (hari ini {today}): rekapnya belum ada.",
    "help.digest": "/rekapharian [tanggal] — rekap harian wilayah Anda: hari ini sampai saat "
                   "ini, atau hari yang sudah lewat",
    "cmd.rekapharian": "Rekap harian wilayah Anda",
}

EN: dict[str, str] = {
    "digest.title": "📊 <b>Daily digest {scope}</b>\n{start} – {end}",
    "weekly.title": "📅 <b>Weekly report {scope}</b>\n{start} – {end}",
    "weekly.agencies": "Reports per partner agency: {agencies}",
    "weekly.overdue": "Reports open for more than 3 days: <b>{n}</b>",
    "weekly.chart_title": "Weekly report {scope}, {start} – {end}",
    "weekly.chart_caption": "📅 Weekly report chart {scope}",
    "weekly.file_caption": "📅 This week's export: {scope}, {period}",
    "weekly.file_too_big": (
        "📅 This week's export of {scope} is too big to send through Telegram ({rows} rows, at "
        "most {max}). On the server: <code>posko-bot export --scope {code} --from {first} "
        "--to {last}</code>"
    ),
    "digest.desks": "Desks on duty: <b>{desks}</b>, staffed <b>{share}</b> of duty time",
    "digest.no_duty": "No duty hours in these 24 hours.",
    "digest.counted_from": "Counted from {time}, when this area's desks were added.",
    "digest.empty": "Empty: {episodes} times, {duration} in all",
    "digest.hours": "{h} h",
    "digest.alerts": "New alerts: {alerts}, taken {acked}{median}, still open {open}",
    "digest.median": " (half of them within {time})",
    "digest.incidents": "Incident reports: {n}",
    "digest.categories": " ({categories})",
    "digest.statuses": "Incident report status: {statuses}",
    "digest.calm": "All-calm reports: {n}",
    "digest.earlier": "Opened before this period and still open: {alerts} alerts, "
                      "{incidents} reports",
    "digest.worst": "<b>Empty longest</b>",
    "digest.worst_line": "{n}. {desk} ({code}): empty {duration}, staffed {share}",
    "digest.units": "<b>By area</b> (lowest first)",
    "digest.unit_line": "• {unit}: {share}",
    "digest.more_units": "…and {n} more",
    "digest.everything": "all regions",
    "digest.chart_title": "Daily digest {scope}\n{start} – {end}",
    "digest.chart_share": "Staffed (% of duty time), lowest first",
    "digest.chart_categories": "Incident reports by category",
    "digest.chart_empty": "No data",
    "digest.chart_caption": "Daily digest chart {scope}",
    "digest.usage": "Send /digest for today, or /digest 2026-11-20 for a day that has passed.",
    "digest.future": "{day} has not come yet (today is {today}): there is no digest for it.",
    "help.digest": "/digest [date] — daily digest of your area: today so far, or a past day",
    "cmd.rekapharian": "Daily digest of your area",
}
