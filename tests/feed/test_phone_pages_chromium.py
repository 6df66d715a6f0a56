"""Every demo guide and item opened on its phone page in Debian's headless chromium, as a 375×667
phone (Selenium's mobileEmulation), served over loopback by `hall-feed serve`'s server: no
horizontal overflow, and every section the record has is on the page.

Set HALL_PHONE_SCREENSHOTS=DIR to keep full-page screenshots of a few pages (docs/screenshots/ holds
the ones the docs show); nothing here downloads a browser or a driver.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from nacl.signing import SigningKey

from feed.assets import assets_dir
from feed.dev.serve import FeedServer
from feed.format.signing import SECRET_PREFIX
from feed.publish.build import build
from feed.render.guide_view import guide_view
from feed.render.item_view import item_view
from feed.schema import Guide, Item
from feed.screen.links import phone_page

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PHONE = {"width": 375, "height": 667, "pixelRatio": 2.0}
SCREENSHOTS = {"g/realestate-transfer.html", "g/birth-one-thing.html", "i/"}  # "i/": the first item

# CI (HALL_TESTS_REQUIRE_ENGINES=1) fails without the browser instead of skipping
pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()) and os.environ.get("HALL_TESTS_REQUIRE_ENGINES") != "1",
    reason="needs Debian's chromium and chromium-driver (scripts/install-system-deps.sh)",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[Guide | Item]]]:
    """The demo feed built and served on 127.0.0.1; yields (URL of m/, the records with pages)."""
    root = tmp_path_factory.mktemp("phone")
    key = root / "feed.key"
    key.write_text(SECRET_PREFIX + base64.b64encode(bytes(SigningKey(b"p" * 32))).decode())
    key.chmod(0o600)
    result = build(assets_dir() / "demo", root / "feed", key)
    records = [r for r in result.source.records if isinstance(r, (Guide, Item))]
    with FeedServer(root / "feed") as server:
        yield server.url + "m/", records


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": PHONE})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


# Everything wider than the viewport, by element: what a citizen would have to scroll sideways for.
OVERFLOW = """
const width = arguments[0];  // the phone's width in CSS px, whatever the page asked for
const header = document.querySelector('header.hall');
const wide = [];
for (const el of document.querySelectorAll('body *')) {
  const box = el.getBoundingClientRect();
  const right = box.left + Math.max(box.width, el.scrollWidth);  // content spilling out of its box too
  if (box.width > 0 && (right > width + 0.5 || box.left < -0.5)) {
    wide.push(el.tagName + '#' + el.id + ' ' + (el.textContent || '').slice(0, 30));
  }
}
return {width: document.documentElement.clientWidth, inner: window.innerWidth,
        scroll: document.documentElement.scrollWidth,
        height: document.documentElement.scrollHeight, wide: wide,
        sections: Array.from(document.querySelectorAll('section[id]')).map(s => s.id),
        title: (document.getElementById('title') || {}).textContent,
        css: header ? getComputedStyle(header).backgroundColor : null};
"""


def expected_sections(record: Guide | Item) -> list[str]:
    if isinstance(record, Guide):
        return [section.key for section in guide_view(record).sections]
    view = item_view(record)
    sections = ["body"]
    if view.images:
        sections.append("images")
    if view.attachments:
        sections.append("attachments")
    return sections


def test_every_page_fits_a_phone_and_shows_every_section(
    site: tuple[str, list[Guide | Item]], browser: Any, tmp_path: Path
) -> None:
    base, records = site
    keep = Path(os.environ.get("HALL_PHONE_SCREENSHOTS", tmp_path))
    shots: list[Path] = []
    taken_item = False
    assert len(records) == 61
    for record in records:
        path = phone_page(record.kind, record.id)
        browser.get(base + path)
        found = browser.execute_script(OVERFLOW, PHONE["width"])
        assert found["width"] == found["inner"] == 375, (path, found["width"])
        assert found["scroll"] <= 375 and found["wide"] == [], (path, found["scroll"], found["wide"][:5])
        assert found["title"] == record.title, path
        assert found["sections"] == expected_sections(record), path
        assert found["css"] == "rgb(176, 38, 30)", f"{path}: the shared stylesheet did not load"
        first_item = isinstance(record, Item) and not taken_item
        if path in SCREENSHOTS or first_item:
            taken_item = taken_item or first_item
            shots.append(full_page_screenshot(browser, found["height"], keep / f"phone-{record.id}.png"))
    assert len(shots) == 3
    for shot in shots:
        from PIL import Image

        with Image.open(shot) as image:
            assert image.width == 375 * 2 and image.height >= 667 * 2, shot
            assert len(set(image.convert("L").resize((60, 60)).getdata())) > 8, f"{shot} is blank"


def full_page_screenshot(browser: Any, height: int, target: Path) -> Path:
    """The whole page at the phone's width, as tall as it is (chromium's DevTools protocol)."""
    metrics = {
        "width": PHONE["width"],
        "height": height,
        "deviceScaleFactor": PHONE["pixelRatio"],
        "mobile": True,
    }
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        data = browser.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
        )
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(base64.b64decode(data["data"]))
    return target


def test_a_page_too_wide_for_a_phone_is_caught(
    site: tuple[str, list[Guide | Item]], browser: Any, tmp_path: Path
) -> None:
    """The overflow check itself can fail: a page with an unbreakable wide element is reported."""
    page = tmp_path / "wide.html"
    page.write_text(
        '<!DOCTYPE html><meta name="viewport" content="width=device-width, initial-scale=1"><body>'
        '<pre id="wide">' + "1234567890" * 20 + "</pre>",
        encoding="utf-8",
    )
    with FeedServer(tmp_path) as server:
        browser.get(server.url + "wide.html")
        found = browser.execute_script(OVERFLOW, PHONE["width"])
    assert found["scroll"] > 375 and any(entry.startswith("PRE#wide") for entry in found["wide"])
