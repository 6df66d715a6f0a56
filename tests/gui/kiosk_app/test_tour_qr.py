"""`hall-kiosk --demo --tour DIR` run as a user would, then its QR codes read back by a real decoder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pyzbar.pyzbar import decode

from feed.store.reader import StoreReader

SCREENS = (
    "attract",
    "home",
    "catalogue",
    "item",
    "guides",
    "guide",
    "search",
    "feedback",
    "application",
    "elderly-home",
    "admin",
)


def decoded(png: Path) -> set[str]:
    with Image.open(png) as image:
        return {symbol.data.decode("utf-8") for symbol in decode(image.convert("L"))}


@pytest.mark.timeout(300)
def test_tour_writes_every_screen_and_qr_codes_carry_the_urls(tmp_path: Path) -> None:
    out = tmp_path / "tour"
    env = dict(os.environ, HALL_KIOSK_DEMO_DIR=str(tmp_path / "demo"))
    script = Path(sys.executable).with_name("hall-kiosk")
    done = subprocess.run(
        [str(script), "--demo", "--tour", str(out)],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for name in SCREENS:
        assert (out / f"kiosk-{name}.png").is_file(), name
    facts = json.loads((out / "tour.json").read_text("utf-8"))

    with StoreReader.open(tmp_path / "demo" / "cache") as reader:
        item = reader.item(facts["item"]["id"])
        guide = reader.guide(facts["guide"]["id"])
    assert item is not None and item.original_url
    assert guide is not None and guide.guide_url and guide.online.url

    assert decoded(out / "kiosk-item.png") == {item.original_url}
    assert decoded(out / "kiosk-guide.png") == {guide.guide_url, guide.online.url}
    assert decoded(out / "kiosk-home.png") == set()
    # No centre in this demo: 依申请公开 sends the citizen to the window and shows the hall's portal.
    assert facts["application"]["node"] and facts["application"]["url"]
    assert decoded(out / "kiosk-application.png") == {facts["application"]["url"]}
    assert facts["search"]["results"] and facts["search"]["results"][0].startswith("不动产")
