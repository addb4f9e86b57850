"""The Bot API stand-in answering a real python-telegram-bot ``Bot`` over HTTP: messages,
keyboards, edits, uploads, updates by long polling, locations and button presses."""

from __future__ import annotations

import asyncio
import datetime as dtm
import os
import time

os.environ.setdefault("PTB_TIMEDELTA", "1")

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, EndPointNotFound, InvalidToken

from tests.support.botapi_stub import StubBotAPI

ALICE = 1001
KEYBOARD = InlineKeyboardMarkup(
    [[InlineKeyboardButton("Hadir", callback_data="att:yes"),
      InlineKeyboardButton("Peta", url="https://example.org/map")]]
)



async def test_get_me(stub: StubBotAPI, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "posko_test_bot", True)
    assert me.can_join_groups is True
    assert stub.calls[0].method == "getMe" and stub.calls[0].status == 200


async def test_wrong_token_and_unknown_method(stub: StubBotAPI, bot: Bot) -> None:
    wrong = Bot("999:wrong", base_url=stub.base_url)
    with pytest.raises(InvalidToken):
        await wrong.initialize()
    await wrong.shutdown()
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")
    assert stub.calls[-1].method == "noSuchMethod" and stub.calls[-1].status == 404


async def test_send_message_with_inline_keyboard(stub: StubBotAPI, bot: Bot) -> None:
    stub.user(ALICE, "Alice")
    msg = await bot.send_message(ALICE, "Apel <b>pagi</b> &amp; briefing", parse_mode="HTML",
                                 reply_markup=KEYBOARD)
    assert msg.chat.type == "private" and msg.from_user and msg.from_user.is_bot
    assert msg.text == "Apel pagi & briefing"
    assert msg.reply_markup is not None
    assert msg.reply_markup.inline_keyboard[0][0].callback_data == "att:yes"
    [record] = stub.sent(ALICE)
    assert record.message_id == msg.message_id == 1
    assert isinstance(record.params["reply_markup"], dict)
    assert record.buttons() == [("Hadir", "att:yes"), ("Peta", "https://example.org/map")]
    assert record.params["chat_id"] == ALICE and record.params["parse_mode"] == "HTML"


async def test_reply_keyboard_is_recorded_but_not_echoed(stub: StubBotAPI, bot: Bot) -> None:
    stub.user(ALICE, "Alice")
    markup = ReplyKeyboardMarkup([[KeyboardButton("Kirim lokasi", request_location=True)]])
    msg = await bot.send_message(ALICE, "Bagikan lokasi", reply_markup=markup)
    assert msg.reply_markup is None
    record = stub.sent(ALICE)[0]
    assert record.reply_markup is None and record.reply_keyboard is not None
    assert record.reply_keyboard["keyboard"][0][0]["request_location"] is True


async def test_invalid_html_is_rejected(stub: StubBotAPI, bot: Bot) -> None:
    stub.user(ALICE, "Alice")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(ALICE, "skor 3 < 5 <b>x</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(4242, "siapa?")
    assert stub.sent() == []


async def test_lengths_are_counted_as_telegram_counts_them(stub: StubBotAPI, bot: Bot) -> None:
    stub.user(ALICE, "Alice")
    # After parsing the HTML and in UTF-16 units: 4,096 emoji are 8,192, tags and "&lt;" one.
    await bot.send_message(ALICE, "<b>" + "&lt;" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(ALICE, "😀" * 2049)
    with pytest.raises(BadRequest, match=r"(?i)message_too_long"):
        await bot.answer_callback_query("q1", "😀" * 101)
    await bot.answer_callback_query("q1", "😀" * 100)


async def test_edit_and_not_modified(stub: StubBotAPI, bot: Bot) -> None:
    stub.user(ALICE, "Alice")
    msg = await bot.send_message(ALICE, "Status: menunggu", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text("Status: hadir", ALICE, msg.message_id)
    assert not isinstance(edited, bool) and edited.text == "Status: hadir"
    assert edited.reply_markup is None  # omitting reply_markup removes the keyboard
    record = stub.sent(ALICE)[0]
    assert (record.text, record.history, record.reply_markup) == (
        "Status: hadir", ["Status: menunggu"], None)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Status: hadir", ALICE, msg.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", ALICE, 77)
    await bot.edit_message_reply_markup(ALICE, msg.message_id, reply_markup=KEYBOARD)
    assert record.buttons()[0] == ("Hadir", "att:yes")
    assert await bot.delete_message(ALICE, msg.message_id) is True
    assert record.deleted


async def test_get_updates_offset_semantics(stub: StubBotAPI, bot: Bot) -> None:
    alice = stub.user(ALICE, "Alice", username="alice")
    first = alice.send_text("/start TOKEN123")
    second = alice.send_text("halo")
    assert (first, second) == (1, 2) and stub.pending_updates() == 2
    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == [1, 2]
    assert updates[0].message and updates[0].message.text == "/start TOKEN123"
    entity = updates[0].message.entities[0]
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, 6)
    assert [u.update_id for u in await bot.get_updates()] == [1, 2]  # redelivered
    assert [u.update_id for u in await bot.get_updates(offset=2)] == [2]
    assert stub.pending_updates() == 1
    assert await bot.get_updates(offset=3) == ()
    assert stub.pending_updates() == 0


async def test_long_poll_returns_when_update_arrives(stub: StubBotAPI, bot: Bot) -> None:
    alice = stub.user(ALICE, "Alice")
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.3)
    assert not poll.done()
    alice.send_text("ada update")
    updates = await asyncio.wait_for(poll, 2)
    assert time.monotonic() - started < 2
    assert updates[0].message and updates[0].message.text == "ada update"


async def test_location_updates_parse(stub: StubBotAPI, bot: Bot) -> None:
    alice = stub.user(ALICE, "Alice")
    alice.send_location(-6.2, 106.8, horizontal_accuracy=12.5, age_s=120)
    alice.send_location(-6.3, 106.9, forwarded=True)
    alice.send_location(-6.4, 107.0, venue=True)
    plain, fwd, venue = (Update.de_json(u, bot) for u in stub.updates)
    assert plain.message and plain.message.location
    assert plain.message.location.latitude == -6.2
    assert plain.message.location.horizontal_accuracy == 12.5
    assert time.time() - plain.message.date.timestamp() >= 119
    assert fwd.message and fwd.message.forward_origin is not None
    assert fwd.message.forward_origin.type == "user"
    assert venue.message and venue.message.venue and venue.message.location
    assert venue.message.venue.location.longitude == 107.0


async def test_live_location_edit(stub: StubBotAPI, bot: Bot) -> None:
    alice = stub.user(ALICE, "Alice")
    alice.send_location(-6.2, 106.8, live_period=900)
    alice.edit_live_location(alice.last_message_id, -6.21, 106.81)
    first, edit = await bot.get_updates()
    assert edit.edited_message is not None and edit.message is None
    assert edit.edited_message.message_id == first.message.message_id  # type: ignore[union-attr]
    assert edit.edited_message.edit_date is not None
    location = edit.edited_message.location
    assert location and location.latitude == -6.21
    assert location.live_period == dtm.timedelta(seconds=900)


async def test_callback_query_press(stub: StubBotAPI, bot: Bot) -> None:
    alice = stub.user(ALICE, "Alice")
    await bot.send_message(ALICE, "Konfirmasi kehadiran", reply_markup=KEYBOARD)
    record = await stub.wait_for_message(ALICE, contains="Konfirmasi", timeout=1)
    alice.press(record, "att:yes")
    with pytest.raises(AssertionError):
        alice.press(record, "att:no")
    [update] = await bot.get_updates()
    query = update.callback_query
    assert query is not None and query.data == "att:yes" and query.from_user.id == ALICE
    assert isinstance(query.message, Message) and query.message.reply_markup is not None
    assert query.message.text == "Konfirmasi kehadiran"
    assert await bot.answer_callback_query(query.id, text="Tercatat") is True
    call = await stub.wait_for_call("answerCallbackQuery", timeout=1)
    assert call.params["text"] == "Tercatat"


async def test_wait_for_message_reports_what_arrived(stub: StubBotAPI, bot: Bot) -> None:
    stub.user(ALICE, "Alice")
    await bot.send_message(ALICE, "pesan pertama")

    async def send_later() -> None:
        await asyncio.sleep(0.1)
        await bot.send_message(ALICE, "pesan kedua")

    sender = asyncio.create_task(send_later())
    found = await stub.wait_for_message(ALICE, contains="pesan", after=1, timeout=2)
    await sender
    assert found.text == "pesan kedua"
    with pytest.raises(AssertionError, match="pesan pertama"):
        await stub.wait_for_message(ALICE, contains="tidak ada", timeout=0.1)


async def test_send_photo_upload_is_recorded(stub: StubBotAPI, bot: Bot) -> None:
    stub.user(ALICE, "Alice")
    data = b"\xff\xd8" + b"\x00" * 1000
    msg = await bot.send_photo(ALICE, data, caption="Foto TPS 07", filename="tps.jpg")
    assert msg.photo and msg.caption == "Foto TPS 07"
    upload = stub.calls[-1].params["photo"]
    assert upload == {"filename": "tps.jpg", "size": len(data), "content_type": "image/jpeg"}
    assert stub.sent(ALICE)[0].method == "sendPhoto" and stub.sent(ALICE)[0].text == "Foto TPS 07"
    doc = await bot.send_document(ALICE, b"a,b\n1,2\n", filename="rekap.csv")
    assert doc.document and doc.document.file_name == "rekap.csv"
    album = await bot.send_media_group(ALICE, [InputMediaPhoto(data), InputMediaPhoto(data)])
    assert len(album) == 2 and album[0].media_group_id == album[1].media_group_id
    file = await bot.get_file(msg.photo[-1].file_id)
    assert bytes(await file.download_as_bytearray()).startswith(b"stub-file:")
