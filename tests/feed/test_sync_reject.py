"""Every way a feed can be refused, against a real loopback server: each leaves the last good
snapshot whole (same sequence, same records, a reader still serves it) and status names the reason."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from nacl.signing import SigningKey

from feed.format.layout import object_path
from feed.format.limits import Limits
from feed.format.manifest import Manifest
from feed.publish.writer import record_bytes
from tests.feed.feedserver import FeedServer, Rule
from tests.feed.sync_kit import Publisher, Snapshot, assert_intact, raw_records, sample_records


def publish_next(publisher: Publisher, **kwargs: Any) -> Manifest:
    records, blobs = sample_records(tag="B")
    return publisher.publish(records, blobs, sequence=kwargs.pop("sequence", 6), **kwargs).manifest


def record_object(manifest: Manifest, publisher: Publisher, kind: str = "item") -> str:
    """Path of one record object of `kind` in `manifest` (read from its first non-empty shard)."""
    for ref in manifest.signed.shards:
        if ref.kind == kind and ref.count:
            shard = json.loads((publisher.root / object_path(ref.sha256)).read_bytes())
            return object_path(shard["entries"][0]["sha256"])
    raise AssertionError(f"no {kind} records")


def refused(sync: Any, cache: Path, held: Snapshot, reason: str, **kwargs: Any) -> None:
    result = sync(**kwargs)
    assert result.outcome == "failed", result
    assert result.reason is not None and reason in result.reason, result.reason
    assert result.sequence == held.sequence
    assert_intact(cache, held, reason)


def test_bad_signature(publisher: Publisher, sync: Any, cache: Path, held: Snapshot) -> None:
    manifest = publish_next(publisher)
    data = json.loads(publisher.manifest_bytes())
    forged = bytearray(base64.b64decode(manifest.signatures[0].sig))
    forged[0] ^= 1
    data["signatures"][0]["sig"] = base64.b64encode(bytes(forged)).decode()
    publisher.write_manifest(json.dumps(data).encode())
    refused(sync, cache, held, "signature does not verify")


def test_signed_part_altered_after_signing(
    publisher: Publisher, sync: Any, cache: Path, held: Snapshot
) -> None:
    publish_next(publisher)
    data = json.loads(publisher.manifest_bytes())
    later = datetime.fromisoformat(data["signed"]["expires"]) + timedelta(days=1)
    data["signed"]["expires"] = later.isoformat()  # a longer life than the publisher signed
    publisher.write_manifest(json.dumps(data).encode())
    refused(sync, cache, held, "signature does not verify")


def test_missing_signature(publisher: Publisher, sync: Any, cache: Path, held: Snapshot) -> None:
    publish_next(publisher, key=None)
    refused(sync, cache, held, "manifest is not signed")


def test_wrong_key(publisher: Publisher, sync: Any, cache: Path, held: Snapshot) -> None:
    publish_next(publisher, key=SigningKey(b"w" * 32))
    refused(sync, cache, held, "not signed by the configured key")


def test_unsigned_feed_needs_allow_unsigned(
    publisher: Publisher, sync: Any, cache: Path, held: Snapshot
) -> None:
    publish_next(publisher, key=None)
    refused(sync, cache, held, "no public key configured", pubkey=None)
    result = sync(pubkey=None, allow_unsigned=True)
    assert (result.outcome, result.sequence) == ("updated", 6)


def test_rollback_to_lower_sequence(publisher: Publisher, sync: Any, cache: Path, held: Snapshot) -> None:
    publish_next(publisher, sequence=4)
    refused(sync, cache, held, "rollback refused: sequence 4 is lower than 5")


def test_same_sequence_with_other_content(
    publisher: Publisher, sync: Any, cache: Path, held: Snapshot
) -> None:
    publish_next(publisher, sequence=5)
    refused(sync, cache, held, "sequence 5 re-published with different content")


def test_expired_manifest(publisher: Publisher, sync: Any, cache: Path, held: Snapshot) -> None:
    past = datetime.now(UTC) - timedelta(days=1)
    publish_next(publisher, issued=past - timedelta(days=7), expires=past)
    refused(sync, cache, held, "manifest expired at")


def test_other_feed_id(publisher: Publisher, sync: Any, cache: Path, held: Snapshot) -> None:
    publish_next(publisher, feed_id="another-feed")
    refused(sync, cache, held, "feed_id changed")


def test_unsupported_format(publisher: Publisher, sync: Any, cache: Path, held: Snapshot) -> None:
    publish_next(publisher)
    data = json.loads(publisher.manifest_bytes())
    data["signed"]["format"] = "hall-feed/2"
    publisher.write_manifest(json.dumps(data).encode())
    refused(sync, cache, held, "unsupported feed format")


def test_oversized_manifest_is_not_read(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    server.add(Rule("manifest.json", body=b" " * (3 * 1024 * 1024)))
    result = sync()
    assert result.outcome == "failed" and "too large" in (result.reason or "")
    assert result.fetched_bytes < 1024 * 1024  # refused on Content-Length, before the body
    assert_intact(cache, held, "too large")


def test_endless_manifest_is_cut_off_at_the_limit(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    server.add(Rule("manifest.json", endless=64 * 1024 * 1024))
    result = sync()
    assert result.outcome == "failed" and "too large" in (result.reason or "")
    assert result.fetched_bytes <= 1024 * 1024 + 256 * 1024
    assert_intact(cache, held, "too large")


def test_oversized_object_declared_in_manifest(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    publish_next(publisher)
    refused(sync, cache, held, "too large", limits=Limits(shard_bytes=64))
    assert server.requests("objects/*") == []  # refused from the manifest alone


def test_oversized_object_served(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    manifest = publish_next(publisher)
    server.add(Rule(record_object(manifest, publisher), endless=64 * 1024 * 1024))
    result = sync()
    assert result.outcome == "failed" and "size mismatch" in (result.reason or "")
    assert result.fetched_bytes < 2 * 1024 * 1024
    assert_intact(cache, held, "size mismatch")


def test_object_hash_mismatch(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    manifest = publish_next(publisher)
    path = record_object(manifest, publisher)
    original = (publisher.root / path).read_bytes()
    server.add(Rule(path, body=original.replace("通知".encode(), "通告".encode())))
    refused(sync, cache, held, "hash mismatch")


def test_object_size_mismatch(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    manifest = publish_next(publisher)
    path = record_object(manifest, publisher)
    server.add(Rule(path, body=(publisher.root / path).read_bytes()[:-10]))
    refused(sync, cache, held, "size mismatch")


def test_truncated_body(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    manifest = publish_next(publisher)
    server.add(Rule(record_object(manifest, publisher), truncate_to=40))
    refused(sync, cache, held, "truncated body")


def test_truncated_manifest(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    publish_next(publisher)
    server.add(Rule("manifest.json", truncate_to=100))
    refused(sync, cache, held, "truncated body")


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[1, 2]", b"[" * 100_000])
def test_invalid_json_manifest(
    publisher: Publisher, sync: Any, cache: Path, held: Snapshot, body: bytes
) -> None:
    publisher.write_manifest(body)
    refused(sync, cache, held, "manifest is not")


def test_schema_invalid_manifest(publisher: Publisher, sync: Any, cache: Path, held: Snapshot) -> None:
    publisher.write_manifest(json.dumps({"signed": {"sequence": "many"}, "signatures": []}).encode())
    refused(sync, cache, held, "manifest does not match the schema")


def test_schema_invalid_record(publisher: Publisher, sync: Any, cache: Path, held: Snapshot) -> None:
    records, blobs = sample_records(tag="B")
    objects = raw_records(records)
    broken = json.loads(record_bytes(records[2]))  # an item
    del broken["review"]  # 先审核、后公开: an item without its review record is not publishable
    objects.append(("item", "item-broken", json.dumps(broken | {"id": "item-broken"}).encode()))
    publisher.publish_raw(objects, blobs, sequence=6)
    refused(sync, cache, held, "item item-broken is invalid: item.review: Field required")


def test_record_filed_under_another_id(publisher: Publisher, sync: Any, cache: Path, held: Snapshot) -> None:
    records, _ = sample_records(tag="B")
    objects = raw_records(records[:2])
    objects.append(("item", "item-x", record_bytes(records[2])))  # the object holds item-000
    publisher.publish_raw(objects, sequence=6)
    refused(sync, cache, held, "object holds item item-000")


@pytest.mark.parametrize("status", [404, 500])
def test_http_error_on_manifest(
    server: FeedServer, sync: Any, cache: Path, held: Snapshot, status: int
) -> None:
    server.add(Rule("manifest.json", status=status))
    refused(sync, cache, held, f"HTTP {status}")


def test_http_404_on_object(publisher: Publisher, sync: Any, cache: Path, held: Snapshot) -> None:
    manifest = publish_next(publisher)
    (publisher.root / record_object(manifest, publisher)).unlink()
    refused(sync, cache, held, "HTTP 404")


def test_http_503_with_retry_after(server: FeedServer, sync: Any, cache: Path, held: Snapshot) -> None:
    server.add(Rule("manifest.json", status=503, headers={"Retry-After": "120"}))
    result = sync()
    assert result.outcome == "failed" and result.retry_after == 120.0
    assert_intact(cache, held, "HTTP 503, retry after 120 s")


def test_timeout(publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot) -> None:
    server.add(Rule("manifest.json", delay=2.0))
    refused(sync, cache, held, "timed out", timeout=0.3)


def test_timeout_on_object(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    manifest = publish_next(publisher)
    server.add(Rule(record_object(manifest, publisher), delay=2.0))
    refused(sync, cache, held, "timed out", timeout=0.3)


def test_dribbling_server_is_abandoned(server: FeedServer, sync: Any, cache: Path, held: Snapshot) -> None:
    # Every read arrives well within the timeout, but the whole transfer crawls: it is cut off.
    server.add(Rule("manifest.json", dribble=0.1, no_304=True))
    started = time.monotonic()
    refused(sync, cache, held, "transfer too slow", timeout=0.5, limits=Limits(manifest_bytes=8192))
    assert time.monotonic() - started < 3


def test_redirect_to_another_host(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    publish_next(publisher)  # a valid newer feed, served by the other host: following would succeed
    elsewhere = FeedServer(publisher.root, host="127.0.0.2").start()
    try:
        server.add(Rule("manifest.json", redirect=elsewhere.url + "{path}"))
        refused(sync, cache, held, "redirect to another host refused (http://127.0.0.2:")
        assert elsewhere.requests() == []
    finally:
        elsewhere.stop()


def test_redirect_to_another_port_on_same_host(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    publish_next(publisher)
    elsewhere = FeedServer(publisher.root).start()
    try:
        server.add(Rule("objects/*", redirect=elsewhere.url + "{path}"))
        refused(sync, cache, held, "redirect to another port refused")
    finally:
        elsewhere.stop()


def test_redirect_within_the_same_host_is_followed(
    publisher: Publisher, server: FeedServer, sync: Any, held: Snapshot
) -> None:
    publish_next(publisher)
    server.add(Rule("manifest.json", redirect=server.url + "mirror/manifest.json", times=1))
    server.add(Rule("mirror/manifest.json", body=publisher.manifest_bytes()))
    result = sync()
    assert (result.outcome, result.sequence) == ("updated", 6), result
