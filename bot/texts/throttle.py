"""Texts of the flood guard: a member's messages skipped because too many came at once."""

from __future__ import annotations

ID: dict[str, str] = {
    "flood.dropped": (
        "Terlalu banyak pesan sekaligus sehingga pesan terbaru Anda dilewati. Tunggu balasan "
        "bot, lalu kirim lagi pesan yang masih diperlukan."
    ),
}

EN: dict[str, str] = {
    "flood.dropped": (
        "Too many messages at once, so your newest ones were skipped. Wait for the bot's "
        "answer, then send again what is still needed."
    ),
}
