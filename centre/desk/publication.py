"""Replies marked for publication, as disclosure items in the authoring format (`docs/authoring.md`).

The export is a draft for the feed's editors, not a publication: each item carries a review record
with `status: pending` and `confidentiality_checked: false`, which `hall-feed build` refuses until an
editor has reviewed the item (先审核、后公开) and set both — the same gate as any other item.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from io import StringIO
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from centre.db.work import Item
from centre.rules.work import Queue

TITLE_LENGTH = 100
HEADER = (
    "# Replies the centre's desk marked for publication, as disclosure items (docs/authoring.md).\n"
    "# Review each one (先审核、后公开): set review.status to approved, reviewed_by, reviewed_on\n"
    "# and confidentiality_checked: true after 保密审查, and check node; `hall-feed build` refuses\n"
    "# it until then.\n"
)


def item_id(reference: str) -> str:
    """`QH-20261130-0002` → `reply-qh-20261130-0002` (an authoring id: lower case, digits, `-`)."""
    return "reply-" + reference.lower()


def disclosure_items(
    replies: Iterable[tuple[Queue, Item, list[str]]],
    *,
    publisher: str,
    default_node: str,
    zone: tzinfo,
    now: datetime,
) -> str:
    """A YAML list of item records, one per (queue, record, topic labels) with a reply to publish."""
    records: list[dict[str, Any]] = []
    for queue, item, topics in replies:
        if not (item.publish and item.reply):
            continue
        answered = (item.updated_at or now).astimezone(zone).date()
        # A kiosk record names its catalogue node; a phone form's link carries it as its subject.
        node = (item.payload.get("node") or {}).get("id") or item.payload.get("subject") or default_node
        subject = "、".join(topics) or item.reference
        record: dict[str, Any] = {
            "id": item_id(item.reference),
            "node": node,
            "title": f"{queue.title}答复：{subject}"[:TITLE_LENGTH],
            "body": LiteralScalarString(item.reply),
            "publisher": publisher,
            "published": answered,
        }
        if topics:
            record["keywords"] = topics
        record["review"] = {
            "status": "pending",
            "reviewed_by": "待审核",
            "reviewed_on": answered,
            "confidentiality_checked": False,
        }
        records.append(record)
    yaml = YAML()
    yaml.allow_unicode = True
    yaml.width = 4096
    yaml.representer.ignore_aliases = lambda *_: True  # the same date twice is written twice, not as &id001
    out = StringIO()
    out.write(HEADER)
    if records:
        yaml.dump(records, out)
    else:
        out.write("[]\n")
    return out.getvalue()
