"""The outbox: message intents written with the state change that caused them, drained by a sender.

A row is an intent (a kind and its payload, see storage.outbox_kinds) for one chat. Writers
call :func:`enqueue` inside their own transaction, so an intent exists exactly when its cause
was committed. The sender takes :func:`due` rows, at most one per chat and in id order per
chat, and settles each with one conditional UPDATE: sent (with Telegram's message id), retry
later, or failed for good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from storage.models import StoredTime, from_db, to_db
from storage.outbox_kinds import (
    OutboxFormatError,
    OutboxKind,
    OutboxPayload,
    payload_type,
    read_kind,
    read_payload,
    write_payload,
)
from storage.records import RowRecord
from storage.sqlite.engine import Database, Tx

P = TypeVar("P", bound=OutboxPayload)


@dataclass(frozen=True, slots=True)
class Intent:
    """A message to produce for one chat: a kind and the payload type that kind carries."""

    chat_id: int
    kind: OutboxKind
    payload: OutboxPayload

    def __post_init__(self) -> None:
        expected = payload_type(self.kind)
        if not isinstance(self.payload, expected):
            raise TypeError(f"{self.kind} carries {expected.__name__}, "
                            f"not {type(self.payload).__name__}")


@dataclass(frozen=True, slots=True)
class OutboxRow(RowRecord):
    """A pending intent as the sender sees it.

    Kind and payload stay as stored until read through :attr:`kind` and :attr:`payload`
    (which raise :class:`OutboxFormatError`), so a row this version cannot read fails its own
    render, and is retried like any render that failed, instead of the query that found it.
    """

    id: int
    chat_id: int
    stored_kind: str
    stored_payload: str  # JSON
    attempts: int
    created_at: StoredTime

    @property
    def kind(self) -> OutboxKind:
        """The row's kind."""
        return read_kind(self.stored_kind)

    @property
    def payload(self) -> OutboxPayload:
        """The row's payload, of the type its kind carries."""
        return read_payload(self.kind, self.stored_payload)

    def payload_as(self, cls: type[P]) -> P:
        """The payload, which the caller expects to be a ``cls``."""
        payload = self.payload
        if not isinstance(payload, cls):
            raise OutboxFormatError(f"outbox row {self.id} is {self.stored_kind}, "
                                    f"not {cls.__name__}")
        return payload


_ROW = ("SELECT o.id, o.chat_id, o.kind AS stored_kind, o.payload AS stored_payload, "
        "o.attempts, o.created_at FROM outbox o")


async def enqueue(tx: Tx, intents: list[Intent], now: datetime) -> list[int]:
    """Write intents inside the caller's transaction; return their ids in order.

    Ids are assigned here (the transaction holds SQLite's write lock, so ``max(id)`` cannot
    move under us), which lets a sweep queue thousands of intents in one ``executemany``.
    """
    if not intents:
        return []
    cursor = await tx.execute("SELECT coalesce(max(id), 0) FROM outbox")
    row = await cursor.fetchone()
    first = int(row[0]) + 1 if row else 1
    stamp = to_db(now)
    ids = list(range(first, first + len(intents)))
    await tx.executemany(
        "INSERT INTO outbox (id, chat_id, kind, payload, created_at, not_before) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(row_id, i.chat_id, i.kind.value, write_payload(i.payload), stamp, stamp)
         for row_id, i in zip(ids, intents, strict=True)])
    return ids


# A pending row that is its chat's first: no older pending row in the same chat (a seek in
# outbox_pending_chat that finds nothing for nearly every row of a wave).
_FIRST_OF_CHAT = ("o.sent_at IS NULL AND o.failed_at IS NULL AND NOT EXISTS (SELECT 1 FROM "
                  "outbox p WHERE p.chat_id = o.chat_id AND p.id < o.id "
                  "AND p.sent_at IS NULL AND p.failed_at IS NULL)")


async def due(db: Database, now: datetime, limit: int = 200,
              exclude_chats: frozenset[int] = frozenset()) -> list[OutboxRow]:
    """The oldest pending row of each chat whose time has come (id order, at most ``limit``).

    Only a chat's *first* pending row is eligible, so a chat's messages go out in order even
    when an earlier one waits for a retry. The pending rows are walked in id order and the
    walk stops at ``limit``: a call costs what it returns, not the whole queue (the sender
    asks after every send, and voting day queues a question for every officer at once).
    """
    rows = await db.scan(
        f"{_ROW} WHERE {_FIRST_OF_CHAT} AND o.not_before <= ? ORDER BY o.id LIMIT ?",
        (to_db(now), limit + len(exclude_chats)),
    )
    read = OutboxRow.reader(rows)
    chat_id = read.column("chat_id")
    return [read.build(r) for r in rows if chat_id(r) not in exclude_chats][:limit]


async def pending_count(db: Database) -> int:
    """Rows not yet sent nor failed."""
    return int(await db.scanval(
        "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"))


async def next_due_at(db: Database) -> datetime | None:
    """When the earliest pending row may be tried (None if nothing is pending).

    Like :func:`due`, only each chat's first pending row counts: a row queued behind one that
    waits for a retry cannot be tried before it, however old its own ``not_before``. The
    pending rows are walked by ``not_before`` and the first that is its chat's first answers.
    """
    value = await db.scanval(
        f"SELECT o.not_before FROM outbox o WHERE {_FIRST_OF_CHAT} "
        "ORDER BY o.not_before LIMIT 1")
    return from_db(value) if value else None


async def mark_sent(db: Database, row_id: int, message_id: int | None, now: datetime) -> bool:
    """Telegram accepted the row; False if it was already settled."""
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "UPDATE outbox SET sent_at = ?, message_id = ?, attempts = attempts + 1 "
            "WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL",
            (to_db(now), message_id, row_id),
        )
        return cursor.rowcount == 1


async def retry_later(db: Database, row_id: int, not_before: datetime, error: str) -> None:
    """A transient failure: count the attempt and wait until ``not_before``."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE outbox SET attempts = attempts + 1, not_before = ?, error = ? "
            "WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL",
            (to_db(not_before), error[:500], row_id),
        )


async def mark_failed(db: Database, row_id: int, error: str, now: datetime) -> None:
    """A permanent failure (or nothing left to send): never retried."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE outbox SET failed_at = ?, error = ?, attempts = attempts + 1 "
            "WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL",
            (to_db(now), error[:500], row_id),
        )


async def deactivate_chat(db: Database, chat_id: int, error: str, now: datetime) -> int:
    """The chat is gone for good (bot blocked, kicked, chat deleted).

    The member or the subscriptions behind it stop receiving, and every pending row for it
    fails at once instead of being retried. Returns how many rows failed.
    """
    async with db.transaction() as tx:
        await tx.execute("UPDATE members SET active = 0 WHERE telegram_id = ?", (chat_id,))
        await tx.execute("UPDATE subscriptions SET active = 0 WHERE chat_id = ?", (chat_id,))
        cursor = await tx.execute(
            "UPDATE outbox SET failed_at = ?, error = ? "
            "WHERE chat_id = ? AND sent_at IS NULL AND failed_at IS NULL",
            (to_db(now), error[:500], chat_id),
        )
        return cursor.rowcount


async def migrate_chat(db: Database, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: its subscriptions and pending rows follow the new id.

    Idempotent, and a no-op when both ids are the same: Telegram answers "upgraded" for every
    call to the old id, also for an edit queued after the chat was followed already, and that
    must not touch the subscriptions now living under the new id.
    """
    if old_chat_id == new_chat_id:
        return
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE subscriptions SET chat_id = ? WHERE chat_id = ? AND desk_id NOT IN "
            "(SELECT desk_id FROM subscriptions WHERE chat_id = ?)",
            (new_chat_id, old_chat_id, new_chat_id),
        )
        # A scope the new id holds already (someone ran /langganan there) stays as it is there:
        # the old row is obsolete rather than a second subscription that would migrate on
        # every send.
        await tx.execute("UPDATE subscriptions SET active = 0 WHERE chat_id = ?", (old_chat_id,))
        await tx.execute(
            "UPDATE outbox SET chat_id = ? WHERE chat_id = ? AND sent_at IS NULL "
            "AND failed_at IS NULL",
            (new_chat_id, old_chat_id),
        )


async def retarget_message(db: Database, old: tuple[int, int], new: tuple[int, int]) -> None:
    """The message a sent row shows moved: later edits of that row go to ``new``.

    A message of a group that became a supergroup cannot be edited under the new id; the
    sender sends its current state anew there and points the row at that copy.
    """
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE outbox SET chat_id = ?, message_id = ? WHERE chat_id = ? AND message_id = ? "
            "AND sent_at IS NOT NULL", (*new, *old))


async def sent_message(db: Database, row_id: int) -> tuple[int, int] | None:
    """(chat_id, message_id) of a row Telegram accepted, else None."""
    row = await db.fetchone(
        "SELECT chat_id, message_id FROM outbox WHERE id = ? AND sent_at IS NOT NULL "
        "AND message_id IS NOT NULL", (row_id,))
    return (int(row[0]), int(row[1])) if row else None


async def is_settled(db: Database, row_id: int) -> bool:
    """Whether a row was sent or failed for good."""
    value = await db.fetchval(
        "SELECT sent_at IS NOT NULL OR failed_at IS NOT NULL FROM outbox WHERE id = ?",
        (row_id,))
    return bool(value)


async def get_row(db: Database, row_id: int) -> OutboxRow | None:
    """Any row by id, settled or not (to re-render an earlier message)."""
    row = await db.fetchone(f"{_ROW} WHERE o.id = ?", (row_id,))
    return OutboxRow.from_row(row) if row else None
