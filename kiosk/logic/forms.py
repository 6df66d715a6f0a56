"""Attached forms (空白表格、示例样表, PDF attachments) as pages a citizen can read on the screen:
pypdfium2 (PDFium, the engine of Chromium's PDF viewer) renders a page to an image. A damaged or
too large file gets a message in the citizen's words, never an exception on the screen.

PDFium is not thread-safe: every call here happens on one thread (the UI's; a page renders in tens
of milliseconds). pypdfium2 is imported when the first form opens, never at the kiosk's start.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feed import read_regular

if TYPE_CHECKING:
    from PIL.Image import Image

MAX_FORM_BYTES = 20 * 1024 * 1024  # larger than any form a hall hands out
MAX_FORM_PAGES = 60
MAX_PAGE_PIXELS = 4096  # the longer side of a rendered page, whatever the zoom


class FormError(Exception):
    """Why a form cannot be shown, for the citizen (Chinese, one sentence)."""


@dataclass
class FormDocument:
    """An open PDF: `pages` pages, each rendered on request."""

    data: bytes
    pages: int
    _pdf: Any

    def render(self, index: int, width_px: int) -> Image:
        """Page `index` (0-based) as an RGB image `width_px` wide (bounded by MAX_PAGE_PIXELS)."""
        if not 0 <= index < self.pages:
            raise FormError("没有这一页。")
        try:
            page = self._pdf[index]
            width_pt, height_pt = page.get_size()
            scale = min(width_px / width_pt, MAX_PAGE_PIXELS / max(width_pt, height_pt))
            image: Image = page.render(scale=scale).to_pil().convert("RGB")
        except Exception as exc:  # PDFium reports a damaged page in its own ways
            raise FormError("该页无法显示，文件可能已损坏，请到服务窗口领取纸质表格。") from exc
        return image

    def close(self) -> None:
        self._pdf.close()


def open_form(path: Path) -> FormDocument:
    """Open the PDF in `path`; FormError when it is missing, too large, damaged or has too many pages."""
    try:
        data = read_regular(path, MAX_FORM_BYTES)
    except FileNotFoundError:
        raise FormError("该表格暂不可用，请到服务窗口领取。") from None
    except OSError as exc:
        if exc.errno == errno.EFBIG:
            raise FormError("该表格文件过大，无法在本机显示，请到服务窗口领取。") from exc
        raise FormError("该表格暂不可用，请到服务窗口领取。") from exc
    return open_form_bytes(data)


def open_form_bytes(data: bytes) -> FormDocument:
    if len(data) > MAX_FORM_BYTES:
        raise FormError("该表格文件过大，无法在本机显示，请到服务窗口领取。")
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
        pages = len(pdf)
    except Exception as exc:  # pypdfium2.PdfiumError and friends: not a readable PDF
        raise FormError("该表格文件已损坏，无法显示，请到服务窗口领取纸质表格。") from exc
    if pages == 0:
        pdf.close()
        raise FormError("该表格文件已损坏，无法显示，请到服务窗口领取纸质表格。")
    if pages > MAX_FORM_PAGES:
        pdf.close()
        raise FormError(f"该文件共{pages}页，超出本机显示范围，请扫码下载或到服务窗口领取。")
    return FormDocument(data, pages, pdf)
