"""Texts of ``/rekap`` (``/board``), the live board of a scope (Bahasa Indonesia and English)."""

from __future__ import annotations

ID: dict[str, str] = {
    "rekap.header": (
        "📋 <b>{scope}</b>: {total} posko — 🔴 {short} kurang, 🟢 {staffed} ada petugas, ⚪ "
        "{off} di luar jam tugas"
    ),
    "rekap.asof": "keadaan pukul {time}",
    "rekap.page": "hlm. {page}/{pages}",
    "rekap.by.provinsi": "Per provinsi",
    "rekap.by.kabupaten_kota": "Per kabupaten/kota",
    "rekap.by.kecamatan": "Per kecamatan",
    "rekap.by.kelurahan_desa": "Per kelurahan/desa",
    "rekap.unit": (
        "{icon} <b>{name}</b> ({code}): {total} posko — {short} kurang, {staffed} ada "
        "petugas, {off} di luar jam tugas"
    ),
    "rekap.own": "Posko {name}",
    "rekap.desk.empty": "🔴 {name} ({code}) — kosong sejak {since}",
    "rekap.desk.short": "🟠 {name} ({code}) — {open}/{min} petugas, kurang sejak {since}",
    "rekap.desk.staffed": "🟢 {name} ({code}) — {open}/{min} petugas",
    "rekap.desk.off": "⚪ {name} ({code}) — di luar jam tugas",
    "rekap.none": "Belum ada posko di wilayah ini.",
    "rekap.drill": "🔎 {name}",
    "rekap.up": "⬆ {name}",
    "rekap.refresh": "🔄 Perbarui",
}

EN: dict[str, str] = {
    "rekap.header": (
        "📋 <b>{scope}</b>: {total} desks — 🔴 {short} short, 🟢 {staffed} staffed, "
        "⚪ {off} off duty"
    ),
    "rekap.asof": "as of {time}",
    "rekap.page": "p. {page}/{pages}",
    "rekap.by.provinsi": "By province",
    "rekap.by.kabupaten_kota": "By regency/city",
    "rekap.by.kecamatan": "By district (kecamatan)",
    "rekap.by.kelurahan_desa": "By village (kelurahan/desa)",
    "rekap.unit": (
        "{icon} <b>{name}</b> ({code}): {total} desks — {short} short, {staffed} staffed, "
        "{off} off duty"
    ),
    "rekap.own": "{name} desk",
    "rekap.desk.empty": "🔴 {name} ({code}) — empty since {since}",
    "rekap.desk.short": "🟠 {name} ({code}) — {open}/{min} officers, short since {since}",
    "rekap.desk.staffed": "🟢 {name} ({code}) — {open}/{min} officers",
    "rekap.desk.off": "⚪ {name} ({code}) — off duty",
    "rekap.none": "There are no desks in this area yet.",
    "rekap.drill": "🔎 {name}",
    "rekap.up": "⬆ {name}",
    "rekap.refresh": "🔄 Refresh",
}
