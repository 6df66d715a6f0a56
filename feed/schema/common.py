"""Field types shared by every content kind: ids, URLs, blob references, targeting, dates."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from feed.links import check_url

SHA256_PATTERN = r"^[0-9a-f]{64}$"

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,127}$")]
Sha256 = Annotated[str, StringConstraints(pattern=SHA256_PATTERN)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
Line = Annotated[str, StringConstraints(max_length=500, strip_whitespace=True)]
Paragraphs = Annotated[str, StringConstraints(max_length=100_000)]
Phone = Annotated[str, StringConstraints(pattern=r"^[0-9+()\- ]{3,40}$")]
Color = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]

# One rule for links, shared with the kiosk's QR codes: see feed/links.py.
Url = Annotated[str, StringConstraints(max_length=2048), AfterValidator(check_url)]


class Model(BaseModel):
    """Base for feed content: unknown fields are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False, defer_build=True)


class BlobRef(Model):
    """A binary object (image, PDF form) stored beside the records, named by its SHA-256."""

    sha256: Sha256
    size: int = Field(ge=0, le=64 * 1024 * 1024)
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
    """Who should show a record. Empty lists mean everyone."""

    halls: list[Id] = Field(default_factory=list, max_length=200)
    groups: list[Id] = Field(default_factory=list, max_length=200)


class Validity(Model):
    """Inclusive date window during which a record is current. Open ends are unbounded."""

    valid_from: date | None = None
    valid_until: date | None = None
