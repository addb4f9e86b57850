"""The daily digest as a document: a short text (one message) and its chart.

The outbox sends both to every recipient; ``posko-bot digest`` prints the text and writes the
chart.
"""

from __future__ import annotations

import asyncio

from bot.files.charts import digest_chart
from bot.texts import Markup, fmt_count, fmt_datetime, fmt_duration, fmt_time, t
from bot.views.incidents import place_text
from bot.views.limits import TEXT_MAX, fit
from scheduler.digest import Digest
from scheduler.weekly import Weekly
from storage.rules.agencies import Routing
from storage.rules.duty import zone

MAX_UNITS = 10
MAX_MOVED = 10  # moved TPS listed by name; a flooded kota lists the rest in the export


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def _duration(lang: str, seconds: float) -> str:
    """Empty time as a camat reads it at a glance: ``220 jam 59 menit``, ``1.234 jam 5
    menit`` for a province (never thousands of minutes)."""
    hours, minutes = divmod(round(seconds / 60), 60)
    if hours and not minutes:
        return t(lang, "digest.hours", h=fmt_count(lang, hours))
    if hours:
        return t(lang, "unit.hm", h=fmt_count(lang, hours), m=minutes)
    return t(lang, "unit.min", m=minutes)


def digest_text(digest: Digest, lang: str) -> str:
    """The digest as one message, cut to Telegram's limit (scope and desk names are long).

    Every count says what it counts: alerts and reports of the period, then (only if any)
    what opened before it and is still open, so no two lines can contradict each other.
    """
    return fit("\n".join([_title(digest, lang, "digest.title"), "", *digest_lines(digest, lang)]),
               TEXT_MAX)


def _title(digest: Digest, lang: str, key: str) -> str:
    """The heading ``key`` with the scope and the period."""
    return t(lang, key, scope=digest.scope_name or t(lang, "digest.everything"),
             start=fmt_datetime(lang, digest.start, digest.tz),
             end=fmt_datetime(lang, digest.end, digest.tz))


def weekly_text(weekly: Weekly, lang: str, routing: Routing) -> str:
    """The weekly report as one message: the reports per partner agency and those open for
    more than three days, then every line of the week's digest."""
    digest = weekly.digest
    extra = []
    if weekly.by_agency:
        extra.append(t(lang, "weekly.agencies", agencies=", ".join(
            f"{routing.name(a)} {n}" for a, n in sorted(weekly.by_agency.items(),
                                                        key=lambda kv: (-kv[1], kv[0])))))
    extra.append(t(lang, "weekly.overdue", n=weekly.overdue))
    return fit("\n".join([_title(digest, lang, "weekly.title"), "", *extra,
                          *digest_lines(digest, lang)]), TEXT_MAX)


def digest_lines(digest: Digest, lang: str) -> list[str]:
    """Every line of a digest below its heading."""
    lines: list[str] = []
    if digest.counted_from is not None:
        lines.append(t(lang, "digest.counted_from",
                       time=fmt_datetime(lang, digest.counted_from, digest.tz)))
    total = digest.total
    if total.duty:
        lines.append(t(lang, "digest.desks", desks=fmt_count(lang, digest.desks),
                       share=_pct(total.share)))
        lines.append(t(lang, "digest.empty", episodes=fmt_count(lang, total.episodes),
                       duration=_duration(lang, total.empty)))
    else:
        lines.append(t(lang, "digest.no_duty"))
    if digest.rawan_desks:
        rawan = digest.rawan
        lines.append(t(lang, "rawan.digest", desks=fmt_count(lang, digest.rawan_desks),
                       duration=_duration(lang, rawan.empty), episodes=rawan.episodes)
                     if rawan.empty else
                     t(lang, "rawan.digest.none", desks=fmt_count(lang, digest.rawan_desks)))
    median = (t(lang, "digest.median", time=fmt_duration(lang, digest.median_ack))
              if digest.median_ack is not None else "")
    lines.append(t(lang, "digest.alerts", alerts=digest.alerts, acked=digest.acked,
                   median=Markup(median), open=digest.open_alerts))
    incidents = t(lang, "digest.incidents", n=sum(digest.by_category.values()))
    ordered = sorted(digest.by_category.items(), key=lambda kv: (-kv[1], kv[0]))
    if ordered:
        incidents += t(lang, "digest.categories", categories=", ".join(
            f"{t(lang, f'cat.{c}')} {n}" for c, n in ordered))
    lines.append(incidents)
    if digest.by_status:
        lines.append(t(lang, "digest.statuses", statuses=", ".join(
            f"{t(lang, f'status.{s}')} {n}" for s, n in sorted(digest.by_status.items()))))
    if digest.calm:
        lines.append(t(lang, "digest.calm", n=digest.calm))
    if digest.earlier_alerts or digest.earlier_incidents:
        lines.append(t(lang, "digest.earlier", alerts=digest.earlier_alerts,
                       incidents=digest.earlier_incidents))
    if digest.moved:
        lines += ["", t(lang, "digest.moved", n=len(digest.moved))]
        lines += [t(lang, "digest.moved_line", tps=m.tps, desk=m.desk_name,
                    reason=t(lang, f"move.reason.{m.reason}"),
                    old=place_text(lang, m.old_latitude, m.old_longitude, None),
                    new=place_text(lang, m.new_latitude, m.new_longitude, m.new_address),
                    time=fmt_time(lang, m.moved_at, zone(m.timezone)))
                  for m in digest.moved[:MAX_MOVED]]
        if len(digest.moved) > MAX_MOVED:
            lines.append(t(lang, "digest.more_units", n=len(digest.moved) - MAX_MOVED))
    if digest.worst:
        lines += ["", t(lang, "digest.worst")]
        for i, (name, code, cov) in enumerate(digest.worst, start=1):
            line = t(lang, "digest.worst_line", n=i, desk=name, code=code,
                     duration=_duration(lang, cov.empty), share=_pct(cov.share))
            if code in digest.risk_labels:
                line += " " + t(lang, "rawan.mark", labels=", ".join(digest.risk_labels[code]))
            lines.append(line)
    if len(digest.units) > 1:
        lines += ["", t(lang, "digest.units")]
        lines += [t(lang, "digest.unit_line", unit=name, share=_pct(cov.share))
                  for name, cov in digest.units[:MAX_UNITS]]
        if len(digest.units) > MAX_UNITS:
            lines.append(t(lang, "digest.more_units", n=len(digest.units) - MAX_UNITS))
    return lines


def chart_title(digest: Digest, lang: str) -> str:
    """The chart's title: scope and period, as it travels alone when forwarded."""
    return t(lang, "digest.chart_title", scope=digest.scope_name or t(lang, "digest.everything"),
             start=fmt_datetime(lang, digest.start, digest.tz),
             end=fmt_datetime(lang, digest.end, digest.tz))


async def digest_png(digest: Digest, lang: str, title: str | None = None) -> bytes:
    """The chart (under ``title``, else the digest's), drawn in a worker thread (matplotlib is
    slow and blocking)."""
    units = [(name, cov.share or 0.0) for name, cov in digest.units if cov.duty]
    categories = sorted(((t(lang, f"cat.{c}"), n) for c, n in digest.by_category.items()),
                        key=lambda kv: -kv[1])
    return await asyncio.to_thread(
        digest_chart, title or chart_title(digest, lang), units, categories,
        t(lang, "digest.chart_share"), t(lang, "digest.chart_categories"),
        t(lang, "digest.chart_empty"))
