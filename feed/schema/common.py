"""Field types shared by every content kind: ids, URLs, blob references, targeting; the model base."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from feed.format.limits import DEFAULT_LIMITS
from feed.format.patterns import HEX_COLOUR_PATTERN, ID_PATTERN, SHA256_PATTERN
from feed.schema.rules import Rule, add_rules_to_schema
from feed.schema.text import SINGLE_LINE, Line, ShortText
from feed.screen.links import check_url

# The content kinds, as a record's `kind` and a shard's name them; each has its model (feed.schema).
Kind = Literal["item", "guide", "headline", "catalog", "hall"]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Sha256 = Annotated[str, StringConstraints(pattern=SHA256_PATTERN)]
Phone = Annotated[str, StringConstraints(pattern=r"^[0-9+()\- ]{3,40}$")]
Color = Annotated[str, StringConstraints(pattern=HEX_COLOUR_PATTERN)]

# One rule for links, shared with the kiosk's QR codes: see feed/screen/links.py. A line break or other
# control character is refused first, with its position.
Url = Annotated[
    str, StringConstraints(max_length=2048), BeforeValidator(SINGLE_LINE), AfterValidator(check_url)
]


class Model(BaseModel):
    """Base for feed content: unknown fields are errors, instances are immutable, and the `RULES` of
    a class (see `feed.schema.rules`) are checked after its fields.

    JSON from the feed (and from authoring sources) is always validated with `strict=True` (see
    `parse_record`): a number is never read from a string (`"300"` is not a sequence), nor a
    boolean from 0 or 1, nor an integer from 8.0; an integer is accepted where a float is expected.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=False,
        defer_build=True,
        json_schema_extra=add_rules_to_schema,
    )
    RULES: ClassVar[tuple[Rule, ...]] = ()

    @model_validator(mode="after")
    def _rules_hold(self) -> Self:
        for rule in self.RULES:
            message = rule.violation(self)
            if message is not None:
                raise ValueError(message)
        return self


class BlobRef(Model):
    """A binary object (image, PDF form) stored beside the records, named by its SHA-256."""

    sha256: Sha256
    size: int = Field(ge=0, le=DEFAULT_LIMITS.blob_bytes, description="bytes")
    media_type: Annotated[str, StringConstraints(pattern=r"^[a-z]+/[a-z0-9.+-]+$")]


class Image(Model):
    blob: BlobRef
    caption: Line = ""


class Attachment(Model):
    """A downloadable file: shown by name, offered as a QR code to `url` and/or kept as a blob."""

    name: ShortText
    blob: BlobRef | None = None
    url: Url | None = None


class Targets(Model):
    """Which devices show a record: both lists must admit the device; an empty list admits every one."""

    halls: list[Id] = Field(
        default=[],
        max_length=200,
        description="ids of `hall` records of the same feed; a device shows the record only when its"
        " configured hall ([device] hall) is listed",
    )
    groups: list[Id] = Field(
        default=[],
        max_length=200,
        description="device groups, as configured on devices ([device] groups); the feed does not"
        " declare them. A device shows the record only when one of its groups is listed",
    )
