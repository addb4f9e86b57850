"""A rehearsed day, minute by minute, through the real application.

1. The database is copied into a temporary file with SQLite's backup API, the original opened
   read-only (a live bot may be running on it); the copy is deleted afterwards.
2. The real ``Application`` is built on that copy with the simulated Telegram as its request
   and started as ``posko-bot run`` starts it (``post_init``). Its timers never run: the loop
   below calls the scheduler's jobs itself, at their intervals of simulated time.
3. The cast registers through real invites an hour before the first local midnight.
4. Every simulated minute: the clock moves; the actors' actions due then become updates to
   the application (:mod:`bot.rehearsal.play`); the jobs due run (the sweep with its presence
   pass, the coordinate purge, and the digest at each zone's digest time); the outbox sender
   sends everything due, rendered by the real renderers. A message an actor gets may make
   them react later: an officer taps *Masih bertugas*, a supervisor *Saya tangani*.
5. With ``speed`` the loop waits so that the day plays at that many times real time.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time as wall
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import build_application, post_init, post_shutdown, scheduled_jobs
from bot.config import Settings
from bot.handlers.throttle import Throttle
from bot.outbox.pacing import Pacing
from bot.outbox.render import OutboxRenderer
from bot.outbox.sender import Sender
from bot.rehearsal.actors import Cast, Profile, synthetic
from bot.rehearsal.clock import SimClock
from bot.rehearsal.play import Player
from bot.rehearsal.report import ACTION, Outcome, collect
from bot.rehearsal.script import ACTIONS, Event
from bot.rehearsal.stage import (
    copy_database,
    register,
    resolve,
    scope_desks,
    sign_in_link,
    situation_room,
)
from bot.rehearsal.telegram import Delivery, SimulatedTelegram
from bot.texts import plain_text, zone_name
from scheduler.digest import Digest
from storage.models import Desk
from storage.sqlite.engine import Database

MINUTE = timedelta(minutes=1)
# Before every local midnight of the rehearsed date (UTC+14 is the earliest zone there is):
# when a fresh database is filled, so its desks exist for the whole day.
EARLIEST = timezone(timedelta(hours=14))
# The chart photo of a digest a recipient gets when charts are not drawn (Telegram is
# simulated: it need not be a picture).
NO_CHART = b"\x89PNG\r\n\x1a\n"
TOKEN = "1:REHEARSAL"  # PTB wants a token's shape; nothing is ever sent with it
SCRIPT_ANSWER = 2  # minutes a scripted officer takes to answer "Masih bertugas?"
# Sends a second for the bot's count of sends: the simulated Telegram keeps no limit (the
# summary counts the busiest minute against Telegram's instead), but replies and the outbox
# go through that count as they do live.
UNPACED = 1e6


def _stamp(moment: datetime, tz: ZoneInfo) -> str:
    return f"{moment.astimezone(tz):%H:%M} {zone_name(tz)}"


async def _no_chart(_digest: Digest, _lang: str) -> bytes:
    return NO_CHART


@dataclass
class Plan:
    """What to rehearse: a scope (None: every desk) on a local date."""

    scope: str | None
    day: date
    seed: int = 1
    script: list[Event] | None = None
    profile: Profile = field(default_factory=Profile)
    speed: float = 0.0  # 0: as fast as possible
    keep: bool = True  # keep every message for the timeline
    charts: bool = False  # draw every digest chart sent (0.2 s each), not only the scope's
    log: Callable[[str], None] | None = None
    # Serve the situation room of the rehearsal's database and give this the sign-in link
    # of its admin (the demo); None: no dashboard.
    dashboard: Callable[[str], None] | None = None


class Rehearsal:
    """One rehearsed day; :meth:`run` returns its :class:`Outcome`."""

    def __init__(self, settings: Settings, plan: Plan) -> None:
        self.plan, self.settings = plan, settings
        self.due: dict[datetime, list[tuple[int, Event]]] = defaultdict(list)
        self.rng = random.Random(plan.seed)
        self.per_chat: Counter[int] = Counter()
        self.per_minute: Counter[datetime] = Counter()
        self.silent: set[int] = set()
        self.cast = Cast()
        self.first = datetime.min.replace(tzinfo=UTC)
        self.tz: ZoneInfo = settings.tz
        self._seq = 0

    async def run(self, source: Path | None,
                  prepare: Callable[[Database], Awaitable[None]] | None = None) -> Outcome:
        """Rehearse on a copy of ``source`` (None: a fresh database ``prepare`` fills)."""
        clock = SimClock(datetime.combine(self.plan.day, time(0), tzinfo=EARLIEST)
                         - timedelta(hours=2))
        with tempfile.TemporaryDirectory(prefix="posko-gladi-") as folder, clock.installed():
            path = Path(folder) / "gladi.db"
            if source is not None:
                copy_database(source, path)
            if prepare is not None:
                db = await Database.open(path)
                try:
                    await prepare(db)
                finally:
                    await db.close()
            return await self._run(path, clock)

    def _at(self, desk: Desk, minute: int) -> datetime:
        midnight = datetime.combine(self.plan.day, time(0), tzinfo=desk.tz)
        return (midnight + timedelta(minutes=minute)).astimezone(UTC)

    def _later(self, at: datetime, event: Event) -> None:
        """Do ``event`` at ``at`` (an arrival before the first midnight: at the start)."""
        self._seq += 1
        self.due[max(at, self.first)].append((self._seq, event))

    async def _run(self, path: Path, clock: SimClock) -> Outcome:
        plan = self.plan
        settings = self.settings.model_copy(update={
            "db_path": str(path), "telegram_bot_token": TOKEN, "status_port": 0,
            "backup_dir": "", "heartbeat_url": "", "webhook_url": "",
            **situation_room(self.settings, plan.dashboard is not None)})
        db = await Database.open(path)
        try:
            top, desks = await scope_desks(db, plan.scope)
        finally:
            await db.close()
        self.cast = cast = Cast.of(desks, plan.day)
        events = plan.script if plan.script is not None else synthetic(
            desks, plan.day, cast, plan.profile, self.rng)
        if plan.script is not None:
            resolve(plan.script, cast)
        zones = {d.tz for d, _ in desks}
        first = min(datetime.combine(plan.day, time(0), tzinfo=z) for z in zones)
        last = max(datetime.combine(plan.day + timedelta(days=1), time(0), tzinfo=z)
                   for z in zones)
        self.first = first
        self.tz = top.tz if top else settings.tz
        order = {a: i for i, a in enumerate((*ACTIONS, "answer"))}
        for event in sorted(events, key=lambda e: (e.minute, e.desk, e.officer,
                                                   order[e.action])):
            self._later(self._at(cast.by_label[(event.desk, event.officer)].desk,
                                 event.minute), event)
        clock.set(max(clock.now(), first - timedelta(hours=1)))
        telegram = SimulatedTelegram(clock.now, keep=plan.keep)
        telegram.listeners.append(self._heard)
        started = wall.perf_counter()
        pacing = Pacing(UNPACED)  # one gate for replies and the outbox, as live
        app = build_application(settings, request=telegram, pacing=pacing)
        app.bot_data.throttle = Throttle(clock=clock.seconds)
        async with app:
            await post_init(app)
            data = app.bot_data
            await data.db.skip_fsync()  # a throwaway copy: a day in seconds, not minutes
            await data.sender.stop()  # the loop sends, in simulated time
            await data.sender_task
            sender = Sender(app.bot, data.db, OutboxRenderer(
                                data.db, settings, draw=None if plan.charts else _no_chart),
                            pacing=pacing, private_interval=0, group_interval=0,
                            max_in_flight=100)
            await register(data.db, cast, clock.now())
            if plan.dashboard is not None:
                # Sessions and the link are on the simulated clock: they last the day.
                data.session_ttl = last - clock.now() + timedelta(days=1)
                plan.dashboard(await sign_in_link(data.db, settings, clock.now(),
                                                  data.session_ttl))
            player = Player(app, telegram, clock)
            try:
                await self._loop(clock, first, last, player, sender, data.db, settings)
                outcome = await collect(data.db, settings, plan, top, desks, cast,
                                        first, last, clock.now())
            finally:
                await post_shutdown(app)
        outcome.deliveries = telegram.deliveries
        outcome.per_chat, outcome.per_minute = self.per_chat, self.per_minute
        outcome.refused = telegram.refused
        outcome.wall_seconds = wall.perf_counter() - started
        return outcome

    async def _loop(self, clock: SimClock, first: datetime, last: datetime, player: Player,
                    sender: Sender, db: Database, settings: Settings) -> None:
        jobs = scheduled_jobs(settings)
        # The digest and weekly jobs plan each recipient's next report and queue the due
        # ones. Nobody joins or leaves during a rehearsal, so running them at the start and
        # at their time in every zone queues exactly what running them every minute (every
        # five for the weekly) would: a run reads every recipient, a country's 90,000.
        zones = {d.desk.tz for d in self.cast.actors.values()} | {settings.tz}
        weekly = settings.weekly_at
        real_start, moment = wall.perf_counter(), first
        while moment < last:
            clock.set(moment)
            if self.plan.log is not None and moment.astimezone(self.tz).minute == 0:
                self.plan.log(f"── {_stamp(moment, self.tz)} ──")
            for _seq, event in sorted(self.due.pop(moment, [])):
                await self._do(player, event)
            elapsed = (moment - first).total_seconds()
            local = [moment.astimezone(z) for z in zones]
            report_time = {
                "digest": any(t.time() == settings.digest_time for t in local),
                "weekly": weekly is not None and any(
                    (t.weekday(), t.time()) == weekly for t in local)}
            for spec in jobs:
                if moment != first and not report_time.get(spec.name, True):
                    continue
                if elapsed % max(60.0, spec.interval.total_seconds()) == 0:
                    await spec.run(db, moment)
            sent = len(player.telegram.deliveries)
            await sender.drain(until_empty=False)
            # Sends to different chats finish in any order; each chat's own are in order.
            # Listed chat by chat, the same day gives the same timeline.
            player.telegram.deliveries[sent:] = sorted(player.telegram.deliveries[sent:],
                                                       key=lambda d: d.chat_id)
            moment += MINUTE
            if self.plan.speed > 0:
                ahead = (moment - first).total_seconds() / self.plan.speed - (
                    wall.perf_counter() - real_start)
                if ahead > 0:
                    await asyncio.sleep(ahead)
        clock.set(last)

    async def _do(self, player: Player, event: Event) -> None:
        actor = self.cast.by_label[(event.desk, event.officer)]
        if event.action == "silent":
            self.silent.add(actor.user_id)
        what = event.action if event.action != "report" else \
            f"report {event.category} {event.severity}".rstrip()
        if self.plan.keep:  # the timeline shows what was done beside what was sent
            player.telegram.deliveries.append(Delivery(player.clock.now(), actor.user_id,
                                                       ACTION, what))
        if self.plan.log is not None:
            self.plan.log(f"{_stamp(player.clock.now(), actor.desk.tz)}  {actor.label} "
                          f"{actor.name}: {what}")
        if event.action == "checkin":
            await player.checkin(actor)
        elif event.action == "checkout":
            await player.checkout(actor)
        elif event.action == "report":
            await player.report(actor, event.category, event.severity)
        elif event.action == "ack":
            await player.take_alerts(actor)
        elif event.action == "answer":
            await player.still_here(actor)

    def _heard(self, delivery: Delivery) -> None:
        """Count every message; let the actor who got it react later."""
        if delivery.method == "answerCallbackQuery":
            return
        self.per_chat[delivery.chat_id] += 1
        self.per_minute[delivery.at] += 1
        actor = self.cast.actors.get(delivery.chat_id)
        if self.plan.log is not None and not delivery.edit and (actor is None or
                                                                actor.officer == 0):
            who = f"{actor.label} {actor.name}" if actor else f"chat {delivery.chat_id}"
            first_line = plain_text(delivery.text).split("\n", 1)[0]
            self.plan.log(f"{_stamp(delivery.at, actor.desk.tz if actor else self.tz)}  "
                          f"→ {who}: {first_line}")
        if actor is None:
            return
        datas = [d for _text, d in delivery.buttons]
        label = (actor.desk.code, actor.officer)
        if actor.officer > 0 and any(d.startswith("pc:") for d in datas):
            if actor.user_id in self.silent:
                return
            delay: int | None = SCRIPT_ANSWER if self.plan.script is not None else \
                self._reaction(delivery).randint(*self.plan.profile.answer_delay)
            if delay is not None:
                self._later(delivery.at + delay * MINUTE, Event(0, label[0], label[1], "answer"))
        elif actor.officer == 0 and self.plan.script is None and any(
                d.startswith("ack:") for d in datas):
            delay = self.plan.profile.reaction(self._reaction(delivery), self.plan.profile.ack,
                                               self.plan.profile.ack_delay)
            if delay is not None:
                self._later(delivery.at + delay * MINUTE, Event(0, label[0], label[1], "ack"))

    def _reaction(self, delivery: Delivery) -> random.Random:
        """The draws of a reaction to ``delivery``: from the seed, the chat and its count of
        messages, the same whatever order the chats' messages were sent in."""
        return random.Random(f"{self.plan.seed}:{delivery.chat_id}:"
                             f"{self.per_chat[delivery.chat_id]}")
