"""A disclosure item turned into display-ready parts: meta lines, paragraphs, images, attachments.

Strings are plain text from the feed (escape before markup). Images and attachment files are named
by blob hash: the screen asks the store for the local file (`ContentReader.blob_path`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from feed.api import ItemSummary
from feed.schema import Item


@dataclass(frozen=True)
class ImageView:
    sha256: str
    media_type: str
    caption: str


@dataclass(frozen=True)
class AttachmentView:
    name: str
    url: str | None  # offered as a QR code when the policy allows
    sha256: str | None  # kept in the store (e.g. a PDF form)


@dataclass(frozen=True)
class ItemView:
    id: str
    title: str
    meta: tuple[tuple[str, str], ...]  # (label, value): 发布机构, 文号, 发布日期, 更新日期, 有效期, 公开方式
    summary: str
    paragraphs: tuple[str, ...]
    images: tuple[ImageView, ...]
    attachments: tuple[AttachmentView, ...]
    original_url: str | None


def date_text(day: date) -> str:
    """'2025年11月20日'."""
    raise NotImplementedError


def item_row_text(summary: ItemSummary) -> tuple[str, str]:
    """(title, '发布机构　2025-11-20') for a list row."""
    raise NotImplementedError


def item_view(item: Item) -> ItemView:
    raise NotImplementedError
