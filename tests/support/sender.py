"""Driving the outbox sender in tests: rows of a "test" kind whose payload says what to send,
their renderer, and readers of what the stand-in server received."""

from __future__ import annotations

import json
from typing import Any

from bot.outbox.message import Rendered
from storage import outbox
from storage.models import to_db, utcnow
from storage.outbox import OutboxRow
from storage.sqlite.engine import Database
from tests.support.botapi_stub import StubBotAPI

FAST = {"private_interval": 0.1, "group_interval": 0.1}  # when the test is not about pacing


class FakeRenderer:
    """Rows of the "test" kind, whose payload is read here as plain JSON:
    {"text": t} -> t; {"edit_of": row id, "text": t} -> edit of that row's message;
    {"edit_message": id} -> edit of that message id; {"obsolete": true} -> None;
    {"explode": true} -> raises on the first try; {"explode_always": true} -> raises."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.exploded: set[int] = set()
        self.seen: list[int] = []

    async def __call__(self, row: OutboxRow) -> Rendered | None:
        self.seen.append(row.id)
        p = json.loads(row.stored_payload)
        if p.get("explode_always"):
            raise RuntimeError("renderer always breaks")
        if p.get("explode") and row.id not in self.exploded:
            self.exploded.add(row.id)
            raise RuntimeError("renderer broke")
        if p.get("obsolete"):
            return None
        if "edit_of" in p:
            target = await outbox.sent_message(self.db, p["edit_of"])
            return None if target is None else Rendered(p["text"], edit=target)
        if "edit_message" in p:
            return Rendered(p["text"], edit=(row.chat_id, p["edit_message"]))
        return Rendered(p["text"])


async def store(db: Database, *rows: tuple[int, str, str]) -> list[int]:
    """Write (chat, kind, payload text) rows as the outbox stores them; their ids."""
    stamp, ids = to_db(utcnow()), []
    async with db.transaction() as tx:
        for chat, kind, payload in rows:
            cursor = await tx.execute(
                "INSERT INTO outbox (chat_id, kind, payload, created_at, not_before) "
                "VALUES (?, ?, ?, ?, ?)", (chat, kind, payload, stamp, stamp))
            ids.append(cursor.lastrowid)
    return ids


async def enqueue(db: Database, *intents: tuple[int, dict[str, Any]]) -> list[int]:
    return await store(db, *[(c, "test", json.dumps(p)) for c, p in intents])


async def row(db: Database, row_id: int) -> dict[str, Any]:
    found = await db.fetchone("SELECT * FROM outbox WHERE id = ?", (row_id,))
    assert found is not None
    return dict(found)


async def add_desk(db: Database) -> int:
    now = to_db(utcnow())
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "INSERT INTO desks (code, name, level, path, timezone, radius_m, min_staff, "
            "duty_hours, created_at, updated_at) VALUES ('31', 'DKI', 'provinsi', '31', "
            "'Asia/Jakarta', 200, 1, '00:00-24:00', ?, ?)", (now, now))
        assert cursor.lastrowid is not None
        return cursor.lastrowid


def texts(stub: StubBotAPI, chat_id: int) -> list[str | None]:
    return [m.text for m in stub.sent(chat_id)]


def sends_to(stub: StubBotAPI, chat_id: int) -> list[float]:
    return [c.time for c in stub.calls
            if c.method == "sendMessage" and c.params.get("chat_id") == chat_id]
