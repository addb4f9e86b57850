"""Texts of the daily digest (Bahasa Indonesia and English)."""

from __future__ import annotations

ID: dict[str, str] = {
    "digest.title": "📊 <b>Rekap harian {scope}</b>\n{start} – {end}",
    "digest.desks": "Posko bertugas: <b>{desks}</b>, terisi <b>{share}</b> dari jam tugas",
    "digest.no_duty": "Tidak ada jam tugas dalam 24 jam ini.",
    "digest.empty": "Kosong: {episodes} kali, total {minutes} menit",
    "digest.alerts": "Peringatan: {alerts}, ditangani {acked}{median}",
    "digest.median": " (median {time})",
    "digest.incidents": "Laporan: {n}{categories}",
    "digest.statuses": "Status laporan: {statuses}",
    "digest.open": "Masih terbuka: {alerts} peringatan, {incidents} laporan",
    "digest.worst": "<b>Paling lama kosong</b>",
    "digest.worst_line": "{n}. {desk} ({code}): {minutes} menit, terisi {share}",
    "digest.units": "<b>Per wilayah</b> (terendah dulu)",
    "digest.unit_line": "• {unit}: {share}",
    "digest.more_units": "…dan {n} lainnya",
    "digest.everything": "seluruh wilayah",
    "digest.chart_title": "Rekap {scope}",
    "digest.chart_share": "Terisi (% jam tugas)",
    "digest.chart_categories": "Laporan per kategori",
    "digest.chart_empty": "Tidak ada data",
    "digest.chart_caption": "Grafik rekap harian {scope}",
}

EN: dict[str, str] = {
    "digest.title": "📊 <b>Daily digest {scope}</b>\n{start} – {end}",
    "digest.desks": "Desks on duty: <b>{desks}</b>, staffed <b>{share}</b> of duty time",
    "digest.no_duty": "No duty hours in these 24 hours.",
    "digest.empty": "Empty: {episodes} times, {minutes} minutes in all",
    "digest.alerts": "Alerts: {alerts}, taken {acked}{median}",
    "digest.median": " (median {time})",
    "digest.incidents": "Reports: {n}{categories}",
    "digest.statuses": "Report status: {statuses}",
    "digest.open": "Still open: {alerts} alerts, {incidents} reports",
    "digest.worst": "<b>Empty longest</b>",
    "digest.worst_line": "{n}. {desk} ({code}): {minutes} min, staffed {share}",
    "digest.units": "<b>By area</b> (lowest first)",
    "digest.unit_line": "• {unit}: {share}",
    "digest.more_units": "…and {n} more",
    "digest.everything": "all regions",
    "digest.chart_title": "Digest {scope}",
    "digest.chart_share": "Staffed (% of duty time)",
    "digest.chart_categories": "Reports by category",
    "digest.chart_empty": "No data",
    "digest.chart_caption": "Daily digest chart {scope}",
}
