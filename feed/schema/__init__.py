"""Content kinds of the central feed and the one function that parses any of them."""

from __future__ import annotations

import functools
import json
from typing import Annotated

from pydantic import Field, TypeAdapter

from feed.schema.catalog import Catalog, CatalogNode
from feed.schema.common import Attachment, BlobRef, Image, Targets
from feed.schema.guide import Guide, Material, Step, TimeLimit
from feed.schema.hall import Hall, Window
from feed.schema.headline import DayPart, Headline
from feed.schema.item import Item, Review

Record = Annotated[Item | Guide | Headline | Catalog | Hall, Field(discriminator="kind")]
KINDS: tuple[str, ...] = ("item", "guide", "headline", "catalog", "hall")
MODEL_BY_KIND: dict[str, type[Item | Guide | Headline | Catalog | Hall]] = {
    "item": Item,
    "guide": Guide,
    "headline": Headline,
    "catalog": Catalog,
    "hall": Hall,
}


# Models build their validators on first use (defer_build) and the union adapter is made on first
# call: a kiosk that starts by showing the hall and a few items never pays for the guide's.
@functools.cache
def _record_adapter() -> TypeAdapter[Item | Guide | Headline | Catalog | Hall]:
    return TypeAdapter(Record)


def parse_record(data: bytes | str, kind: str | None = None) -> Item | Guide | Headline | Catalog | Hall:
    """Parse one record object (JSON, strictly typed: see `feed.schema.common.Model`) into its model;
    raises pydantic.ValidationError.

    `kind`, when the caller already knows it (the store does), picks the model directly; the
    record's own `kind` field must still agree, or validation fails as it would through the union.
    """
    model = MODEL_BY_KIND.get(kind) if kind is not None else None
    if model is not None:
        return model.model_validate_json(data, strict=True)
    return _record_adapter().validate_json(data, strict=True)


def validate_record_data(kind: str, data: object) -> Item | Guide | Headline | Catalog | Hall:
    """Validate a record of `kind` given as plain data (e.g. read from YAML) exactly as its JSON would
    be validated from the wire: strictly, dates as ISO strings. Raises pydantic.ValidationError, or
    TypeError for data that has no JSON form (e.g. bytes)."""
    return parse_record(json.dumps(data, ensure_ascii=False), kind)


def blobs_of(record: Item | Guide | Headline | Catalog | Hall) -> list[BlobRef]:
    """Every blob a record refers to, so the sync engine knows what else to fetch."""
    if isinstance(record, Item):
        refs = [image.blob for image in record.images]
        refs += [a.blob for a in record.attachments if a.blob is not None]
        return refs
    if isinstance(record, Guide):
        return [b for m in record.materials for b in (m.blank_form, m.sample) if b is not None]
    return []


__all__ = [
    "KINDS",
    "MODEL_BY_KIND",
    "Attachment",
    "BlobRef",
    "Catalog",
    "CatalogNode",
    "DayPart",
    "Guide",
    "Hall",
    "Headline",
    "Image",
    "Item",
    "Material",
    "Record",
    "Review",
    "Step",
    "Targets",
    "TimeLimit",
    "Window",
    "blobs_of",
    "parse_record",
    "validate_record_data",
]
