"""The signed manifest at the feed root, and the index shards it points to."""

from __future__ import annotations

import hashlib
import itertools
from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from feed.format.limits import DEFAULT_LIMITS
from feed.schema.common import Id, Kind, Model, Sha256
from feed.schema.dates import DateTime
from feed.schema.rules import rule

FORMAT: Literal["hall-feed/1"] = "hall-feed/1"

# The highest sequence: the largest integer every JSON implementation reads exactly (2^53 − 1).
MAX_SEQUENCE = 2**53 - 1
# How far one publication may raise the sequence over the one a client holds: room to move from
# Unix seconds to milliseconds, while a single careless publication cannot push a fleet to the
# ceiling (that would take more than a thousand of them). See docs/feed-protocol.md, section 10.
MAX_SEQUENCE_STEP = 2**43
MAX_LIFETIME_DAYS = 3650  # expires at most this long after issued
MAX_SHARDS = 10_000
MAX_SHARD_ENTRIES = 100_000


class ShardRef(Model):
    """One index shard: all records of `kind` whose id hashes into bucket `shard`."""

    kind: Kind
    shard: int = Field(ge=0, le=65535)
    sha256: Sha256
    size: int = Field(ge=0, le=DEFAULT_LIMITS.shard_bytes, description="bytes of the shard object")
    count: int = Field(ge=0, le=MAX_SHARD_ENTRIES, description="entries in the shard")


def _out_of_order(refs: list[ShardRef]) -> bool:
    keys = [(ref.kind, ref.shard) for ref in refs]
    return any(a >= b for a, b in itertools.pairwise(keys))


class SignedManifest(Model):
    """The part of the manifest covered by the signature."""

    format: Literal["hall-feed/1"]
    feed_id: Id
    sequence: int = Field(ge=1, le=MAX_SEQUENCE, description="rises with every publication")
    issued: DateTime
    expires: DateTime
    shards: list[ShardRef] = Field(max_length=MAX_SHARDS)

    RULES = (
        rule(
            f"expires is after issued, by at most {MAX_LIFETIME_DAYS} days",
            lambda s: not timedelta(0) < s.expires - s.issued <= timedelta(days=MAX_LIFETIME_DAYS),
            f"expires must be after issued, by at most {MAX_LIFETIME_DAYS} days",
        ),
        rule(
            "shards are listed sorted by kind, then by shard number, each (kind, shard) once",
            lambda s: _out_of_order(s.shards),
            "shards must be listed sorted by kind, then by shard number, each (kind, shard) once",
        ),
    )


class Signature(Model):
    key_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]
    sig: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]{86}==$")] = Field(
        description="standard base64 of the 64-byte Ed25519 signature"
    )


class Manifest(Model):
    signed: SignedManifest
    signatures: list[Signature] = Field(default_factory=list, max_length=8)

    RULES = (
        rule(
            "no two signatures have the same key_id",
            lambda m: len({s.key_id for s in m.signatures}) != len(m.signatures),
            "two signatures have the same key_id",
        ),
    )


class ShardEntry(Model):
    id: Id
    sha256: Sha256
    size: int = Field(ge=0, le=DEFAULT_LIMITS.record_bytes, description="bytes of the record object")


class Shard(Model):
    """An index shard object: the records in one bucket of one kind."""

    kind: Kind
    shard: int = Field(ge=0, le=65535)
    entries: list[ShardEntry] = Field(max_length=MAX_SHARD_ENTRIES)


def shard_of(record_id: str, shard_count: int) -> int:
    """Stable bucket of a record id: the first 8 hex digits of SHA-256(id), modulo the count."""
    return int(hashlib.sha256(record_id.encode("utf-8")).hexdigest()[:8], 16) % shard_count


def is_expired(signed: SignedManifest, now: datetime) -> bool:
    return now >= signed.expires
