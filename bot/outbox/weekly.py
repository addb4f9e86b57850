"""The weekly report's kinds of the outbox: its text, its chart, and the week's export."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.config import Settings
from bot.files.xlsx import workbook_bytes
from bot.outbox.message import Rendered
from bot.reports.digest import digest_png, weekly_text
from bot.reports.export import MAX_ROWS, export_data, file_name, fmt_period, utc_bounds
from bot.texts import fmt_count, fmt_datetime, t
from scheduler.weekly import Weekly, build_weekly
from storage import desks as desks_store
from storage import exports as exports_store
from storage.models import utcnow
from storage.outbox_kinds import DigestPayload
from storage.sqlite.engine import Database


class WeeklyRenderer:
    """The weekly kinds of the outbox renderer; a scope's week is built once for its three
    messages and every recipient (the last few kept)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._cache: dict[tuple[int | None, str], Weekly] = {}

    async def weekly(self, desk_id: int | None, end: datetime) -> Weekly | None:
        """The week of a scope ending at ``end``; None if its desk is gone."""
        key = (desk_id, end.isoformat())
        if key not in self._cache:
            desk = await desks_store.get(self.db, desk_id) if desk_id is not None else None
            if desk_id is not None and desk is None:
                return None
            if len(self._cache) > 16:
                self._cache.clear()
            self._cache[key] = await build_weekly(self.db, desk, end,
                                                  desk.tz if desk else self.settings.tz,
                                                  now=utcnow())
        return self._cache[key]

    async def text(self, payload: DigestPayload, lang: str) -> Rendered | None:
        """The report's message."""
        weekly = await self.weekly(payload.desk, payload.end)
        return Rendered(weekly_text(weekly, lang, self.settings.routing)) if weekly else None

    async def chart(self, payload: DigestPayload, lang: str) -> Rendered | None:
        """The week's chart: staffed share per unit and reports per category."""
        weekly = await self.weekly(payload.desk, payload.end)
        if weekly is None:
            return None
        digest = weekly.digest
        scope = digest.scope_name or t(lang, "digest.everything")
        title = t(lang, "weekly.chart_title", scope=scope,
                  start=fmt_datetime(lang, digest.start, digest.tz),
                  end=fmt_datetime(lang, digest.end, digest.tz))
        return Rendered(t(lang, "weekly.chart_caption", scope=scope),
                        photo=await digest_png(digest, lang, title))

    async def file(self, payload: DigestPayload, lang: str) -> Rendered | None:
        """The export of the week's seven local dates, as ``/ekspor`` makes it."""
        desk = await desks_store.get(self.db, payload.desk) if payload.desk is not None \
            else None
        if payload.desk is not None and desk is None:
            return None
        tz = desk.tz if desk else self.settings.tz
        last = payload.end.astimezone(tz).date() - timedelta(days=1)
        first = last - timedelta(days=6)
        path, scope = (desk.path, desk.name) if desk else (None, t(lang, "digest.everything"))
        rows = await exports_store.count(self.db, path, *utc_bounds(first, last, tz))
        if rows > MAX_ROWS:  # as /ekspor: a province's week is the server's to export
            return Rendered(t(lang, "weekly.file_too_big", scope=scope, rows=fmt_count(lang, rows),
                              max=fmt_count(lang, MAX_ROWS), code=desk.code if desk else "KODE",
                              first=first.isoformat(), last=last.isoformat()))
        _, sheets = await export_data(self.db, path, first, last, tz, lang)
        content = await asyncio.to_thread(workbook_bytes, sheets)
        return Rendered(t(lang, "weekly.file_caption", scope=scope,
                          period=fmt_period(first, last)),
                        document=(file_name(desk.code if desk else "semua", first, last),
                                  content))
