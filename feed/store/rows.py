"""How a record is laid out in the store: its JSON plus the columns the read API filters and sorts on."""

from __future__ import annotations

from typing import Any

from feed.schema import AnyRecord, Guide, Hall, Headline, Item
from feed.schema.common import Targets

COLUMNS = (
    "kind",
    "id",
    "sha256",
    "title",
    "node",
    "publisher",
    "published",
    "department",
    "hot",
    "hot_rank",
    "featured",
    "visits",
    "online_full",
    "valid_from",
    "valid_until",
    "t_halls",
    "t_groups",
)


def target_list(values: list[str]) -> str:
    """',a,b,' for instr() membership tests; '' when the list is empty (everyone)."""
    return "," + ",".join(values) + "," if values else ""


def _targets(targets: Targets) -> dict[str, str]:
    return {"t_halls": target_list(targets.halls), "t_groups": target_list(targets.groups)}


def record_row(sha256: str, record: AnyRecord) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(kind=record.kind, id=record.id, sha256=sha256, hot=0, featured=0)
    row.update(t_halls="", t_groups="", title="")
    if isinstance(record, Item):
        row.update(
            title=record.title,
            node=record.node,
            publisher=record.publisher,
            published=record.published.isoformat(),
            featured=int(record.featured),
            valid_from=record.valid_from.isoformat() if record.valid_from else None,
            valid_until=record.valid_until.isoformat() if record.valid_until else None,
            **_targets(record.targets),
        )
    elif isinstance(record, Guide):
        row.update(
            title=record.title,
            department=record.department,
            published=record.updated.isoformat(),
            hot=int(record.hot),
            hot_rank=record.hot_rank,
            visits=record.online.visits,
            online_full=int(record.online.depth == "full"),
            **_targets(record.targets),
        )
    elif isinstance(record, Headline):
        row.update(
            title=record.text,
            valid_from=record.valid_from.isoformat() if record.valid_from else None,
            valid_until=record.valid_until.isoformat() if record.valid_until else None,
            **_targets(record.targets),
        )
    elif isinstance(record, Hall):
        row.update(title=record.name)
    return row


def record_facets(record: AnyRecord) -> list[tuple[str, str]]:
    if isinstance(record, Guide):
        return [("audience", a) for a in dict.fromkeys(record.audiences)] + [
            ("topic", t) for t in dict.fromkeys(record.topics)
        ]
    return []
