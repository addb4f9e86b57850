"""The neutrality pledge: shown at registration, required before an officer's first check-in,
confirmed once per version of its text, in the member's language, listed in the export."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.reports.export import export_data
from bot.views.pledge import Pledge, load
from storage import desks as desks_store
from storage import invites as invites_store
from storage import shifts as shifts_store
from storage.models import Role, utcnow
from tests.support import updates as u
from tests.support.harness import Harness
from tests.support.settings import make_settings

LURAH = "31.73.01.1001"  # Kel. Cengkareng Barat
OFFICER = 701
TEXT = ("Saya menyatakan akan bersikap netral & tidak berpihak <b>kepada</b> peserta pemilihan "
        "mana pun.")
TEXT_EN = "I declare that I will stay neutral and favour no candidate."


def pledge_of(tmp_path: Path, text: str = TEXT, english: str | None = None) -> Pledge:
    (tmp_path / "pakta.txt").write_text(text, encoding="utf-8")
    env = {"POSKO_PLEDGE_FILE": str(tmp_path / "pakta.txt")}
    if english is not None:
        (tmp_path / "pakta-en.txt").write_text(english, encoding="utf-8")
        env["POSKO_PLEDGE_FILE_EN"] = str(tmp_path / "pakta-en.txt")
    pledge = load(make_settings(tmp_path / "unused.db", **env))
    assert pledge is not None
    return pledge


async def on_duty_desk(h: Harness) -> tuple[float, float]:
    await h.set_desk(LURAH, duty_hours="00:00-24:00")
    desk = await desks_store.by_code(h.db, LURAH)
    assert desk is not None and desk.latitude is not None and desk.longitude is not None
    return desk.latitude, desk.longitude


async def test_without_a_pledge_nothing_is_asked(harness: Harness) -> None:
    place = await on_duty_desk(harness)
    await harness.member(OFFICER, LURAH, Role.OFFICER)
    (call,) = await harness.send(u.location(u.user(OFFICER), *place))
    assert "Check-in tercatat" in call.text
    (answer,) = await harness.send(u.callback(u.user(OFFICER), "pk:0123456789abcdef"))
    assert answer.text == "Instalasi ini tidak memakai pakta integritas."


async def test_registration_shows_it_and_checkin_waits_for_it(harness: Harness,
                                                               tmp_path: Path) -> None:
    pledge = harness.app.bot_data.pledge = pledge_of(tmp_path)
    place = await on_duty_desk(harness)
    desk = await desks_store.by_code(harness.db, LURAH)
    assert desk is not None
    token = await invites_store.create(harness.db, desk.id, Role.OFFICER, max_uses=1,
                                       ttl=timedelta(days=1), created_by=None, now=utcnow())
    officer = u.user(OFFICER)
    await harness.send(u.text(officer, f"/start {token}"))
    calls = await harness.send(u.callback(officer, f"reg:{token}"))
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText", "sendMessage"]
    shown = calls[-1]
    assert "Pakta integritas netralitas ASN" in shown.text
    # The operator's text is shown as written: its "<b>" and "&" are text, not markup.
    assert "netral &amp; tidak berpihak &lt;b&gt;kepada&lt;/b&gt;" in shown.text
    assert shown.buttons() == [("✅ Saya setuju", f"pk:{pledge.version}")]

    for update in (u.location(officer, *place), u.text(officer, "/checkin")):
        (refused,) = await harness.send(update)
        assert refused.text.startswith("Sebelum check-in, Anda perlu menyetujui pakta")
        assert refused.buttons() == [("✅ Saya setuju", f"pk:{pledge.version}")]
    assert await shifts_store.open_shift(harness.db, OFFICER) is None

    calls = await harness.send(u.callback(officer, f"pk:{pledge.version}"))
    assert "Persetujuan Anda atas pakta integritas tercatat pada" in calls[-1].text
    assert "WIB" in calls[-1].text
    first = await harness.db.fetchval("SELECT confirmed_at FROM pledges WHERE member_id = ?",
                                      (OFFICER,))
    await harness.send(u.callback(officer, f"pk:{pledge.version}"))  # a double tap
    assert await harness.db.fetchval("SELECT confirmed_at FROM pledges WHERE member_id = ?",
                                     (OFFICER,)) == first
    (call,) = await harness.send(u.location(officer, *place))
    assert "Check-in tercatat" in call.text


async def test_a_changed_text_is_confirmed_again(harness: Harness, tmp_path: Path) -> None:
    old = harness.app.bot_data.pledge = pledge_of(tmp_path)
    place = await on_duty_desk(harness)
    await harness.member(OFFICER, LURAH, Role.OFFICER)
    officer = u.user(OFFICER)
    await harness.send(u.callback(officer, f"pk:{old.version}"))
    new = harness.app.bot_data.pledge = pledge_of(tmp_path, TEXT + " Ditandatangani di Jakarta.")
    assert new.version != old.version
    (refused,) = await harness.send(u.location(officer, *place))
    assert "Ditandatangani di Jakarta." in refused.text
    # The old text's button confirms nothing: the new text is shown instead.
    calls = await harness.send(u.callback(officer, f"pk:{old.version}"))
    assert "sudah diperbarui" in calls[1].text and "Ditandatangani" in calls[-1].text
    assert await shifts_store.open_shift(harness.db, OFFICER) is None
    await harness.send(u.callback(officer, f"pk:{new.version}"))
    (call,) = await harness.send(u.location(officer, *place))
    assert "Check-in tercatat" in call.text
    # Both confirmations stay on record.
    assert await harness.db.fetchval("SELECT count(*) FROM pledges WHERE member_id = ?",
                                     (OFFICER,)) == 2


async def test_in_the_members_language(harness: Harness, tmp_path: Path) -> None:
    pledge = harness.app.bot_data.pledge = pledge_of(tmp_path, english=TEXT_EN)
    place = await on_duty_desk(harness)
    await harness.member(OFFICER, LURAH, Role.OFFICER)
    officer = u.user(OFFICER)
    await harness.send(u.callback(officer, "lang:en"))
    (refused,) = await harness.send(u.location(officer, *place))
    assert refused.text.startswith("Before checking in") and TEXT_EN in refused.text
    assert refused.buttons() == [("✅ I agree", f"pk:{pledge.version}")]
    # Without an English text, the Indonesian one is shown under the English heading.
    harness.app.bot_data.pledge = pledge_of(tmp_path / "..", TEXT)
    (refused,) = await harness.send(u.location(officer, *place))
    assert "neutrality pledge" in refused.text and "Saya menyatakan" in refused.text


async def test_forged_pledge_buttons(harness: Harness, tmp_path: Path) -> None:
    harness.app.bot_data.pledge = pledge_of(tmp_path)
    await harness.member(OFFICER, LURAH, Role.OFFICER)
    for data in ("pk:", "pk:x:y", "pk:" + "f" * 80):
        calls = await harness.send(u.callback(u.user(OFFICER), data))
        assert calls[-1].method == "answerCallbackQuery"
    assert await harness.db.fetchval("SELECT count(*) FROM pledges") == 0


async def test_the_export_lists_who_confirmed_and_when(harness: Harness,
                                                       tmp_path: Path) -> None:
    pledge = harness.app.bot_data.pledge = pledge_of(tmp_path)
    await harness.member(OFFICER, LURAH, Role.OFFICER, name="Budi Santoso")
    await harness.member(702, LURAH, Role.SUPERVISOR, name="Pak Lurah")
    await harness.member(703, "31.71.01", Role.SUPERVISOR, name="Camat Gambir")  # elsewhere
    await harness.send(u.callback(u.user(OFFICER), f"pk:{pledge.version}"))
    desk = await desks_store.by_code(harness.db, "31.73.01")
    assert desk is not None
    today = utcnow().astimezone(desk.tz).date()
    _, sheets = await export_data(harness.db, desk.path, today, today, desk.tz, "id",
                                  pledge.version)
    sheet = sheets[-1]
    assert sheet.title == "Pakta integritas"
    assert sheet.headers == ["Kode posko", "Nama posko", "Anggota", "Peran",
                             "Menyetujui pakta (WIB)"]
    by_name = {row[2]: row for row in sheet.rows}
    assert sorted(by_name) == ["Budi Santoso", "Pak Lurah"]
    assert by_name["Budi Santoso"][4] is not None and by_name["Pak Lurah"][4] is None
    _, plain = await export_data(harness.db, desk.path, today, today, desk.tz, "id")
    assert [s.title for s in plain] == ["Kehadiran", "Peringatan", "Laporan"]


@pytest.mark.parametrize("env, says", [
    ({"POSKO_PLEDGE_FILE": "/nonexistent/pakta.txt"}, "cannot read /nonexistent/pakta.txt"),
    ({"POSKO_PLEDGE_FILE": "{empty}"}, "is empty"),
    ({"POSKO_PLEDGE_FILE": "{long}"}, "at most 3500"),
    ({"POSKO_PLEDGE_FILE_EN": "{long}"}, "at most 3500"),
    ({"POSKO_PLEDGE_FILE_EN": "{empty_ok}"}, "needs the Indonesian one"),
])
def test_a_bad_pledge_file_stops_start_up_naming_the_key(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], says: str) -> None:
    files = {"{empty}": "   \n", "{long}": "x" * 3501, "{empty_ok}": "Pakta."}
    for key, value in env.items():
        if value in files:
            path = tmp_path / "file.txt"
            path.write_text(files[value], encoding="utf-8")
            value = str(path)
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert str(error.value).startswith(tuple(env)) and says in str(error.value)


async def test_the_command_line_export_writes_the_pledge_sheet_too(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli import main as cli_main

    pledge = harness.app.bot_data.pledge = pledge_of(tmp_path)
    place = await on_duty_desk(harness)
    await harness.member(OFFICER, LURAH, Role.OFFICER, name="Budi Santoso")
    await harness.send(u.callback(u.user(OFFICER), f"pk:{pledge.version}"))
    await harness.send(u.location(u.user(OFFICER), *place))  # a shift: something to export
    for key, value in {"POSKO_DB_PATH": harness.db.path, "TELEGRAM_BOT_TOKEN": "",
                       "POSKO_PLEDGE_FILE": str(tmp_path / "pakta.txt")}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    code = await asyncio.to_thread(cli_main, ["export", "--scope", LURAH, "--out",
                                              str(tmp_path / "x.xlsx"), "--csv",
                                              str(tmp_path / "csv")])
    assert code == 0
    lines = (tmp_path / "csv" / "pledges.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Kode posko,Nama posko,Anggota,Peran,Menyetujui pakta (WIB)"
    assert lines[1].startswith(f"{LURAH},Cengkareng Barat,Budi Santoso,Petugas,20")
