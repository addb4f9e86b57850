"""End to end: a kritis report reaches the lurah, the camat and the kota with its photos and a
document (two messages: Telegram's albums do not mix them); the camat takes it and closes it;
the reporter hears of both changes. The Bawaslu liaison of the kecamatan hears nothing of
that kamtib report, and gets the officer's next one, of money politics, and takes it."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from tests.support.botapi_stub import SentMessage, StubBotAPI
from tests.support.data import JAKARTA_CSV
from tests.support.e2e import BotProcess, bot_env, cli, register

KEL, KEC, KOTA = "31.73.01.1001", "31.73.01", "31.73"
LURAH, CAMAT, WALIKOTA, GUBERNUR, OFFICER, PANWAS = 6001, 6002, 6003, 6004, 6005, 6006


def _button(message: SentMessage, prefix: str) -> str:
    return next(data for _, data in message.buttons() if data.startswith(prefix))


async def test_kritis_report_routed_taken_closed(stub: StubBotAPI, tmp_path: Path) -> None:
    env = bot_env(stub, tmp_path)
    assert (await cli(env, tmp_path, "import-desks", str(JAKARTA_CSV))).returncode == 0
    bot = BotProcess(env, tmp_path)
    bot.start()
    try:
        await stub.wait_for_call("setMyCommands", timeout=30)
        people = {uid: stub.user(uid, name) for uid, name in (
            (LURAH, "Lurah"), (CAMAT, "Camat"), (WALIKOTA, "Walikota"), (GUBERNUR, "Gubernur"),
            (OFFICER, "Budi"), (PANWAS, "Panwascam"))}
        for uid, code, role in ((LURAH, KEL, "supervisor"), (CAMAT, KEC, "supervisor"),
                                (WALIKOTA, KOTA, "supervisor"), (GUBERNUR, "31", "supervisor"),
                                (OFFICER, KEL, "officer")):
            await register(stub, env, tmp_path, people[uid], code, role)
        await register(stub, env, tmp_path, people[PANWAS], KEC, "mitra", "--agency", "bawaslu")
        budi = people[OFFICER]
        budi.send_text("/lapor")
        ask = await stub.wait_for_message(OFFICER, contains="Pilih kategori")
        budi.press(ask, next(d for _, d in ask.buttons() if d.endswith(":cat:kamtib")))
        ask = await stub.wait_for_message(OFFICER, contains="Seberapa gawat")
        budi.press(ask, next(d for _, d in ask.buttons() if d.endswith(":sev:kritis")))
        await stub.wait_for_message(OFFICER, contains="Tuliskan apa yang terjadi")
        budi.send_text("Kericuhan di depan TPS 012, dua orang terluka & massa berkumpul")
        await stub.wait_for_message(OFFICER, contains="Kirim lokasi kejadian")
        budi.send_location(-6.1486, 106.7352)
        ask = await stub.wait_for_message(OFFICER, contains="Kirim foto")
        budi.send_photo()
        await stub.wait_for_message(OFFICER, contains="Lampiran diterima (1/5)")
        budi.send_photo()
        await stub.wait_for_message(OFFICER, contains="Lampiran diterima (2/5)")
        budi.send_document()  # cannot share the photos' album
        got = await stub.wait_for_message(OFFICER, contains="Lampiran diterima (3/5)")
        budi.press(got, _button(got, "lp:"))
        ask = await stub.wait_for_message(OFFICER, contains="Nomor TPS")
        budi.send_text("12")
        summary = await stub.wait_for_message(OFFICER, contains="Ringkasan laporan")
        assert "TPS: 012" in (summary.text or "") and "Lampiran: 3" in (summary.text or "")
        send = next(d for _, d in summary.buttons() if d.endswith(":send"))
        budi.press(summary, send)
        budi.press(summary, send, strict=False)  # a double tap
        receipt = await stub.wait_for_message(OFFICER, contains="diterima dan diteruskan")
        ref = re.search(r"LP-31\.73\.01\.1001-\d{4}", receipt.text or "")
        assert ref and "kepada 3 penerima" in (receipt.text or "")

        reports = {}
        for chat in (LURAH, CAMAT, WALIKOTA):
            album = await stub.wait_for_message(
                chat, predicate=lambda m: m.method == "sendMediaGroup")
            assert ref[0] in (album.text or "")
            reports[chat] = await stub.wait_for_message(chat, contains=f"Laporan {ref[0]}")
            # Two photos in one album, the document by itself (Telegram refuses a mixed album).
            assert [m.method for m in stub.sent(chat) if m.method.startswith(
                ("sendMediaGroup", "sendDocument", "sendPhoto"))] == [
                "sendMediaGroup", "sendMediaGroup", "sendDocument"]
            assert "Kericuhan di depan TPS 012" in (reports[chat].text or "")
            assert [t for t, _ in reports[chat].buttons()] == ["🛠 Tangani", "✅ Selesai",
                                                               "↪️ Teruskan"]
        assert not [m for m in stub.sent(GUBERNUR) if ref[0] in (m.text or "")]

        people[CAMAT].press(reports[CAMAT], _button(reports[CAMAT], "inc:t:"))
        await stub.wait_for_message(OFFICER, contains="sedang ditangani oleh Camat")
        for chat in (LURAH, CAMAT, WALIKOTA):
            await stub.wait_for_message(chat, predicate=lambda m: "Ditangani oleh Camat" in
                                        (m.text or "") and ref[0] in (m.text or ""))
        taken = reports[CAMAT]  # the same message, edited: only *Selesai* is left
        assert [t for t, _ in taken.buttons()] == ["✅ Selesai", "↪️ Teruskan"]
        people[CAMAT].press(taken, _button(taken, "inc:f:"))
        await stub.wait_for_message(CAMAT, contains="Tulis catatan penutup")
        people[CAMAT].send_text("Massa dibubarkan, korban dibawa ke puskesmas")
        await stub.wait_for_message(CAMAT, contains="ditutup")
        closed = await stub.wait_for_message(OFFICER, contains="selesai ditangani oleh Camat")
        assert "Massa dibubarkan" in (closed.text or "")
        assert not [m for m in stub.sent(PANWAS) if ref[0] in (m.text or "")]  # kamtib

        start = len(stub.sent(OFFICER))  # the second report's questions come after this
        budi.send_text("/lapor")
        ask = await stub.wait_for_message(OFFICER, after=start, contains="Pilih kategori")
        budi.press(ask, next(d for _, d in ask.buttons() if d.endswith(":cat:politik_uang")))
        ask = await stub.wait_for_message(OFFICER, after=start, contains="Seberapa gawat")
        budi.press(ask, next(d for _, d in ask.buttons() if d.endswith(":sev:tinggi")))
        await stub.wait_for_message(OFFICER, after=start, contains="Tuliskan apa yang terjadi")
        budi.send_text("Pembagian amplop kepada warga di RW 03 menjelang pencoblosan")
        await stub.wait_for_message(OFFICER, after=start, contains="Kirim lokasi kejadian")
        budi.send_text("Lewati")
        ask = await stub.wait_for_message(OFFICER, after=start, contains="Kirim foto")
        budi.press(ask, _button(ask, "lp:"))
        ask = await stub.wait_for_message(OFFICER, after=start, contains="Nomor TPS")
        budi.press(ask, _button(ask, "lp:"))
        summary = await stub.wait_for_message(OFFICER, after=start, contains="Ringkasan laporan")
        budi.press(summary, next(d for _, d in summary.buttons() if d.endswith(":send")))
        receipt = await stub.wait_for_message(OFFICER, after=start,
                                              contains="diterima dan diteruskan")
        assert "Instansi mitra yang menangani: Bawaslu" in (receipt.text or "")
        money = re.search(r"LP-31\.73\.01\.1001-\d{4}", receipt.text or "")
        assert money
        routed = await stub.wait_for_message(PANWAS, contains=f"Laporan {money[0]}")
        assert "Mitra: Bawaslu" in (routed.text or "")
        # A liaison takes and closes; handing on is the supervisors'.
        assert [t for t, _ in routed.buttons()] == ["🛠 Tangani", "✅ Selesai"]
        people[PANWAS].press(routed, _button(routed, "inc:t:"))
        await stub.wait_for_message(
            OFFICER, contains=f"{money[0]} sedang ditangani oleh Panwascam (Bawaslu)")
        assert await bot.stop() == 0
    finally:
        bot.kill()
    # The double tap got the same receipt, never a second report.
    with sqlite3.connect(tmp_path / "posko.db") as conn:
        assert conn.execute("SELECT count(*) FROM incidents").fetchone()[0] == 2
        history = [r[0] for r in conn.execute("SELECT status FROM incident_history ORDER BY id")]
    assert history == ["baru", "ditangani", "selesai", "baru", "ditangani"]
