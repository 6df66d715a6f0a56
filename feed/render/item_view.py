"""A disclosure item turned into display-ready parts: meta lines, paragraphs, images, attachments.

Strings are plain text from the feed (escape before markup). Images and attachment files are named
by blob hash: the screen asks the store for the local file (`ContentReader.blob_path`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from feed.api import ItemSummary
from feed.render.dates import date_text
from feed.schema import Item
from feed.screen.line_breaking import paragraphs


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
    media_type: str = ""  # of the stored file, when there is one


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


MODE_LABELS = {"proactive": "主动公开", "on_request": "依申请公开"}


def item_row_text(summary: ItemSummary) -> tuple[str, str]:
    """(title, '发布机构　2025-11-20') for a list row."""
    return summary.title, f"{summary.publisher}\u3000{summary.published.isoformat()}"


def validity_text(valid_from: date | None, valid_until: date | None) -> str:
    """'2026年1月1日至2026年12月31日', '自…起', '至…止', or '' when open on both ends."""
    if valid_from and valid_until:
        return f"{date_text(valid_from)}至{date_text(valid_until)}"
    if valid_from:
        return f"自{date_text(valid_from)}起"
    if valid_until:
        return f"至{date_text(valid_until)}止"
    return ""


def item_view(item: Item) -> ItemView:
    meta = [
        ("发布机构", item.publisher),
        ("文号", item.doc_number),
        ("发布日期", date_text(item.published)),
        ("更新日期", date_text(item.updated) if item.updated and item.updated != item.published else ""),
        ("有效期", validity_text(item.valid_from, item.valid_until)),
        ("公开方式", MODE_LABELS[item.mode]),
    ]
    return ItemView(
        id=item.id,
        title=item.title,
        meta=tuple((label, value) for label, value in meta if value),
        summary=item.summary,
        paragraphs=tuple(paragraphs(item.body)),
        images=tuple(ImageView(i.blob.sha256, i.blob.media_type, i.caption) for i in item.images),
        attachments=tuple(
            AttachmentView(
                a.name, a.url, a.blob.sha256 if a.blob else None, a.blob.media_type if a.blob else ""
            )
            for a in item.attachments
        ),
        original_url=item.original_url,
    )
