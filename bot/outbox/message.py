"""One outbox message as Telegram receives it: what a renderer produces (:class:`Rendered`)
and the one Bot API call that sends or edits it (:func:`deliver`)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import telegram
from telegram import (
    InlineKeyboardMarkup,
    InputFile,
    InputMediaDocument,
    InputMediaPhoto,
    InputMediaVideo,
    Message,
)
from telegram.constants import ParseMode

from bot.outbox.pacing import Unread, unread
from bot.views.limits import CAPTION_MAX, TEXT_MAX, fit


@dataclass(frozen=True)
class Rendered:
    """What to send for one row."""

    text: str  # HTML
    reply_markup: InlineKeyboardMarkup | None = None
    edit: tuple[int, int] | None = None  # (chat_id, message_id) to edit instead of sending
    # (kind, file_id) attachments: sent as one photo/video/document with ``text`` as its
    # caption, or as an album (caption on the first item); no keyboard on those.
    media: tuple[tuple[str, str], ...] = ()
    photo: bytes | None = None  # an image to upload (a chart), ``text`` as its caption
    document: tuple[str, bytes] | None = None  # (file name, content) to upload, captioned


_INPUT_MEDIA: dict[str, type[InputMediaPhoto | InputMediaVideo | InputMediaDocument]] = {
    "photo": InputMediaPhoto, "video": InputMediaVideo, "document": InputMediaDocument}


async def deliver(bot: telegram.Bot, chat_id: int, rendered: Rendered) -> int | None:
    """Send (or edit) one rendered message; the id of the message Telegram now shows.

    A text over Telegram's limit would be refused for good, and an edit refused leaves the
    old message standing: what goes out is cut to fit whatever the renderer made. Only the
    id of the answer is kept, so PTB need not build a ``Message`` from it
    (:func:`~bot.outbox.pacing.unread`).
    """
    captioned = rendered.photo is not None or rendered.document is not None \
        or bool(rendered.media)
    text = fit(rendered.text, CAPTION_MAX if captioned else TEXT_MAX)
    rendered = replace(rendered, text=text)
    markup, html = rendered.reply_markup, ParseMode.HTML
    with unread() as kept:
        if rendered.photo is not None:
            sent = await bot.send_photo(chat_id, rendered.photo, caption=text, parse_mode=html)
        elif rendered.document is not None:
            name, content = rendered.document
            sent = await bot.send_document(chat_id, InputFile(content, filename=name),
                                           caption=text, parse_mode=html)
        elif rendered.media:
            return await _send_media(bot, chat_id, rendered, kept)
        elif rendered.edit is None:
            sent = await bot.send_message(chat_id, text, parse_mode=html, reply_markup=markup)
        else:
            edit_chat, edit_id = rendered.edit
            edited = await bot.edit_message_text(text, edit_chat, edit_id, parse_mode=html,
                                                 reply_markup=markup)
            # An edit keeps its message: the id is the one edited, whatever the answer.
            return edited.message_id if isinstance(edited, Message) else edit_id
    return sent.message_id if isinstance(sent, Message) else kept.message_id


async def _send_media(bot: telegram.Bot, chat_id: int, rendered: Rendered, kept: Unread
                      ) -> int | None:
    """One attachment with its caption, or an album (Telegram: 2-10 items)."""
    html = ParseMode.HTML
    if len(rendered.media) == 1:
        kind, file_id = rendered.media[0]
        caption = rendered.text
        if kind == "photo":
            message = await bot.send_photo(chat_id, file_id, caption=caption, parse_mode=html)
        elif kind == "video":
            message = await bot.send_video(chat_id, file_id, caption=caption, parse_mode=html)
        else:
            message = await bot.send_document(chat_id, file_id, caption=caption,
                                              parse_mode=html)
        return message.message_id if isinstance(message, Message) else kept.message_id
    items = [_INPUT_MEDIA.get(kind, InputMediaDocument)(
                 file_id, caption=rendered.text if i == 0 else None, parse_mode=html)
             for i, (kind, file_id) in enumerate(rendered.media)]
    messages = await bot.send_media_group(chat_id, items)  # a list: parsed, albums are rare
    return messages[0].message_id
