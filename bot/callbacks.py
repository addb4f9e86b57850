"""Every button kind, declared once: its prefix and fields, packed and parsed only here.

Callback data is what Telegram hands back when a button is pressed: at most 64 bytes, and
anyone can forge it. A kind is a frozen dataclass whose fields are its payload; ``pack()``
writes ``prefix:field:field`` and ``parse(data)`` reads it back, or returns None for anything
that does not fit: another prefix, a wrong number of fields, an id that is not a small ASCII
number, a value outside a ``Literal``'s choices. Handlers never split callback data by hand,
and treat None as a stale or forged button.

The wire format is the one buttons already sent carry (``ack:17``, ``lp:5:cat:kamtib``), so a
keyboard sent before an upgrade still works after it. Which handler takes each kind and who
may press it is declared in the handler registry (``bot.handlers``).
"""

from __future__ import annotations

import re
from dataclasses import MISSING, dataclass, fields
from typing import Any, ClassVar, Literal, Self, get_args, get_origin, get_type_hints

MAX_BYTES = 64  # Telegram's limit for callback data
# What a /lapor button does: cat, sev answer those questions; done, skip end an optional step;
# help shows (value "1") or hides the category hints; edit opens the summary's "change what"
# list, fix reopens one answer (value: a field of FIXABLE), back returns to the summary; send,
# cancel.
ReportAction = Literal["cat", "sev", "done", "skip", "help", "edit", "fix", "back", "send",
                       "cancel"]
# officer, supervisor, partner (mitra): one letter keeps invite buttons short
RoleKey = Literal["o", "s", "m"]
# What a member's button does: v show, mv choose a desk (page), to move to a desk, ty move
# confirmed, rm ask to remove, ry remove confirmed, dm make an officer, pm make a supervisor,
# py that confirmed.
MemberActionKey = Literal["v", "mv", "to", "ty", "rm", "ry", "dm", "pm", "py"]


def parse_id(value: str) -> int | None:
    """A small non-negative id written in ASCII digits; None for anything else.

    ``str.isdigit`` alone also accepts ``²`` (which ``int`` rejects) and other scripts' digits,
    and an unbounded number overflows SQLite's 64-bit integers.
    """
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


@dataclass(frozen=True, slots=True)
class CallbackData:
    """Base of every button kind; a subclass sets ``PREFIX`` and declares its fields."""

    PREFIX: ClassVar[str]
    # Per kind, filled once by __init_subclass__: (field name, parser, has a default).
    _FIELDS: ClassVar[tuple[tuple[str, Any, bool], ...]] = ()
    _REQUIRED: ClassVar[int] = 0

    @classmethod
    def _fields(cls) -> tuple[tuple[str, Any, bool], ...]:
        if "_FIELDS" not in cls.__dict__:  # resolved on first use: the class is complete then
            hints = get_type_hints(cls)
            found = tuple((f.name, _reader(hints[f.name]), f.default is not MISSING)
                          for f in fields(cls))
            cls._FIELDS = found
            cls._REQUIRED = sum(1 for _, _, optional in found if not optional)
        return cls._FIELDS

    @classmethod
    def pattern(cls) -> str:
        """The regex a ``CallbackQueryHandler`` selects this kind's presses by."""
        return "^" + re.escape(cls.PREFIX + ":")

    def pack(self) -> str:
        """The callback data of this button (trailing empty optional fields left out)."""
        values = [str(int(v)) if isinstance(v, bool) else str(v)
                  for v in (getattr(self, name) for name, _, _ in self._fields())]
        while values and values[-1] == "" and len(values) > self._REQUIRED:
            values.pop()
        data = ":".join([self.PREFIX, *values])
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        """The button this data packs, or None for anything else (stale, foreign, forged)."""
        specs = cls._fields()
        if data is None or not data.startswith(cls.PREFIX + ":"):
            return None
        parts = data[len(cls.PREFIX) + 1:].split(":")
        if not cls._REQUIRED <= len(parts) <= len(specs):
            return None
        values: dict[str, Any] = {}
        for (name, read, _), raw in zip(specs, parts, strict=False):
            value = read(raw)
            if value is None:
                return None
            values[name] = value
        return cls(**values)


def _reader(annotation: Any) -> Any:
    """How one field is read back from its text: int ids, choices, or plain text."""
    if annotation is int:
        return parse_id
    if get_origin(annotation) is Literal:
        choices = frozenset(get_args(annotation))
        return lambda raw: raw if raw in choices else None
    if annotation is str:
        return lambda raw: raw if raw and len(raw) <= MAX_BYTES else None
    raise TypeError(f"unsupported callback field type {annotation!r}")


# --- onboarding and everyone's buttons ----------------------------------------------------

@dataclass(frozen=True, slots=True)
class Registration(CallbackData):
    """*Daftar* under an invite (its token), or *Batal* (``DECLINE``)."""

    PREFIX = "reg"
    DECLINE: ClassVar[str] = "-"
    token: str


@dataclass(frozen=True, slots=True)
class Language(CallbackData):
    """A language under ``/bahasa``."""

    PREFIX = "lang"
    code: str


# --- officers ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Checkout(CallbackData):
    """The answer to "leave the desk short?": ``y`` checks out, ``n`` stays."""

    PREFIX = "co"
    shift_id: int
    answer: Literal["y", "n"]


@dataclass(frozen=True, slots=True)
class StillHere(CallbackData):
    """*Masih bertugas*: the answer to one presence question."""

    PREFIX = "pc"
    check_id: int


@dataclass(frozen=True, slots=True)
class PledgeAgree(CallbackData):
    """*Saya setuju* under the neutrality pledge; ``version`` names the text it was shown
    with, so a press under a text changed since confirms nothing."""

    PREFIX = "pk"
    version: str


@dataclass(frozen=True, slots=True)
class ReportStep(CallbackData):
    """A button of a ``/lapor`` draft: its action, with a value for category and severity."""

    PREFIX = "lp"
    draft_id: int
    action: ReportAction
    value: str = ""


# --- supervisors ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class InviteRole(CallbackData):
    """The role chosen under ``/undang``: ``o`` officer, ``s`` supervisor, ``m`` partner, for
    ``uses`` people; a partner's invite asks next for the ``agency``."""

    PREFIX = "inv"
    desk_id: int
    role: RoleKey
    uses: int
    agency: str = ""


@dataclass(frozen=True, slots=True)
class InviteDesk(CallbackData):
    """A desk tapped under ``/undang`` (found by name, or one of the caller's)."""

    PREFIX = "ivd"
    desk_id: int
    uses: int


@dataclass(frozen=True, slots=True)
class AlertAck(CallbackData):
    """*Saya tangani* under an empty-desk alert."""

    PREFIX = "ack"
    alert_id: int


@dataclass(frozen=True, slots=True)
class DeskView(CallbackData):
    """*Lihat posko*: the desk's state now."""

    PREFIX = "desk"
    desk_id: int


@dataclass(frozen=True, slots=True)
class ReportTake(CallbackData):
    """*Tangani* under a report."""

    PREFIX = "inc:t"
    incident_id: int


@dataclass(frozen=True, slots=True)
class ReportFinish(CallbackData):
    """*Selesai* under a report (the closing note is asked in private)."""

    PREFIX = "inc:f"
    incident_id: int


@dataclass(frozen=True, slots=True)
class ReportHandOff(CallbackData):
    """*Teruskan* under a report: the agencies to hand it to are offered in private."""

    PREFIX = "inc:h"
    incident_id: int


@dataclass(frozen=True, slots=True)
class ReportHandTo(CallbackData):
    """An agency chosen after *Teruskan* (its key, checked against the configured ones)."""

    PREFIX = "inc:a"
    incident_id: int
    agency: str


@dataclass(frozen=True, slots=True)
class TpsMove(CallbackData):
    """*Catat pemindahan TPS* under a report (no reason: ask it), then a reason chosen."""

    PREFIX = "tpm"
    incident_id: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ReportsPage(CallbackData):
    """‹ / › under ``/laporan``."""

    PREFIX = "incp"
    page: int


@dataclass(frozen=True, slots=True)
class BoardPage(CallbackData):
    """A page of ``/rekap`` for a desk (0: an admin's whole country): ‹ › 🔄 🔎 ⬆."""

    PREFIX = "rk"
    desk_id: int
    page: int


@dataclass(frozen=True, slots=True)
class AlertsPage(CallbackData):
    """‹ / › under ``/peringatan``."""

    PREFIX = "alp"
    page: int


@dataclass(frozen=True, slots=True)
class InvitesPage(CallbackData):
    """‹ › 🔄 under the open invites, and *back* from a revocation question."""

    PREFIX = "ivp"
    page: int


@dataclass(frozen=True, slots=True)
class InviteRevoke(CallbackData):
    """🚫 under an open invite: ``ask`` shows the question, ``yes`` revokes."""

    PREFIX = "ivr"
    invite_id: int
    step: Literal["ask", "yes"]


@dataclass(frozen=True, slots=True)
class MembersPage(CallbackData):
    """‹ › 🔄 under the member list, and *back* from a member."""

    PREFIX = "mbp"
    page: int


@dataclass(frozen=True, slots=True)
class MemberAction(CallbackData):
    """A member's button: the member (Telegram id), the action, and its number (a desk id,
    or a page of desks)."""

    PREFIX = "mb"
    telegram_id: int
    action: MemberActionKey
    arg: int


# Every kind, for the registry's completeness test and the documentation.
KINDS: tuple[type[CallbackData], ...] = (
    Registration, Language, Checkout, StillHere, ReportStep, InviteRole, AlertAck, DeskView,
    ReportTake, ReportFinish, ReportsPage, BoardPage, AlertsPage, InvitesPage, InviteRevoke,
    MembersPage, MemberAction, InviteDesk, PledgeAgree, ReportHandOff, ReportHandTo,
    TpsMove)
