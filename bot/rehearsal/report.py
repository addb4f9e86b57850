"""What a rehearsal shows: its numbers, its timeline and its files.

The numbers come from the same code the bot uses for the day afterwards: staffed time and
empty minutes from the digest (``scheduler.digest``), alerts from the export's rows
(``bot.reports.export``), so the rehearsal says what the digest and ``/ekspor`` will say.
Everything written is in desk-local time (WIB, WITA, WIT) and holds no wall-clock value, so
the same seed, settings and database give byte-identical timeline, summary and CSV files.
"""

from __future__ import annotations

import asyncio
import csv
import json
import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.files.xlsx import Sheet, workbook_bytes, write_csv
from bot.rehearsal.actors import Cast
from bot.rehearsal.telegram import Delivery
from bot.reports.digest import digest_png, digest_text
from bot.reports.export import export_data
from bot.texts import plain_text, t, zone_name
from bot.views.pledge import load as load_pledge
from scheduler.digest import Digest, build_digest
from storage.exports import ExportData
from storage.models import Desk
from storage.rules.duty import Schedule
from storage.sqlite.engine import Database

if TYPE_CHECKING:
    from bot.rehearsal.runner import Plan

TELEGRAM_PER_SECOND = 30  # Telegram's limit of messages a second for one bot
ACTION = "action"  # the timeline's entries of what an actor did


@dataclass
class Outcome:
    """A rehearsed day: what it produced, and what was sent."""

    plan: Plan
    settings: Settings
    scope_code: str
    scope_name: str
    tz: ZoneInfo
    cast: Cast
    desks: int
    digest: Digest
    digest_text: str
    digest_png: bytes
    export: ExportData
    sheets: list[Sheet]
    deliveries: list[Delivery] = field(default_factory=list)
    per_chat: Counter[int] = field(default_factory=Counter)
    per_minute: Counter[datetime] = field(default_factory=Counter)
    refused: int = 0
    wall_seconds: float = 0.0
    ended: datetime | None = None  # the simulated moment the day's files were read


async def collect(db: Database, settings: Settings, plan: Plan, top: Desk | None,
                  desks: list[tuple[Desk, Schedule]], cast: Cast, first: datetime,
                  last: datetime, now: datetime) -> Outcome:
    """The day's digest and export, read from the rehearsal's database before it goes."""
    tz = top.tz if top else settings.tz
    lang = settings.language
    end = datetime.combine(plan.day + timedelta(days=1), time(0), tzinfo=tz)
    digest = await build_digest(db, top, end, tz, now=now,
                                everything=t(lang, "digest.everything"))
    pledge = load_pledge(settings)
    data, sheets = await export_data(db, top.path if top else None, plan.day, plan.day, tz,
                                     lang, pledge.version if pledge else None)
    return Outcome(plan, settings, top.code if top else "all", digest.scope_name, tz, cast,
                   len(desks), digest, digest_text(digest, lang), await digest_png(digest, lang),
                   data, sheets, ended=now)


def _local(moment: datetime, tz: ZoneInfo) -> str:
    return f"{moment.astimezone(tz):%Y-%m-%d %H:%M} {zone_name(tz)}"


def _minutes(span: timedelta) -> float:
    return round(span.total_seconds() / 60, 1)


def summary(outcome: Outcome) -> dict[str, Any]:
    """The day in numbers (no wall-clock value: the same inputs give the same summary)."""
    plan, settings, digest = outcome.plan, outcome.settings, outcome.digest
    alerts = outcome.export.alerts
    taken = [(a.acked_at - a.opened_at).total_seconds() / 60 for a in alerts
             if a.acked_at is not None]
    escalated = [a for a in alerts if a.reached_code not in (None, a.desk_code)]
    officers = sum(1 for a in outcome.cast.actors.values() if a.officer > 0)
    by_role: Counter[str] = Counter()
    for chat, count in outcome.per_chat.items():
        actor = outcome.cast.actors.get(chat)
        by_role["other" if actor is None else "officer" if actor.officer else "supervisor"] += count
    counts = sorted(outcome.per_chat.values())
    busiest = max(outcome.per_minute.items(), key=lambda kv: (kv[1], -kv[0].timestamp()),
                  default=None)
    categories = Counter(i.category for i in outcome.export.incidents)
    return {
        "scope": outcome.scope_code, "scope_name": outcome.scope_name,
        "date": plan.day.isoformat(), "seed": plan.seed,
        "actors": "script" if plan.script is not None else "synthetic",
        "settings": {
            "unattended_grace_min": _minutes(settings.unattended_grace),
            "escalation_steps_min": [_minutes(s) for s in settings.escalation_steps],
            "sweep_interval_s": settings.sweep_interval.total_seconds(),
            "presence_confirm_every_min": _minutes(settings.presence_confirm_every),
            "presence_confirm_timeout_min": _minutes(settings.presence_confirm_timeout),
            "digest_time": settings.digest_time.strftime("%H:%M"),
        },
        "desks": outcome.desks, "officers": officers,
        "supervisors": len(outcome.cast.actors) - officers,
        "duty_hours": round(digest.total.duty / 3600, 1),
        "staffed_share": None if digest.total.share is None else round(digest.total.share, 4),
        "empty_minutes": round(digest.total.empty / 60),
        "empty_episodes": digest.total.episodes,
        "alerts": {
            "opened": len(alerts), "escalated": len(escalated), "taken": len(taken),
            "median_minutes_to_take": round(statistics.median(taken), 1) if taken else None,
            "not_resolved": sum(1 for a in alerts if a.resolved_at is None),
        },
        "shifts": len(outcome.export.shifts),
        "reports": dict(sorted(categories.items())),
        "messages": {
            "total": sum(counts), "recipients": len(counts),
            "per_recipient_max": counts[-1] if counts else 0,
            "per_recipient_median": statistics.median(counts) if counts else 0,
            "by_role": dict(sorted(by_role.items())),
            "refused_by_telegram": outcome.refused,
        },
        "busiest_minute": None if busiest is None else {
            "at": _local(busiest[0], outcome.tz), "messages": busiest[1],
            "seconds_at_30_per_s": math.ceil(busiest[1] / TELEGRAM_PER_SECOND),
            "share_of_limit": round(busiest[1] / (TELEGRAM_PER_SECOND * 60), 4),
        },
    }


def summary_text(numbers: dict[str, Any]) -> str:
    """The summary as an operator reads it in a terminal."""
    a, m, b = numbers["alerts"], numbers["messages"], numbers["busiest_minute"]
    share = numbers["staffed_share"]
    lines = [
        f"Rehearsal of {numbers['scope']} {numbers['scope_name']} on {numbers['date']} "
        f"({numbers['actors']} actors, seed {numbers['seed']})",
        f"  desks {numbers['desks']}, officers {numbers['officers']}, supervisors "
        f"{numbers['supervisors']}, shifts {numbers['shifts']}",
        f"  staffed {'-' if share is None else f'{share:.1%}'} of {numbers['duty_hours']} "
        f"duty hours; {numbers['empty_minutes']} empty desk-minutes in "
        f"{numbers['empty_episodes']} episodes",
        f"  alerts: {a['opened']} opened, {a['escalated']} escalated, {a['taken']} taken "
        f"(median {a['median_minutes_to_take']} min to take), {a['not_resolved']} not resolved",
        f"  reports: {sum(numbers['reports'].values())} "
        + (", ".join(f"{k} {v}" for k, v in numbers["reports"].items()) or ""),
        f"  messages: {m['total']} to {m['recipients']} recipients (most {m['per_recipient_max']}"
        f", median {m['per_recipient_median']}); by role {m['by_role']}; refused "
        f"{m['refused_by_telegram']}",
    ]
    if b:
        lines.append(f"  busiest minute {b['at']}: {b['messages']} messages, "
                     f"{b['seconds_at_30_per_s']} s at Telegram's 30/s "
                     f"({b['share_of_limit']:.1%} of a minute's limit)")
    return "\n".join(lines) + "\n"


def _who(outcome: Outcome, chat_id: int) -> tuple[str, ZoneInfo]:
    actor = outcome.cast.actors.get(chat_id)
    if actor is None:
        return (f"chat {chat_id}" if chat_id else "popup"), outcome.tz
    return f"{actor.label} {actor.name}", actor.desk.tz


def timeline(outcome: Outcome) -> str:
    """What happened and every message each recipient got, in order, in their local time."""
    lines = []
    for d in outcome.deliveries:
        who, tz = _who(outcome, d.chat_id)
        if d.method == ACTION:
            lines.append(f"{_local(d.at, tz)}  {who}: {d.text}")
            continue
        mark = "✎" if d.edit else "→"
        body = plain_text(d.text).replace("\n", "\n      ")
        buttons = "".join(f" [{text}]" for text, _data in d.buttons)
        lines.append(f"{_local(d.at, tz)}  {mark} {who}: {body}{buttons}")
    return "\n".join(lines) + "\n"


def write(outcome: Outcome, out: Path) -> list[Path]:
    """Every file of the rehearsal into ``out``; returns what was written."""
    out.mkdir(parents=True, exist_ok=True)
    numbers = summary(outcome)
    files = {
        "summary.json": json.dumps(numbers, ensure_ascii=False, indent=2) + "\n",
        "summary.txt": summary_text(numbers),
        "timeline.txt": timeline(outcome),
        "digest.txt": plain_text(outcome.digest_text) + "\n",
    }
    written = []
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    with (out / "messages.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["time", "chat_id", "recipient", "method", "text", "buttons"])
        for d in outcome.deliveries:
            who, tz = _who(outcome, d.chat_id)
            writer.writerow([_local(d.at, tz), d.chat_id, who, d.method, d.text,
                             " | ".join(text for text, _ in d.buttons)])
    written.append(out / "messages.csv")
    with (out / "recipients.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["chat_id", "recipient", "messages"])
        for chat, count in sorted(outcome.per_chat.items(), key=lambda kv: (-kv[1], kv[0])):
            writer.writerow([chat, _who(outcome, chat)[0], count])
    written.append(out / "recipients.csv")
    (out / "digest.png").write_bytes(outcome.digest_png)
    written.append(out / "digest.png")
    for name, sheet in zip(("shifts", "alerts", "incidents", "pledges"), outcome.sheets,
                           strict=False):
        write_csv(sheet, out / f"{name}.csv")
        written.append(out / f"{name}.csv")
    return written


async def write_xlsx(outcome: Outcome, out: Path, day: date) -> Path:
    """The XLSX of the day, as ``/ekspor`` makes it, made at the simulated end of the day (so
    the same day gives the same bytes)."""
    path = out / f"gladi-{outcome.scope_code}-{day.isoformat()}.xlsx"
    path.write_bytes(await asyncio.to_thread(workbook_bytes, outcome.sheets, outcome.ended))
    return path
