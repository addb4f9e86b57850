"""Outbox kinds and payloads through the table: what is written reads back equal, rows queued by
earlier versions still read, and unreadable rows are found but refuse to be read."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import outbox
from storage.models import to_db, utcnow
from storage.outbox import Intent, OutboxRow
from storage.outbox_kinds import (
    AlertsPayload,
    DigestPayload,
    EditPayload,
    IncidentMediaPayload,
    IncidentPayload,
    IncidentStatusPayload,
    MemberChangedPayload,
    OutboxFormatError,
    OutboxKind,
    OutboxPayload,
    PresenceCheckPayload,
    ShiftClosedPayload,
)
from storage.sqlite.engine import Database
from tests.support.rows import SAMPLES

END = datetime(2026, 11, 23, 13, tzinfo=UTC)

# (kind, payload text as earlier versions wrote it, what it reads as).
STORED: list[tuple[OutboxKind, str, OutboxPayload]] = [
    (OutboxKind.ALERTS, '{"alerts":[3,5]}', AlertsPayload((3, 5))),
    (OutboxKind.ALERT_UPDATE, '{"target":7}', EditPayload(7)),
    (OutboxKind.ALERTS_RESOLVED, '{"alerts":[3]}', AlertsPayload((3,))),
    (OutboxKind.PRESENCE_CHECK, '{"check":1,"shift":2}', PresenceCheckPayload(check=1, shift=2)),
    (OutboxKind.SHIFT_CLOSED, '{"shift":2,"reason":"presence_timeout"}',
     ShiftClosedPayload(2, "presence_timeout")),
    (OutboxKind.INCIDENT, '{"incident":4}', IncidentPayload(4)),
    (OutboxKind.INCIDENT_MEDIA, '{"incident":4,"kinds":["photo","video"]}',
     IncidentMediaPayload(4, ("photo", "video"))),
    (OutboxKind.INCIDENT_UPDATE, '{"target":8}', EditPayload(8)),
    (OutboxKind.INCIDENT_STATUS, '{"incident":4,"status":"selesai","agency":null}',
     IncidentStatusPayload(4, "selesai")),
    (OutboxKind.INCIDENT_STATUS, '{"incident":4,"status":"diteruskan","agency":"bawaslu"}',
     IncidentStatusPayload(4, "diteruskan", "bawaslu")),
    (OutboxKind.TPS_MOVED, '{"incident":4}', IncidentPayload(4)),
    (OutboxKind.WEEKLY, '{"desk":12,"end":"2026-11-23T01:00:00.000000Z"}',
     DigestPayload(12, datetime(2026, 11, 23, 1, tzinfo=UTC))),
    (OutboxKind.WEEKLY_CHART, '{"desk":null,"end":"2026-11-23T01:00:00.000000Z"}',
     DigestPayload(None, datetime(2026, 11, 23, 1, tzinfo=UTC))),
    (OutboxKind.WEEKLY_FILE, '{"desk":12,"end":"2026-11-23T01:00:00.000000Z"}',
     DigestPayload(12, datetime(2026, 11, 23, 1, tzinfo=UTC))),
    (OutboxKind.DIGEST, '{"desk":12,"end":"2026-11-23T13:00:00.000000Z"}', DigestPayload(12, END)),
    (OutboxKind.DIGEST_CHART, '{"desk":null,"end":"2026-11-23T13:00:00.000000Z"}',
     DigestPayload(None, END)),
    (OutboxKind.MEMBER_CHANGED, '{"change":"moved","desk":5,"role":"officer","shift":9}',
     MemberChangedPayload("moved", 5, "officer", 9)),
]
# Shapes only earlier versions wrote.
LEGACY: list[tuple[OutboxKind, str, OutboxPayload]] = [
    (OutboxKind.INCIDENT_MEDIA, '{"incident":4}', IncidentMediaPayload(4, None)),
    (OutboxKind.INCIDENT_STATUS, '{"incident":4,"status":"selesai"}',
     IncidentStatusPayload(4, "selesai")),
]


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "posko.db")
    yield database
    await database.close()


async def store(db: Database, chat_id: int, kind: str, payload: str) -> int:
    """A row written with SQL, as another version of the bot may have left it."""
    stamp = to_db(utcnow())
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "INSERT INTO outbox (chat_id, kind, payload, created_at, not_before) "
            "VALUES (?, ?, ?, ?, ?)", (chat_id, kind, payload, stamp, stamp))
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def read(db: Database, row_id: int) -> OutboxRow:
    row = await outbox.get_row(db, row_id)
    assert row is not None
    return row


async def test_every_kind_round_trips(db: Database) -> None:
    assert set(SAMPLES) == set(OutboxKind)
    intents = [Intent(100 + i, kind, payload)
               for i, (kind, payload) in enumerate(SAMPLES.items())]
    async with db.transaction() as tx:
        ids = await outbox.enqueue(tx, intents, utcnow())
    due = await outbox.due(db, utcnow())
    assert [r.id for r in due] == ids
    for intent, row_id, pending in zip(intents, ids, due, strict=True):
        row = await read(db, row_id)
        for found in (row, pending):
            assert (found.chat_id, found.kind, found.payload) == \
                (intent.chat_id, intent.kind, intent.payload)
            assert found.payload_as(type(intent.payload)) == intent.payload


async def test_stored_text_is_unchanged(db: Database) -> None:
    """This version writes exactly what earlier ones did, and reads what they wrote."""
    assert {kind for kind, _, _ in STORED} == set(OutboxKind)
    for kind, text, payload in STORED:
        async with db.transaction() as tx:
            (row_id,) = await outbox.enqueue(tx, [Intent(1, kind, payload)], utcnow())
        stored = await db.fetchone("SELECT kind, payload FROM outbox WHERE id = ?", (row_id,))
        assert stored is not None and tuple(stored) == (kind.value, text)
    for kind, text, payload in STORED + LEGACY:
        row = await read(db, await store(db, 2, kind.value, text))
        assert (row.kind, row.payload) == (kind, payload)


async def test_unreadable_rows_are_found_but_not_read(db: Database) -> None:
    """A newer version's kind or a damaged payload does not stop ``due`` (the sender would
    stall for every chat); reading the row raises, which fails that row's render only."""
    damaged = [
        ("incident", "not json", "incident payload is not JSON"),
        ("incident", "[4]", "IncidentPayload: expected a JSON object, got [4]"),
        ("incident", "{}", "IncidentPayload.incident: expected int, got None"),
        ("incident", '{"incident":"4"}', "IncidentPayload.incident: expected int, got '4'"),
        ("incident", '{"incident":true}', "IncidentPayload.incident: expected int, got True"),
        ("alerts", '{"alerts":[1,null]}', "AlertsPayload.alerts: expected int, got None"),
        ("digest", '{"desk":null,"end":"2026-11-23T13:00:00"}',  # no time zone
         "DigestPayload.end: expected datetime, got '2026-11-23T13:00:00'"),
    ]
    ids = [await store(db, chat, kind, text)
           for chat, (kind, text, _) in enumerate(damaged, start=10)]
    newer = await store(db, 20, "broadcast", '{"text":"x"}')
    assert [r.id for r in await outbox.due(db, utcnow())] == [*ids, newer]
    for row_id, (kind, _, error) in zip(ids, damaged, strict=True):
        row = await read(db, row_id)
        assert row.kind == kind
        with pytest.raises(OutboxFormatError) as raised:
            row.payload  # noqa: B018 - reading is the test
        assert str(raised.value).startswith(error)
    row = await read(db, newer)
    assert row.stored_kind == "broadcast"
    with pytest.raises(OutboxFormatError, match="unknown outbox kind 'broadcast'"):
        row.kind  # noqa: B018 - reading is the test


async def test_a_payload_must_fit_its_kind(db: Database) -> None:
    with pytest.raises(TypeError, match="alerts carries AlertsPayload, not EditPayload"):
        Intent(1, OutboxKind.ALERTS, EditPayload(3))
    target = await store(db, 1, "alerts", '{"alerts":[3]}')
    with pytest.raises(OutboxFormatError, match=f"row {target} is alerts, not IncidentPayload"):
        (await read(db, target)).payload_as(IncidentPayload)
