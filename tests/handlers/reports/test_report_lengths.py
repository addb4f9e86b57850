"""Reports at the edge of Telegram's limits, through the real Application: a description and a
closing note as long as the bot allows, full of emoji (two UTF-16 units each), and long names.
The recording request refuses, as Telegram does, any text too long once parsed."""

from __future__ import annotations

import html
from typing import Any

from bot.outbox.message import Rendered, deliver
from storage import desks as desks_store
from storage import subscriptions as subscriptions_store
from storage.models import utcnow
from tests.support.botapi_rules import strip_html
from tests.support.harness import Harness
from tests.support.reports import CAMAT, KEC, LURAH, finish, fresh_sender, press, report, say, take
from tests.support.telegram import answer, only, sends, utf16_len

GROUP = -100777
DESCRIPTION = (("Ricuh <TPS> & " + "😀🔥😡📢🚨" * 20) * 20)[:1500]  # 2,804 units
NOTE = (("Aman & <ok> " + "👍🙏✅" * 10) * 40)[:1000]  # 1,475 units


def shown(text: str) -> int:
    """The length of an HTML text as Telegram counts it."""
    return utf16_len(strip_html(text))


async def test_a_long_emoji_report_closed_with_a_long_note_reaches_every_chat(h: Harness
                                                                            ) -> None:
    assert len(DESCRIPTION) == 1500 and len(NOTE) == 1000
    desk = await desks_store.by_code(h.db, KEC)
    assert desk is not None
    await subscriptions_store.subscribe(h.db, GROUP, desk.id, "Posko", CAMAT, utcnow())
    incident = await report(h, severity="kritis", description=DESCRIPTION)
    sender = fresh_sender(h)
    before = len(h.request.calls)
    await sender.drain(timeout=5)
    copies = only(h.request.calls[before:], "sendMessage")
    assert {int(c.params["chat_id"]) for c in copies} >= {LURAH, CAMAT, GROUP}
    for copy in copies:
        assert shown(copy.text) <= 4096 and "Ricuh &lt;TPS&gt; &amp; 😀🔥" in copy.text

    await press(h, CAMAT, finish(incident))
    await say(h, CAMAT, NOTE)
    before = len(h.request.calls)
    await sender.drain(timeout=5)
    edits = only(h.request.calls[before:], "editMessageText")
    assert len(edits) == len(copies)
    for edit in edits:
        assert shown(edit.text) <= 4096 and edit.buttons() == []
        # The description gives way, pointing at the full report; the note is shown whole.
        assert f"…\nSelengkapnya: /laporan {incident.ref}\n" in edit.text
        assert "✅ Selesai (Bu Camat): Aman &amp; &lt;ok&gt; 👍🙏✅" in edit.text
        assert edit.text.endswith(html.escape(NOTE[-30:], quote=False))
    refused = await h.db.fetchall("SELECT kind, error FROM outbox WHERE failed_at IS NOT NULL")
    assert [tuple(r) for r in refused] == []

    (laporan,) = sends(await say(h, CAMAT, f"/laporan {incident.ref}"))
    assert shown(laporan.text) <= 4096
    assert incident.ref in laporan.text and "Ricuh &lt;TPS&gt; &amp; 😀🔥" in laporan.text
    assert "<b>Riwayat</b>" in laporan.text and "selesai (Bu Camat): Aman &amp;" in laporan.text


async def test_a_popup_naming_a_long_name_is_cut_to_telegrams_limit(h: Harness) -> None:
    async with h.db.transaction() as tx:
        await tx.execute("UPDATE members SET full_name = ? WHERE telegram_id = ?",
                         ("Bu Camat 👩🏽‍💼" * 12, CAMAT))
    incident = await report(h)
    await press(h, CAMAT, take(incident))
    popup = answer(await press(h, LURAH, take(incident))).text
    assert utf16_len(popup) <= 200 and popup.endswith("…")
    assert popup.startswith(f"{incident.ref} sudah ditangani oleh Bu Camat 👩🏽‍💼")


async def test_whatever_the_outbox_sends_is_cut_to_telegrams_limits(h: Harness) -> None:
    caption = "<b>Rekap 🗳 " + "🗳" * 600 + "</b>"  # a chart captioned with a long scope name
    await deliver(h.app.bot, LURAH, Rendered(caption, photo=b"\x89PNG\r\n\x1a\n"))
    text = "<i>" + "🏛 <b>Posko</b>\n" * 600 + "</i>"
    await deliver(h.app.bot, LURAH, Rendered(text))
    photo, message = only(h.request.calls, "sendPhoto", "sendMessage")[-2:]
    assert shown(photo.params["caption"]) <= 1024 and photo.params["caption"].endswith("…")
    assert shown(message.text) <= 4096 and message.text.endswith("</i>…")


async def test_a_document_goes_up_with_its_name_and_a_caption_within_the_limit(
        h: Harness) -> None:
    uploads: list[tuple[str, bytes]] = []
    original = h.request.do_request

    async def do_request(*args: Any, **kwargs: Any) -> tuple[int, bytes]:
        data = kwargs.get("request_data")
        if data is not None and data.contains_files:
            uploads.extend((name, content) for name, content, _ in
                           data.multipart_data.values())
        return await original(*args, **kwargs)

    h.request.do_request = do_request  # type: ignore[method-assign]
    caption = "📅 Ekspor " + "🗳" * 700
    await deliver(h.app.bot, LURAH, Rendered(caption, document=("posko-31.73.xlsx", b"PK\x03")))
    (sent,) = only(h.request.calls, "sendDocument")
    assert shown(sent.params["caption"]) <= 1024 and sent.params["caption"].endswith("…")
    assert uploads == [("posko-31.73.xlsx", b"PK\x03")]
