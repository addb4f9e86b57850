"""The ‹ 🔄 › row under every paged list (``/rekap``, ``/peringatan``, ``/laporan``,
``/undangan``, ``/anggota``, a member's desks): one look, whatever it pages."""

from __future__ import annotations

from collections.abc import Callable

from telegram import InlineKeyboardButton

from bot.callbacks import CallbackData


def page_row(at: Callable[[int], CallbackData], page: int, pages: int,
             refresh: str | None = None) -> list[InlineKeyboardButton]:
    """‹ (when there is a page before), ``refresh`` (if given: this page again) and › (when
    there is one after); ``at(n)`` is the button data of page ``n``."""
    row = [InlineKeyboardButton("‹", callback_data=at(page - 1).pack())] if page > 0 else []
    if refresh is not None:
        row.append(InlineKeyboardButton(refresh, callback_data=at(page).pack()))
    if page + 1 < pages:
        row.append(InlineKeyboardButton("›", callback_data=at(page + 1).pack()))
    return row
