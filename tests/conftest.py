"""Shared fixtures: a real SQLite file with the Jakarta desks, the in-process bot, and the
stand-in Bot API server. Their building blocks live in ``tests/support``."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

os.environ.setdefault("PTB_TIMEDELTA", "1")

import pytest

from storage.importer import import_desks, parse_desk_csv
from storage.sqlite.engine import Database
from storage.tables import read_table
from tests.support.botapi_stub import StubBotAPI
from tests.support.data import GAMBIR_CSV, JAKARTA_CSV
from tests.support.harness import Harness


@pytest.fixture(scope="session")
def jakarta_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file with the 318 Jakarta desks, imported once per session."""
    path = tmp_path_factory.mktemp("template") / "posko.db"

    async def build() -> None:
        db = await Database.open(path)
        await import_desks(db, parse_desk_csv(read_table(JAKARTA_CSV)), "Asia/Jakarta")
        await db.close()

    asyncio.run(build())
    return path


@pytest.fixture
async def empty_db(tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh database with no desks yet: for import tests."""
    database = await Database.open(tmp_path / "posko.db")
    try:
        yield database
    finally:
        await database.close()


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


@pytest.fixture
async def harness(db_path: Path) -> AsyncIterator[Harness]:
    """The bot in-process; fails the test if any handler raised."""
    async with Harness.running(db_path) as h:
        yield h


@pytest.fixture
async def stub() -> AsyncIterator[StubBotAPI]:
    """The stand-in Bot API server, listening on 127.0.0.1 for the test's duration."""
    async with StubBotAPI() as api:
        yield api
