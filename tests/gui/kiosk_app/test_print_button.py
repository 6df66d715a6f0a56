"""打印 in a real kiosk window: the button shows only with a printer configured; a touch prints the
guide on a real CUPS server (cups-pdf) while the page says 正在打印, then where to collect it; an
offline printer gets its message; an item page prints too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import PrinterSection, demo_config
from kiosk.logic.navigation import Route
from tests.gui.kiosk_app.kiosk_harness import Kiosk, make_kiosk
from tests.kiosk.cups_kit import Cups, running_cups

GUIDE = "realestate-transfer"


@pytest.fixture(scope="module")
def cups() -> Iterator[Cups]:
    with running_cups() as server:
        yield server


@pytest.fixture
def printing_kiosk(cache_copy: Path, cups: Cups) -> Iterator[Kiosk]:
    config = demo_config(cache_copy)
    printer = PrinterSection(
        queue=cups.queue, server=cups.socket, collect_at="自助区打印机", job_timeout_seconds=30
    )
    harness = make_kiosk(cache_copy, config.replace(printer=printer))
    try:
        yield harness
    finally:
        harness.close()


def open_page(kiosk: Kiosk, screen: str, record_id: str) -> object:
    kiosk.app.start_session()
    kiosk.app.navigate(Route(screen, {"id": record_id}))
    kiosk.settle(seconds=0.2, frames=6)
    return kiosk.app.screen(screen).ids.print_panel


def test_no_printer_no_button(kiosk: Kiosk) -> None:
    panel = open_page(kiosk, "guide", GUIDE)
    assert not panel.available and panel.height == 0 and "打印" not in kiosk.texts()


def test_a_touch_prints_the_guide_and_says_where_to_collect_it(
    printing_kiosk: Kiosk, cups: Cups, tmp_path: Path
) -> None:
    before = len(cups.pdfs())
    panel = open_page(printing_kiosk, "guide", GUIDE)
    assert panel.available and panel.height > 0 and "打印" in printing_kiosk.texts()
    printing_kiosk.tap(panel.ids.button)
    assert panel.busy and panel.status == "正在打印，请稍候…" and panel.ids.button.disabled
    assert printing_kiosk.settle_until(lambda: not panel.busy, timeout=60)
    assert panel.status == "打印完成，请在自助区打印机取走打印件。" and not panel.failed
    assert len(cups.wait_for_pdfs(before + 1)) == before + 1
    assert printing_kiosk.app.printing is not None and printing_kiosk.app.printing.budget.used_today() == 4

    item = open_page(printing_kiosk, "item", "gov-annual-report-2025")
    assert item.available and item.status == ""  # a new page starts without the last result
    printing_kiosk.tap(item.ids.button)
    assert printing_kiosk.settle_until(lambda: not item.busy, timeout=60)
    assert item.status.startswith("打印完成") and len(cups.wait_for_pdfs(before + 2)) == before + 2


def test_an_offline_printer_is_told_to_the_citizen(printing_kiosk: Kiosk, cups: Cups) -> None:
    cups.admin("cupsdisable", "-h", cups.socket, cups.queue)
    try:
        panel = open_page(printing_kiosk, "guide", GUIDE)
        printing_kiosk.tap(panel.ids.button)
        assert printing_kiosk.settle_until(lambda: not panel.busy, timeout=60)
        assert panel.failed and panel.status == "打印机暂停服务，请到服务窗口咨询，或扫码在手机上查看。"
        assert panel.status in printing_kiosk.texts()
    finally:
        cups.admin("cupsenable", "-h", cups.socket, cups.queue)


def test_an_attached_form_prints_as_it_is(printing_kiosk: Kiosk, cups: Cups) -> None:
    item = printing_kiosk.reader.item("gov-request-guide")
    assert item is not None and item.attachments[0].blob is not None
    before = len(cups.pdfs())
    printing_kiosk.app.start_session()
    printing_kiosk.app.navigate(
        Route("form", {"sha256": item.attachments[0].blob.sha256, "name": item.attachments[0].name})
    )
    printing_kiosk.settle(seconds=0.2, frames=6)
    panel = printing_kiosk.app.screen("form").ids.print_panel
    assert panel.available
    printing_kiosk.tap(panel.ids.button)
    assert printing_kiosk.settle_until(lambda: not panel.busy, timeout=60)
    assert panel.status == "打印完成，请在自助区打印机取走打印件。"
    assert len(cups.wait_for_pdfs(before + 1)) == before + 1


def test_the_admin_screen_shows_the_printer_and_todays_pages(printing_kiosk: Kiosk, cups: Cups) -> None:
    panel = open_page(printing_kiosk, "guide", GUIDE)
    printing_kiosk.tap(panel.ids.button)
    assert printing_kiosk.settle_until(lambda: not panel.busy, timeout=60) and not panel.failed
    printing_kiosk.app.navigate(Route("admin"))
    printing_kiosk.settle(frames=6)
    texts = printing_kiosk.texts()
    assert "打印机" in texts and f"{cups.queue}：就绪" in texts
    assert "今日打印页数" in texts and "4 / 300" in texts
