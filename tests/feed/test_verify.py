"""`verify_feed` finds what a client would reject: bad bytes, missing objects, tampering, wrong keys."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from nacl.signing import SigningKey, VerifyKey

from feed.format.canonical import sha256_hex
from feed.format.layout import MANIFEST_NAME, object_path
from feed.publish.build import build
from feed.publish.verify import verify_feed
from feed.publish.writer import BuiltFeed
from tests.feed.authoring_kit import PNG_BYTES, write_tiny_source


@pytest.fixture
def feed(tmp_path: Path, signing_key: SigningKey) -> tuple[Path, BuiltFeed]:
    import base64

    from feed.format.signing import SECRET_PREFIX

    key = tmp_path / "feed.key"
    key.write_text(SECRET_PREFIX + base64.b64encode(bytes(signing_key)).decode())
    out = tmp_path / "out"
    return out, build(write_tiny_source(tmp_path / "src"), out, key)


def item_object(out: Path, built: BuiltFeed, record_id: str = "item-b") -> Path:
    item_shard = next(r for r in built.manifest.signed.shards if r.kind == "item")
    shard = json.loads((out / object_path(item_shard.sha256)).read_bytes())
    entry = next(e for e in shard["entries"] if e["id"] == record_id)
    return out / object_path(entry["sha256"])


def test_a_good_feed_verifies_with_counts(feed: tuple[Path, BuiltFeed], pubkey: VerifyKey) -> None:
    out, built = feed
    report = verify_feed(out, pubkey)
    assert report.ok, report.problems
    assert report.sequence == built.manifest.signed.sequence
    assert report.counts == {"catalog": 1, "guide": 1, "hall": 1, "headline": 2, "item": 2}
    assert (report.shards, report.blobs, report.objects, report.unreferenced) == (5, 2, 14, 0)
    assert report.signed_by is not None
    as_json = report.as_json()
    assert as_json["ok"] is True and as_json["counts"]["item"] == 2
    assert json.loads(json.dumps(as_json)) == as_json


def test_a_flipped_byte_in_an_object_is_found(feed: tuple[Path, BuiltFeed], pubkey: VerifyKey) -> None:
    out, built = feed
    path = item_object(out, built)
    data = bytearray(path.read_bytes())
    data[10] ^= 0x01
    path.write_bytes(bytes(data))
    report = verify_feed(out, pubkey)
    assert report.problems == [f"item 'item-b' (object {path.name[:12]}): content does not match its SHA-256"]


def test_a_flipped_byte_in_a_blob_is_found(feed: tuple[Path, BuiltFeed], pubkey: VerifyKey) -> None:
    out, _ = feed
    blob = out / object_path(sha256_hex(PNG_BYTES))
    blob.write_bytes(PNG_BYTES[:-1] + b"X")
    (problem,) = verify_feed(out, pubkey).problems
    assert problem.startswith("blob of item 'item-a'") and problem.endswith(
        "content does not match its SHA-256"
    )


def test_a_missing_object_is_found(feed: tuple[Path, BuiltFeed], pubkey: VerifyKey) -> None:
    out, built = feed
    path = item_object(out, built, "item-a")
    path.unlink()
    report = verify_feed(out, pubkey)
    assert report.problems == [
        f"item 'item-a' (object {path.name[:12]}): missing (objects/{path.name[:2]}/{path.name})"
    ]
    assert report.counts["item"] == 1


def test_a_truncated_object_is_found(feed: tuple[Path, BuiltFeed], pubkey: VerifyKey) -> None:
    out, built = feed
    path = item_object(out, built)
    size = path.stat().st_size
    path.write_bytes(path.read_bytes()[:-5])
    (problem,) = verify_feed(out, pubkey).problems
    assert problem.endswith(f"size is {size - 5} bytes, the index says {size}")


def test_a_tampered_manifest_fails_the_signature(feed: tuple[Path, BuiltFeed], pubkey: VerifyKey) -> None:
    out, _ = feed
    manifest = json.loads((out / MANIFEST_NAME).read_bytes())
    later = datetime.fromisoformat(manifest["signed"]["expires"]) + timedelta(days=1)
    manifest["signed"]["expires"] = later.isoformat()  # a longer life than the publisher signed
    (out / MANIFEST_NAME).write_text(json.dumps(manifest))
    assert verify_feed(out, pubkey).problems == ["manifest signature does not verify"]


def test_a_shard_swapped_in_the_manifest_fails_the_signature(
    feed: tuple[Path, BuiltFeed], pubkey: VerifyKey
) -> None:
    out, _ = feed
    manifest = json.loads((out / MANIFEST_NAME).read_bytes())
    manifest["signed"]["shards"][0]["count"] += 1
    (out / MANIFEST_NAME).write_text(json.dumps(manifest))
    problems = verify_feed(out, pubkey).problems
    assert problems[0] == "manifest signature does not verify"


def test_a_wrong_key_is_refused(feed: tuple[Path, BuiltFeed]) -> None:
    other = SigningKey(b"o" * 32).verify_key
    assert verify_feed(feed[0], other).problems == [
        "manifest is not signed by the configured key",
        "m/index.json is not signed by the configured key",
    ]


def test_an_unsigned_feed_is_refused_when_a_key_is_expected(tmp_path: Path, pubkey: VerifyKey) -> None:
    out = tmp_path / "out"
    build(write_tiny_source(tmp_path / "src"), out, None)
    assert verify_feed(out, pubkey).problems == ["manifest is not signed", "m/index.json is not signed"]
    assert verify_feed(out, None).ok


def test_an_expired_manifest_is_reported(feed: tuple[Path, BuiltFeed], pubkey: VerifyKey) -> None:
    out, built = feed
    later = built.manifest.signed.expires + timedelta(seconds=1)
    (problem,) = verify_feed(out, pubkey, now=later).problems
    assert problem.startswith("manifest expired at ")
    assert verify_feed(out, pubkey, now=datetime.now(UTC)).ok


def test_garbage_manifest_and_missing_manifest(tmp_path: Path, pubkey: VerifyKey) -> None:
    assert verify_feed(tmp_path, pubkey).problems[0].startswith("manifest.json: cannot read")
    (tmp_path / MANIFEST_NAME).write_text("{not json")
    assert verify_feed(tmp_path, pubkey).problems[0].startswith("manifest is not valid JSON: ")


def test_a_record_that_breaks_the_schema_is_found(tmp_path: Path, signing_key: SigningKey) -> None:
    """A CMS with the real key publishes a well-hashed object that is not a valid record."""
    from feed.format.canonical import canonical_bytes
    from feed.format.manifest import FORMAT, Shard, ShardEntry, ShardRef, SignedManifest
    from feed.format.signing import sign_manifest

    bad = canonical_bytes({"kind": "headline", "id": "hl-x", "text": "", "priority": 42})
    shard = canonical_bytes(
        Shard(
            kind="headline", shard=0, entries=[ShardEntry(id="hl-x", sha256=sha256_hex(bad), size=len(bad))]
        ).model_dump(mode="json")
    )
    for data in (bad, shard):
        path = tmp_path / object_path(sha256_hex(data))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    now = datetime.now(UTC)
    ref = ShardRef(kind="headline", shard=0, sha256=sha256_hex(shard), size=len(shard), count=1)
    signed = SignedManifest(
        format=FORMAT, feed_id="x", sequence=1, issued=now, expires=now + timedelta(days=1), shards=[ref]
    )
    manifest = sign_manifest(signed, signing_key)
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(manifest.model_dump(mode="json")))
    (problem,) = verify_feed(tmp_path, signing_key.verify_key).problems
    assert problem.startswith("headline hl-x is invalid: headline.text: String should have at least")
