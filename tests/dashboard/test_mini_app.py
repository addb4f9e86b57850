"""The dashboard as a Telegram Mini App (an https ``POSKO_DASHBOARD_URL``): signed in by
``initData``; the ``web_app`` button and menu button under ``/dasbor``."""

from __future__ import annotations

import json
from datetime import timedelta

from storage.models import Role, utcnow
from tests.dashboard.conftest import Client
from tests.dashboard.test_init_data import signed
from tests.support import updates as u
from tests.support.dashboard import CAMAT, OFFICER, World
from tests.support.harness import Harness

URL = "https://posko.example.org"
LIAISON = 7777


def over_https(h: Harness) -> None:
    data = h.app.bot_data
    data.settings = data.settings.model_copy(update={"dashboard_url": URL})


def init_data(user_id: int, age: timedelta = timedelta(minutes=1)) -> str:
    return signed({"user": json.dumps({"id": user_id, "first_name": "Camat"}),
                   "auth_date": str(int((utcnow() - age).timestamp()))})


async def sessions(h: Harness) -> list[int]:
    return [r[0] for r in await h.db.fetchall("SELECT member_id FROM dashboard_sessions")]


async def test_signed_init_data_opens_a_secure_session(harness: Harness, world: World,
                                                       client: Client) -> None:
    over_https(harness)
    answer = await client.post("/auth/webapp", json={"initData": init_data(CAMAT)})
    assert answer.status == 200
    cookie = answer.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert await sessions(harness) == [CAMAT]


async def test_forged_old_or_officers_init_data_opens_nothing(harness: Harness, world: World,
                                                              client: Client) -> None:
    over_https(harness)
    forged = init_data(OFFICER).replace(str(OFFICER), str(CAMAT))
    assert (await client.post("/auth/webapp", json={"initData": forged})).status == 401
    old = init_data(CAMAT, age=timedelta(days=1, minutes=1))
    assert (await client.post("/auth/webapp", json={"initData": old})).status == 401
    assert (await client.post("/auth/webapp", json={"initData": init_data(OFFICER)})
            ).status == 403
    assert (await client.post("/auth/webapp", data="not json")).status == 400
    assert await sessions(harness) == []


async def test_a_partner_liaison_opens_nothing(harness: Harness, world: World,
                                               client: Client) -> None:
    # The map shows presence, which is the local government's own.
    over_https(harness)
    await harness.member(LIAISON, "31.73.01", Role.PARTNER, agency="bawaslu")
    assert (await client.post("/auth/webapp", json={"initData": init_data(LIAISON)})
            ).status == 403
    assert await sessions(harness) == []


async def test_no_mini_app_over_plain_http(harness: Harness, world: World,
                                           client: Client) -> None:
    answer = await client.post("/auth/webapp", json={"initData": init_data(CAMAT)})
    assert answer.status == 404
    assert await sessions(harness) == []


async def test_the_command_offers_the_mini_app_over_https(harness: Harness, world: World
                                                          ) -> None:
    over_https(harness)
    person = u.user(CAMAT)
    calls = await harness.send(u.text(person, "/dasbor", chat=u.private_chat(person)))
    (menu,) = [c for c in calls if c.method == "setChatMenuButton"]
    assert menu.params["menu_button"]["web_app"] == {"url": f"{URL}/"}
    (said,) = [c for c in calls if c.method == "sendMessage"]
    assert f"{URL}/login#" in (said.text or "")
    keyboard = said.params["reply_markup"]["inline_keyboard"]
    assert keyboard[0][0]["web_app"] == {"url": f"{URL}/"}
