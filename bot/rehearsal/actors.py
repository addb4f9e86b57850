"""Who takes part in a rehearsal, and what the synthetic ones do, drawn from one seed.

Every desk in scope gets one supervisor and, for the rehearsed date, its ``min_staff``
officers plus one (at least one). Their Telegram ids are far above any real account's, so a
rehearsal on a copy of a live database never mixes them with its members.

Synthetic officers arrive around each duty window's start (``spread``), a ``late`` share well
after it, an ``absent`` share not at all; an ``early`` share leave before the window ends (the
others stay until the bot closes their duty at its end); a ``silent`` share never answers
"Masih bertugas?". ``reports`` per hundred desks are sent over the day, in every category.
Supervisors take a share (``ack``) of the alerts they get, after a delay: that reaction is
decided when the alert arrives (:meth:`Profile.reaction`), from the same seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from bot.rehearsal.script import Event
from storage.incidents import CATEGORIES, SEVERITIES
from storage.models import Desk
from storage.rules.duty import Schedule

FIRST_ID = 900_000_000_000  # Telegram user ids are far below this
PER_DESK = 100  # ids per desk: the supervisor (0) and up to 99 officers


@dataclass(frozen=True, slots=True)
class Profile:
    """How the synthetic actors behave (shares 0–1, minutes)."""

    spread: float = 10.0
    late: float = 0.15
    absent: float = 0.05
    early: float = 0.10
    silent: float = 0.05
    reports: float = 3.0  # per hundred desks over the day
    ack: float = 0.6
    ack_delay: tuple[int, int] = (3, 25)
    answer_delay: tuple[int, int] = (1, 10)  # a non-silent officer's answer to the question

    def reaction(self, rng: random.Random, share: float, delay: tuple[int, int]) -> int | None:
        """Minutes until an actor reacts, or None when they do not."""
        return rng.randint(*delay) if rng.random() < share else None


@dataclass(frozen=True, slots=True)
class Actor:
    """A synthetic member: ``officer`` 0 is the desk's supervisor."""

    desk: Desk
    officer: int

    @property
    def user_id(self) -> int:
        return FIRST_ID + self.desk.id * PER_DESK + self.officer

    @property
    def name(self) -> str:
        role = "Pengawas" if self.officer == 0 else f"Petugas {self.officer}"
        return f"{role} {self.desk.name}"

    @property
    def label(self) -> str:
        """How the timeline and a script name the actor: CODE, or CODE#N for an officer."""
        return self.desk.code if self.officer == 0 else f"{self.desk.code}#{self.officer}"


@dataclass
class Cast:
    """Everybody of a rehearsal, by Telegram id and by (desk code, officer)."""

    actors: dict[int, Actor] = field(default_factory=dict)
    by_label: dict[tuple[str, int], Actor] = field(default_factory=dict)
    officers: dict[str, int] = field(default_factory=dict)  # desk code -> how many

    @classmethod
    def of(cls, desks: list[tuple[Desk, Schedule]], day: date) -> Cast:
        cast = cls()
        for desk, schedule in desks:
            _windows, staff = schedule.day(day)
            count = min(PER_DESK - 1, max(1, staff + 1))
            cast.officers[desk.code] = count
            for number in range(count + 1):
                actor = Actor(desk, number)
                cast.actors[actor.user_id] = actor
                cast.by_label[(desk.code, number)] = actor
        return cast


def synthetic(desks: list[tuple[Desk, Schedule]], day: date, cast: Cast, profile: Profile,
              rng: random.Random) -> list[Event]:
    """The synthetic actors' day, desk by desk in the given order (the same seed, desks and
    profile give the same events)."""
    events: list[Event] = []
    duty: list[tuple[Desk, int, int]] = []  # (desk, window start, end) for the reports
    for desk, schedule in desks:
        windows, _staff = schedule.day(day)
        for window in windows:
            duty.append((desk, window.start, window.end))
            for officer in range(1, cast.officers[desk.code] + 1):
                events.extend(_officer(desk.code, officer, window.start, window.end, profile,
                                       rng))
    for _ in range(round(len(desks) * profile.reports / 100)):
        if not duty:
            break
        desk, start, end = duty[rng.randrange(len(duty))]
        category = CATEGORIES[rng.randrange(len(CATEGORIES))]
        severity = "" if category == "kondusif" else rng.choices(SEVERITIES, (5, 4, 2, 1))[0]
        minute = rng.randint(start, max(start, end - 1))
        events.append(Event(minute, desk.code, 1, "report", category, severity))
    return events


def _officer(desk: str, officer: int, start: int, end: int, profile: Profile,
             rng: random.Random) -> list[Event]:
    roll = rng.random()
    if roll < profile.absent:
        return []
    if roll < profile.absent + profile.late:
        arrive = start + rng.randint(20, 90)
    else:
        arrive = start + round(rng.gauss(-5, profile.spread))
    arrive = max(start - 30, min(arrive, end - 1))
    events = [Event(arrive, desk, officer, "checkin")]
    if rng.random() < profile.silent:
        events.append(Event(arrive, desk, officer, "silent"))
    if rng.random() < profile.early:
        leave = end - rng.randint(30, 180)
        if leave > arrive + 10:
            events.append(Event(leave, desk, officer, "checkout"))
    return events
