"""The daily digest as a document: a short text (one message) and its chart.

The outbox sends both to every recipient; ``posko-bot digest`` prints the text and writes the
chart.
"""

from __future__ import annotations

import asyncio

from bot.files.charts import digest_chart
from bot.texts import fmt_datetime, fmt_duration, t
from bot.views.limits import TEXT_MAX, fit
from scheduler.digest import Digest

MAX_UNITS = 10


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def digest_text(digest: Digest, lang: str) -> str:
    """The digest as one message, cut to Telegram's limit (scope and desk names are long)."""
    scope = digest.scope_name or t(lang, "digest.everything")
    lines = [t(lang, "digest.title", scope=scope, start=fmt_datetime(digest.start, digest.tz),
               end=fmt_datetime(digest.end, digest.tz)), ""]
    total = digest.total
    if total.duty:
        lines.append(t(lang, "digest.desks", desks=digest.desks, share=_pct(total.share)))
        lines.append(t(lang, "digest.empty", episodes=total.episodes,
                       minutes=round(total.empty / 60)))
    else:
        lines.append(t(lang, "digest.no_duty"))
    median = (t(lang, "digest.median", time=fmt_duration(lang, digest.median_ack))
              if digest.median_ack is not None else "")
    lines.append(t(lang, "digest.alerts", alerts=digest.alerts, acked=digest.acked,
                   median=median))
    ordered = sorted(digest.by_category.items(), key=lambda kv: (-kv[1], kv[0]))
    categories = ": " + ", ".join(f"{t(lang, f'cat.{c}')} {n}" for c, n in ordered) \
        if ordered else ""
    lines.append(t(lang, "digest.incidents", n=sum(digest.by_category.values()),
                   categories=categories))
    if digest.by_status:
        lines.append(t(lang, "digest.statuses", statuses=", ".join(
            f"{t(lang, f'status.{s}')} {n}" for s, n in sorted(digest.by_status.items()))))
    lines.append(t(lang, "digest.open", alerts=digest.open_alerts,
                   incidents=digest.open_incidents))
    if digest.worst:
        lines += ["", t(lang, "digest.worst")]
        lines += [t(lang, "digest.worst_line", n=i, desk=name, code=code,
                    minutes=round(cov.empty / 60), share=_pct(cov.share))
                  for i, (name, code, cov) in enumerate(digest.worst, start=1)]
    if len(digest.units) > 1:
        lines += ["", t(lang, "digest.units")]
        lines += [t(lang, "digest.unit_line", unit=name, share=_pct(cov.share))
                  for name, cov in digest.units[:MAX_UNITS]]
        if len(digest.units) > MAX_UNITS:
            lines.append(t(lang, "digest.more_units", n=len(digest.units) - MAX_UNITS))
    return fit("\n".join(lines), TEXT_MAX)


async def digest_png(digest: Digest, lang: str) -> bytes:
    """The chart, drawn in a worker thread (matplotlib is slow and blocking)."""
    scope = digest.scope_name or t(lang, "digest.everything")
    units = [(name, cov.share or 0.0) for name, cov in digest.units if cov.duty]
    categories = sorted(((t(lang, f"cat.{c}"), n) for c, n in digest.by_category.items()),
                        key=lambda kv: -kv[1])
    return await asyncio.to_thread(
        digest_chart, t(lang, "digest.chart_title", scope=scope), units, categories,
        t(lang, "digest.chart_share"), t(lang, "digest.chart_categories"),
        t(lang, "digest.chart_empty"))
