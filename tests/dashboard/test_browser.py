"""The dashboard in a real browser: the operating system's headless Chromium, driven by
Selenium through its chromedriver (never a downloaded browser). Skipped only where
``/usr/bin/chromium`` is absent; CI installs it (``.ci/run``).

One walk through it: open the link ``/dasbor`` sent, see the markers and the board of the
camat's kecamatan and nothing outside it, watch a desk turn short after a sweep without
reloading, take an alert from the page and see the chat message edited. It saves a
screenshot in the test's directory, and where ``POSKO_SCREENSHOT`` names a file, there too.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.dashboard import server as dashboard_server
from scheduler.sweep import sweep
from storage.models import Role, to_db, utcnow
from tests.support import updates as u
from tests.support.dashboard import CAMAT, EVIL, GAMBIR, build_world
from tests.support.e2e import free_port
from tests.support.harness import Harness
from tests.support.sweeping import CONFIG, KEC, check_in, check_out, desk, soon

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SECOND = "31.73.01.1002"  # Kel. Duri Kosambi: staffed, then left empty
OFFICER2 = 811

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")

if CHROMIUM.exists():  # selenium is a dev dependency; import it only where it runs
    from selenium import webdriver
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never fetch a browser
    profile = tempfile.mkdtemp(prefix="posko-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--window-size=1280,860"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)),
                              options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


async def until(check: Callable[[], Any], what: str, within_s: float = 15) -> Any:
    """Poll ``check`` (run off the event loop, so the bot keeps serving) until it is truthy.
    An element the page redrew between being found and being read (it polls every 4 s)
    counts as not yet."""
    deadline = time.monotonic() + within_s
    while True:
        try:
            found = await asyncio.to_thread(check)
        except StaleElementReferenceException:
            found = None
        if found:
            return found
        assert time.monotonic() < deadline, f"never saw: {what}"
        await asyncio.sleep(0.2)


async def due_now(h: Harness) -> None:
    """What a sweep run ahead of the clock queued goes out now."""
    async with h.db.transaction() as tx:
        await tx.execute("UPDATE outbox SET not_before = ? WHERE sent_at IS NULL",
                         (to_db(utcnow()),))
    h.app.bot_data.sender.wake()


def classes(driver: WebDriver, desk_id: int) -> str:
    found = driver.find_elements(By.CSS_SELECTOR, f"path.desk-{desk_id}")
    return str(found[0].get_attribute("class")) if found else ""


async def test_the_situation_room_in_a_browser(db_path: Path, tmp_path: Path,
                                               browser: WebDriver) -> None:
    port = free_port()
    async with Harness.running(db_path, POSKO_DASHBOARD_PORT=str(port),
                               POSKO_MAP_TILES="") as h:
        world = await build_world(h, evil_name=True)
        second = await desk(h.db, SECOND)
        await h.set_desk(SECOND, min_staff=1, duty_hours="00:00-24:00")
        await h.member(OFFICER2, SECOND, Role.OFFICER, name="Rudi Hartono")
        shift = await check_in(h.db, OFFICER2, SECOND, utcnow() - timedelta(minutes=30))
        await due_now(h)
        # The camat was told of the empty desk in the chat.
        alert_msg = await until(lambda: [c for c in h.request.calls if c.method == "sendMessage"
                                         and int(c.params.get("chat_id", 0)) == CAMAT
                                         and "Posko kosong" in c.text], "the alert message")
        person = u.user(CAMAT)
        calls = await h.send(u.text(person, "/dasbor", chat=u.private_chat(person)))
        link = re.search(r"(http://\S+/login#\S+)", calls[-1].text)
        assert link is not None, calls

        await asyncio.to_thread(browser.get, link[1])
        await until(lambda: classes(browser, world.kel), "the empty desk's marker")
        assert "m-short" in classes(browser, world.kel)
        assert "m-staffed" in classes(browser, second.id)
        assert "#" not in browser.current_url  # the token left the address bar
        # The kecamatan's desks, nothing outside it.
        shown = {int(m) for m in re.findall(r"desk-(\d+)", browser.page_source)}
        kec = await desk(h.db, KEC)
        inside = {r[0] for r in await h.db.fetchall(
            "SELECT id FROM desks WHERE path >= ? AND path < ?", (kec.path, kec.path[:-1] + "0"))}
        assert shown == inside
        gambir = await desk(h.db, GAMBIR)
        assert gambir.id not in shown and "Gambir" not in browser.page_source
        # No tiles here: every marker carries its desk's name on the plain background.
        names = {e.text for e in browser.find_elements(By.CSS_SELECTOR, ".leaflet-tooltip")}
        assert {"Duri Kosambi", "Kapuk", EVIL} <= names
        board = browser.find_element(By.ID, "board").text
        assert f"{EVIL} (31.73.01.1001)" in board  # a name like HTML shows as text
        assert browser.execute_script("return document.querySelectorAll('img[src=\"x\"]')"
                                      ".length") == 0
        assert browser.find_element(By.ID, "board-header").text.startswith("📋 Cengkareng:")

        # The second desk's officer leaves; the sweep alerts; the page follows by itself.
        browser.execute_script("window.stillTheSamePage = true;")
        await check_out(h.db, shift, utcnow())
        await sweep(h.db, soon() + timedelta(minutes=20), CONFIG)
        await due_now(h)
        await until(lambda: "m-short" in classes(browser, second.id),
                    "the second desk turning short", within_s=10)
        assert browser.execute_script("return window.stillTheSamePage") is True
        await until(lambda: len(browser.find_elements(By.CSS_SELECTOR, "#alerts button.take"))
                    == 2, "both alerts takeable")
        shot = tmp_path / "dashboard.png"
        assert await asyncio.to_thread(browser.save_screenshot, str(shot))
        assert shot.read_bytes().startswith(b"\x89PNG")
        if os.environ.get("POSKO_SCREENSHOT"):
            shutil.copy(shot, os.environ["POSKO_SCREENSHOT"])

        # Saya tangani from the page: taken, and the chat message edited to say who.
        await until(lambda: browser.find_element(
            By.CSS_SELECTOR, f"#alert-{world.alert} button.take").click() or True,
            "Saya tangani pressed")  # found and clicked in one go: the page redraws
        await until(lambda: browser.find_element(By.ID, "notice").text.startswith(
            "Anda menangani"), "the answer on the page")
        assert await h.db.fetchval("SELECT acked_by FROM alerts WHERE id = ?",
                                   (world.alert,)) == CAMAT
        await due_now(h)
        edit = await until(lambda: [c for c in h.request.calls if c.method == "editMessageText"
                                    and int(c.params.get("chat_id", 0)) == CAMAT], "the chat edit")
        assert "✔️ Ditangani oleh" in edit[0].text and "Camat Cengkareng" in edit[0].text
        assert edit[0].params["message_id"] is not None and alert_msg
        await until(lambda: "Ditangani oleh Camat Cengkareng" in browser.find_element(
            By.ID, f"alert-{world.alert}").text, "who took it, on the page")

        # The web server goes away (the bot restarting) and comes back: the page carries on.
        data = h.app.bot_data
        assert data.dashboard_server is not None
        await data.dashboard_server.cleanup()
        await until(lambda: browser.find_element(By.ID, "offline").is_displayed(),
                    "the page saying it is not connected")
        await check_in(h.db, OFFICER2, SECOND, utcnow())
        data.dashboard_server = await dashboard_server.start(h.app)
        await until(lambda: "m-staffed" in classes(browser, second.id)
                    and not browser.find_element(By.ID, "offline").is_displayed(),
                    "the page back, with the desk staffed again")
        assert browser.execute_script("return window.stillTheSamePage") is True
