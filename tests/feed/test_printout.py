"""The A4 printout of a guide and an item, rendered by WeasyPrint from the shared templates and read
back with poppler and zbar."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from feed.assets import assets_dir
from feed.publish.source import load_source
from feed.render.pdf import render_pdf
from feed.schema import Guide, Item
from tests.feed.printout_checks import check_guide_printout, pdf_text, qr_codes

HALL = "青禾市政务服务中心"


@pytest.fixture(scope="module")
def records() -> dict[str, Guide | Item]:
    return {r.id: r for r in load_source(assets_dir() / "demo").records if isinstance(r, (Guide, Item))}


@pytest.mark.parametrize("guide_id", ["realestate-transfer", "birth-one-thing", "food-business-license"])
def test_a_guide_prints_whole_with_its_code_hall_and_day(
    records: dict[str, Guide | Item], guide_id: str, tmp_path: Path
) -> None:
    guide = records[guide_id]
    assert isinstance(guide, Guide)
    url = f"https://zwfw.qinghe.example/feed/m/g/{guide_id}.html"
    printout = render_pdf(guide, hall_name=HALL, url=url, printed_on=date(2026, 11, 30))
    pdf = tmp_path / "guide.pdf"
    pdf.write_bytes(printout.pdf)
    assert printout.pages >= 1 and printout.pdf.count(b"/Type /Page\n") in (0, printout.pages)
    check_guide_printout(pdf, guide, hall=HALL, url=url, printed="2026年11月30日", workdir=tmp_path)


def test_an_item_prints_its_text_and_no_code_without_a_link(
    records: dict[str, Guide | Item], tmp_path: Path
) -> None:
    item = next(r for r in records.values() if isinstance(r, Item) and r.body)
    printout = render_pdf(item, hall_name=HALL, url=None, printed_on=date(2026, 1, 2))
    pdf = tmp_path / "item.pdf"
    pdf.write_bytes(printout.pdf)
    text = pdf_text(pdf).replace("\n", "")
    assert item.title in text and "打印于 2026年1月2日" in text
    assert item.body.split("\n")[0].strip()[:12] in text
    assert qr_codes(pdf, tmp_path) == set()
