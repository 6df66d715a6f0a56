"""`hall-feed verify`: check a built feed directory offline, the way a client would before using it.

Signature, expiry, every shard and record object present with the right size and SHA-256, every
record valid against the schema and filed in the right shard, every blob present, and the phone
site's signed index and every page it lists (`feed.publish.site`). The checks of the
manifest, shards and records are the sync engine's own (`feed.format.validation`), so a fault reads
the same here and in a device's status. All problems are collected, so one run lists everything
that is wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nacl.signing import VerifyKey

from feed.disk.files import open_binary
from feed.errors import FeedRejectedError
from feed.format.canonical import sha256_hex
from feed.format.layout import MANIFEST_NAME, OBJECTS_DIR, object_path
from feed.format.limits import DEFAULT_LIMITS, Limits
from feed.format.manifest import Manifest, Shard, ShardEntry
from feed.format.signing import key_id, verify_manifest
from feed.format.validation import (
    check_blob,
    check_expiry,
    check_listing,
    check_manifest,
    check_object_count,
    check_record,
    check_shard,
    check_targets,
    hall_ids,
    parse_manifest,
    shard_counts,
    targets_of,
)
from feed.publish.showable import check_showable
from feed.publish.site import check_site
from feed.schema import Record, blobs_of


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
    warnings: list[str] = field(default_factory=list)  # what will look wrong on the screens

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
            "warnings": self.warnings,
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
        self.records: list[Record] = []  # valid records, for the check of what screens can show

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
            manifest, raw_signed = parse_manifest(body)
        except FeedRejectedError as exc:
            self.fail(str(exc))
            return None
        signed = manifest.signed
        self.report.feed_id, self.report.sequence = signed.feed_id, signed.sequence
        self.report.issued, self.report.expires = signed.issued, signed.expires
        if pubkey is not None and self.attempt(lambda: verify_manifest(manifest, raw_signed, pubkey)):
            self.report.signed_by = key_id(bytes(pubkey))
        self.attempt(lambda: check_expiry(manifest, now))
        if not self.attempt(lambda: check_manifest(manifest, self.limits)):
            return None  # shards cannot be checked against a wrong list of them
        return manifest

    def shards(self, manifest: Manifest) -> None:
        refs = manifest.signed.shards
        counts = shard_counts(refs)
        shards: list[Shard] = []
        for ref in refs:
            label = f"shard {ref.kind}/{ref.shard}"
            data = self.read_object(ref.sha256, ref.size, self.limits.shard_bytes, label)
            if data is None:
                continue
            try:
                shards.append(check_shard(ref, data, counts[ref.kind], self.limits))
            except FeedRejectedError as exc:
                self.fail(str(exc))
        self.attempt(lambda: check_listing(shards, self.limits))
        halls = hall_ids(shards)
        blob_sizes: dict[str, int] = {}
        valid: Counter[str] = Counter()
        for shard in shards:
            for entry in shard.entries:
                valid[shard.kind] += self.record(shard.kind, entry, halls, blob_sizes)
        entries = sum(len(shard.entries) for shard in shards)
        self.attempt(lambda: check_object_count(len(refs) + entries + len(blob_sizes), self.limits))
        self.report.shards = len(refs)
        self.report.counts = dict(sorted(valid.items()))

    def attempt(self, check: Callable[[], object]) -> bool:
        """Run one shared check; a fault becomes a problem of the report, in the sync's own words."""
        try:
            check()
        except FeedRejectedError as exc:
            self.fail(str(exc))
            return False
        return True

    def record(self, kind: str, entry: ShardEntry, halls: frozenset[str], blob_sizes: dict[str, int]) -> int:
        label = f"{kind} {entry.id!r}"
        data = self.read_object(entry.sha256, entry.size, self.limits.record_bytes, label)
        if data is None:
            return 0
        try:
            record = check_record(kind, entry, data)
            check_targets(kind, entry.id, targets_of(record), halls)
        except FeedRejectedError as exc:
            self.fail(str(exc))
            return 0
        self.records.append(record)
        for blob in blobs_of(record):
            try:
                check_blob(blob.sha256, blob.size, blob_sizes, blob_limit=self.limits.blob_bytes)
            except FeedRejectedError as exc:
                self.fail(str(exc))
                continue
            new = blob.sha256 not in self.seen
            data = self.read_object(blob.sha256, blob.size, self.limits.blob_bytes, f"blob of {label}")
            if data is not None and new:
                self.report.blobs += 1
        return 1

    def showable(self) -> None:
        def blob(sha256: str) -> bytes | None:
            path = self.root / object_path(sha256)
            return path.read_bytes() if sha256 in self.seen and path.is_file() else None

        for finding in check_showable(self.records, blob):
            (self.report.problems if finding.is_error else self.report.warnings).append(str(finding))

    def count_unreferenced(self) -> None:
        objects = self.root / OBJECTS_DIR
        if objects.is_dir():
            names = {p.name for p in objects.glob("*/*") if p.is_file() and not p.name.startswith(".")}
            self.report.unreferenced = len(names - self.seen)


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
        checker.showable()
        checker.count_unreferenced()
        site = check_site(root, manifest.signed, checker.records, pubkey)
        report.problems += site.problems
        report.warnings += site.warnings
    return report
