"""Texts of the situation room: ``/dasbor`` in the chat and the dashboard page in a browser
(Bahasa Indonesia and English). The page's texts (``dash.page.*``) are sent to it as plain
text with the data it shows; the page sets them as text, never as HTML."""

from __future__ import annotations

ID: dict[str, str] = {
    "cmd.dasbor": "Peta dan keadaan posko di peramban",
    "help.dashboard": "/dasbor — peta dan keadaan posko wilayah Anda di peramban",
    "dash.link": (
        "🗺 <b>Dasbor {scope}</b>\n"
        "Buka tautan ini di peramban dalam 10 menit; tautannya hanya dapat dipakai sekali "
        "dan hanya untuk Anda:\n{url}\n\n"
        "Jangan teruskan pesan ini. Setelah masuk, dasbor tetap terbuka 12 jam."
    ),
    "dash.link_app": "Atau tekan <b>🗺 Buka dasbor</b> untuk membukanya di Telegram.",
    "dash.open_button": "🗺 Buka dasbor",
    "dash.off": (
        "Maaf, dasbor tidak dinyalakan di server ini. Mintalah kepada sekretariat posko untuk "
        "mengisi POSKO_DASHBOARD_PORT."
    ),
    "dash.page.title": "Dasbor posko",
    "dash.page.signed_out": (
        "Anda belum masuk atau waktu masuk Anda sudah habis. Ketik /dasbor kepada bot posko "
        "di Telegram, lalu buka tautan yang dikirimnya."
    ),
    "dash.page.login_failed": (
        "Tautan masuk ini tidak berlaku: sudah dipakai, sudah lewat 10 menit, atau bukan untuk "
        "pengawas. Ketik /dasbor kepada bot posko untuk tautan baru."
    ),
    "dash.page.offline": "Tidak terhubung ke server; mencoba lagi…",
    "dash.page.asof": "Keadaan pukul {time}",
    "dash.page.map": "Peta",
    "dash.page.board": "Keadaan posko",
    "dash.page.alerts": "Peringatan terbuka ({n})",
    "dash.page.reports": "Laporan terbuka ({n})",
    "dash.page.timeline": "Hari ini",
    "dash.page.none": "Tidak ada.",
    "dash.page.up": "⬆ {name}",
    "dash.page.prev": "‹",
    "dash.page.next": "›",
    "dash.page.fullscreen": "Layar penuh",
    "dash.page.signout": "Keluar",
    "dash.page.no_coords": "Tanpa koordinat: {names}",
    "dash.page.legend": "🔴 kurang petugas · 🟢 ada petugas · ⚪ di luar jam tugas",
    "dash.page.taken": "Ditangani oleh {who}",
    "dash.marker.short": "{name} ({code}): kosong {minutes} menit",
    "dash.marker.short_some": "{name} ({code}): {open}/{min} petugas, kurang {minutes} menit",
    "dash.marker.staffed": "{name} ({code}): {open}/{min} petugas",
    "dash.marker.off": "{name} ({code}): di luar jam tugas",
    "dash.marker.unit": "{name} ({code}): {total} posko, {short} kurang, {staffed} ada petugas",
    "dash.alert": "{desk}: kosong sejak {since}",
    "dash.report": "{ref} · {severity} · {category} · {desk}: {text}",
    "dash.report.by": "Pelapor: {who}; {status}",
    "dash.event.checkin": "{time} {desk}: {who} check-in",
    "dash.event.checkout": "{time} {desk}: {who} check-out",
    "dash.event.alert": "{time} {desk}: peringatan posko kosong",
    "dash.event.ack": "{time} {desk}: peringatan ditangani oleh {who}",
    "dash.event.resolved": "{time} {desk}: peringatan selesai",
    "dash.event.report": "{time} {desk}: laporan {who} ({detail})",
    "dash.ack.csrf": "Maaf, permintaan ini tidak berasal dari dasbor. Muat ulang halaman.",
}

EN: dict[str, str] = {
    "cmd.dasbor": "Map and board of the desks in a browser",
    "help.dashboard": "/dashboard — map and board of your area's desks in a browser",
    "dash.link": (
        "🗺 <b>Dashboard of {scope}</b>\n"
        "Open this link in a browser within 10 minutes; it works once and only for you:\n"
        "{url}\n\n"
        "Do not forward this message. Once signed in, the dashboard stays open for 12 hours."
    ),
    "dash.link_app": "Or press <b>🗺 Open dashboard</b> to open it in Telegram.",
    "dash.open_button": "🗺 Open dashboard",
    "dash.off": (
        "Sorry, the dashboard is not turned on on this server. Ask the secretariat to set "
        "POSKO_DASHBOARD_PORT."
    ),
    "dash.page.title": "Desk dashboard",
    "dash.page.signed_out": (
        "You are not signed in, or your sign-in has expired. Send /dashboard to the bot in "
        "Telegram and open the link it sends."
    ),
    "dash.page.login_failed": (
        "This sign-in link does not work: it was used, is older than 10 minutes, or is not "
        "for a supervisor. Send /dashboard to the bot for a new one."
    ),
    "dash.page.offline": "Not connected to the server; trying again…",
    "dash.page.asof": "As of {time}",
    "dash.page.map": "Map",
    "dash.page.board": "Board",
    "dash.page.alerts": "Open alerts ({n})",
    "dash.page.reports": "Open reports ({n})",
    "dash.page.timeline": "Today",
    "dash.page.none": "None.",
    "dash.page.up": "⬆ {name}",
    "dash.page.prev": "‹",
    "dash.page.next": "›",
    "dash.page.fullscreen": "Full screen",
    "dash.page.signout": "Sign out",
    "dash.page.no_coords": "Without coordinates: {names}",
    "dash.page.legend": "🔴 short · 🟢 staffed · ⚪ off duty",
    "dash.page.taken": "Taken by {who}",
    "dash.marker.short": "{name} ({code}): empty for {minutes} min",
    "dash.marker.short_some": "{name} ({code}): {open}/{min} officers, short for {minutes} min",
    "dash.marker.staffed": "{name} ({code}): {open}/{min} officers",
    "dash.marker.off": "{name} ({code}): off duty",
    "dash.marker.unit": "{name} ({code}): {total} desks, {short} short, {staffed} staffed",
    "dash.alert": "{desk}: empty since {since}",
    "dash.report": "{ref} · {severity} · {category} · {desk}: {text}",
    "dash.report.by": "Reported by {who}; {status}",
    "dash.event.checkin": "{time} {desk}: {who} checked in",
    "dash.event.checkout": "{time} {desk}: {who} checked out",
    "dash.event.alert": "{time} {desk}: empty-desk alert",
    "dash.event.ack": "{time} {desk}: alert taken by {who}",
    "dash.event.resolved": "{time} {desk}: alert over",
    "dash.event.report": "{time} {desk}: report {who} ({detail})",
    "dash.ack.csrf": "Sorry, this request did not come from the dashboard. Reload the page.",
}
