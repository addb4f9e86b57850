"""``posko-bot invites list|revoke`` and ``members list|move|remove|role`` on the command
line: what they print and change, the confirmation an officer on duty needs, and the message
the member gets from the running bot (through the outbox)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main as cli_main
from storage import desks as desks_store
from storage import invites as invites_store
from storage import members as members_store
from storage.invites import InviteState
from storage.models import Role, utcnow
from storage.sqlite.engine import Database
from tests.support.sweeping import check_in

KEC, KEL, KEL2 = "31.73.01", "31.73.01.1001", "31.73.01.1002"
CAMAT, OFFICER, ADMIN = 702, 705, 4242


def on_db(db_path: Path, work: Callable[[Database], Coroutine[Any, Any, Any]]) -> Any:
    async def run() -> Any:
        db = await Database.open(db_path)
        try:
            return await work(db)
        finally:
            await db.close()

    return asyncio.run(run())


async def register(db: Database, user: int, code: str, role: Role, name: str) -> None:
    desk = await desks_store.by_code(db, code)
    assert desk is not None
    token = await invites_store.create(db, desk.id, role, max_uses=1, ttl=timedelta(days=1),
                                       created_by=None, now=utcnow())
    await invites_store.redeem(db, token, telegram_id=user, full_name=name, username=None,
                               now=utcnow())


@pytest.fixture
def cli_env(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A camat and an officer of Cengkareng, the CLI pointed at their database."""
    async def prepare(db: Database) -> None:
        await register(db, CAMAT, KEC, Role.SUPERVISOR, "Pak Camat")
        await register(db, OFFICER, KEL, Role.OFFICER, "Siti Petugas")

    on_db(db_path, prepare)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for key in ("POSKO_LANGUAGE", "POSKO_TIMEZONE", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("POSKO_ADMIN_IDS", str(ADMIN))
    monkeypatch.setenv("POSKO_DB_PATH", str(db_path))
    return db_path


def notices(db_path: Path) -> list[tuple[int, dict[str, Any]]]:
    async def read(db: Database) -> list[tuple[int, dict[str, Any]]]:
        rows = await db.fetchall("SELECT chat_id, payload FROM outbox WHERE "
                                 "kind = 'member_changed' ORDER BY id")
        return [(row[0], json.loads(row[1])) for row in rows]

    found: list[tuple[int, dict[str, Any]]] = on_db(db_path, read)
    return found


def test_invites_list_and_revoke(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    async def make(db: Database) -> str:
        desk = await desks_store.by_code(db, KEL)
        assert desk is not None
        return await invites_store.create(db, desk.id, Role.OFFICER, max_uses=500,
                                          ttl=timedelta(days=7), created_by=CAMAT, now=utcnow())

    token = on_db(cli_env, make)
    assert cli_main(["invites", "list", "--scope", KEC]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "1 open invite(s)"
    number, role, desk, left, _, maker = out[0].split("\t")
    assert (role, desk, left, maker) == ("officer", f"{KEL} Cengkareng Barat", "500/500 left",
                                         "by Pak Camat")
    assert cli_main(["invites", "revoke", f"https://t.me/posko_bot?start={token}"]) == 0
    assert capsys.readouterr().out == (f"invite {number} revoked: its link no longer "
                                       "registers anybody\n")
    assert cli_main(["invites", "revoke", number]) == 0
    assert capsys.readouterr().out == f"invite {number} was already revoked\n"

    async def state(db: Database) -> InviteState:
        return (await invites_store.lookup(db, token, utcnow())).state

    assert on_db(cli_env, state) is InviteState.REVOKED
    assert cli_main(["invites", "list"]) == 0
    assert capsys.readouterr().out == "0 open invite(s)\n"


def test_members_list(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["members", "list", "--scope", KEL]) == 0
    assert capsys.readouterr().out == (f"{OFFICER}\tofficer\t{KEL} Cengkareng Barat\t"
                                       "Siti Petugas\n1 member(s)\n")
    assert cli_main(["members", "list"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2 member(s)"


def test_moving_and_removing_an_officer_on_duty_needs_yes(
        cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    on_db(cli_env, lambda db: check_in(db, OFFICER, KEL, utcnow()))
    assert cli_main(["members", "move", str(OFFICER), KEL2]) == 1
    assert capsys.readouterr().err == (f"posko-bot: Siti Petugas is on duty at {KEL}; add "
                                       "--yes to end their shift\n")
    assert notices(cli_env) == []
    assert cli_main(["members", "move", str(OFFICER), KEL2, "--yes"]) == 0
    assert capsys.readouterr().out == (f"moved Siti Petugas to {KEL2} Duri Kosambi; they "
                                       "will be told when the bot runs\n")
    assert cli_main(["members", "move", str(OFFICER), KEL2]) == 0
    assert capsys.readouterr().out == "nothing changed: Siti Petugas already is that\n"
    assert cli_main(["members", "role", str(OFFICER), "supervisor"]) == 0
    assert cli_main(["members", "role", str(CAMAT), "officer"]) == 0
    assert cli_main(["members", "remove", str(OFFICER)]) == 0
    capsys.readouterr()
    assert [(chat, payload["change"], payload["role"]) for chat, payload in
            notices(cli_env)] == [(OFFICER, "moved", "officer"),
                                  (OFFICER, "role", "supervisor"),
                                  (CAMAT, "role", "officer"),
                                  (OFFICER, "removed", "supervisor")]

    async def gone(db: Database) -> bool:
        return await members_store.get_with_desk(db, OFFICER) == (None, None)

    assert on_db(cli_env, gone)
    assert cli_main(["members", "remove", str(OFFICER)]) == 1
    assert capsys.readouterr().err == f"posko-bot: {OFFICER} is not a member\n"


def test_an_admin_is_not_changed(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["members", "remove", str(ADMIN)]) == 1
    assert capsys.readouterr().err == f"posko-bot: {ADMIN} is an admin (POSKO_ADMIN_IDS)\n"
