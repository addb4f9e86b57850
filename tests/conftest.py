"""Shared fixtures: a real SQLite file with the Jakarta desks, settings, and the in-process bot."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("PTB_TIMEDELTA", "1")

import pytest
from telegram import Update

from bot.app import PoskoApp, build_application, post_init
from bot.config import Settings
from storage import desks as desks_store
from storage import invites as invites_store
from storage.importer import import_desks, parse_desk_csv, read_csv_file
from storage.models import Desk, Role, utcnow
from storage.sqlite.engine import Database
from tests.support.recording import RecordingRequest
from tests.support.telegram import Call

DATA = Path(__file__).parent / "data"
JAKARTA_CSV = DATA / "wilayah_31_jakarta.csv"
TOKEN = "123456:TEST-token-0123456789abcdefghij"
ADMIN_ID = 9001


def make_settings(db_path: Path | str, **env: Any) -> Settings:
    """Settings independent of the developer's environment and .env file."""
    values: dict[str, Any] = {"TELEGRAM_BOT_TOKEN": TOKEN, "POSKO_DB_PATH": str(db_path),
                              "POSKO_ADMIN_IDS": str(ADMIN_ID)}
    values.update(env)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def jakarta_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file with the 318 Jakarta desks, imported once per session."""
    path = tmp_path_factory.mktemp("template") / "posko.db"

    async def build() -> None:
        db = await Database.open(path)
        await import_desks(db, parse_desk_csv(read_csv_file(JAKARTA_CSV)), "Asia/Jakarta")
        await db.close()

    asyncio.run(build())
    return path


GAMBIR_CSV = """code,name,level,parent_code,latitude,longitude
31,DKI Jakarta,provinsi,,-6.199049,106.834378
31.71,Jakarta Pusat,kabupaten_kota,31,-6.181483,106.828400
31.71.01,Gambir,kecamatan,31.71,-6.171454,106.818128
31.71.01.1001,Gambir,kelurahan_desa,31.71.01,-6.176384,106.826707
31.71.01.1002,Cideng,kelurahan_desa,31.71.01,-6.172980,106.808311
"""


@pytest.fixture
async def gambir_db(tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh database with the five Gambir desks: small, for storage tests."""
    database = await Database.open(tmp_path / "posko.db")
    await import_desks(database, parse_desk_csv(GAMBIR_CSV), "Asia/Jakarta")
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def db_path(tmp_path: Path, jakarta_template: Path) -> Path:
    """A private copy of the Jakarta database for one test."""
    target = tmp_path / "posko.db"
    shutil.copy(jakarta_template, target)
    return target


@dataclass
class Harness:
    """The real Application with a recording request, and helpers to drive it."""

    app: PoskoApp
    request: RecordingRequest
    errors: list[BaseException] = field(default_factory=list)

    @classmethod
    def build(cls, db_path: Path) -> Harness:
        """The bot on ``db_path`` (not yet initialised), collecting what its handlers raise."""
        request = RecordingRequest()
        h = cls(build_application(make_settings(db_path), request=request), request)

        async def record(update: object, context: Any) -> None:
            h.errors.append(context.error)

        h.app.add_error_handler(record)
        return h

    @property
    def db(self) -> Database:
        return self.app.bot_data.db

    async def send(self, data: dict[str, Any]) -> list[Call]:
        """Process one update; return the Bot API calls it caused."""
        before = len(self.request.calls)
        await self.app.process_update(Update.de_json(data, self.app.bot))
        return self.request.calls[before:]

    async def member(self, user_id: int, desk_code: str, role: Role = Role.OFFICER,
                     name: str = "Budi Santoso") -> Desk:
        """Register a user through a real invite; return their desk."""
        desk = await desks_store.by_code(self.db, desk_code)
        assert desk is not None
        token = await invites_store.create(self.db, desk.id, role, max_uses=1,
                                           ttl=timedelta(days=1), created_by=None,
                                           now=utcnow())
        await invites_store.redeem(self.db, token, telegram_id=user_id, full_name=name,
                                   username=None, now=utcnow())
        return desk

    async def set_desk(self, code: str, **values: Any) -> None:
        """Change stored desk settings (duty hours, min_staff, ...) for a test."""
        assignments = ", ".join(f"{key} = ?" for key in values)
        async with self.db.transaction() as tx:
            await tx.execute(f"UPDATE desks SET {assignments} WHERE code = ?",
                             (*values.values(), code))


@pytest.fixture
async def harness(db_path: Path) -> AsyncIterator[Harness]:
    """The bot in-process; fails the test if any handler raised."""
    h = Harness.build(db_path)
    app = h.app
    async with app:
        await post_init(app)
        yield h
        if app.post_shutdown:
            await app.post_shutdown(app)
    assert not h.errors, f"handlers raised: {h.errors!r}"
