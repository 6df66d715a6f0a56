"""Content kinds of the central feed and the one function that parses any of them."""

from __future__ import annotations

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
MODEL_BY_KIND = {"item": Item, "guide": Guide, "headline": Headline, "catalog": Catalog, "hall": Hall}

_record_adapter: TypeAdapter[Item | Guide | Headline | Catalog | Hall] = TypeAdapter(Record)


def parse_record(data: bytes | str) -> Item | Guide | Headline | Catalog | Hall:
    """Parse one record object (JSON) into its model; raises pydantic.ValidationError."""
    return _record_adapter.validate_json(data)


def validate_record(data: object) -> Item | Guide | Headline | Catalog | Hall:
    """Validate an already-decoded record (e.g. from YAML)."""
    return _record_adapter.validate_python(data)


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
    "validate_record",
]
