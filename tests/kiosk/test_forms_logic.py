"""Forms as pages, without a window: real PDFs through pypdfium2, and every way a file can be unfit
for the screen named in the citizen's words."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pypdfium2
import pytest

from feed.assets import assets_dir
from kiosk.logic.forms import MAX_FORM_BYTES, MAX_FORM_PAGES, FormError, open_form

FORM = assets_dir() / "demo" / "media" / "individual-business-form.pdf"


def blank_pdf(pages: int) -> bytes:
    document = pypdfium2.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_page_renders_at_the_asked_width_and_keeps_its_shape() -> None:
    document = open_form(FORM)
    try:
        assert document.pages == 1
        image = document.render(0, 900)
        assert image.width == 900 and 1.3 < image.height / image.width < 1.5  # A4
        assert len(set(image.convert("L").resize((40, 40)).getdata())) > 2  # something is drawn
        huge = document.render(0, 100_000)
        assert max(huge.size) <= 4096
        with pytest.raises(FormError, match="没有这一页"):
            document.render(1, 900)
    finally:
        document.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "已损坏"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntruncated", "已损坏"),
        (FORM.read_bytes()[: len(FORM.read_bytes()) // 3], "已损坏"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "已损坏"),
        (blank_pdf(MAX_FORM_PAGES + 1), f"共{MAX_FORM_PAGES + 1}页"),
    ],
)
def test_unfit_files_get_a_message(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "form.pdf"
    path.write_bytes(content)
    with pytest.raises(FormError, match=message):
        open_form(path)


def test_a_file_too_large_missing_or_not_a_file_gets_a_message(tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    with big.open("wb") as handle:
        handle.truncate(MAX_FORM_BYTES + 1)
    with pytest.raises(FormError, match="过大"):
        open_form(big)
    with pytest.raises(FormError, match="暂不可用"):
        open_form(tmp_path / "absent.pdf")
    fifo = tmp_path / "fifo.pdf"
    os.mkfifo(fifo)
    with pytest.raises(FormError, match="暂不可用"):
        open_form(fifo)  # never waits for a writer
    assert open_form_pages(blank_pdf(MAX_FORM_PAGES), tmp_path) == MAX_FORM_PAGES


def open_form_pages(data: bytes, folder: Path) -> int:
    path = folder / "ok.pdf"
    path.write_bytes(data)
    document = open_form(path)
    document.close()
    return document.pages
