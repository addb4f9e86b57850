"""Texts of ``/undang``, creating an invite link, and ``/undangan``, listing and revoking the
open ones (Bahasa Indonesia and English)."""

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
    "invites.header": "✉️ <b>Undangan terbuka di {scope}: {total}</b>",
    "invites.line": (
        "{n}. {role} · <b>{desk}</b> ({code}) · sisa {left} dari {max} · berlaku sampai "
        "{expires} · dibuat oleh {creator}"
    ),
    "invites.by_server": "operator server",
    "invites.none": "Tidak ada undangan terbuka di wilayah Anda.",
    "invites.hint": "🚫 mencabut undangan: tautannya tidak bisa dipakai lagi.",
    "invites.btn.revoke": "🚫 {n}",
    "invites.btn.yes": "✅ Ya, cabut",
    "invites.btn.back": "‹ Daftar undangan",
    "invites.confirm_revoke": (
        "Cabut undangan {role} untuk <b>{desk}</b> ({code}), sisa {left} dari {max}? "
        "Tautannya tidak bisa dipakai lagi; yang sudah terdaftar tetap terdaftar."
    ),
    "invites.revoked": (
        "🚫 Undangan {role} untuk <b>{desk}</b> dicabut. Tautannya tidak bisa dipakai lagi."
    ),
    "invites.already_revoked": "Undangan ini sudah dicabut.",
    "invites.not_open": (
        "Undangan ini sudah tidak berlaku (kedaluwarsa, habis dipakai, atau dicabut)."
    ),
    "invites.not_yours": "Hanya pembuat undangan ini atau atasannya yang dapat mencabutnya.",
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
    "invites.header": "✉️ <b>Open invites in {scope}: {total}</b>",
    "invites.line": (
        "{n}. {role} · <b>{desk}</b> ({code}) · {left} of {max} left · valid until "
        "{expires} · made by {creator}"
    ),
    "invites.by_server": "the server operator",
    "invites.none": "There are no open invites in your area.",
    "invites.hint": "🚫 revokes an invite: its link no longer works.",
    "invites.btn.revoke": "🚫 {n}",
    "invites.btn.yes": "✅ Yes, revoke",
    "invites.btn.back": "‹ Invite list",
    "invites.confirm_revoke": (
        "Revoke the {role} invite for <b>{desk}</b> ({code}), {left} of {max} left? Its link "
        "stops working; those already registered stay registered."
    ),
    "invites.revoked": (
        "🚫 The {role} invite for <b>{desk}</b> was revoked. Its link no longer works."
    ),
    "invites.already_revoked": "This invite was already revoked.",
    "invites.not_open": "This invite is no longer valid (expired, used up or revoked).",
    "invites.not_yours": "Only whoever made this invite, or someone above them, can revoke it.",
}
