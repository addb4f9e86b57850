"""The real ``Application`` in-process on the recording request, and the helpers that drive
it: feed an update and get the Bot API calls it caused, register members, change desks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram import Update

from bot.app import PoskoApp, build_application, post_init
from bot.handlers.throttle import Throttle
from storage import desks as desks_store
from storage import invites as invites_store
from storage.models import Desk, Role, utcnow
from storage.sqlite.engine import Database
from tests.support.recording import RecordingRequest
from tests.support.settings import make_settings
from tests.support.telegram import Call


@dataclass
class Harness:
    """The real Application with a recording request, and helpers to drive it.

    ``pace``: the seconds that pass, for the flood guard (``bot.handlers.throttle``), before
    each update ``send`` feeds: by default more than its longest window, as if a person took
    each step, so a test may send the same text twice or a stranger write again. A test of
    the guard sets it to 0 (a flood) or moves ``elapsed`` itself.
    """

    app: PoskoApp
    request: RecordingRequest
    errors: list[BaseException] = field(default_factory=list)
    pace: float = 61.0
    elapsed: float = 0.0

    @classmethod
    def build(cls, db_path: Path, **env: Any) -> Harness:
        """The bot on ``db_path`` (not yet initialised), collecting what its handlers raise;
        ``env``: settings beside the tests' own (``POSKO_DASHBOARD_PORT="8123"``)."""
        request = RecordingRequest()
        h = cls(build_application(make_settings(db_path, **env), request=request), request)
        h.app.bot_data.throttle = Throttle(clock=lambda: h.elapsed)

        async def record(update: object, context: Any) -> None:
            h.errors.append(context.error)

        # Recorded before the bot's own error handler runs: that one ends the update's
        # handling (ApplicationHandlerStop), after which no later error handler is called.
        own = dict(h.app.error_handlers)
        h.app.error_handlers.clear()
        h.app.add_error_handler(record)
        for callback, block in own.items():
            h.app.add_error_handler(callback, block=block)
        return h

    @classmethod
    @asynccontextmanager
    async def running(cls, db_path: Path, **env: Any) -> AsyncIterator[Harness]:
        """The bot started as ``posko-bot run`` starts it and shut down on leaving; leaving
        fails if any handler raised meanwhile."""
        h = cls.build(db_path, **env)
        async with h.app:
            await post_init(h.app)
            try:
                yield h
            finally:
                if h.app.post_shutdown:
                    await h.app.post_shutdown(h.app)
        assert not h.errors, f"handlers raised: {h.errors!r}"

    @property
    def db(self) -> Database:
        return self.app.bot_data.db

    async def stop_sender(self) -> None:
        """Stop the background outbox sender: the outbox keeps what handlers wrote, and every
        recorded call is a handler's own."""
        await self.app.bot_data.sender.stop()
        await self.app.bot_data.sender_task

    async def send(self, data: dict[str, Any]) -> list[Call]:
        """Process one update; return the Bot API calls it caused."""
        before = len(self.request.calls)
        self.elapsed += self.pace
        await self.app.process_update(Update.de_json(data, self.app.bot))
        return self.request.calls[before:]

    async def member(self, user_id: int, desk_code: str, role: Role = Role.OFFICER,
                     name: str = "Budi Santoso", agency: str | None = None) -> Desk:
        """Register a user through a real invite (a partner's names its ``agency``); return
        their desk."""
        desk = await desks_store.by_code(self.db, desk_code)
        assert desk is not None
        token = await invites_store.create(self.db, desk.id, role, max_uses=1,
                                           ttl=timedelta(days=1), created_by=None,
                                           now=utcnow(), agency=agency)
        await invites_store.redeem(self.db, token, telegram_id=user_id, full_name=name,
                                   username=None, now=utcnow())
        return desk

    async def set_desk(self, code: str, **values: Any) -> None:
        """Change stored desk settings (duty hours, min_staff, ...) for a test."""
        assignments = ", ".join(f"{key} = ?" for key in values)
        async with self.db.transaction() as tx:
            await tx.execute(f"UPDATE desks SET {assignments} WHERE code = ?",
                             (*values.values(), code))
