"""What the actors of a rehearsal do: one event per action, from a script or from the seed.

A script is a CSV file with the columns ``time,who,action``, one action a line, for an
operator who wants to replay what happened at the last election::

    time,who,action
    07:55,31.73.01.1001,checkin
    07:58,31.73.01.1001#2,checkin
    09:10,31.73.01.1001#2,silent
    10:30,31.73.01.1001,report kamtib tinggi
    11:00,31.73.01.1001,checkout
    08:40,31.73.01,ack

``time`` is the desk's local time (``HH:MM`` or ``HH.MM``) on the rehearsed date. ``who`` is
a desk code, meaning its first officer, or ``CODE#N`` for its N-th officer; for ``ack`` the
desk whose supervisor taps *Saya tangani* under every alert they were shown. ``silent``: the
officer stops answering "Masih bertugas?". A bad script is refused whole, every bad line
named with its number; nothing runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, cast

from storage.incidents import ALL_CLEAR, CATEGORIES, SEVERITIES
from storage.tables import CsvImportError, csv_reader

# "answer" (tapping *Masih bertugas*) is a reaction to the question, never scripted.
Action = Literal["checkin", "checkout", "silent", "report", "ack", "answer"]
ACTIONS: tuple[Action, ...] = ("checkin", "checkout", "silent", "report", "ack")
_CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})")
_WHO = re.compile(r"([0-9][0-9.]*)(?:#(\d{1,3}))?")


class ScriptError(CsvImportError):
    """The script cannot be played; ``errors`` are ``(line, message)`` pairs."""


@dataclass(frozen=True, slots=True)
class Event:
    """One action of one actor: at ``minute`` (minutes after midnight at the desk, local time,
    of the rehearsed date), the ``officer``-th officer of ``desk`` (0: its supervisor)."""

    minute: int
    desk: str
    officer: int
    action: Action
    category: str = ""
    severity: str = ""
    line: int = 0  # of the script (0: a synthetic actor)


def parse_clock(text: str) -> int:
    """Minutes after midnight of ``HH:MM`` (or ``HH.MM``)."""
    found = _CLOCK.fullmatch(text.strip())
    if not found:
        raise ValueError(f"time {text!r} is not HH:MM")
    hours, minutes = int(found[1]), int(found[2])
    if hours > 23 or minutes > 59:
        raise ValueError(f"time {text!r} is not a time of day (00:00–23:59)")
    return hours * 60 + minutes


def _action(text: str) -> tuple[Action, str, str]:
    words = text.split()
    if not words or words[0].lower() not in ACTIONS:
        raise ValueError(f"action {text!r} is not one of {', '.join(ACTIONS)}")
    action = cast(Action, words[0].lower())
    if action != "report":
        if len(words) > 1:
            raise ValueError(f"{action} takes nothing more, got {text!r}")
        return action, "", ""
    if len(words) < 2 or words[1].lower() not in CATEGORIES:
        raise ValueError(f"report needs a category: one of {', '.join(CATEGORIES)}")
    category = words[1].lower()
    if category == ALL_CLEAR:  # the all-clear carries no severity of its own
        if len(words) > 2:
            raise ValueError(f"report {ALL_CLEAR} takes no severity")
        return action, category, ""
    if len(words) != 3 or words[2].lower() not in SEVERITIES:
        raise ValueError(f"report {category} needs a severity: one of {', '.join(SEVERITIES)}")
    return action, category, words[2].lower()


def parse_script(text: str) -> list[Event]:
    """The events of a script, in file order; raises :class:`ScriptError` naming every bad
    line (the first row is the header: line 1)."""
    try:
        reader = csv_reader(text, ("time", "who", "action"))
    except CsvImportError as exc:
        raise ScriptError(exc.errors) from None
    events: list[Event] = []
    errors: list[tuple[int, str]] = []
    for raw in reader:
        line = reader.line_num
        cell = {key.strip(): (value or "").strip() for key, value in raw.items()
                if key is not None and isinstance(value, str)}
        if not any(cell.values()):
            continue  # an empty line
        try:
            minute = parse_clock(cell.get("time", ""))
            who = _WHO.fullmatch(cell.get("who", ""))
            if not who:
                raise ValueError(f"who {cell.get('who', '')!r} is not a desk code or CODE#N")
            action, category, severity = _action(cell.get("action", ""))
            officer = int(who[2] or 1)
            if action == "ack":
                if who[2]:
                    raise ValueError("ack is done by a desk's supervisor: give the desk code "
                                     "alone")
                officer = 0
            elif officer < 1:
                raise ValueError("officers are numbered from 1")
            events.append(Event(minute, who[1], officer, action, category, severity, line))
        except ValueError as exc:
            errors.append((line, str(exc)))
    if errors:
        raise ScriptError(errors)
    if not events:
        raise ScriptError([(1, "no actions in the script")])
    return events
