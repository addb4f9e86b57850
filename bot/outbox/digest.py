"""The digest kinds of the outbox: the daily digest message, then its chart as a photo."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from bot.config import Settings
from bot.outbox.message import Rendered
from bot.reports.digest import digest_png, digest_text
from bot.texts import t
from scheduler.digest import Digest, build_digest
from storage import desks as desks_store
from storage.models import utcnow
from storage.outbox_kinds import DigestPayload
from storage.sqlite.engine import Database

Draw = Callable[[Digest, str], Awaitable[bytes]]  # a digest's chart as PNG, in a language
# Digests kept for their charts, the oldest dropped first. A chat's chart row follows its text
# row, and the sender reaches it within a few hundred rows, so a 20:00 of 60,000 digests
# builds each once (64 built most twice). A kept digest is a few kilobytes; a chart tens.
DIGESTS_KEPT = 1024
CHARTS_KEPT = 64


K = TypeVar("K")
V = TypeVar("V")


class DigestRenderer:
    """The digest kinds of the outbox renderer (the text, then the chart)."""

    def __init__(self, db: Database, settings: Settings, draw: Draw | None = None) -> None:
        self.db = db
        self.settings = settings
        self.draw = draw or digest_png
        self._cache: dict[tuple[int | None, str], Digest] = {}
        # A scope's chart goes to each of its supervisors and groups: drawn once per language.
        self._charts: dict[tuple[int | None, str, str], bytes] = {}

    async def digest(self, desk_id: int | None, end: datetime) -> Digest | None:
        """The digest of a scope for the day ending at ``end`` (kept for its chart)."""
        key = (desk_id, end.isoformat())
        if key not in self._cache:
            desk = await desks_store.get(self.db, desk_id) if desk_id is not None else None
            if desk_id is not None and desk is None:
                return None
            tz = desk.tz if desk else self.settings.tz
            built = await build_digest(self.db, desk, end, tz, now=utcnow())
            _keep(self._cache, key, built, DIGESTS_KEPT)
        return self._cache[key]

    async def text(self, payload: DigestPayload, lang: str) -> Rendered | None:
        """The digest message."""
        digest = await self.digest(payload.desk, payload.end)
        return Rendered(digest_text(digest, lang)) if digest else None

    async def chart(self, payload: DigestPayload, lang: str) -> Rendered | None:
        """The digest chart as a photo."""
        desk_id, end = payload.desk, payload.end
        digest = await self.digest(desk_id, end)
        if digest is None:
            return None
        key = (desk_id, end.isoformat(), lang)
        if key not in self._charts:
            _keep(self._charts, key, await self.draw(digest, lang), CHARTS_KEPT)
        scope = digest.scope_name or t(lang, "digest.everything")
        return Rendered(t(lang, "digest.chart_caption", scope=scope), photo=self._charts[key])


def _keep(kept: dict[K, V], key: K, value: V, most: int) -> None:
    """Keep ``value``, dropping the oldest entries beyond ``most``."""
    kept[key] = value
    while len(kept) > most:
        del kept[next(iter(kept))]
