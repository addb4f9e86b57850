"""Texts of registration by invite link, ``/start [token]`` (Bahasa Indonesia and English)."""

from __future__ import annotations

ID: dict[str, str] = {
    "welcome_back": (
        "Halo, {name}! Anda terdaftar sebagai <b>{role}</b> di <b>{desk}</b>.\n"
        "Ketik /bantuan untuk melihat daftar perintah."
    ),
    "welcome_admin": (
        "Halo, {name}! Anda admin untuk seluruh posko. Ketik /bantuan untuk melihat daftar "
        "perintah."
    ),
    "invite.unknown": (
        "Tautan undangan ini tidak dikenal. Periksa tautannya atau mintalah undangan baru."
    ),
    "invite.expired": "Tautan undangan ini sudah kedaluwarsa. Mintalah undangan baru.",
    "invite.used_up": "Tautan undangan ini sudah habis dipakai. Mintalah undangan baru.",
    "invite.revoked": "Tautan undangan ini sudah dicabut. Mintalah undangan baru.",
    "invite.confirm": (
        "Anda diundang sebagai <b>{role}</b> di <b>{desk}</b> ({code}).\n"
        "Nama yang akan dicatat: <b>{name}</b>\n\nDaftar sekarang?"
    ),
    "invite.confirm_yes": "✅ Daftar",
    "invite.confirm_no": "✖️ Batal",
    "invite.registered": (
        "✅ Terdaftar sebagai <b>{role}</b> di <b>{desk}</b>.\n"
        "Ketik /bantuan untuk melihat daftar perintah."
    ),
    "invite.already": "Anda sudah terdaftar sebagai <b>{role}</b> di <b>{desk}</b>.",
    "invite.on_shift": "Anda masih bertugas. Ketik /checkout terlebih dahulu sebelum pindah posko.",
    "invite.declined": "Pendaftaran dibatalkan. Tidak ada yang disimpan.",
}

EN: dict[str, str] = {
    "welcome_back": (
        "Hello {name}! You are registered as <b>{role}</b> at <b>{desk}</b>.\n"
        "Type /help for the list of commands."
    ),
    "welcome_admin": "Hello {name}! You are an admin of every desk. Type /help for commands.",
    "invite.unknown": "This invite link is not known. Check the link or ask for a new one.",
    "invite.expired": "This invite link has expired. Ask for a new invite.",
    "invite.used_up": "This invite link has been used up. Ask for a new invite.",
    "invite.revoked": "This invite link was revoked. Ask for a new invite.",
    "invite.confirm": (
        "You are invited as <b>{role}</b> at <b>{desk}</b> ({code}).\n"
        "Name to be recorded: <b>{name}</b>\n\nRegister now?"
    ),
    "invite.confirm_yes": "✅ Register",
    "invite.confirm_no": "✖️ Cancel",
    "invite.registered": (
        "✅ Registered as <b>{role}</b> at <b>{desk}</b>.\nType /help for the list of commands."
    ),
    "invite.already": "You are already registered as <b>{role}</b> at <b>{desk}</b>.",
    "invite.on_shift": "You are still on duty. /checkout first before moving to another desk.",
    "invite.declined": "Registration cancelled. Nothing was saved.",
}
