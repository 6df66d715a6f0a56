"""Content kinds of the central feed and the one function that parses any of them."""

from __future__ import annotations

import functools
import json
from typing import Annotated, get_args

from pydantic import Field, TypeAdapter

from feed.schema.catalog import Catalog, CatalogNode
from feed.schema.common import Attachment, BlobRef, Image, Kind, Targets
from feed.schema.guide import Guide, Material, Step, TimeLimit
from feed.schema.hall import Hall, Window
from feed.schema.headline import DayPart, Headline
from feed.schema.item import Item, Review

AnyRecord = Item | Guide | Headline | Catalog | Hall  # one model per `Kind`
Record = Annotated[AnyRecord, Field(discriminator="kind")]
KINDS: tuple[Kind, ...] = get_args(Kind)
MODEL_BY_KIND: dict[str, type[AnyRecord]] = {
    get_args(model.model_fields["kind"].annotation)[0]: model for model in get_args(AnyRecord)
}
# Where a record refers to blobs (images, forms): (list field, blob field) per kind, in the order
# they are listed; a blob field may be empty. A source may give a media path in these fields.
BLOB_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "item": (("images", "blob"), ("attachments", "blob")),
    "guide": (("materials", "blank_form"), ("materials", "sample")),
}


# Models build their validators on first use (defer_build) and the union adapter is made on first
# call: a kiosk that starts by showing the hall and a few items never pays for the guide's.
@functools.cache
def _record_adapter() -> TypeAdapter[AnyRecord]:
    return TypeAdapter(Record)


def parse_record(data: bytes | str, kind: str | None = None) -> AnyRecord:
    """Parse one record object (JSON, strictly typed: see `feed.schema.common.Model`) into its model;
    raises pydantic.ValidationError.

    `kind`, when the caller already knows it (the store does), picks the model directly; the
    record's own `kind` field must still agree, or validation fails as it would through the union.
    """
    model = MODEL_BY_KIND.get(kind) if kind is not None else None
    if model is not None:
        return model.model_validate_json(data, strict=True)
    return _record_adapter().validate_json(data, strict=True)


def validate_record_data(kind: str, data: object) -> AnyRecord:
    """Validate a record of `kind` given as plain data (e.g. read from YAML) exactly as its JSON would
    be validated from the wire: strictly, dates as ISO strings. Raises pydantic.ValidationError, or
    TypeError for data that has no JSON form (e.g. bytes)."""
    return parse_record(json.dumps(data, ensure_ascii=False), kind)


def blobs_of(record: AnyRecord) -> list[BlobRef]:
    """Every blob a record refers to (see BLOB_FIELDS), so the sync engine knows what else to fetch."""
    fields = BLOB_FIELDS.get(record.kind, ())
    refs: list[BlobRef] = []
    for list_field in dict.fromkeys(name for name, _ in fields):
        blob_fields = [blob for name, blob in fields if name == list_field]
        for element in getattr(record, list_field):
            refs += [ref for blob in blob_fields if (ref := getattr(element, blob)) is not None]
    return refs


__all__ = [
    "BLOB_FIELDS",
    "KINDS",
    "MODEL_BY_KIND",
    "AnyRecord",
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
    "Kind",
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
