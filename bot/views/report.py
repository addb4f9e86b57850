"""How a ``/lapor`` draft asks its questions: the text and buttons of each step, the summary
before *Kirim*, and the list of answers *Ubah* can reopen.

The category question is one line with its buttons; what each category covers is one tap away
(❓), because thirteen explanations at once fill a phone's screen before the buttons show."""

from __future__ import annotations

from functools import cache

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.callbacks import ReportAction, ReportStep
from bot.texts import Markup, t
from storage.drafts import MAX_MEDIA, Draft, Step
from storage.incidents import ALL_CLEAR, CATEGORIES, SEVERITIES

MIN_TEXT, MAX_TEXT = 10, 1500  # characters of a description
# The answers *Ubah* can reopen, in the summary's order: button value -> its question.
FIXABLE: dict[str, Step] = {"cat": Step.CATEGORY, "sev": Step.SEVERITY,
                            "desc": Step.DESCRIPTION, "loc": Step.LOCATION, "media": Step.MEDIA,
                            "tps": Step.TPS}


def fixable(draft: Draft) -> tuple[str, ...]:
    """The answers of ``draft`` that can be changed (an all-clear report's severity and
    description are set by its category)."""
    if draft.category == ALL_CLEAR:
        return tuple(key for key in FIXABLE if key not in ("sev", "desc"))
    return tuple(FIXABLE)


def draft_button(lang: str, draft: Draft, key: str, action: ReportAction
                 ) -> InlineKeyboardButton:
    """A button of the draft's current question (its id makes older drafts' buttons stale)."""
    return InlineKeyboardButton(t(lang, key), callback_data=ReportStep(draft.id, action).pack())


@cache
def _hints(lang: str) -> Markup:
    """The category question's one line per category (the same for every draft)."""
    # Lines built by t (their values escaped): inserted as markup, not escaped again.
    return Markup("\n".join(t(lang, "lapor.hint_line", label=t(lang, f"cat.{c}"),
                              hint=t(lang, f"cat.{c}.hint")) for c in CATEGORIES))


def prompt(draft: Draft, lang: str, desk_name: str, *, hints: bool = False
           ) -> tuple[str, InlineKeyboardMarkup | ReplyKeyboardMarkup]:
    """The question of the draft's current step, with its buttons (``hints``: the category
    question with what each category covers)."""
    if draft.step is Step.LOCATION:
        return t(lang, "lapor.location"), ReplyKeyboardMarkup(
            [[KeyboardButton(t(lang, "lapor.location_button"), request_location=True)],
             [t(lang, "lapor.skip"), t(lang, "lapor.cancel")]],
            resize_keyboard=True, one_time_keyboard=True)
    cancel = [draft_button(lang, draft, "lapor.cancel", "cancel")]
    if draft.step is Step.CATEGORY:
        buttons = [InlineKeyboardButton(t(lang, f"cat.{c}"),
                                        callback_data=ReportStep(draft.id, "cat", c).pack())
                   for c in CATEGORIES]
        rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
        toggle = InlineKeyboardButton(
            t(lang, "lapor.hints_hide" if hints else "lapor.hints_show"),
            callback_data=ReportStep(draft.id, "help", "0" if hints else "1").pack())
        text = (t(lang, "lapor.category_hints", desk=desk_name, hints=_hints(lang)) if hints
                else t(lang, "lapor.category", desk=desk_name))
        return text, InlineKeyboardMarkup([*rows, [toggle, *cancel]])
    if draft.step is Step.SEVERITY:
        row = [InlineKeyboardButton(t(lang, f"sev.{s}"),
                                    callback_data=ReportStep(draft.id, "sev", s).pack())
               for s in SEVERITIES]
        return (t(lang, "lapor.severity", category=t(lang, f"cat.{draft.category}")),
                InlineKeyboardMarkup([row[:2], row[2:], cancel]))
    if draft.step is Step.DESCRIPTION:
        return t(lang, "lapor.description", min=MIN_TEXT, max=MAX_TEXT), \
            InlineKeyboardMarkup([cancel])
    if draft.step is Step.MEDIA:
        done = draft_button(lang, draft, "lapor.done", "done")
        return (t(lang, "lapor.media", max=MAX_MEDIA),
                InlineKeyboardMarkup([[done, draft_button(lang, draft, "lapor.skip", "skip")],
                                      cancel]))
    if draft.step is Step.TPS:
        return t(lang, "lapor.tps"), InlineKeyboardMarkup(
            [[draft_button(lang, draft, "lapor.skip", "skip")], cancel])
    none = t(lang, "lapor.none")
    text = t(lang, "lapor.summary", category=t(lang, f"cat.{draft.category}"),
             severity=t(lang, f"sev.{draft.severity}"), description=draft.description or none,
             location=t(lang, "lapor.location_set") if draft.latitude is not None else none,
             media=len(draft.media) or none, tps=draft.tps or none)
    return text, InlineKeyboardMarkup([[draft_button(lang, draft, "lapor.send", "send"),
                                        draft_button(lang, draft, "lapor.edit", "edit")], cancel])


def fix_menu(draft: Draft, lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """*Ubah*: which answer to change, with a way back to the summary."""
    buttons = [InlineKeyboardButton(t(lang, f"lapor.fix.{key}"),
                                    callback_data=ReportStep(draft.id, "fix", key).pack())
               for key in fixable(draft)]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    back = draft_button(lang, draft, "lapor.back", "back")
    return t(lang, "lapor.fix_ask"), InlineKeyboardMarkup(
        [*rows, [back], [draft_button(lang, draft, "lapor.cancel", "cancel")]])
