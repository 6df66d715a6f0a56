"""The signed manifest at the feed root, and the index shards it points to."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, StringConstraints, model_validator

from feed.schema.common import Id, Model, Sha256

FORMAT: Literal["hall-feed/1"] = "hall-feed/1"
Kind = Literal["item", "guide", "headline", "catalog", "hall"]


class ObjectRef(Model):
    sha256: Sha256
    size: int = Field(ge=0)


class ShardRef(ObjectRef):
    """One index shard: all records of `kind` whose id hashes into bucket `shard`."""

    kind: Kind
    shard: int = Field(ge=0, le=65535)
    count: int = Field(ge=0)


class SignedManifest(Model):
    """The part of the manifest covered by the signature."""

    format: Literal["hall-feed/1"] = FORMAT
    feed_id: Id
    sequence: int = Field(ge=1, le=2**53)
    issued: AwareDatetime
    expires: AwareDatetime
    shards: list[ShardRef] = Field(max_length=10_000)

    @model_validator(mode="after")
    def _consistent(self) -> SignedManifest:
        if self.expires <= self.issued:
            raise ValueError("expires must be after issued")
        seen: set[tuple[str, int]] = set()
        for ref in self.shards:
            key = (ref.kind, ref.shard)
            if key in seen:
                raise ValueError(f"shard {ref.kind}/{ref.shard} listed twice")
            seen.add(key)
        return self


class Signature(Model):
    key_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]
    sig: Annotated[str, StringConstraints(min_length=10, max_length=200)]  # base64 of 64 bytes


class Manifest(Model):
    signed: SignedManifest
    signatures: list[Signature] = Field(default_factory=list, max_length=8)


class ShardEntry(Model):
    id: Id
    sha256: Sha256
    size: int = Field(ge=0)


class Shard(Model):
    """An index shard object: the records in one bucket of one kind."""

    kind: Kind
    shard: int = Field(ge=0, le=65535)
    entries: list[ShardEntry] = Field(max_length=100_000)


def shard_of(record_id: str, shard_count: int) -> int:
    """Stable bucket of a record id: the first 8 hex digits of SHA-256(id), modulo the count."""
    import hashlib

    return int(hashlib.sha256(record_id.encode("utf-8")).hexdigest()[:8], 16) % shard_count


def is_expired(signed: SignedManifest, now: datetime) -> bool:
    return now >= signed.expires
