"""Texts of the presence question during a shift and of shifts the bot closes (Bahasa Indonesia
and English)."""

from __future__ import annotations

ID: dict[str, str] = {
    "presence.ask": (
        "❓ Apakah Anda masih bertugas di posko <b>{desk}</b>? Tekan tombol di bawah dalam "
        "{timeout}; jika tidak ada jawaban, tugas Anda dianggap selesai."
    ),
    "presence.button": "✅ Masih bertugas",
    "presence.thanks": "Terima kasih, kehadiran Anda tercatat.",
    "presence.stale": "Pertanyaan ini sudah tidak berlaku.",
    "shift_closed.presence_timeout": (
        "⏹ Tugas Anda di <b>{desk}</b> diakhiri pukul {time} karena tidak ada jawaban. Ketik "
        "/checkin jika Anda masih bertugas."
    ),
    "shift_closed.duty_end": (
        "⏹ Jam tugas di <b>{desk}</b> sudah selesai; tugas Anda diakhiri pukul {time}."
    ),
}

EN: dict[str, str] = {
    "presence.ask": (
        "❓ Still on duty at <b>{desk}</b>? Tap the button below within {timeout}; "
        "without an answer your shift is closed."
    ),
    "presence.button": "✅ Still on duty",
    "presence.thanks": "Thank you, your presence is recorded.",
    "presence.stale": "This question is no longer valid.",
    "shift_closed.presence_timeout": (
        "⏹ Your shift at <b>{desk}</b> was closed at {time} for lack of an answer. "
        "Type /checkin if you are still on duty."
    ),
    "shift_closed.duty_end": "⏹ Duty hours at <b>{desk}</b> are over; your shift closed at {time}.",
}
