"""Incident reports: the /lapor draft, submission with its reference, routing and follow-up.

A report goes ``baru`` → ``ditangani`` (who) → ``selesai`` (a note). Every change is one
conditional UPDATE with a history row and the outbox intents it causes (the routed messages
edited, the reporter told), all in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from storage import desks as desks_store
from storage import members as members_store
from storage import partners
from storage import subscriptions as subscriptions_store
from storage.drafts import DRAFT_SELECT, Draft, Step
from storage.models import Desk, Level, StoredTime, from_db, to_db
from storage.outbox import Intent, enqueue
from storage.outbox_kinds import (
    EditPayload,
    IncidentMediaPayload,
    IncidentPayload,
    IncidentStatusPayload,
    OutboxKind,
)
from storage.records import RowRecord
from storage.sqlite.engine import Database, Tx

CATEGORIES = ("netralitas", "politik_uang", "sara_hoaks", "kampanye_apk", "kamtib", "hak_pilih",
              "logistik", "lokasi_tps", "listrik_internet", "pungut_hitung", "penyelenggara",
              "kondusif", "lainnya")
SEVERITIES = ("info", "sedang", "tinggi", "kritis")
ALL_CLEAR = "kondusif"


@dataclass(frozen=True, slots=True)
class Incident(RowRecord):
    """A submitted report."""

    id: int
    ref: str
    desk_id: int
    reporter_id: int
    category: str
    severity: str
    description: str
    latitude: float | None
    longitude: float | None
    tps: str | None
    status: str
    handler_id: int | None
    closing_note: str | None
    created_at: StoredTime
    updated_at: StoredTime


_INCIDENT = f"SELECT {', '.join(Incident.columns())} FROM incidents"
_INCIDENT_JOINED = f"SELECT {', '.join('i.' + c for c in Incident.columns())} FROM incidents i"


async def get(db: Database, incident_id: int) -> Incident | None:
    """A report by id."""
    row = await db.fetchone(f"{_INCIDENT} WHERE id = ?", (incident_id,))
    return Incident.from_row(row) if row else None


async def by_ref(db: Database, ref: str) -> Incident | None:
    """A report by its reference (``LP-31.73.01.1001-0042``), case-insensitively."""
    row = await db.fetchone(f"{_INCIDENT} WHERE ref = ? COLLATE NOCASE", (ref.strip(),))
    return Incident.from_row(row) if row else None


# Attachment kinds that may share one message: Telegram's albums hold photos and videos
# together, documents only with documents.
ALBUMS = (("photo", "video"), ("document",))


async def media_of(db: Database, incident_id: int) -> list[tuple[str, str]]:
    """(kind, file_id) of a report's attachments, in order."""
    rows = await db.fetchall("SELECT kind, file_id FROM incident_media WHERE incident_id = ? "
                             "ORDER BY position", (incident_id,))
    return [(r[0], r[1]) for r in rows]


async def history(db: Database, incident_id: int) -> list[tuple[datetime, int | None, str,
                                                                str | None]]:
    """(when, who, status, note) of every change, oldest first."""
    rows = await db.fetchall("SELECT at, actor_id, status, note FROM incident_history "
                             "WHERE incident_id = ? ORDER BY id", (incident_id,))
    return [(from_db(r[0]), r[1], r[2], r[3]) for r in rows]


async def recipients(db: Database, desk: Desk, severity: str,
                     agencies: Sequence[str] = ()) -> list[int]:
    """Who gets a new report: supervisors of the desk and its parent (``kritis``: every level
    up to the kabupaten/kota), the groups subscribed to a scope containing the desk, and the
    liaisons of ``agencies`` (those the category routes to) at the desk or above it."""
    levels = desks_store.chain(desk.path)[:2]
    if severity == "kritis":  # never fewer than usual: a kota desk's parent stays in
        for up in [desk, *await desks_store.ancestors(db, desk)]:
            if up.id not in levels:
                levels.append(up.id)
            if Level(up.level).depth <= Level.KABUPATEN_KOTA.depth:
                break
    supervised = await members_store.supervisors_of(db, levels)
    chats = {chat for desk_id in levels for chat in supervised.get(desk_id, [])}
    chats |= subscriptions_store.chats_within(await subscriptions_store.active(db), desk.path)
    chats |= set(await partners.liaisons(db, desk.path, agencies))
    return sorted(chats)


class SubmitOutcome(StrEnum):
    """Result of *Kirim*."""

    CREATED = "created"
    REPEATED = "repeated"  # the same draft sent again: the report it made
    STALE = "stale"  # no such draft (cancelled, or replaced by a newer one)


async def submit(db: Database, draft_id: int, member_id: int, chats: list[int],
                 now: datetime, agencies: Sequence[str] = ()
                 ) -> tuple[SubmitOutcome, Incident | None]:
    """Turn a confirmed draft into a report, route it, and drop the draft, in one transaction.

    The reference is ``LP-<desk code>-<seq>`` with a per-desk sequence. ``draft_id`` is
    unique on reports, so a double tap or a redelivered update makes one report only.
    ``agencies`` are those the category routes to: the report concerns them from now on.
    """
    async with db.transaction() as tx:
        cursor = await tx.execute(f"{DRAFT_SELECT} WHERE id = ? AND member_id = ? AND step = ?",
                                  (draft_id, member_id, Step.CONFIRM.value))
        row = await cursor.fetchone()
        if row is None:
            cursor = await tx.execute("SELECT id FROM incidents WHERE draft_id = ? AND "
                                      "reporter_id = ?", (draft_id, member_id))
            made = await cursor.fetchone()
            outcome = SubmitOutcome.REPEATED if made else SubmitOutcome.STALE
            return outcome, await _get_in(tx, made[0]) if made else None
        draft = Draft.from_row(row)
        all_clear = draft.category == ALL_CLEAR
        cursor = await tx.execute(
            "SELECT d.code, (SELECT coalesce(max(seq), 0) + 1 FROM incidents i "
            "WHERE i.desk_id = d.id) FROM desks d WHERE d.id = ?", (draft.desk_id,))
        desk_row = await cursor.fetchone()
        assert desk_row is not None  # the draft's foreign key
        code, seq = str(desk_row[0]), int(desk_row[1])
        stamp = to_db(now)
        cursor = await tx.execute(
            "INSERT INTO incidents (ref, desk_id, seq, draft_id, reporter_id, category, "
            "severity, description, latitude, longitude, tps, status, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (f"LP-{code}-{seq:04d}", draft.desk_id, seq, draft.id, member_id, draft.category,
             draft.severity, draft.description, draft.latitude, draft.longitude, draft.tps,
             "selesai" if all_clear else "baru", stamp, stamp))
        incident_id = cursor.lastrowid
        assert incident_id is not None
        await tx.executemany(
            "INSERT INTO incident_media (incident_id, position, kind, file_id) "
            "VALUES (?, ?, ?, ?)",
            [(incident_id, i, kind, file_id) for i, (kind, file_id) in enumerate(draft.media)])
        await _history(tx, incident_id, member_id, "baru", None, now)
        await partners.record_routed(tx, incident_id, agencies, now)
        if all_clear:  # nothing to follow up: an all-clear is closed as it is made
            await _history(tx, incident_id, member_id, "selesai", None, now)
        intents = []
        kinds = {kind for kind, _ in draft.media}
        albums = [album for album in ALBUMS if kinds & set(album)]
        for chat in chats:
            # Attachments first (a chat's messages go out in order), one message per album.
            intents += [Intent(chat, OutboxKind.INCIDENT_MEDIA,
                               IncidentMediaPayload(incident_id, album)) for album in albums]
            intents.append(Intent(chat, OutboxKind.INCIDENT, IncidentPayload(incident_id)))
        ids = await enqueue(tx, intents, now)
        await tx.executemany(
            "INSERT INTO incident_messages (incident_id, outbox_id) VALUES (?, ?)",
            [(incident_id, row_id) for row_id, intent in zip(ids, intents, strict=True)
             if intent.kind is OutboxKind.INCIDENT])
        await tx.execute("DELETE FROM incident_drafts WHERE id = ?", (draft.id,))
        return SubmitOutcome.CREATED, await _get_in(tx, incident_id)


async def routed_to(db: Database, incident_id: int) -> int:
    """How many chats a report was routed to."""
    return int(await db.fetchval(
        "SELECT count(*) FROM incident_messages WHERE incident_id = ?", (incident_id,)))


async def _get_in(tx: Tx, incident_id: int) -> Incident | None:
    cursor = await tx.execute(f"{_INCIDENT} WHERE id = ?", (incident_id,))
    row = await cursor.fetchone()
    return Incident.from_row(row) if row else None


async def _history(tx: Tx, incident_id: int, actor: int | None, status: str,
                   note: str | None, now: datetime) -> None:
    await tx.execute("INSERT INTO incident_history (incident_id, at, actor_id, status, note) "
                     "VALUES (?, ?, ?, ?, ?)", (incident_id, to_db(now), actor, status, note))


async def _announce_change(tx: Tx, incident: Incident, now: datetime) -> None:
    """Edit every routed message of the report and tell the reporter its new status."""
    cursor = await tx.execute(
        "SELECT o.id, o.chat_id FROM incident_messages m JOIN outbox o ON o.id = m.outbox_id "
        "WHERE m.incident_id = ? AND o.failed_at IS NULL ORDER BY o.id", (incident.id,))
    intents = [Intent(int(chat), OutboxKind.INCIDENT_UPDATE, EditPayload(int(target)))
               for target, chat in await cursor.fetchall()]
    intents.append(Intent(incident.reporter_id, OutboxKind.INCIDENT_STATUS,
                          IncidentStatusPayload(incident.id, incident.status)))
    await enqueue(tx, intents, now)


class FollowUp(StrEnum):
    """Result of *Tangani* or of a closing note."""

    DONE = "done"
    ALREADY = "already"  # taken by someone (``ditangani``) or closed already
    CLOSED = "closed"


async def take(db: Database, incident_id: int, member_id: int, now: datetime) -> FollowUp:
    """*Tangani*: a ``baru`` report becomes ``ditangani`` by ``member_id``."""
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "UPDATE incidents SET status = 'ditangani', handler_id = ?, updated_at = ? "
            "WHERE id = ? AND status = 'baru'", (member_id, to_db(now), incident_id))
        if cursor.rowcount != 1:
            current = await _get_in(tx, incident_id)
            return FollowUp.CLOSED if current and current.status == "selesai" else \
                FollowUp.ALREADY
        await _history(tx, incident_id, member_id, "ditangani", None, now)
        incident = await _get_in(tx, incident_id)
        assert incident is not None
        await _announce_change(tx, incident, now)
    return FollowUp.DONE


async def ask_closing_note(db: Database, incident_id: int, member_id: int,
                           now: datetime) -> None:
    """*Selesai*: the member's next text in private is the closing note of this report."""
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO closing_notes (member_id, incident_id, asked_at) VALUES (?, ?, ?) "
            "ON CONFLICT (member_id) DO UPDATE SET incident_id = excluded.incident_id, "
            "asked_at = excluded.asked_at", (member_id, incident_id, to_db(now)))


async def pending_note(db: Database, member_id: int) -> int | None:
    """The report whose closing note the member owes, if any."""
    value = await db.fetchval("SELECT incident_id FROM closing_notes WHERE member_id = ?",
                              (member_id,))
    return int(value) if value is not None else None


async def drop_note(db: Database, member_id: int) -> bool:
    """Forget a pending closing note (``/batal``)."""
    async with db.transaction() as tx:
        cursor = await tx.execute("DELETE FROM closing_notes WHERE member_id = ?", (member_id,))
        return cursor.rowcount == 1


async def close(db: Database, member_id: int, note: str, now: datetime
                ) -> tuple[FollowUp, Incident | None]:
    """The closing note arrived: the pending report becomes ``selesai``."""
    async with db.transaction() as tx:
        cursor = await tx.execute("DELETE FROM closing_notes WHERE member_id = ? "
                                  "RETURNING incident_id", (member_id,))
        row = await cursor.fetchone()
        if row is None:
            return FollowUp.ALREADY, None
        incident_id = int(row[0])
        cursor = await tx.execute(
            "UPDATE incidents SET status = 'selesai', closing_note = ?, updated_at = ?, "
            "handler_id = coalesce(handler_id, ?) WHERE id = ? AND status != 'selesai'",
            (note, to_db(now), member_id, incident_id))
        incident = await _get_in(tx, incident_id)
        if cursor.rowcount != 1:
            return FollowUp.CLOSED, incident
        await _history(tx, incident_id, member_id, "selesai", note, now)
        assert incident is not None
        await _announce_change(tx, incident, now)
    return FollowUp.DONE, incident


async def open_in_scope(db: Database, scope_path: str | None, offset: int,
                        limit: int, agency: str | None = None) -> tuple[int, list[Incident]]:
    """Unfinished reports in a scope (all when None), only those concerning ``agency`` when
    given (a liaison's): most severe, then newest, first; returns the total count and one
    page."""
    within, scope_params = desks_store.in_scope(scope_path)
    where = f"JOIN desks d ON d.id = i.desk_id WHERE i.status != 'selesai'{within}"
    params: list[object] = list(scope_params)
    if agency is not None:
        where += (" AND EXISTS (SELECT 1 FROM incident_agencies a WHERE a.incident_id = i.id "
                  "AND a.agency = ?)")
        params.append(agency)
    total = int(await db.scanval(f"SELECT count(*) FROM incidents i {where}", params))
    rank = ("CASE i.severity WHEN 'kritis' THEN 3 WHEN 'tinggi' THEN 2 WHEN 'sedang' THEN 1 "
            "ELSE 0 END")
    rows = await db.scan(
        f"{_INCIDENT_JOINED} {where} ORDER BY {rank} DESC, i.created_at DESC LIMIT ? OFFSET ?",
        [*params, limit, offset])
    return total, Incident.from_rows(rows)


async def open_before(db: Database, scope_path: str | None, before: datetime) -> int:
    """Reports of a scope (all when None) made before ``before`` and not closed yet."""
    within, params = desks_store.in_scope(scope_path)
    return int(await db.scanval(
        "SELECT count(*) FROM incidents i JOIN desks d ON d.id = i.desk_id "
        f"WHERE i.status != 'selesai' AND i.created_at < ?{within}",
        (to_db(before), *params)))

