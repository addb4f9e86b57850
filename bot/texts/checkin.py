"""Texts of presence at the desk: ``/checkin``, the location checks and ``/checkout``
(Bahasa Indonesia and English)."""

from __future__ import annotations

ID: dict[str, str] = {
    "checkin.ask": (
        "Check-in di <b>{desk}</b>: kirim lokasi Anda saat ini dengan tombol di bawah. Anda "
        "juga dapat membagikan lokasi langsung (live) agar kehadiran Anda terus tercatat."
    ),
    "checkin.button": "📍 Kirim lokasi saya",
    "checkin.ask_live": (
        "Check-in di <b>{desk}</b>: tekan 📎, pilih <b>Lokasi</b>, lalu bagikan lokasi "
        "langsung (live) Anda selama bertugas. Lokasi sekali kirim tidak diterima."
    ),
    "checkin.already": (
        "Anda sudah check-in di <b>{desk}</b> sejak {since}. Ketik /checkout untuk "
        "mengakhiri tugas."
    ),
    "checkin.ok": "✅ Check-in tercatat di <b>{desk}</b> pukul {time} ({distance} dari posko).",
    "checkin.ok_live": "Lokasi langsung aktif sampai {until}; kehadiran Anda terus diperbarui.",
    "checkin.no_desk": "Anda belum terhubung ke posko mana pun. Hubungi sekretariat posko.",
    "loc.forwarded": (
        "Lokasi yang diteruskan tidak diterima. Kirim lokasi Anda sendiri dengan tombol 📍."
    ),
    "loc.venue": (
        "Tempat yang dipilih dari daftar tidak diterima. Kirim lokasi Anda saat ini dengan "
        "tombol 📍."
    ),
    "loc.not_live": (
        "❌ Check-in ditolak: posko ini hanya menerima lokasi langsung (live) karena lokasi "
        "sekali kirim dapat dipilih dari peta. Tekan 📎, pilih <b>Lokasi</b>, lalu bagikan "
        "lokasi langsung Anda."
    ),
    "loc.stale": (
        "Lokasi ini tidak diterima karena dikirim lebih dari {max} yang lalu. Kirim lokasi "
        "Anda saat ini."
    ),
    "loc.invalid": "Koordinat lokasi tidak sah. Kirim lokasi Anda saat ini dengan tombol 📍.",
    "loc.too_far": (
        "❌ Check-in ditolak: Anda berada {distance} dari <b>{desk}</b> (batas {radius}). "
        "Datanglah ke posko lalu kirim lokasi lagi."
    ),
    "loc.imprecise": (
        "❌ Check-in ditolak: lokasi kurang akurat (±{accuracy}, batas posko {radius}). "
        "Nyalakan GPS atau mode akurasi tinggi, tunggu sebentar, lalu kirim lokasi lagi."
    ),
    "loc.no_desk_location": (
        "Posko <b>{desk}</b> belum memiliki koordinat sehingga lokasi tidak dapat diperiksa. "
        "Hubungi sekretariat posko."
    ),
    "checkout.none": "Anda tidak sedang bertugas.",
    "checkout.confirm_empty": (
        "Jika Anda check-out sekarang, <b>{desk}</b> akan kekurangan petugas ({left}/{min}) "
        "padahal masih dalam jam tugas. Tetap check-out?"
    ),
    "checkout.yes": "Ya, check-out",
    "checkout.no": "Tidak, tetap bertugas",
    "checkout.ok": "👋 Check-out tercatat pukul {time}. Lama bertugas: {duration}.",
    "checkout.kept": "Baik, Anda tetap bertugas.",
}

EN: dict[str, str] = {
    "checkin.ask": (
        "Check in at <b>{desk}</b>: send your current location with the button below. "
        "You may also share your live location to keep your presence up to date."
    ),
    "checkin.button": "📍 Send my location",
    "checkin.ask_live": (
        "Check in at <b>{desk}</b>: tap 📎, choose <b>Location</b> and share your live "
        "location while on duty. A one-time location is not accepted."
    ),
    "checkin.already": (
        "You have been checked in at <b>{desk}</b> since {since}. Type /checkout to end."
    ),
    "checkin.ok": "✅ Checked in at <b>{desk}</b> at {time} ({distance} from the desk).",
    "checkin.ok_live": "Live location active until {until}; your presence keeps updating.",
    "checkin.no_desk": "You are not attached to any desk. Contact the secretariat.",
    "loc.forwarded": "A forwarded location is not accepted. Send your own with the 📍 button.",
    "loc.venue": "A venue is not accepted. Send your current location with the 📍 button.",
    "loc.not_live": (
        "❌ Check-in refused: only a live location is accepted, because a one-time location "
        "can be picked on the map. Tap 📎, choose <b>Location</b> and share your live location."
    ),
    "loc.stale": "This location is too old (over {max}). Send your current location.",
    "loc.invalid": "The coordinates are invalid. Send your current location with the 📍 button.",
    "loc.too_far": (
        "❌ Check-in refused: you are {distance} from <b>{desk}</b> (limit {radius}). "
        "Go to the desk and send your location again."
    ),
    "loc.imprecise": (
        "❌ Check-in refused: the location is not precise enough (±{accuracy}; the desk's "
        "limit is {radius}). Turn on GPS or high accuracy, wait a moment, and send it again."
    ),
    "loc.no_desk_location": (
        "Desk <b>{desk}</b> has no coordinates yet, so locations cannot be verified. "
        "Contact the secretariat."
    ),
    "checkout.none": "You are not on duty.",
    "checkout.confirm_empty": (
        "If you check out now, <b>{desk}</b> will be short of staff ({left}/{min}) during "
        "duty hours. Check out anyway?"
    ),
    "checkout.yes": "Yes, check out",
    "checkout.no": "No, stay on duty",
    "checkout.ok": "👋 Checked out at {time}. Time on duty {duration}.",
    "checkout.kept": "OK, you stay on duty.",
}
