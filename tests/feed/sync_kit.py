"""What the sync tests build with: sample records, a feed publisher, snapshots of a store and the
check that a snapshot still reads back whole. (A module of its own, not conftest: test modules in
several folders import helpers, and `conftest` names a different file in each.)"""

from __future__ import annotations

import base64
import io
import json
import random
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey
from PIL import Image as PILImage

from feed.format.canonical import canonical_bytes, sha256_hex
from feed.format.layout import MANIFEST_NAME, object_path
from feed.format.manifest import FORMAT, shard_of
from feed.format.signing import key_id
from feed.publish.writer import BuiltFeed, record_bytes, shard_count_for, write_feed
from feed.schema import (
    BlobRef,
    Catalog,
    CatalogNode,
    Guide,
    Hall,
    Headline,
    Image,
    Item,
    Material,
    Record,
    Review,
    TimeLimit,
    parse_record,
)
from feed.schema.guide import Place
from feed.screen.links import PHONE_SITE_DIR
from feed.store import Store

FEED_ID = "test-feed"
_KEEP = object()


def blob(seed: int, size: int = 3000) -> tuple[bytes, BlobRef]:
    """A real PNG of noise drawn from `seed` (builders and verify decode images), about `size` bytes."""
    side = max(4, int(size**0.5))
    noise = random.Random(seed).randbytes(side * side)
    out = io.BytesIO()
    PILImage.frombytes("L", (side, side), noise).save(out, "PNG")
    data = out.getvalue()
    return data, BlobRef(sha256=sha256_hex(data), size=len(data), media_type="image/png")


def sample_records(n_items: int = 24, *, tag: str = "") -> tuple[list[Record], dict[str, bytes]]:
    """A small but complete feed: catalogue, hall, items (some with images), guides (with a form), headlines.

    `tag` changes every title, so two tags give two snapshots with no record in common."""
    blobs: dict[str, bytes] = {}
    refs = []
    for seed in range(3):
        data, ref = blob(seed + (100 if tag else 0))
        blobs[ref.sha256] = data
        refs.append(ref)
    review = Review(
        status="approved", reviewed_by="办公室", reviewed_on=date(2025, 1, 2), confidentiality_checked=True
    )
    records: list[Record] = [
        Catalog(
            kind="catalog",
            id="catalog",
            nodes=[
                CatalogNode(id="gov", title=f"政务公开{tag}", domain="government"),
                CatalogNode(id="gov.notice", title="通知", parent="gov", domain="government"),
            ],
        ),
        Hall(
            kind="hall",
            id="hall",
            name=f"青禾市政务服务中心{tag}",
            address="人民路1号",
            hours=["周一至周五 9:00-17:00"],
        ),
    ]
    for i in range(n_items):
        records.append(
            Item(
                kind="item",
                id=f"item-{i:03d}",
                node="gov.notice",
                title=f"关于不动产登记的通知{tag}第{i}号",
                body="为方便群众办事，现将有关事项通知如下。" * 5,
                publisher="青禾市自然资源局",
                published=date(2025, 3, 1),
                images=[Image(blob=refs[i % 3])] if i % 4 == 0 else [],
                review=review,
            )
        )
    for i in range(6):
        records.append(
            Guide(
                kind="guide",
                id=f"guide-{i}",
                title=f"企业开办{tag}{i}",
                matter_type="行政许可",
                department="市场监督管理局",
                audiences=["legal"],
                handling_type="promised",
                time_limit=TimeLimit(statutory_days=20, promised_days=3),
                place=Place(address="人民路1号", hours="9:00-17:00"),
                materials=[Material(name="申请书", blank_form=refs[2] if i == 0 else None)],
                updated=date(2025, 5, 1),
            )
        )
    records += [Headline(kind="headline", id=f"headline-{i}", text=f"欢迎光临{tag}{i}") for i in range(4)]
    return records, blobs


class Publisher:
    """Publishes snapshots into one feed directory, as the bureau's builder would."""

    def __init__(self, root: Path, key: SigningKey) -> None:
        self.root = root
        self.key = key
        self.sequence = 0

    def publish(
        self,
        records: Sequence[Record],
        blobs: dict[str, bytes],
        *,
        sequence: int | None = None,
        key: Any = _KEEP,
        expires: datetime | None = None,
        issued: datetime | None = None,
        feed_id: str = FEED_ID,
    ) -> BuiltFeed:
        self.sequence = sequence if sequence is not None else self.sequence + 1
        now = datetime.now(UTC)
        issued = issued or now - timedelta(minutes=1)
        return write_feed(
            self.root,
            feed_id=feed_id,
            records=records,
            blobs=blobs,
            sequence=self.sequence,
            issued=issued,
            expires=expires or now + timedelta(days=7),
            key=self.key if key is _KEEP else key,
        )

    def publish_raw(
        self,
        objects: Sequence[tuple[str, str, bytes]],
        blobs: dict[str, bytes] | None = None,
        *,
        sequence: Any = None,
        signed: dict[str, Any] | None = None,
        key: SigningKey | None = None,
    ) -> dict[str, Any]:
        """Publish record objects given as raw bytes (kind, id, bytes), valid or not, correctly hashed
        and signed: what a buggy CMS with the real key could put out. `signed` replaces members of
        the signed part (any JSON value, valid or not), `key` signs instead of the publisher's key.
        Returns the signed part as published."""
        self.sequence = sequence if sequence is not None else self.sequence + 1
        # Such a CMS writes no phone site: the pages of an earlier build would be stale (verify says so)
        shutil.rmtree(self.root / PHONE_SITE_DIR, ignore_errors=True)
        for data in (blobs or {}).values():
            self.write_object(data)
        by_kind: dict[str, list[tuple[str, bytes]]] = {}
        for kind, record_id, data in objects:
            by_kind.setdefault(kind, []).append((record_id, data))
        refs: list[dict[str, Any]] = []
        for kind, entries in sorted(by_kind.items()):
            count = shard_count_for(len(entries))
            buckets: dict[int, list[dict[str, Any]]] = {}
            for record_id, data in entries:
                self.write_object(data)
                entry = {"id": record_id, "sha256": sha256_hex(data), "size": len(data)}
                buckets.setdefault(shard_of(record_id, count), []).append(entry)
            for bucket in range(count):
                listed = sorted(buckets.get(bucket, []), key=lambda e: str(e["id"]))
                data = canonical_bytes({"kind": kind, "shard": bucket, "entries": listed})
                self.write_object(data)
                refs.append(
                    {
                        "kind": kind,
                        "shard": bucket,
                        "sha256": sha256_hex(data),
                        "size": len(data),
                        "count": len(listed),
                    }
                )
        now = datetime.now(UTC).replace(microsecond=0)
        signed_part: dict[str, Any] = {
            "format": FORMAT,
            "feed_id": FEED_ID,
            "sequence": self.sequence,
            "issued": now.isoformat(),
            "expires": (now + timedelta(days=7)).isoformat(),
            "shards": refs,
        }
        signed_part.update(signed or {})
        self.write_manifest(signed_manifest_bytes(signed_part, key or self.key))
        return signed_part

    def write_object(self, data: bytes) -> str:
        digest = sha256_hex(data)
        target = self.root / object_path(digest)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return digest

    def write_manifest(self, data: bytes) -> None:
        (self.root / MANIFEST_NAME).write_bytes(data)

    def manifest_bytes(self) -> bytes:
        return (self.root / MANIFEST_NAME).read_bytes()


def signed_manifest_bytes(signed: dict[str, Any], key: SigningKey) -> bytes:
    """A manifest whose signature covers `signed` exactly as given, whatever it holds."""
    sig = base64.b64encode(key.sign(canonical_bytes(signed)).signature).decode()
    return canonical_bytes(
        {"signed": signed, "signatures": [{"key_id": key_id(bytes(key.verify_key)), "sig": sig}]}
    )


def raw_records(records: Sequence[Record]) -> list[tuple[str, str, bytes]]:
    return [(r.kind, r.id, record_bytes(r)) for r in records]


@dataclass(frozen=True)
class Snapshot:
    """What a store holds, to compare before and after a rejected sync."""

    sequence: int
    hashes: dict[tuple[str, str], str]
    titles: dict[str, str]


def snapshot_of(cache: Path, *, check_objects: bool = True) -> Snapshot:
    """The snapshot's sequence, record hashes and item titles as the apps read them (store rows);
    with `check_objects`, every record's object in the cache must also parse as that record."""
    from feed.store.reader import StoreReader

    store = Store.open(cache)
    try:
        current = store.current()
        assert current is not None, "the store holds no snapshot"
        hashes = store.record_hashes()
        if check_objects:
            for (kind, record_id), digest in hashes.items():
                record = parse_record(store.objects.read(digest))
                assert (record.kind, record.id) == (kind, record_id)
    finally:
        store.close()
    with StoreReader.open(cache) as reader:
        titles = {
            item_id: item.title
            for (kind, item_id) in hashes
            if kind == "item" and (item := reader.item(item_id))
        }
    return Snapshot(current.sequence, hashes, titles)


def assert_intact(cache: Path, before: Snapshot, reason: str | None = None) -> None:
    """The last good snapshot reads back whole, and status names the reason of the failed attempt."""
    from feed.store.reader import StoreReader

    after = snapshot_of(cache)
    assert after == before
    reader = StoreReader.open(cache)
    try:
        some_item = sorted(before.titles)[0]
        item = reader.item(some_item)
        assert item is not None and item.title == before.titles[some_item]
        status = reader.status()
        assert status.sequence == before.sequence
        if reason is not None:
            assert status.last_error is not None and reason in status.last_error, status.last_error
    finally:
        reader.close()


@dataclass
class HeldFeed:
    """A publisher and a store holding its snapshot A (sequence 5): what the tests of refusals need."""

    publisher: Publisher
    sync: Any  # conftest's `sync` fixture: sync_once against the loopback server
    cache: Path
    held: Snapshot
    pubkey: Any

    def publish_with_record(self, kind: str, change: Callable[[dict[str, Any]], object]) -> None:
        """Publish snapshot B (sequence 6) with the first record of `kind` altered in place by `change`."""
        self.publish_with_record_bytes(kind, lambda data: _altered(data, change))

    def publish_with_record_bytes(self, kind: str, rewrite: Callable[[bytes], bytes]) -> None:
        """Publish snapshot B (sequence 6) with the bytes of the first record of `kind` rewritten."""
        records, blobs = sample_records(tag="B")
        objects = raw_records(records)
        index = next(i for i, (k, _, _) in enumerate(objects) if k == kind)
        record_kind, record_id, data = objects[index]
        objects[index] = (record_kind, record_id, rewrite(data))
        self.publisher.publish_raw(objects, blobs, sequence=6)

    def refuses_record_member(self, kind: str, member: str, value: Any, reason: str) -> None:
        """Snapshot B with `member` of the first record of `kind` set to `value` is refused for `reason`."""
        self.publish_with_record(kind, lambda record: record.update({member: value}))
        self.refused(reason)

    def refused(self, reason: str, **sync_args: Any) -> str:
        """Sync keeps snapshot A and says `reason`; `hall-feed verify` says the very same words."""
        from feed.publish.verify import verify_feed

        result = self.sync(**sync_args)
        assert result.outcome == "failed" and result.reason is not None, result
        assert reason in result.reason, result.reason
        assert_intact(self.cache, self.held, reason)
        problems = verify_feed(self.publisher.root, self.pubkey).problems
        assert result.reason in problems, (result.reason, problems)
        return str(result.reason)


def _altered(data: bytes, change: Callable[[dict[str, Any]], object]) -> bytes:
    decoded = json.loads(data)
    change(decoded)
    return json.dumps(decoded, ensure_ascii=False).encode()
