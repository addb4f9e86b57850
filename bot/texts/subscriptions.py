"""Texts of ``/langganan``: a group's subscriptions to scopes (Bahasa Indonesia and English)."""

from __future__ import annotations

ID: dict[str, str] = {
    "subscribe.done": (
        "🔔 Grup ini sekarang menerima peringatan posko kosong, laporan kejadian, dan rekap "
        "harian untuk <b>{scope}</b>. Hentikan dengan /langganan off."
    ),
    "subscribe.off": "🔕 Langganan grup ini dihentikan: {scopes}.",
    "subscribe.none": "Grup ini belum berlangganan apa pun.",
    "subscribe.list": "Grup ini berlangganan: {scopes}.",
    "subscribe.scope": "{name} ({code})",
    "subscribe.yours_only": (
        "Anda hanya dapat menambah atau menghentikan langganan di wilayah Anda: "
        "/langganan [kode posko] atau /langganan off [kode posko]."
    ),
    "subscribe.groups_only": (
        "Perintah ini hanya untuk grup: tambahkan bot ke grup, lalu ketik /langganan di sana."
    ),
    "subscribe.usage": "Cara pakai: /langganan [kode posko] atau /langganan off [kode posko].",
}

EN: dict[str, str] = {
    "subscribe.done": (
        "🔔 This group now receives empty-desk alerts, incident reports and the daily digest "
        "for <b>{scope}</b>. Stop with /subscribe off."
    ),
    "subscribe.off": "🔕 This group's subscription has ended: {scopes}.",
    "subscribe.none": "This group has no subscription.",
    "subscribe.list": "This group is subscribed to: {scopes}.",
    "subscribe.scope": "{name} ({code})",
    "subscribe.yours_only": (
        "You may add or end only subscriptions within your area: "
        "/subscribe [desk code] or /subscribe off [desk code]."
    ),
    "subscribe.groups_only": (
        "Use this in a group: add the bot to the group, then type /subscribe "
        "there."
    ),
    "subscribe.usage": "Usage: /subscribe [desk code] or /subscribe off [desk code].",
}
