"""Hostile feed content reaches the screen harmlessly: markup shows as text, huge bodies are cut,
missing images are said to be missing, and URLs off the allow-list get no QR code."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from feed.dev.demo import demo_key_paths, demo_source_dir
from feed.format.signing import load_public_key
from feed.publish.build import build
from feed.screen.line_breaking import CLOSING_PUNCTUATION
from feed.screen.text import TEXT_LIMIT_CHARS
from feed.sync import SyncSettings, sync_once
from kiosk.logic.navigation import Route
from tests.gui.kiosk_app.kiosk_harness import Kiosk, make_kiosk

MARKUP_TITLE = "[color=ff0000]紧急[/color][b]通知[/b] &bl; [size=200]大[/size]"
EVIL_URL = "https://evil.example.com/phish"
HOSTILE_YAML = f"""
- id: hostile-item
  node: notice.extended
  title: "{MARKUP_TITLE}"
  body: "{"很长的正文，不应拖垮一体机。" * 5000}"
  publisher: "[i]某单位[/i]"
  published: 2026-11-01
  original_url: {EVIL_URL}
  images:
    - blob: media/winter-hours-poster.png
      caption: 已从缓存删除的图片
  attachments:
    - name: "[ref=x]表格[/ref]"
      url: https://evil.example.com/form.pdf
  review: {{status: approved, reviewed_by: 测试, reviewed_on: 2026-10-30, confidentiality_checked: true}}
"""


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[Kiosk]:
    src = tmp_path / "src"
    shutil.copytree(demo_source_dir(), src)
    (src / "items" / "hostile.yaml").write_text(HOSTILE_YAML, "utf-8")
    secret, public = demo_key_paths()
    build(src, tmp_path / "feed", secret)
    cache = tmp_path / "cache"
    result = sync_once(SyncSettings(str(tmp_path / "feed"), cache, pubkey=load_public_key(public)))
    assert result.ok, result.reason
    harness = make_kiosk(cache)
    item = harness.reader.item("hostile-item")
    assert item is not None
    poster = harness.reader.blob_path(item.images[0].blob.sha256)
    assert poster is not None
    poster.unlink()  # the image is referenced but no longer in the offline store
    try:
        yield harness
    finally:
        harness.close()


def test_hostile_item_is_shown_safely(hostile: Kiosk) -> None:
    hostile.app.start_session()
    hostile.app.navigate(Route("item", {"id": "hostile-item"}))
    hostile.settle(seconds=0.3, frames=8)
    screen = hostile.app.screen("item")

    title = screen.ids.title
    assert title.text == MARKUP_TITLE and not title.markup  # shown literally, never interpreted
    assert MARKUP_TITLE in hostile.texts()

    body = screen.ids.body
    assert body.clipped
    assert sum(len(line) for line in body.wrapped_lines) <= TEXT_LIMIT_CHARS + 2
    assert "正文较长，此处仅显示开头部分，请扫码查看全文。" in hostile.texts()
    assert body.wrapped_lines, "the body was not laid out"
    assert not any(line[:1] in CLOSING_PUNCTUATION for line in body.wrapped_lines)
    assert all(chunk.texture_size[1] < 8192 for chunk in body.children)

    assert any(text.startswith("［图片暂不可用］") for text in hostile.texts())

    # The item's own link is refused; the code opens its page on the hall's phone site instead
    qr = screen.ids.qr
    assert qr.shown and qr.url == "https://zwfw.qinghe.example/feed/m/i/hostile-item.html"
    assert qr.caption == "扫码在手机上查看"
    assert hostile.app.qr_withheld.reason(EVIL_URL) is not None

    hostile.app.navigate(Route("admin"))
    hostile.settle(frames=6)
    texts = hostile.texts()
    assert "未显示二维码" in texts
    assert any(text.startswith(EVIL_URL) and "原因" in text for text in texts)
