"""Every dashboard endpoint × every kind of visitor, as one table (like the chat's
``tests/handlers/test_authorization_matrix.py``): the status each gets, and that a refused
*Saya tangani* leaves the alert untaken.

Visitors: no session; an expired session; an officer (whose link opens nothing); forged
Mini App ``initData``; a replayed login link; the camat of another kecamatan; the camat in
scope; an admin.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from storage import logins
from storage.models import to_db, utcnow
from tests.dashboard.conftest import Client
from tests.dashboard.test_init_data import signed
from tests.support.dashboard import CAMAT, GAMBIR, OFFICER, OTHER_CAMAT, World, sign_in
from tests.support.harness import Harness
from tests.support.settings import ADMIN_ID
from tests.support.sweeping import desk

VISITORS = ["no session", "expired session", "officer", "forged initData", "replayed link",
            "supervisor elsewhere", "supervisor in scope", "admin"]
NOBODY = {"no session", "expired session", "officer", "forged initData", "replayed link"}
# Endpoint: status per visitor who has a session (elsewhere, in scope, admin).
ENDPOINTS = {
    "GET /": (200, 200, 200),
    "GET /api/state": (200, 200, 200),
    "GET /api/state?unit={kec}": (403, 200, 200),
    "GET /api/state?unit={kel}": (403, 200, 200),
    "GET /api/state?unit={gambir}": (200, 403, 200),
    "GET /api/state?unit=0": (403, 403, 200),
    "POST /api/alerts/{alert}/ack": (403, 200, 200),
}
CELLS = [pytest.param(endpoint, visitor, id=f"{endpoint}-{visitor}")
         for endpoint in ENDPOINTS for visitor in VISITORS]


async def visit_as(h: Harness, client: Client, other: Client, visitor: str) -> None:
    """Leave ``client`` in the state of ``visitor``."""
    if visitor == "expired session":
        assert (await sign_in(h, client, CAMAT)).status == 200
        async with h.db.transaction() as tx:
            await tx.execute("UPDATE dashboard_sessions SET expires_at = ?",
                             (to_db(utcnow() - timedelta(seconds=1)),))
    elif visitor == "officer":
        assert (await sign_in(h, client, OFFICER)).status == 403
    elif visitor == "forged initData":
        data = h.app.bot_data
        data.settings = data.settings.model_copy(
            update={"dashboard_url": "https://posko.example.org"})
        fields = {"user": json.dumps({"id": OFFICER}),
                  "auth_date": str(int(utcnow().timestamp()))}
        forged = signed(fields).replace(str(OFFICER), str(CAMAT))
        assert (await client.post("/auth/webapp", json={"initData": forged})).status == 401
    elif visitor == "replayed link":
        token = await logins.create_link(h.db, CAMAT, utcnow())
        assert (await other.post("/auth/link", json={"token": token})).status == 200
        assert (await client.post("/auth/link", json={"token": token})).status == 403
    elif visitor != "no session":
        who = {"supervisor elsewhere": OTHER_CAMAT, "supervisor in scope": CAMAT,
               "admin": ADMIN_ID}[visitor]
        assert (await sign_in(h, client, who)).status == 200


@pytest.mark.parametrize(("endpoint", "visitor"), CELLS)
async def test_dashboard_matrix(harness: Harness, world: World, client: Client, other: Client,
                                endpoint: str, visitor: str) -> None:
    await visit_as(harness, client, other, visitor)
    method, path = endpoint.split(" ")
    path = path.format(kec=world.kec, kel=world.kel, alert=world.alert,
                       gambir=(await desk(harness.db, GAMBIR)).id)
    headers = {}
    if method == "POST" and visitor not in NOBODY:
        state = await (await client.get("/api/state")).json()
        headers["X-CSRF-Token"] = state["csrf"]
    elif method == "POST":
        headers["X-CSRF-Token"] = "guessed"
    answer = await client.request(method, path, headers=headers)
    if visitor in NOBODY:
        expected = 401
    else:
        expected = ENDPOINTS[endpoint][["supervisor elsewhere", "supervisor in scope",
                                        "admin"].index(visitor)]
    assert answer.status == expected
    assert "unsafe-inline" not in answer.headers["Content-Security-Policy"]
    taken = await harness.db.fetchval("SELECT acked_by FROM alerts WHERE id = ?", (world.alert,))
    if method == "POST" and expected == 200:
        assert taken == {"supervisor in scope": CAMAT, "admin": ADMIN_ID}[visitor]
    else:
        assert taken is None
