"""Benchmark: update throughput of the real bot against a bare PTB application, same run.

Imports the national wilayah file into a fresh SQLite file, puts every desk on duty
(00:00-24:00), registers officers at randomly chosen kelurahan/desa desks (one each, spread
over the country) and a supervisor at each of their kecamatan. Then a burst of scripted
updates goes through

* the **real** application (``bot.app.build_application`` + ``post_init``, the real store),
* a **bare** application whose handlers only ``reply_text`` (one answer per update),

both on the same lean recording request (``benchmarks/lean_request.py``), so neither touches
a network. Officers act in rounds (every officer takes its next step, then the next round):
``/checkin`` → location at the desk → ``/status`` → for every third officer a whole
``/lapor`` (``/lapor``, category, severity, description, *Lewati* on the location keyboard,
skip media, TPS, *Kirim*) → ``/checkout`` → *yes, leave the desk short*. Buttons pressed are
the ones the bot just sent; locations carry a fresh ``date``.

Three ways of feeding:

* ``polling``: what ``posko-bot run`` does with a ``getUpdates`` batch (``bot.updates.polling``): up
  to 100 updates at a time, one lane per chat (a chat's updates in order, the lanes
  concurrently), then the batch's last id recorded in the database (one more commit, which
  the next batch does not wait for: in the bot it overlaps the next ``getUpdates``);
* ``direct``: ``await app.process_update(Update.de_json(data, app.bot))`` one at a time;
* ``queue``: the application started (``app.start()``), updates put on ``app.update_queue``
  as PTB's own updater does, handled one at a time, timed until the queue is drained.

The outbox sender started by ``post_init`` is stopped before the burst (``--sender`` keeps
it); the scheduler's jobs are removed so a sweep does not run in the middle. The incident
messages the reports queue stay in the outbox.

The file is longer than the other benchmarks' so that the script, the two applications and
the three ways of feeding them read side by side.

Usage (from the repository root):
    python -m benchmarks.bench_throughput PATH/TO/wilayah.csv
        [--updates 20000] [--mode all|polling|direct|queue] [--sender] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import math
import os
import pstats
import random
import tempfile
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

os.environ.setdefault("PTB_TIMEDELTA", "1")

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from benchmarks.common import add_members, peak_rss_mb
from benchmarks.lean_request import LeanRequest
from bot.app import PoskoApp, build_application, post_init, post_shutdown
from bot.config import Settings
from bot.updates.polling import (  # the polling loop's batch steps, as they run
    Recorder,
    handle_batch,
)
from storage.importer import import_desks, parse_desk_csv
from storage.models import to_db, utcnow
from storage.sqlite.engine import Database
from storage.tables import read_table
from tests.support import updates as u

TOKEN = "123456:BENCH-token-0123456789abcdefghij"
REPORT_EVERY = 3  # about every third officer files a whole report
DESCRIPTION = "Spanduk kampanye dipasang di depan TPS 7 pagi ini"
OFFICER_BASE, SUPERVISOR_BASE = 10_000_000, 20_000_000
BATCH = 100  # getUpdates' default (and largest) batch

# (kind, action, argument); kinds group the timings, actions say how to build the update.
Step = tuple[str, str, str]
DUTY: list[Step] = [("checkin", "text", "/checkin"), ("location", "location", ""),
                    ("status", "text", "/status")]
REPORT: list[Step] = [("report", "text", "/lapor"), ("report", "press", ":cat:kamtib"),
                      ("report", "press", ":sev:sedang"), ("report", "text", DESCRIPTION),
                      ("report", "text", "Lewati"), ("report", "press", ":skip"),
                      ("report", "text", "TPS 7"), ("report", "press", ":send")]
CHECKOUT: list[Step] = [("checkout", "text", "/checkout"), ("checkout", "press", ":y")]


@dataclass
class Officer:
    """A scripted officer: who, where, and the steps still to take."""

    user: dict[str, Any]
    latitude: float
    longitude: float
    reports: bool
    steps: deque[Step] = field(default_factory=deque)

    def reset(self) -> None:
        self.steps = deque(DUTY + (REPORT if self.reports else []) + CHECKOUT)


@dataclass
class Pass:
    """What one pass through an application measured."""

    name: str
    updates: int = 0
    seconds: float = 0.0
    per_kind: dict[str, list[float]] = field(default_factory=dict)
    missing_buttons: int = 0
    checks: str = ""

    @property
    def rate(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0


def build(officer: Officer, step: Step, request: LeanRequest, run: Pass) -> dict[str, Any]:
    """The update JSON for an officer's step (pressing what the bot last offered them)."""
    _, action, arg = step
    user = officer.user
    if action == "text":
        return u.text(user, arg)
    if action == "location":
        return u.location(user, officer.latitude, officer.longitude)
    message_id, offered = request.keyboards.get(user["id"], (1, []))
    data = next((d for d in offered if d.endswith(arg)), None)
    if data is None:  # the bare application offers no buttons: press something anyway
        run.missing_buttons += 1
        data = f"lp:0{arg}"
    return u.callback(user, data, message_id=message_id)


def next_round(officers: list[Officer], request: LeanRequest, run: Pass,
               room: int) -> list[tuple[str, dict[str, Any]]]:
    """Every officer's next step (at most ``room`` updates)."""
    batch: list[tuple[str, dict[str, Any]]] = []
    for officer in officers:
        if len(batch) >= room:
            break
        if officer.steps:
            step = officer.steps.popleft()
            batch.append((step[0], build(officer, step, request, run)))
    return batch


async def drive(app: Application[Any, Any, Any, Any, Any, Any], request: LeanRequest,
                officers: list[Officer], mode: str, total: int, run: Pass,
                db: Database | None = None) -> None:
    """Feed ``total`` updates round by round; time only their processing."""
    for officer in officers:
        officer.reset()
    bot = app.bot
    recorder = Recorder(db) if db is not None else None
    while run.updates < total:
        batch = next_round(officers, request, run, total - run.updates)
        if not batch:
            break
        if mode == "polling":
            t0 = time.perf_counter()
            updates = [Update.de_json(data, bot) for _, data in batch]
            for start in range(0, len(updates), BATCH):
                chunk = updates[start:start + BATCH]
                # handle_batch only calls process_update: any application will do.
                await handle_batch(cast(PoskoApp, app), chunk)
                if recorder is not None:
                    await recorder.record(chunk[-1].update_id)
            run.seconds += time.perf_counter() - t0
        elif mode == "direct":
            clock = time.perf_counter
            for kind, data in batch:
                t0 = clock()
                await app.process_update(Update.de_json(data, bot))
                spent = clock() - t0
                run.per_kind.setdefault(kind, []).append(spent)
                run.seconds += spent
        else:
            t0 = time.perf_counter()
            for _, data in batch:
                app.update_queue.put_nowait(Update.de_json(data, bot))
            await app.update_queue.join()
            run.seconds += time.perf_counter() - t0
        run.updates += len(batch)
    if recorder is not None:  # the last record lands inside the timing
        t0 = time.perf_counter()
        await recorder.settle()
        run.seconds += time.perf_counter() - t0


async def reply_only(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bare ceiling: one reply per update, nothing else."""
    message = update.effective_message
    if message is not None:
        await message.reply_text("ok", do_quote=False)


async def bare_pass(officers: list[Officer], mode: str, total: int) -> Pass:
    """The burst through an application whose handlers only reply."""
    request = LeanRequest()
    app = (ApplicationBuilder().token(TOKEN).request(request).get_updates_request(request)
           .build())
    app.add_handler(CommandHandler(["checkin", "status", "lapor", "checkout"], reply_only))
    app.add_handler(MessageHandler(filters.ALL, reply_only))
    app.add_handler(CallbackQueryHandler(reply_only))
    run = Pass(f"bare ({mode})")
    async with app:
        if mode == "queue":
            await app.start()
        await drive(app, request, officers, mode, total, run)
        if mode == "queue":
            await app.stop()
    run.checks = f"{request.counts['sendMessage']} replies"
    return run


async def counts(db: Database) -> tuple[int, int, int]:
    """(shifts, shifts ended, incidents) in the store."""
    row = await db.fetchone("SELECT (SELECT count(*) FROM shifts), "
                            "(SELECT count(*) FROM shifts WHERE ended_at IS NOT NULL), "
                            "(SELECT count(*) FROM incidents)")
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


async def real_pass(settings: Settings, officers: list[Officer], mode: str, total: int,
                    keep_sender: bool, profile: bool) -> Pass:
    """The burst through the real application and store."""
    request = LeanRequest()
    app: PoskoApp = build_application(settings, request=request)
    errors: list[object] = []

    async def record(update: object, context: Any) -> None:
        errors.append(context.error)

    app.add_error_handler(record)
    run = Pass(f"real ({mode})")
    async with app:
        await post_init(app)
        if not keep_sender:
            await app.bot_data.sender.stop()
        assert app.job_queue is not None
        for job in app.job_queue.jobs():
            job.schedule_removal()
        db = app.bot_data.db
        before = await counts(db)
        if mode == "queue":
            await app.start()
        profiler = cProfile.Profile() if profile else None
        if profiler is not None:
            profiler.enable()
        await drive(app, request, officers, mode, total, run, db)
        if profiler is not None:
            profiler.disable()
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(30)
            print(text.getvalue())
        if mode == "queue":
            await app.stop()
        after = await counts(db)
        await post_shutdown(app)
    shifts, ended, incidents = (a - b for a, b in zip(after, before, strict=True))
    kinds = Counter(step[0] for o in officers
                    for step in DUTY + (REPORT if o.reports else []) + CHECKOUT)
    if run.updates == sum(kinds.values()):  # a whole script: everything must have happened
        reporters = sum(o.reports for o in officers)
        assert shifts == ended == len(officers), (shifts, ended, len(officers))
        assert incidents == reporters, (incidents, reporters)
    assert not errors, f"handlers raised: {errors[:3]!r}"
    assert run.missing_buttons == 0, f"{run.missing_buttons} buttons were not offered"
    edits = request.counts["editMessageText"] + request.counts["editMessageReplyMarkup"]
    run.checks = (f"{shifts} check-ins, {ended} check-outs, {incidents} reports; Bot API: "
                  f"{request.counts['sendMessage']} sends, {edits} edits, "
                  f"{request.counts['answerCallbackQuery']} button answers")
    return run


async def prepare(csv_path: str, db_path: Path, n_officers: int,
                  n_reporters: int) -> list[Officer]:
    """Import the desks and register the officers (and their kecamatan supervisors)."""
    db = await Database.open(db_path)
    await import_desks(db, parse_desk_csv(read_table(csv_path)), "Asia/Jakarta")
    stamp = to_db(utcnow())
    async with db.transaction() as tx:
        await tx.execute("UPDATE desks SET duty_hours = '00:00-24:00'")
        cursor = await tx.execute(
            "SELECT id, parent_id, latitude, longitude FROM desks WHERE level = "
            "'kelurahan_desa' AND latitude IS NOT NULL AND longitude IS NOT NULL ORDER BY id")
        desks = list(await cursor.fetchall())
        chosen = random.Random(7).sample(desks, n_officers)
        members = [(OFFICER_BASE + i, f"Petugas {i}", desk_id, "officer", stamp, stamp)
                   for i, (desk_id, _, _, _) in enumerate(chosen)]
        members += [(SUPERVISOR_BASE + parent, f"Camat {parent}", parent, "supervisor", stamp,
                     stamp) for parent in sorted({row[1] for row in chosen})]
        await add_members(tx, members)
    await db.close()
    return scripted([(OFFICER_BASE + i, lat, lon) for i, (_, _, lat, lon) in enumerate(chosen)],
                    n_reporters)


def scripted(people: list[tuple[int, float, float]], n_reporters: int) -> list[Officer]:
    """Scripted officers for (telegram id, latitude, longitude), ``n_reporters`` of them
    reporting, spread evenly over the officers (so over every round)."""
    n = len(people)
    return [Officer(u.user(uid, "Petugas", str(uid - OFFICER_BASE)), lat, lon,
                    reports=i * n_reporters // n != (i + 1) * n_reporters // n)
            for i, (uid, lat, lon) in enumerate(people)]


def split(total: int) -> tuple[int, int]:
    """(officers, reporters) whose scripts make exactly ``total`` updates, about one in
    ``REPORT_EVERY`` officers reporting."""
    duty, report = len(DUTY) + len(CHECKOUT), len(REPORT)
    officers = math.ceil(total / (duty + report / REPORT_EVERY))
    while officers > 0:
        reporters, rest = divmod(total - duty * officers, report)
        if rest == 0 and 0 <= reporters <= officers:
            return officers, reporters
        officers -= 1
    raise SystemExit(f"cannot split {total} updates into whole scripts")


def table(runs: list[Pass]) -> None:
    print(f"{'pass':<14} {'updates':>8} {'seconds':>8} {'updates/s':>10}  checks")
    for run in runs:
        print(f"{run.name:<14} {run.updates:>8} {run.seconds:>8.2f} {run.rate:>10.0f}  "
              f"{run.checks}")
    for run in runs:
        if run.per_kind and run.name.startswith("real"):
            parts = [f"{kind} {1000 * sum(v) / len(v):.2f} ms ×{len(v)}"
                     for kind, v in run.per_kind.items()]
            print(f"{run.name} mean per update: " + "; ".join(parts))


async def main(args: argparse.Namespace) -> None:
    modes = ["polling", "direct", "queue"] if args.mode == "all" else [args.mode]
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        officers = await prepare(args.csv, db_path, *split(args.updates))
        print(f"prepared {len(officers)} officers on the national desks in "
              f"{time.perf_counter() - t0:.1f} s; load {os.getloadavg()[0]:.2f}")
        settings = Settings(_env_file=None, TELEGRAM_BOT_TOKEN=TOKEN,  # type: ignore[call-arg]
                            POSKO_DB_PATH=str(db_path), POSKO_DASHBOARD_PORT="0")
        runs: list[Pass] = []
        for mode in modes:
            bare = await bare_pass(officers, mode, args.updates)
            real = await real_pass(settings, officers, mode, args.updates, args.sender,
                                   args.profile and mode == modes[0])
            runs += [bare, real]
            print(f"{mode}: real/bare = {real.rate / bare.rate:.2f}")
        table(runs)
    print(f"peak RSS {peak_rss_mb():.0f} MB; load {os.getloadavg()[0]:.2f}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("csv", help="the national wilayah.csv")
    parser.add_argument("--updates", type=int, default=20_000)
    parser.add_argument("--mode", choices=("all", "polling", "direct", "queue"), default="all")
    parser.add_argument("--sender", action="store_true",
                        help="keep the outbox sender running during the burst")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the first real pass and print the top functions")
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
