"""The stage of a rehearsal: the copy of the database, the scope's desks, the cast, and
the situation room the demo serves.

Step 1 of :mod:`bot.rehearsal.runner` copies the database with SQLite's backup API, the
original opened read-only (a live bot may be running on it). Step 3 registers the cast
through real invites, as a member joins. A rehearsal serves no dashboard (a bot may be
serving its own on the configured port); the demo serves the rehearsal's on this machine,
on ``POSKO_DASHBOARD_PORT`` if set, else on a free port, and signs in an admin of its own.
"""

from __future__ import annotations

import asyncio
import socket
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.rehearsal.actors import Actor, Cast
from bot.rehearsal.script import Event, ScriptError
from storage import backups, logins
from storage import desks as desks_store
from storage import invites as invites_store
from storage import members as members_store
from storage.models import Desk, Role
from storage.rules.duty import Schedule
from storage.sqlite.engine import Database

# The demo's admin: a Telegram id far above any real account's and the cast's.
DEMO_ADMIN = 990_000_000_000
# Desks (and roles) whose members register together: their writes share commits; more at once
# only adds waiting tasks.
REGISTER_AT_ONCE = 1000


def free_port(host: str) -> int:
    """A port nothing listens on now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def situation_room(settings: Settings, serve: bool) -> dict[str, Any]:
    """The dashboard settings of a rehearsal: none, or (``serve``) this machine's, its own
    admin, and no public address."""
    if not serve:
        return {"dashboard_port": 0}
    port = settings.dashboard_port if "dashboard_port" in settings.model_fields_set \
        and settings.dashboard_port else free_port(settings.dashboard_listen)
    return {"dashboard_port": port, "dashboard_url": "", "admin_ids": [DEMO_ADMIN]}


async def sign_in_link(db: Database, settings: Settings, now: datetime,
                       ttl: timedelta) -> str:
    """The demo admin's one-time sign-in link (valid ``ttl``), as ``/dasbor`` gives one."""
    await members_store.ensure_admin(db, DEMO_ADMIN, "Admin gladi", None)
    token = await logins.create_link(db, DEMO_ADMIN, now, ttl)
    return f"{settings.dashboard_base}/login#{token}"


class RehearsalError(Exception):
    """The rehearsal cannot start (an unknown scope, an empty one)."""


def copy_database(source: Path, target: Path) -> None:
    """Step 1: an online copy of ``source``, which is only read."""
    if not source.exists():
        raise RehearsalError(f"no database at {source} (import desks first, or try "
                             "posko-bot demo)")
    backups.copy_read_only(source, target)


async def scope_desks(db: Database, code: str | None) -> tuple[Desk | None, list[tuple[Desk,
                                                                                  Schedule]]]:
    """The scope's own desk and every desk in it with its schedule, by code."""
    top = None
    if code is not None:
        top = await desks_store.by_code(db, code)
        if top is None:
            raise RehearsalError(f"no desk has the code {code} (import desks first)")
    ids = await desks_store.ids_in_scope(db, top.path if top else None)
    if not ids:
        raise RehearsalError("no desks to rehearse (import desks first)")
    found = await desks_store.get_many(db, ids)
    rules = await desks_store.rules_for(db, ids)
    desks = sorted(found.values(), key=lambda d: d.code)
    return top, [(d, Schedule(d.duty_hours, d.min_staff, rules.get(d.id, ()))) for d in desks]


def resolve(events: list[Event], cast: Cast) -> None:
    """Every scripted actor exists in the scope; else :class:`ScriptError`, nothing run."""
    errors = []
    for event in events:
        if event.desk not in cast.officers:
            errors.append((event.line, f"desk {event.desk} is not in the rehearsed scope"))
        elif event.officer > cast.officers[event.desk]:
            errors.append((event.line, f"desk {event.desk} has {cast.officers[event.desk]} "
                           f"officer(s) in the rehearsal, not {event.officer}"))
    if errors:
        raise ScriptError(errors)


async def register(db: Database, cast: Cast, now: datetime) -> None:
    """Step 3: each desk's supervisor and officers, through invites as a real member.

    A role's members join one after another; the desks' invites are made, and the desks'
    members join, together, as people joining at once do: the store groups their writes
    into shared commits (a city registered one member at a time took a tenth of its day).
    The write lock takes them in the order they came, so the members' ids are the same
    every time. Desks join a thousand at a time: a country's 183,000 invites made at once
    were as many waiting tasks, a gigabyte of memory before the day began."""
    by_desk: dict[int, list[Actor]] = defaultdict(list)
    for actor in cast.actors.values():
        by_desk[actor.desk.id].append(actor)
    groups = [(actors[0].desk.id, role, [a for a in actors if (a.officer == 0) == supervisor])
              for actors in by_desk.values()
              for role, supervisor in ((Role.SUPERVISOR, True), (Role.OFFICER, False))]
    for start in range(0, len(groups), REGISTER_AT_ONCE):
        await _register(db, groups[start:start + REGISTER_AT_ONCE], now)


async def _register(db: Database, groups: list[tuple[int, Role, list[Actor]]],
                    now: datetime) -> None:
    """Make the invites of ``groups`` (desk, role, members) together, then let their members
    join, the first of each group together, then the second, and so on."""
    tokens = await asyncio.gather(*(
        invites_store.create(db, desk_id, role, max_uses=len(group), ttl=timedelta(days=1),
                             created_by=None, now=now) for desk_id, role, group in groups))
    for rank in range(max(len(group) for _, _, group in groups)):
        await asyncio.gather(*(
            invites_store.redeem(db, token, telegram_id=group[rank].user_id,
                                 full_name=group[rank].name, username=None, now=now)
            for token, (_, _, group) in zip(tokens, groups, strict=True) if rank < len(group)))


