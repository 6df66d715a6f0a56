"""`hall-feed verify`: check a built feed directory offline, the way a client would before using it.

Signature, expiry, every shard and record object present with the right size and SHA-256, every
record valid against the schema and filed in the right shard, every blob present. All problems are
collected, so one run lists everything that is wrong.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nacl.signing import VerifyKey
from pydantic import ValidationError

from feed.errors import FeedRejectedError
from feed.files import open_binary
from feed.format.canonical import sha256_hex
from feed.format.layout import MANIFEST_NAME, OBJECTS_DIR, object_path
from feed.format.limits import DEFAULT_LIMITS, Limits
from feed.format.manifest import Manifest, Shard, ShardRef, is_expired, shard_of
from feed.format.signing import key_id, verify_manifest
from feed.schema import blobs_of, parse_record


@dataclass
class VerifyReport:
    root: Path
    feed_id: str | None = None
    sequence: int | None = None
    issued: datetime | None = None
    expires: datetime | None = None
    signed_by: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    shards: int = 0
    blobs: int = 0
    objects: int = 0
    bytes: int = 0
    unreferenced: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "root": str(self.root),
            "feed_id": self.feed_id,
            "sequence": self.sequence,
            "issued": self.issued.isoformat() if self.issued else None,
            "expires": self.expires.isoformat() if self.expires else None,
            "signed_by": self.signed_by,
            "counts": self.counts,
            "shards": self.shards,
            "blobs": self.blobs,
            "objects": self.objects,
            "bytes": self.bytes,
            "unreferenced": self.unreferenced,
            "problems": self.problems,
        }

    def summary(self) -> str:
        counts = ", ".join(f"{n} {kind}" for kind, n in self.counts.items()) or "no records"
        signature = f"signature by {self.signed_by} valid" if self.signed_by else "unsigned"
        expires = self.expires.date().isoformat() if self.expires else "?"
        return (
            f"{self.root}: feed {self.feed_id} sequence {self.sequence} OK: {counts}, {self.blobs} blobs, "
            f"{self.shards} shards, {self.objects} objects, {self.bytes} bytes; {signature}; "
            f"expires {expires}"
        )


class _Checker:
    def __init__(self, root: Path, limits: Limits, report: VerifyReport) -> None:
        self.root = root
        self.limits = limits
        self.report = report
        self.seen: set[str] = set()

    def fail(self, message: str) -> None:
        self.report.problems.append(message)

    def read_object(self, sha256: str, size: int, max_bytes: int, label: str) -> bytes | None:
        """The object's bytes if present, within bounds and matching size and hash; else None."""
        path = self.root / object_path(sha256)
        name = f"{label} (object {sha256[:12]})"
        if size > max_bytes:
            self.fail(f"{name}: declared size {size} is over the {max_bytes} byte limit")
            return None
        try:
            with open_binary(path) as handle:
                data = handle.read(max_bytes + 1)
        except FileNotFoundError:
            self.fail(f"{name}: missing ({path.relative_to(self.root)})")
            return None
        except OSError as exc:
            self.fail(f"{name}: unreadable: {exc.strerror}")
            return None
        if len(data) != size:
            self.fail(f"{name}: size is {len(data)} bytes, the index says {size}")
            return None
        if sha256_hex(data) != sha256:
            self.fail(f"{name}: content does not match its SHA-256")
            return None
        if sha256 not in self.seen:
            self.seen.add(sha256)
            self.report.objects += 1
            self.report.bytes += size
        return data

    def manifest(self, pubkey: VerifyKey | None, now: datetime) -> Manifest | None:
        path = self.root / MANIFEST_NAME
        try:
            with open_binary(path) as handle:
                body = handle.read(self.limits.manifest_bytes + 1)
        except OSError as exc:
            self.fail(f"{MANIFEST_NAME}: cannot read: {exc.strerror}")
            return None
        if len(body) > self.limits.manifest_bytes:
            self.fail(f"{MANIFEST_NAME}: larger than the {self.limits.manifest_bytes} byte limit")
            return None
        self.report.bytes += len(body)
        try:
            raw = json.loads(body)
            manifest = Manifest.model_validate(raw)
        except ValueError as exc:  # JSONDecodeError and ValidationError are both ValueErrors
            self.fail(f"{MANIFEST_NAME}: not a valid manifest: {_first_line(exc)}")
            return None
        signed = manifest.signed
        self.report.feed_id, self.report.sequence = signed.feed_id, signed.sequence
        self.report.issued, self.report.expires = signed.issued, signed.expires
        if pubkey is not None:
            try:
                verify_manifest(manifest, raw["signed"], pubkey)
                self.report.signed_by = key_id(bytes(pubkey))
            except FeedRejectedError as exc:
                self.fail(f"{MANIFEST_NAME}: {exc}")
        if is_expired(signed, now):
            self.fail(f"{MANIFEST_NAME}: expired at {signed.expires.isoformat()}; clients will refuse it")
        return manifest

    def shards(self, manifest: Manifest) -> None:
        by_kind: dict[str, list[ShardRef]] = defaultdict(list)
        for ref in manifest.signed.shards:
            by_kind[ref.kind].append(ref)
        counts: Counter[str] = Counter()
        for kind, refs in sorted(by_kind.items()):
            numbers = sorted(ref.shard for ref in refs)
            if numbers != list(range(len(refs))):
                self.fail(f"{kind} shards must be numbered 0..{len(refs) - 1}, found {numbers}")
                continue
            ids: set[str] = set()
            for ref in sorted(refs, key=lambda r: r.shard):
                counts[kind] += self.shard(ref, len(refs), ids)
        self.report.shards = len(manifest.signed.shards)
        self.report.counts = dict(sorted(counts.items()))

    def shard(self, ref: ShardRef, shard_count: int, ids: set[str]) -> int:
        label = f"shard {ref.kind}/{ref.shard}"
        data = self.read_object(ref.sha256, ref.size, self.limits.shard_bytes, label)
        if data is None:
            return 0
        try:
            shard = Shard.model_validate_json(data)
        except ValidationError as exc:
            self.fail(f"{label}: not a valid shard: {_first_line(exc)}")
            return 0
        if (shard.kind, shard.shard) != (ref.kind, ref.shard):
            self.fail(f"{label}: the object says it is shard {shard.kind}/{shard.shard}")
        if len(shard.entries) != ref.count:
            self.fail(f"{label}: holds {len(shard.entries)} entries, the manifest says {ref.count}")
        valid = 0
        for entry in shard.entries:
            if entry.id in ids:
                self.fail(f"{label}: {ref.kind} id {entry.id!r} listed twice")
            ids.add(entry.id)
            if shard_of(entry.id, shard_count) != ref.shard:
                self.fail(
                    f"{label}: {ref.kind} {entry.id!r} belongs in shard {shard_of(entry.id, shard_count)}"
                )
            valid += self.record(ref.kind, entry.id, entry.sha256, entry.size)
        return valid

    def record(self, kind: str, record_id: str, sha256: str, size: int) -> int:
        label = f"{kind} {record_id!r}"
        data = self.read_object(sha256, size, self.limits.record_bytes, label)
        if data is None:
            return 0
        try:
            record = parse_record(data)
        except ValidationError as exc:
            self.fail(f"{label}: not a valid record: {_first_line(exc)}")
            return 0
        if (record.kind, record.id) != (kind, record_id):
            self.fail(f"{label}: the object holds {record.kind} {record.id!r}")
            return 0
        for blob in blobs_of(record):
            new = blob.sha256 not in self.seen
            data = self.read_object(blob.sha256, blob.size, self.limits.blob_bytes, f"blob of {label}")
            if data is not None and new:
                self.report.blobs += 1
        return 1

    def count_unreferenced(self) -> None:
        objects = self.root / OBJECTS_DIR
        if objects.is_dir():
            names = {p.name for p in objects.glob("*/*") if p.is_file() and not p.name.startswith(".")}
            self.report.unreferenced = len(names - self.seen)
        if len(self.seen) > self.limits.objects_per_feed:
            self.fail(f"{len(self.seen)} objects, over the {self.limits.objects_per_feed} object limit")


def _first_line(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        return f"{where}: {error['msg']}{more}" if where else f"{error['msg']}{more}"
    return str(exc).splitlines()[0]


def verify_feed(
    root: Path,
    pubkey: VerifyKey | None,
    *,
    now: datetime | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> VerifyReport:
    """Check the feed in `root`. `pubkey=None` skips the signature check (for unsigned feeds)."""
    report = VerifyReport(root=root)
    checker = _Checker(root, limits, report)
    manifest = checker.manifest(pubkey, now or datetime.now(UTC))
    if manifest is not None:
        checker.shards(manifest)
        checker.count_unreferenced()
    return report
