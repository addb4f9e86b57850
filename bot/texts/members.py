"""Texts of ``/anggota``: listing, moving, re-roling and removing the members of a scope, and
what the member concerned is told (Bahasa Indonesia and English)."""

from __future__ import annotations

ID: dict[str, str] = {
    "members.header": "👥 <b>Anggota di {scope}: {total}</b>",
    "members.page": "Halaman {page} dari {pages}",
    "members.line": "{n}. <b>{name}</b> — {role}, {desk} ({code}){duty}",
    "members.line_on_duty": " · 🟢 bertugas",
    "members.none": "Belum ada anggota terdaftar di wilayah Anda.",
    "members.hint": "Pilih nama untuk memindahkan, mengubah peran, atau menghapus.",
    "members.pick": "{n}. {name}",
    "members.card": "👤 <b>{name}</b>{username}\n{role} di <b>{desk}</b> ({code})\n{duty}",
    "members.card_on_duty": "🟢 Sedang bertugas",
    "members.card_off_duty": "⚪ Tidak sedang bertugas",
    "members.refresh": "🔄",
    "members.btn.move": "🔀 Pindahkan",
    "members.btn.demote": "⬇️ Jadikan petugas",
    "members.btn.promote": "⬆️ Jadikan pengawas",
    "members.btn.remove": "🗑 Hapus",
    "members.btn.back": "‹ Daftar anggota",
    "members.btn.cancel": "✖️ Batal",
    "members.btn.yes_remove": "✅ Ya, hapus",
    "members.btn.yes_move": "✅ Ya, pindahkan",
    "members.btn.yes_promote": "✅ Ya, jadikan pengawas",
    "members.choose_desk": "Pindahkan <b>{name}</b> dari {desk} ke posko mana?",
    "members.no_desks": "Tidak ada posko lain di dekat {desk} dalam wilayah Anda.",
    "members.confirm_remove": (
        "Hapus <b>{name}</b> ({role}, {desk})? Riwayat tugas dan laporannya tetap tersimpan; "
        "yang bersangkutan tidak dapat memakai bot lagi sampai diundang kembali."
    ),
    "members.confirm_on_duty": (
        "⚠️ <b>{name}</b> sedang bertugas di {desk}; tugasnya akan diakhiri sekarang."
    ),
    "members.confirm_move": "Pindahkan <b>{name}</b> dari {desk} ke <b>{target}</b>?",
    "members.confirm_promote": "Jadikan <b>{name}</b> pengawas di {desk}?",
    "members.removed": "🗑 <b>{name}</b> dihapus dari {desk}. Yang bersangkutan akan diberi tahu.",
    "members.moved": (
        "🔀 <b>{name}</b> dipindahkan ke <b>{desk}</b>. Yang bersangkutan akan diberi tahu."
    ),
    "members.role_set": (
        "<b>{name}</b> sekarang {role} di {desk}. Yang bersangkutan akan diberi tahu."
    ),
    "members.already": "Tidak ada yang berubah: <b>{name}</b> sudah {role} di {desk}.",
    "members.gone": "Orang ini sudah tidak terdaftar sebagai anggota.",
    "members.self": "Anda tidak dapat mengubah keanggotaan Anda sendiri.",
    "members.not_below": (
        "Anda hanya dapat mengubah anggota di bawah Anda; {name} setingkat dengan Anda atau "
        "di atas Anda."
    ),
    "member.notice.removed": (
        "Anda tidak lagi terdaftar sebagai {role} di <b>{desk}</b>. Jika ini keliru, "
        "mintalah undangan baru kepada pengawas Anda."
    ),
    "member.notice.moved": (
        "🔀 Anda dipindahkan ke <b>{desk}</b> ({code}) sebagai {role}. Ketik /bantuan untuk "
        "melihat daftar perintah."
    ),
    "member.notice.role": (
        "Peran Anda sekarang <b>{role}</b> di <b>{desk}</b>. Ketik /bantuan untuk melihat "
        "daftar perintah."
    ),
    "member.notice.shift_ended": "⏹ Tugas Anda di <b>{desk}</b> diakhiri pukul {time}.",
}

EN: dict[str, str] = {
    "members.header": "👥 <b>Members in {scope}: {total}</b>",
    "members.page": "Page {page} of {pages}",
    "members.line": "{n}. <b>{name}</b> — {role}, {desk} ({code}){duty}",
    "members.line_on_duty": " · 🟢 on duty",
    "members.none": "No members are registered in your area yet.",
    "members.hint": "Choose a name to move them, change their role or remove them.",
    "members.pick": "{n}. {name}",
    "members.card": "👤 <b>{name}</b>{username}\n{role} at <b>{desk}</b> ({code})\n{duty}",
    "members.card_on_duty": "🟢 On duty now",
    "members.card_off_duty": "⚪ Not on duty",
    "members.refresh": "🔄",
    "members.btn.move": "🔀 Move",
    "members.btn.demote": "⬇️ Make officer",
    "members.btn.promote": "⬆️ Make supervisor",
    "members.btn.remove": "🗑 Remove",
    "members.btn.back": "‹ Member list",
    "members.btn.cancel": "✖️ Cancel",
    "members.btn.yes_remove": "✅ Yes, remove",
    "members.btn.yes_move": "✅ Yes, move",
    "members.btn.yes_promote": "✅ Yes, make supervisor",
    "members.choose_desk": "Move <b>{name}</b> from {desk} to which desk?",
    "members.no_desks": "There is no other desk near {desk} within your area.",
    "members.confirm_remove": (
        "Remove <b>{name}</b> ({role}, {desk})? Their shifts and reports are kept; they "
        "cannot use the bot until invited again."
    ),
    "members.confirm_on_duty": "⚠️ <b>{name}</b> is on duty at {desk}; their shift ends now.",
    "members.confirm_move": "Move <b>{name}</b> from {desk} to <b>{target}</b>?",
    "members.confirm_promote": "Make <b>{name}</b> a supervisor at {desk}?",
    "members.removed": "🗑 <b>{name}</b> was removed from {desk}. They will be told.",
    "members.moved": "🔀 <b>{name}</b> was moved to <b>{desk}</b>. They will be told.",
    "members.role_set": "<b>{name}</b> is now {role} at {desk}. They will be told.",
    "members.already": "Nothing changed: <b>{name}</b> already is {role} at {desk}.",
    "members.gone": "This person is no longer a registered member.",
    "members.self": "You cannot change your own membership.",
    "members.not_below": (
        "You can only change members below you; {name} is at your level or above."
    ),
    "member.notice.removed": (
        "You are no longer registered as {role} at <b>{desk}</b>. If this is a mistake, ask "
        "your supervisor for a new invite."
    ),
    "member.notice.moved": (
        "🔀 You were moved to <b>{desk}</b> ({code}) as {role}. Type /help for the list of "
        "commands."
    ),
    "member.notice.role": (
        "Your role is now <b>{role}</b> at <b>{desk}</b>. Type /help for the list of commands."
    ),
    "member.notice.shift_ended": "⏹ Your shift at <b>{desk}</b> was ended at {time}.",
}
