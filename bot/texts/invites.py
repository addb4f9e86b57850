"""Texts of ``/undang``, creating an invite link (Bahasa Indonesia and English)."""

from __future__ import annotations

ID: dict[str, str] = {
    "invite.usage": (
        "Pakai: /undang [kode posko]. Tanpa kode, undangan untuk posko Anda sendiri. "
        "Kode harus berada dalam wilayah Anda."
    ),
    "invite.choose_role": "Undangan untuk <b>{desk}</b> ({code}). Pilih peran:",
    "invite.created": (
        "Tautan undangan <b>{role}</b> untuk <b>{desk}</b>\n"
        "Berlaku sampai {expires}, untuk {uses} orang:\n{link}"
    ),
}

EN: dict[str, str] = {
    "invite.usage": (
        "Usage: /invite [desk code]. Without a code, the invite is for your own desk. "
        "The code must be within your area."
    ),
    "invite.choose_role": "Invite for <b>{desk}</b> ({code}). Choose a role:",
    "invite.created": (
        "Invite link for a <b>{role}</b> at <b>{desk}</b>\n"
        "Valid until {expires}, for {uses} person(s):\n{link}"
    ),
}
