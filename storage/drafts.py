"""The /lapor draft: a report being written, one per member, stored step by step.

The guided flow's whole state is this row, so a draft survives a restart and ``/batal``
deletes it. AUTOINCREMENT ids are never reused: buttons of an older draft stay stale.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from storage.models import to_db
from storage.records import Convert, Flag, RowRecord
from storage.sqlite.engine import Database

MAX_MEDIA = 5  # attachments per report


class Step(StrEnum):
    """Where a draft is in the guided flow."""

    CATEGORY = "category"
    SEVERITY = "severity"
    DESCRIPTION = "description"
    LOCATION = "location"
    MEDIA = "media"
    TPS = "tps"
    CONFIRM = "confirm"


def _media(text: str) -> list[tuple[str, str]]:
    return [(kind, file_id) for kind, file_id in json.loads(text)]


@dataclass(frozen=True, slots=True)
class Draft(RowRecord):
    """A report being written."""

    id: int
    member_id: int
    desk_id: int
    step: Annotated[Step, Convert(Step)]
    category: str | None
    severity: str | None
    description: str | None
    latitude: float | None
    longitude: float | None
    media: Annotated[list[tuple[str, str]], Convert(_media)] = field(default_factory=list)
    tps: str | None = None
    revising: Flag = False  # changing one answer: the next answer leads back to the summary


_DRAFT_COLUMNS = ", ".join(Draft.columns())
DRAFT_SELECT = f"SELECT {_DRAFT_COLUMNS} FROM incident_drafts"


async def draft_of(db: Database, member_id: int) -> Draft | None:
    """The member's draft, if they are writing one."""
    row = await db.fetchone(f"{DRAFT_SELECT} WHERE member_id = ?", (member_id,))
    return Draft.from_row(row) if row else None


async def start_draft(db: Database, member_id: int, desk_id: int, now: datetime,
                      update_id: int | None = None) -> Draft:
    """A fresh draft at the category step (an older draft of the member is dropped).

    The ``/lapor`` that started the current draft, delivered again after a crash, keeps the
    draft as it is instead of wiping the steps made since.
    """
    async with db.transaction() as tx:
        seen = update_id is not None and bool(await tx.execute_fetchall(
            "SELECT 1 FROM incident_drafts WHERE member_id = ? AND update_id = ?",
            (member_id, update_id)))
        if not seen:
            await tx.execute("DELETE FROM incident_drafts WHERE member_id = ?", (member_id,))
            # RETURNING hands back the new draft in the same call: no read after the commit.
            rows = await tx.execute_fetchall(
                "INSERT INTO incident_drafts (member_id, desk_id, step, update_id, created_at, "
                f"updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING {_DRAFT_COLUMNS}",
                (member_id, desk_id, Step.CATEGORY.value, update_id, to_db(now), to_db(now)))
    if not seen:
        return Draft.from_row(next(iter(rows)))
    draft = await draft_of(db, member_id)
    assert draft is not None
    return draft


_FIELDS = ("category", "severity", "description", "latitude", "longitude", "media", "tps",
           "revising")


async def update_draft(db: Database, draft_id: int, member_id: int, step: Step,
                       now: datetime, **values: Any) -> Draft | None:
    """Move a draft to ``step`` with new field values; None if that draft is gone."""
    unknown = set(values) - set(_FIELDS)
    if unknown:
        raise ValueError(f"unknown draft fields {unknown}")
    if "media" in values:
        values["media"] = json.dumps(values["media"])
    assignments = "".join(f", {key} = ?" for key in values)
    async with db.transaction() as tx:
        # RETURNING hands back the moved draft in the same call: no read after the commit.
        rows = await tx.execute_fetchall(
            f"UPDATE incident_drafts SET step = ?, updated_at = ?{assignments} "
            f"WHERE id = ? AND member_id = ? RETURNING {_DRAFT_COLUMNS}",
            (step.value, to_db(now), *values.values(), draft_id, member_id))
    row = next(iter(rows), None)
    return Draft.from_row(row) if row is not None else None


async def discard_draft(db: Database, member_id: int) -> bool:
    """Drop the member's draft (``/batal``); False if there was none."""
    async with db.transaction() as tx:
        cursor = await tx.execute("DELETE FROM incident_drafts WHERE member_id = ?",
                                  (member_id,))
        return cursor.rowcount == 1
