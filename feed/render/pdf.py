"""A guide or an item as an A4 PDF, for the hall's printer: the page's HTML (`feed.render.html`, the
templates the phone pages use) laid out by WeasyPrint, with the bundled font embedded, the QR code
of the record's phone page (or own link), the hall's name on every page and the day it was printed.

WeasyPrint, because its layout is Pango's: Chinese lines break by the rules (no line starts with
a closing mark) and fonts are embedded as subsets, which a PDF library drawing text line by line
(fpdf2) would leave to us. It is imported on the first printout, never at an app's start.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from feed.assets import ui_font
from feed.render.dates import date_text
from feed.render.html import TEMPLATES, Page, render_record
from feed.schema import Guide, Item


@dataclass(frozen=True)
class Printout:
    """A rendered PDF: its bytes and its number of A4 pages."""

    pdf: bytes
    pages: int


def qr_data_uri(url: str) -> str:
    """A `data:` PNG of the QR code for `url` (error correction M, 4-module quiet zone)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M
    from qrcode.image.pil import PilImage

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(image_factory=PilImage).save(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def print_stylesheet(font: Path) -> str:
    """The printout's CSS with `font` as its one face (embedded as a subset)."""
    css = (TEMPLATES / "print.css").read_text(encoding="utf-8")
    return css.replace("{{ font_url }}", font.resolve().as_uri())


def render_pdf(
    record: Guide | Item, *, hall_name: str, url: str | None, printed_on: date, font: Path | None = None
) -> Printout:
    """The A4 printout of `record`. `url` is what its QR code opens (None: no code); `font` the face to
    embed (default: the bundled UI font)."""
    from weasyprint import HTML

    page = Page(
        medium="print",
        hall_name=hall_name,
        url=url or "",
        inline_style=print_stylesheet(font or ui_font()),
        qr_data_uri=qr_data_uri(url) if url else None,
        printed_on=date_text(printed_on),
    )
    document = HTML(string=render_record(record, page)).render()
    return Printout(pdf=document.write_pdf(), pages=len(document.pages))
