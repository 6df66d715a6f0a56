"""One set of Jinja2 templates (`templates/`) turning a guide or an item into an HTML page: the phone
page the feed publishes (`medium="phone"`, with the shared `site.css`, no script, nothing from
another site) and the page an A4 printout is made from (`medium="print"`). Both read the same views
as the kiosk's screens (`guide_view`, `item_view`), so a section shows the same text everywhere.

Jinja2 is imported on the first render, never at an app's start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from feed.render.guide_view import guide_view
from feed.render.item_view import item_view
from feed.schema import Guide, Item

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parent / "templates"
PHONE_STYLESHEET = "site.css"  # at the phone site's root, beside g/ and i/
Medium = Literal["phone", "print"]


@dataclass(frozen=True)
class Page:
    """What a rendered page shows besides the record: where and how it is read.

    `url` is the page's address for phones (printed under the QR code); `qr_data_uri` a `data:` PNG of
    that code (printouts); `stylesheet_href` a relative link (phone pages) or `inline_style` the CSS
    itself (printouts); `object_href` turns a blob's SHA-256 into a link to it within the feed
    (phone pages: images and attached forms), None where files cannot be linked (paper).
    """

    medium: Medium
    hall_name: str
    url: str = ""
    stylesheet_href: str | None = None
    inline_style: str | None = None
    qr_data_uri: str | None = None
    printed_on: str | None = None
    object_href: Callable[[str], str] | None = None


@cache
def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,  # a misspelt field fails the build instead of printing nothing
        keep_trailing_newline=True,
    )


def render_record(record: Guide | Item, page: Page) -> str:
    """The HTML page of a guide or an item (a complete document, UTF-8 text)."""
    if isinstance(record, Guide):
        view: object = guide_view(record)
        template = "guide.html"
    else:
        view = item_view(record)
        template = "item.html"
    return _environment().get_template(template).render(view=view, page=page, title=record.title)


def phone_stylesheet() -> str:
    """The phone site's shared stylesheet, as published."""
    return (TEMPLATES / PHONE_STYLESHEET).read_text(encoding="utf-8")
