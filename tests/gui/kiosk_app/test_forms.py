"""Attached forms in a real kiosk window: a four-page PDF opened from an item, paged and zoomed; a
guide's blank form opened from its page; 长辈模式 opens a form enlarged; a damaged PDF and a missing
one get a message, and the kiosk goes on."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from feed.dev.demo import demo_key_paths, demo_source_dir
from feed.format.signing import load_public_key
from feed.publish.build import build
from feed.publish.source import load_source
from feed.render.pdf import render_pdf
from feed.schema import Guide
from feed.sync import SyncSettings, sync_once
from kiosk.logic.navigation import Route
from tests.gui.kiosk_app.kiosk_harness import Kiosk, make_kiosk

FORMS_YAML = """
- id: forms-item
  node: notice.extended
  title: 表格测试
  body: 附件为多页表格和一份损坏的文件。
  publisher: 测试单位
  published: 2026-11-01
  attachments:
    - name: 多页申请表.pdf
      blob: media/long-form.pdf
    - name: 损坏的表格.pdf
      blob: media/broken.pdf
  review: {status: approved, reviewed_by: 测试, reviewed_on: 2026-10-30, confidentiality_checked: true}
"""


@pytest.fixture
def forms(tmp_path: Path) -> Iterator[Kiosk]:
    src = tmp_path / "src"
    shutil.copytree(demo_source_dir(), src)
    guide = next(r for r in load_source(src).records if r.id == "realestate-transfer")
    assert isinstance(guide, Guide)
    long_form = render_pdf(guide, hall_name="测试", url=None, printed_on=date(2026, 11, 1))
    assert long_form.pages == 4
    (src / "media" / "long-form.pdf").write_bytes(long_form.pdf)
    (src / "media" / "broken.pdf").write_bytes(
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\ntruncated"
    )
    (src / "items" / "forms.yaml").write_text(FORMS_YAML, "utf-8")
    secret, public = demo_key_paths()
    build(src, tmp_path / "feed", secret)
    cache = tmp_path / "cache"
    assert sync_once(SyncSettings(str(tmp_path / "feed"), cache, pubkey=load_public_key(public))).ok
    harness = make_kiosk(cache)
    try:
        yield harness
    finally:
        harness.close()


def buttons_in(widget: Any, text: str) -> list[Any]:
    return [w for w in widget.walk() if getattr(w, "text", None) == text and hasattr(w, "trigger_action")]


def test_a_form_opens_pages_and_zooms(forms: Kiosk) -> None:
    forms.app.start_session()
    forms.app.navigate(Route("item", {"id": "forms-item"}))
    forms.settle(seconds=0.2, frames=8)
    view_buttons = buttons_in(forms.app.screen("item").ids.attachments, "查看")
    assert len(view_buttons) == 2
    forms.tap(view_buttons[0])
    forms.settle(frames=6)
    assert forms.screen == "form"
    screen = forms.app.screen("form")
    assert screen.pages == 4 and screen.page == 0 and screen.shown and screen.problem == ""
    assert "多页申请表.pdf　第1页，共4页" in forms.texts()
    image = screen.ids.page_image
    first = image.texture.pixels
    width = image.width
    assert image.texture is not None and image.height > image.width  # an A4 page, portrait
    assert screen.ids.previous.disabled and not screen.ids.next.disabled

    forms.tap(screen.ids.next)
    forms.settle(frames=4)
    assert screen.page == 1 and "多页申请表.pdf　第2页，共4页" in forms.texts()
    assert image.texture.pixels != first  # another page drawn
    for _ in range(2):
        forms.tap(screen.ids.next)
        forms.settle(frames=2)
    assert screen.page == 3 and screen.ids.next.disabled  # the last page: 下一页 cannot be touched

    forms.tap(screen.ids.zoom_in)
    forms.settle(frames=4)
    assert screen.zoom == 1.5 and image.width == pytest.approx(width * 1.5, rel=0.01)
    assert image.texture.width >= int(width * 1.5) - 1  # rendered anew at the larger size, not stretched
    forms.tap(screen.ids.zoom_out)
    forms.settle(frames=4)
    assert screen.zoom == 1.0 and image.width == pytest.approx(width, rel=0.01)

    forms.tap(forms.app.chrome.footer.ids.back)
    forms.settle(frames=4)
    assert forms.screen == "item"


def test_a_damaged_or_missing_form_gets_a_message(forms: Kiosk) -> None:
    forms.app.start_session()
    forms.app.navigate(Route("item", {"id": "forms-item"}))
    forms.settle(seconds=0.2, frames=8)
    forms.tap(buttons_in(forms.app.screen("item").ids.attachments, "查看")[1])
    forms.settle(frames=6)
    screen = forms.app.screen("form")
    assert forms.screen == "form" and not screen.shown and screen.pages == 0
    assert screen.problem == "该表格文件已损坏，无法显示，请到服务窗口领取纸质表格。"
    assert screen.problem in forms.texts()
    assert screen.ids.zoom_in.disabled and screen.ids.next.disabled
    forms.app.navigate(Route("form", {"sha256": "0" * 64, "name": "不存在"}))
    forms.settle(frames=4)
    assert screen.problem == "该表格暂不可用，请到服务窗口领取。"
    forms.tap(forms.app.chrome.footer.ids.home)
    forms.settle(frames=4)
    assert forms.screen == "home"


def test_a_guides_blank_form_opens_from_its_page_enlarged_in_elderly_mode(forms: Kiosk) -> None:
    forms.app.start_session()
    forms.app.session.set_elderly(True)
    forms.settle(frames=4)
    forms.app.navigate(Route("guide", {"id": "individual-business"}))
    forms.settle(seconds=0.2, frames=8)
    found = [b for b in forms.app.screen("guide").ids.forms.children if "空白表格" in b.text]
    assert len(found) == 1
    forms.tap(found[0])
    forms.settle(frames=6)
    screen = forms.app.screen("form")
    assert forms.screen == "form" and screen.pages == 1 and screen.shown
    assert forms.app.session.elderly and screen.zoom == 1.5
    assert screen.ids.page_image.width == pytest.approx(screen.ids.scroller.width * 1.5, rel=0.01)
