"""The client's own checks of a manifest: against its configured key and the snapshot it holds.

What any client accepts from a feed (schema, shards, records, limits) is in `feed.format.validation`,
shared with `hall-feed verify`. Decisions beyond the wire format (see docs/feed-protocol.md, section 10):
- A client follows one feed: a manifest with another `feed_id` than the snapshot held is refused, so a
  key shared between a test and a production feed cannot swap one for the other. Clear the cache to
  follow a different feed.
- The same sequence is accepted again ("unchanged") when its `signed` part is the same (compared in
  canonical form, so the file's formatting and its list of signatures may change); the same
  sequence with other signed content means the publisher broke monotonicity and is refused.
- A lower sequence is a rollback, refused; but only while the configured key signed the snapshot
  held. A key rotation therefore lets a fleet leave a sequence pushed out of reach.
- A sequence more than MAX_SEQUENCE_STEP above the one held is refused: no single publication can
  push a device towards the ceiling. A held sequence above the ceiling (accepted by an older
  version of this client) binds nothing: the feed may start again from a normal sequence.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import Enum
from typing import Any, Protocol

from nacl.signing import VerifyKey

from feed.errors import FeedRejectedError
from feed.format.canonical import canonical_bytes
from feed.format.manifest import MAX_SEQUENCE, MAX_SEQUENCE_STEP, Manifest
from feed.format.signing import verify_manifest
from feed.format.validation import check_expiry


class HeldSnapshot(Protocol):
    """What the engine needs to know of the snapshot in the store (the store's SnapshotInfo)."""

    @property
    def feed_id(self) -> str: ...
    @property
    def sequence(self) -> int: ...
    @property
    def manifest_sha256(self) -> str: ...


class Freshness(Enum):
    NEW = "new"
    SAME = "same"
    RESTART = "restart"  # lower than held, accepted: the held sequence binds no more


def check_trust(
    manifest: Manifest, raw_signed: Any, pubkey: VerifyKey | None, *, allow_unsigned: bool
) -> None:
    """Signatures are checked whenever a key is configured; `allow_unsigned` only admits none at all."""
    if not manifest.signatures and allow_unsigned:
        return
    if pubkey is None:
        if allow_unsigned:
            return  # explicitly trusting the source; nothing to verify against
        raise FeedRejectedError("no public key configured (unsigned feeds need allow_unsigned)")
    verify_manifest(manifest, raw_signed, pubkey)


def _held_parts(held_manifest: bytes | None) -> tuple[bytes | None, frozenset[str]]:
    """(canonical `signed`, key ids of its signatures) of the manifest the store holds, as it was
    accepted; (None, no keys) when the store has none to show."""
    if held_manifest is None:
        return None, frozenset()
    try:
        data = json.loads(held_manifest)
        keys = frozenset(str(s["key_id"]) for s in data.get("signatures", []))
        return canonical_bytes(data["signed"]), keys
    except (ValueError, TypeError, KeyError):
        return None, frozenset()


def check_freshness(
    manifest: Manifest,
    manifest_sha256: str,
    raw_signed: Any,
    held: HeldSnapshot | None,
    now: datetime,
    *,
    held_manifest: bytes | None = None,
    key_id: str | None = None,
) -> Freshness:
    """Is `manifest` news, the same as held, or refused? `held_manifest` is the manifest file the
    store holds; `key_id` the id of the configured key (None when the feed is trusted unsigned)."""
    signed = manifest.signed
    if held is not None:
        if signed.feed_id != held.feed_id:
            raise FeedRejectedError(
                f"feed_id changed from {held.feed_id!r} to {signed.feed_id!r}"
                " (clear the cache to switch feeds)"
            )
        if signed.sequence == held.sequence:
            if manifest_sha256 == held.manifest_sha256:
                return Freshness.SAME
            held_signed, _ = _held_parts(held_manifest)
            if held_signed is not None and held_signed == canonical_bytes(raw_signed):
                return Freshness.SAME
            raise FeedRejectedError(f"sequence {signed.sequence} re-published with different content")
        if signed.sequence < held.sequence:
            _, held_keys = _held_parts(held_manifest)
            rotated = key_id is not None and bool(held_keys) and key_id not in held_keys
            if held.sequence <= MAX_SEQUENCE and not rotated:
                raise FeedRejectedError(
                    f"rollback refused: sequence {signed.sequence} is lower than {held.sequence} held"
                )
            # Either the configured key did not sign the snapshot held (the publisher rotated its
            # key, and the old key's sequences do not bind the new one), or an older client took a
            # sequence above the ceiling, after which nothing could be published.
            check_expiry(manifest, now)
            return Freshness.RESTART
        if signed.sequence - held.sequence > MAX_SEQUENCE_STEP:
            raise FeedRejectedError(
                f"sequence {signed.sequence} is more than 2^43 above the {held.sequence} held:"
                " one publication may not raise it that far"
            )
    check_expiry(manifest, now)
    return Freshness.NEW
