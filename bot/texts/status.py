"""Texts of ``/status`` (Bahasa Indonesia and English)."""

from __future__ import annotations

ID: dict[str, str] = {
    "status.on_shift": "🟢 Anda bertugas di <b>{desk}</b> sejak {since} ({duration}).",
    "status.off_shift": "⚪ Anda tidak sedang bertugas.",
    "status.partner": (
        "🤝 Anda mitra <b>{agency}</b> di <b>{desk}</b>.\nLaporan terbuka untuk {agency} di "
        "wilayah Anda: {n} (/laporan)."
    ),
    "status.desk": "Posko {desk}: {open}/{min} petugas, {duty}.",
    "status.duty_on": "jam tugas sampai {until}",
    "status.duty_off": "di luar jam tugas",
    "status.scope": (
        "<b>{scope}</b>: {total} posko — {on_duty} dalam jam tugas, {short} kurang petugas, "
        "{staffed} ada petugas."
    ),
    "status.all": "Seluruh wilayah",
}

EN: dict[str, str] = {
    "status.on_shift": "🟢 You are on duty at <b>{desk}</b> since {since} ({duration}).",
    "status.off_shift": "⚪ You are not on duty.",
    "status.partner": (
        "🤝 You are the <b>{agency}</b> liaison at <b>{desk}</b>.\nOpen reports for {agency} in "
        "your area: {n} (/incidents)."
    ),
    "status.desk": "Desk {desk}: {open}/{min} officers, {duty}.",
    "status.duty_on": "on duty until {until}",
    "status.duty_off": "outside duty hours",
    "status.scope": (
        "<b>{scope}</b>: {total} desks — {on_duty} on duty, {short} short of staff, "
        "{staffed} staffed."
    ),
    "status.all": "All regions",
}
