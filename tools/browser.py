"""Headless Chromium for the web edition's tests and screenshots: Debian's chromium,
driven through Debian's chromedriver (the same source package, so always the same
version) by Selenium; axe-core from node_modules (package-lock.json pins it).

The flags keep Chromium off the network (this machine refuses its background
connections, and nothing a page does may need them) and give every session a new,
empty profile. Selenium is given chromedriver's path, so Selenium Manager never runs
and downloads nothing.
"""
from __future__ import annotations

import base64
import contextlib
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 level A and AA, every version's rules (axe-core tags).
WCAG_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
PHONE, DESKTOP = 320, 1280  # CSS px: a small phone; a desktop (and 320 = 1280 at 400 %)


@contextlib.contextmanager
def chromium():
    """A Selenium driver of a new headless Chromium, quit on leaving."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="leaflet-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (*FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})  # requests
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER,
                                                  log_output=subprocess.DEVNULL),
                                  options=options)
        try:
            yield driver
        finally:
            driver.quit()


def open_page(driver, path: Path, width: int, height: int = 800) -> None:
    """Show the file at `path` in a viewport `width` CSS px wide, its fonts loaded."""
    open_url(driver, path.resolve().as_uri(), width, height)


def open_url(driver, url: str, width: int, height: int = 800) -> None:
    """Show the page at `url` (a file, or the web application on 127.0.0.1) in a viewport
    `width` CSS px wide, its fonts loaded."""
    resize(driver, width, height)
    requests(driver)  # the log starts again with this page
    driver.get(url)
    loaded(driver)


def resize(driver, width: int, height: int = 800) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def loaded(driver) -> None:
    """Wait until the page shown has its fonts (after a click that opened it)."""
    driver.execute_async_script("document.fonts.ready.then(arguments[arguments.length - 1])")


def requests(driver) -> list[str]:
    """The address of every request the browser made since this was last asked (the
    DevTools network log)."""
    import json

    events = (json.loads(entry["message"])["message"] for entry in driver.get_log("performance"))
    return [e["params"]["request"]["url"] for e in events
            if e["method"] == "Network.requestWillBeSent"]


def axe(driver) -> list[dict]:
    """axe-core's WCAG 2.2 A and AA violations on the page shown: each rule's id, help and
    the elements (CSS selectors) that break it."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    return driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: "tag", values: arguments[0]}})
          .then(r => done(r.violations.map(v => ({id: v.id, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" "))}))))
          .catch(e => done([{id: "axe failed", help: String(e), nodes: []}]));
    """, list(WCAG_AA))


def screenshot(driver, target: Path) -> None:
    """The whole page shown, as a PNG at `target`."""
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"],
                 "scale": 1}})
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(base64.b64decode(shot["data"]))
