"""Who sees what on the dashboard: nothing without a session, each viewer their own scope,
a session ended at once when its member changes, the login link used once, *Saya tangani*
from the page only with the session's CSRF token and only in scope."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from storage import logins, membership
from storage.models import Role, to_db, utcnow
from tests.dashboard.conftest import Client
from tests.support import updates as u
from tests.support.dashboard import CAMAT, EVIL, GAMBIR, OFFICER, OTHER_CAMAT, World, sign_in
from tests.support.harness import Harness
from tests.support.settings import ADMIN_ID
from tests.support.sweeping import KEC, KEL, KOTA, desk


async def state(client: Client, **query: Any) -> tuple[int, Any]:
    answer = await client.get("/api/state", params={k: str(v) for k, v in query.items()})
    body = await answer.json() if answer.content_type == "application/json" else None
    return answer.status, body


async def desk_ids(h: Harness, code: str) -> set[int]:
    """Every desk of a scope, by id."""
    scope = await desk(h.db, code)
    rows = await h.db.fetchall("SELECT id FROM desks WHERE path >= ? AND path < ?",
                               (scope.path, scope.path[:-1] + "0"))
    return {r[0] for r in rows}


async def test_nothing_without_a_session(harness: Harness, world: World, client: Client) -> None:
    page = await client.get("/")
    assert page.status == 401
    body = await page.text()
    assert "Cengkareng" not in body and "/dasbor" in body  # how to sign in, and no data
    assert (await state(client))[0] == 401
    assert (await state(client, unit=world.kec))[0] == 401
    took = await client.post(f"/api/alerts/{world.alert}/ack", headers={"X-CSRF-Token": "x"})
    assert took.status == 401
    client.session.cookie_jar.update_cookies({"posko_dasbor": "forged-session-token"})
    assert (await state(client))[0] == 401
    assert (await client.get("/")).status == 401
    assert await harness.db.fetchval("SELECT acked_by FROM alerts") is None


async def test_the_chat_link_signs_in_once(harness: Harness, world: World, client: Client,
                                           other: Client) -> None:
    person = u.user(CAMAT)
    calls = await harness.send(u.text(person, "/dasbor", chat=u.private_chat(person)))
    (said,) = [c for c in calls if c.method == "sendMessage"]
    assert said.params["link_preview_options"] == {"is_disabled": True}
    link = re.search(r"http://127\.0\.0\.1:8080/login#(\S+)", said.text or "")
    assert link is not None, said.text
    token = link[1]
    assert token not in str(await harness.db.fetchall("SELECT * FROM dashboard_logins"))
    assert (await client.get("/login")).status == 200
    answer = await client.post("/auth/link", json={"token": token})
    assert answer.status == 200
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert "Max-Age=43200" in cookie
    assert (await client.get("/")).status == 200
    status, body = await state(client)
    assert status == 200 and body["board"]["header"].startswith("📋 Cengkareng:")
    # Replayed, by anyone: refused, and no second session.
    assert (await other.post("/auth/link", json={"token": token})).status == 403
    assert (await state(other))[0] == 401
    assert await harness.db.fetchval("SELECT count(*) FROM dashboard_sessions") == 1


async def test_an_expired_link_or_session_is_refused(harness: Harness, world: World,
                                                     client: Client, other: Client) -> None:
    token = await logins.create_link(harness.db, CAMAT, utcnow() - timedelta(minutes=11))
    assert (await client.post("/auth/link", json={"token": token})).status == 403
    assert (await sign_in(harness, other, CAMAT)).status == 200
    assert (await state(other))[0] == 200
    async with harness.db.transaction() as tx:
        await tx.execute("UPDATE dashboard_sessions SET expires_at = ?",
                         (to_db(utcnow() - timedelta(seconds=1)),))
    assert (await state(other))[0] == 401
    assert (await other.get("/")).status == 401


async def test_an_officer_gets_no_session(harness: Harness, world: World, client: Client
                                          ) -> None:
    assert (await sign_in(harness, client, OFFICER)).status == 403
    assert (await state(client))[0] == 401


async def test_the_supervisor_in_scope_sees_the_kecamatan_only(
        harness: Harness, world: World, client: Client) -> None:
    assert (await sign_in(harness, client, CAMAT)).status == 200
    status, body = await state(client)
    assert status == 200
    ids = {m["id"] for m in body["map"]["markers"]}
    assert world.kel in ids and ids <= await desk_ids(harness, KEC)
    assert not any(m["unit"] for m in body["map"]["markers"])  # a kecamatan: every desk
    (kel,) = [m for m in body["map"]["markers"] if m["id"] == world.kel]
    assert kel["state"] == "short" and kel["minutes"] >= 0
    assert "lat" in kel and all("shift" not in key for key in kel)
    assert [a["id"] for a in body["alerts"]["items"]] == [world.alert]
    assert body["reports"]["total"] == 1
    assert body["reports"]["items"][0]["severity"] == "kritis"
    assert any("peringatan posko kosong" in line for line in body["timeline"])
    assert body["csrf"] and body["lang"] == "id"
    # Below: allowed; above or beside: refused.
    assert (await state(client, unit=world.kel))[0] == 200
    kota = await desk(harness.db, KOTA)
    assert (await state(client, unit=kota.id))[0] == 403
    gambir = await desk(harness.db, GAMBIR)
    assert (await state(client, unit=gambir.id))[0] == 403
    assert (await state(client, unit=0))[0] == 403  # the whole country: admins only
    assert (await state(client, unit="abc"))[0] == 400


async def test_a_supervisor_elsewhere_sees_nothing_of_it(harness: Harness, world: World,
                                                         client: Client) -> None:
    assert (await sign_in(harness, client, OTHER_CAMAT)).status == 200
    status, body = await state(client)
    assert status == 200 and body["board"]["header"].startswith("📋 Gambir:")
    ids = {m["id"] for m in body["map"]["markers"]}
    assert ids and ids <= await desk_ids(harness, GAMBIR)
    assert body["alerts"]["total"] == 0 and body["reports"]["total"] == 0
    assert body["timeline"] == []
    assert (await state(client, unit=world.kec))[0] == 403
    assert (await state(client, unit=world.kel))[0] == 403
    took = await client.post(f"/api/alerts/{world.alert}/ack",
                             headers={"X-CSRF-Token": body["csrf"]})
    assert took.status == 403
    assert (await took.json())["text"] == "Posko 31.73.01.1001 tidak berada dalam wilayah Anda."
    assert await harness.db.fetchval("SELECT acked_by FROM alerts") is None


async def test_the_admin_sees_everything_by_unit(harness: Harness, world: World,
                                                 client: Client) -> None:
    assert (await sign_in(harness, client, ADMIN_ID)).status == 200
    status, body = await state(client)
    assert status == 200  # the one province of this installation, by kota
    markers = body["map"]["markers"]
    assert markers and all(m["unit"] for m in markers) and len(markers) == 6
    assert any(m["state"] == "short" for m in markers)
    assert (await state(client, unit=0))[0] == 200
    for unit in (world.kec, world.kel, (await desk(harness.db, GAMBIR)).id):
        assert (await state(client, unit=unit))[0] == 200
    assert body["alerts"]["total"] == 1


@pytest.mark.parametrize("change", ["demoted", "moved", "removed"])
async def test_a_changed_member_loses_the_session_at_once(
        harness: Harness, world: World, client: Client, change: str) -> None:
    assert (await sign_in(harness, client, CAMAT)).status == 200
    assert (await state(client))[0] == 200
    now = utcnow()
    if change == "demoted":
        await membership.set_role(harness.db, CAMAT, Role.OFFICER, end_shift=True, now=now)
    elif change == "moved":
        await membership.move(harness.db, CAMAT, (await desk(harness.db, GAMBIR)).id,
                              end_shift=True, now=now)
    else:
        await membership.remove(harness.db, CAMAT, end_shift=True, now=now)
    assert (await state(client))[0] == 401
    assert await harness.db.fetchval(
        "SELECT count(*) FROM dashboard_sessions WHERE ended_at IS NULL") == 0


async def test_taking_an_alert_needs_the_csrf_token(harness: Harness, world: World,
                                                    client: Client) -> None:
    assert (await sign_in(harness, client, CAMAT)).status == 200
    _, body = await state(client)
    url = f"/api/alerts/{world.alert}/ack"
    for headers in ({}, {"X-CSRF-Token": "wrong"}):
        took = await client.post(url, headers=headers)
        assert took.status == 403
    assert await harness.db.fetchval("SELECT acked_by FROM alerts") is None
    told = await harness.db.fetchval("SELECT count(*) FROM alert_messages")
    assert told >= 1
    took = await client.post(url, headers={"X-CSRF-Token": body["csrf"]})
    assert took.status == 200
    assert await took.json() == {"ok": True, "text": "Anda menangani Cengkareng Barat. "
                                                     "Semua penerima peringatan diberi tahu."}
    assert await harness.db.fetchval("SELECT acked_by FROM alerts") == CAMAT
    # The chat's messages are edited the way the chat button edits them: through the outbox.
    assert await harness.db.fetchval(
        "SELECT count(*) FROM outbox WHERE kind = 'alert_update'") == told
    again = await client.post(url, headers={"X-CSRF-Token": body["csrf"]})
    assert (await again.json())["text"] == "Sudah ditangani oleh Camat Cengkareng."
    _, body = await state(client)
    assert body["alerts"]["items"][0]["taken"] == "Ditangani oleh Camat Cengkareng"


async def test_a_post_from_another_origin_is_refused(harness: Harness, world: World,
                                                     client: Client) -> None:
    assert (await sign_in(harness, client, CAMAT)).status == 200
    _, body = await state(client)
    took = await client.post(f"/api/alerts/{world.alert}/ack",
                             headers={"X-CSRF-Token": body["csrf"],
                                      "Origin": "https://evil.example"})
    assert took.status == 403
    assert await harness.db.fetchval("SELECT acked_by FROM alerts") is None


async def test_every_answer_has_a_policy_without_inline_script(
        harness: Harness, world: World, client: Client) -> None:
    for path in ("/", "/login", "/api/state", "/static/dashboard.js"):
        answer = await client.get(path)
        policy = answer.headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "unsafe-inline" not in policy, path
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
    for name in ("dashboard.html",):
        page = await client.get(f"/static/{name}")
        assert "<script>" not in await page.text() and " on" not in await page.text()


async def test_names_and_texts_reach_the_page_as_plain_text(harness: Harness, world: World,
                                                            client: Client) -> None:
    await harness.set_desk(KEL, name=EVIL)
    assert (await sign_in(harness, client, CAMAT)).status == 200
    _, body = await state(client)
    (kel,) = [m for m in body["map"]["markers"] if m["id"] == world.kel]
    assert kel["label"].startswith(EVIL)  # as typed: the page sets it with textContent
    assert EVIL in body["alerts"]["items"][0]["text"]
    assert EVIL in body["reports"]["items"][0]["text"]
    script = await (await client.get("/static/dashboard.js")).text()
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script


async def test_english_for_a_member_who_chose_it(harness: Harness, world: World,
                                                 client: Client) -> None:
    async with harness.db.transaction() as tx:
        await tx.execute("UPDATE members SET language = 'en' WHERE telegram_id = ?", (CAMAT,))
    assert (await sign_in(harness, client, CAMAT)).status == 200
    _, body = await state(client)
    assert body["lang"] == "en" and body["labels"]["board"] == "Board"
    assert "WIB" in body["asof"] and body["asof"].startswith("As of ")


async def test_signing_out_ends_the_session(harness: Harness, world: World,
                                            client: Client) -> None:
    assert (await sign_in(harness, client, CAMAT)).status == 200
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/"))["posko_dasbor"]
    answer = await client.post("/auth/logout")
    assert answer.status == 200
    assert (await state(client))[0] == 401
    # The cookie kept elsewhere is worth nothing now either.
    client.session.cookie_jar.update_cookies({"posko_dasbor": cookie.value})
    assert (await state(client))[0] == 401
    assert await harness.db.fetchval(
        "SELECT count(*) FROM dashboard_sessions WHERE ended_at IS NULL") == 0
