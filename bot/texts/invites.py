"""Texts of ``/undang``, creating an invite link, and ``/undangan``, listing and revoking the
open ones (Bahasa Indonesia and English)."""

from __future__ import annotations

ID: dict[str, str] = {
    "invite.usage": (
        "Cara pakai: /undang [nama atau kode posko] [jumlah orang]. Tanpa nama, pilih dari "
        "posko Anda. Jumlah orang 1–{max}; jika tidak diisi, 1. Contoh: /undang Kapuk 5"
    ),
    "invite.choose_role": "Undangan untuk <b>{desk}</b> ({code}), untuk {uses} orang. Pilih peran:",
    "invite.choose_agency": "Mitra di <b>{desk}</b> dari instansi mana?",
    "invite.choose_desk": "Beberapa posko cocok dengan \"{text}\". Pilih posko:",
    "invite.choose_desk_own": (
        "Undangan untuk posko mana? Untuk posko lain di wilayah Anda, ketik /undang diikuti "
        "nama atau kode posko."
    ),
    "invite.desk_button": "{desk} ({code})",
    "invite.not_found": (
        "Tidak ada posko bernama atau berkode \"{text}\" di wilayah Anda. Lihat nama dan kode "
        "posko di /rekap."
    ),
    "invite.created": (
        "Tautan undangan <b>{role}</b> untuk <b>{desk}</b>\n"
        "Berlaku sampai {expires}, untuk {uses} orang:\n{link}"
    ),
    "invites.header": "✉️ <b>Undangan yang masih berlaku di {scope}: {total}</b>",
    "invites.line": (
        "{n}. {role} · <b>{desk}</b> ({code}) · sisa {left} dari {max} · berlaku sampai "
        "{expires} · dibuat oleh {creator}"
    ),
    "invites.by_server": "sekretariat",
    "invites.none": "Tidak ada undangan yang masih berlaku di wilayah Anda.",
    "invites.hint": "🚫 = cabut undangan; tautannya tidak dapat dipakai lagi.",
    "invites.btn.revoke": "🚫 {n}",
    "invites.btn.yes": "✅ Ya, cabut",
    "invites.btn.back": "‹ Daftar undangan",
    "invites.confirm_revoke": (
        "Cabut undangan {role} untuk <b>{desk}</b> ({code}), sisa {left} dari {max}? "
        "Tautannya tidak dapat dipakai lagi; orang yang sudah terdaftar melalui tautan ini "
        "tetap terdaftar."
    ),
    "invites.revoked": (
        "🚫 Undangan {role} untuk <b>{desk}</b> dicabut. Tautannya tidak dapat dipakai lagi."
    ),
    "invites.already_revoked": "Undangan ini sudah dicabut.",
    "invites.not_open": (
        "Undangan ini sudah tidak berlaku (kedaluwarsa, habis dipakai, atau dicabut)."
    ),
    "invites.not_yours": "Hanya pembuat undangan ini atau atasannya yang dapat mencabutnya.",
}

EN: dict[str, str] = {
    "invite.usage": (
        "Usage: /invite [desk name or code] [number of people]. Without a name, choose among "
        "your desks. Number of people 1–{max}, 1 by default. Example: /invite Kapuk 5"
    ),
    "invite.choose_role": "Invite for <b>{desk}</b> ({code}), for {uses} person(s). Choose a role:",
    "invite.choose_agency": "A partner liaison at <b>{desk}</b> from which agency?",
    "invite.choose_desk": "Several desks match \"{text}\". Choose one:",
    "invite.choose_desk_own": (
        "An invite to which desk? Other desks in your area: /invite desk name or code."
    ),
    "invite.desk_button": "{desk} ({code})",
    "invite.not_found": (
        "No desk named or coded \"{text}\" in your area. See the desks' names and codes in "
        "/board."
    ),
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
