"""Where a sent report goes: up the desk tree by severity, to subscribed groups of the
scope, attachments in albums Telegram accepts, and the description escaped on the way."""

from __future__ import annotations

import json

from bot.outbox.render import OutboxRenderer
from storage import desks as desks_store
from storage import subscriptions as subscriptions_store
from storage.drafts import Step
from storage.models import utcnow
from storage.outbox import OutboxRow
from storage.outbox_kinds import IncidentMediaPayload, OutboxKind
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.reports import (
    CAMAT,
    KEC,
    KEL,
    KEL2,
    LURAH,
    LURAH2,
    OFFICER,
    OFFICER2,
    PROV,
    PUSAT,
    WALIKOTA,
    fresh_sender,
    outbox,
    photo,
    press,
    report,
    routed,
    said,
    walk,
)
from tests.support.rows import unsent_row
from tests.support.telegram import sends


async def test_routing_by_severity(h: Harness) -> None:
    sedang = await report(h, severity="sedang")
    assert await routed(h, sedang) == [LURAH, CAMAT]
    kritis = await report(h, severity="kritis")
    assert await routed(h, kritis) == [LURAH, CAMAT, WALIKOTA]  # up to the kota only
    info = await report(h, OFFICER2, severity="info")
    assert await routed(h, info) == [CAMAT, LURAH2]


async def test_report_by_a_supervisor(h: Harness) -> None:
    incident = await report(h, CAMAT, severity="sedang")
    desk = await desks_store.get(h.db, incident.desk_id)
    assert desk is not None and desk.code == KEC
    assert incident.ref == f"LP-{KEC}-0001" and incident.reporter_id == CAMAT
    # The desk (kecamatan) and its parent; the camat reported it, so gets the receipt only.
    assert await routed(h) == [WALIKOTA]
    assert LURAH not in await routed(h)
    lurah = await report(h, LURAH, severity="kritis")
    assert lurah.ref == f"LP-{KEL}-0001"
    assert await routed(h, lurah) == [CAMAT, WALIKOTA]


async def test_subscribed_groups_of_the_scope_get_it(h: Harness) -> None:
    now = utcnow()
    for chat, code in ((-1001, KEC), (-1002, PUSAT), (-1003, KEL2), (-1004, PROV)):
        desk = await desks_store.by_code(h.db, code)
        assert desk is not None
        await subscriptions_store.subscribe(h.db, chat, desk.id, code, CAMAT, now)
    await report(h, severity="info")
    assert await routed(h) == [-1004, -1001, LURAH, CAMAT]
    assert -1002 not in await routed(h) and -1003 not in await routed(h)


async def test_attachments_go_in_albums_telegram_accepts(h: Harness) -> None:
    draft_id = await walk(h, OFFICER, Step.MEDIA)
    for update in (u.message(u.user(OFFICER), photo=photo("p1")),
                   u.message(u.user(OFFICER), document={"file_id": "d1", "file_unique_id": "d"}),
                   u.message(u.user(OFFICER), photo=photo("p2"))):
        await h.send(update)
    await press(h, OFFICER, f"lp:{draft_id}:done")
    await press(h, OFFICER, f"lp:{draft_id}:skip")
    await press(h, OFFICER, f"lp:{draft_id}:send")
    renderer = OutboxRenderer(h.db, h.app.bot_data.settings)
    albums = []
    for payload in [p for chat, kind, p in await outbox(h, "incident_media") if chat == LURAH]:
        rendered = await renderer(unsent_row(LURAH, OutboxKind.INCIDENT_MEDIA,
                                             IncidentMediaPayload.from_json(payload)))
        assert rendered is not None
        albums.append(list(rendered.media))
    assert albums == [[("photo", "p1"), ("photo", "p2")], [("document", "d1")]]
    # A row queued before albums were split (no "kinds") still carries every attachment.
    legacy = await renderer(OutboxRow(0, LURAH, "incident_media",
                                      json.dumps({"incident": payload["incident"]}), 0, utcnow()))
    assert legacy is not None and len(legacy.media) == 3


async def test_routed_messages_escape_the_description(h: Harness) -> None:
    evil = "<b>Massa</b> & preman <a href='x'>datang</a> ke TPS"
    draft_id = await walk(h, OFFICER, Step.MEDIA, description=evil)
    (summary_calls) = await h.send(u.message(u.user(OFFICER), photo=photo("bukti")))
    assert "(1/5)" in said(summary_calls)
    await press(h, OFFICER, f"lp:{draft_id}:done")
    (summary,) = sends(await press(h, OFFICER, f"lp:{draft_id}:skip"))
    escaped = "&lt;b&gt;Massa&lt;/b&gt; &amp; preman &lt;a href='x'&gt;datang&lt;/a&gt;"
    assert escaped in summary.text and "<b>Massa" not in summary.text
    await press(h, OFFICER, f"lp:{draft_id}:send")
    before = len(h.request.calls)
    assert await fresh_sender(h).drain(timeout=5) == 4
    out = h.request.calls[before:]
    photos = [c for c in out if c.method == "sendPhoto"]
    messages = [c for c in out if c.method == "sendMessage"]
    assert sorted(int(c.params["chat_id"]) for c in photos) == [LURAH, CAMAT]
    assert all(c.params["photo"] == "bukti" and f"LP-{KEL}-0001" in c.text for c in photos)
    for chat in (LURAH, CAMAT):  # the attachment goes out before the report it belongs to
        order = [c.method for c in out if int(c.params.get("chat_id", 0)) == chat]
        assert order == ["sendPhoto", "sendMessage"]
    for message in messages:
        assert escaped in message.text and "<b>Massa" not in message.text
        assert f"<b>Laporan LP-{KEL}-0001</b>" in message.text
        assert "Cengkareng Barat" in message.text and "Budi Santoso" in message.text
        assert [label for label, _ in message.buttons()] == ["🛠 Tangani", "✅ Selesai",
                                                             "↪️ Teruskan"]
