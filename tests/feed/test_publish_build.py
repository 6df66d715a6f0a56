"""Building a signed feed from an authoring directory: determinism, incremental writes, sequence rules."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from nacl.signing import SigningKey

from feed.errors import FeedError
from feed.format.layout import MANIFEST_NAME
from feed.format.manifest import Manifest
from feed.format.signing import SECRET_PREFIX, key_id, verify_manifest
from feed.publish.build import build, next_sequence
from feed.publish.source import SourceInvalidError
from feed.publish.verify import verify_feed
from tests.feed.authoring_kit import write_tiny_source


@pytest.fixture
def src(tmp_path: Path) -> Path:
    return write_tiny_source(tmp_path / "src")


@pytest.fixture
def key_file(tmp_path: Path, signing_key: SigningKey) -> Path:
    import base64

    path = tmp_path / "feed.key"
    path.write_text(SECRET_PREFIX + base64.b64encode(bytes(signing_key)).decode() + "\n")
    return path


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def objects_of(root: Path) -> set[str]:
    return {p.name for p in (root / "objects").glob("*/*")}


def test_build_writes_a_signed_feed_that_verifies(
    src: Path, tmp_path: Path, key_file: Path, signing_key: SigningKey
) -> None:
    out = tmp_path / "out"
    result = build(src, out, key_file)
    manifest = Manifest.model_validate_json((out / MANIFEST_NAME).read_bytes())
    assert manifest == result.manifest
    assert manifest.signed.feed_id == "tiny-feed"
    assert (manifest.signed.expires - manifest.signed.issued).days == 7
    assert result.key_id == key_id(bytes(signing_key.verify_key))
    raw = __import__("json").loads((out / MANIFEST_NAME).read_bytes())
    verify_manifest(manifest, raw["signed"], signing_key.verify_key)
    # 7 records + 2 blobs + 5 shards (one per kind)
    assert len(objects_of(out)) == 14 == result.objects_written
    report = verify_feed(out, signing_key.verify_key)
    assert report.ok, report.problems
    assert report.counts == {"catalog": 1, "guide": 1, "hall": 1, "headline": 2, "item": 2}
    summary = result.summary(out)
    assert "2 item" in summary and f"signed by {result.key_id}" in summary and "\n" not in summary


def test_same_source_gives_the_same_objects(src: Path, tmp_path: Path, key_file: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    a = build(src, first, key_file)
    b = build(src, second, key_file)
    assert files_under(first / "objects") == files_under(second / "objects")
    assert a.manifest.signed.shards == b.manifest.signed.shards


def test_changing_one_item_writes_only_its_object_its_shard_its_page_and_the_indexes(
    src: Path, tmp_path: Path, key_file: Path
) -> None:
    out = tmp_path / "out"
    first = build(src, out, key_file)
    before = files_under(out)
    items = src / "items" / "notices.yaml"
    items.write_text(
        items.read_text(encoding="utf-8").replace("政府信息公开指南", "政府信息公开指南（2026年修订）")
    )
    second = build(src, out, key_file)
    after = files_under(out)
    added = set(after) - set(before)
    changed = {name for name in before if name in after and before[name] != after[name]}
    changed_item = next(r.id for r in second.source.records if "2026年修订" in getattr(r, "title", ""))
    assert changed == {MANIFEST_NAME, "m/index.json", f"m/i/{changed_item}.html"}
    assert len(added) == 2 == second.objects_written
    old_refs = {(r.kind, r.shard): r.sha256 for r in first.manifest.signed.shards}
    new_refs = {(r.kind, r.shard): r.sha256 for r in second.manifest.signed.shards}
    assert {k for k in new_refs if new_refs[k] != old_refs[k]} == {("item", 0)}
    assert f"objects/{new_refs['item', 0][:2]}/{new_refs['item', 0]}" in added
    assert second.bytes_written < 4096


def test_sequence_rises_on_every_build_and_follows_the_clock(
    src: Path, tmp_path: Path, key_file: Path
) -> None:
    out = tmp_path / "out"
    first = build(src, out, key_file).manifest.signed.sequence
    assert first >= int(time.time()) - 5
    second = build(src, out, key_file).manifest.signed.sequence
    assert second > first


def test_sequence_continues_above_a_published_one_from_another_machine(
    src: Path, tmp_path: Path, key_file: Path
) -> None:
    out = tmp_path / "out"
    ahead = int(time.time()) + 10_000  # another machine with a fast clock published this
    build(src, out, key_file, sequence=ahead)
    assert build(src, out, key_file).manifest.signed.sequence == ahead + 1
    assert next_sequence(None, 1234.9) == 1234
    assert next_sequence(5000, 1234.0) == 5001


@pytest.mark.parametrize("lower", [0, -1])
def test_a_sequence_not_above_the_published_one_is_refused(
    src: Path, tmp_path: Path, key_file: Path, lower: int
) -> None:
    out = tmp_path / "out"
    published = build(src, out, key_file, sequence=500).manifest.signed.sequence
    before = files_under(out)
    with pytest.raises(FeedError, match="not above the published 500"):
        build(src, out, key_file, sequence=published + lower)
    assert files_under(out) == before


def test_a_bad_source_publishes_nothing(src: Path, tmp_path: Path, key_file: Path) -> None:
    items = src / "items" / "notices.yaml"
    items.write_text(
        items.read_text(encoding="utf-8").replace("    status: approved", "    status: rejected")
    )
    out = tmp_path / "out"
    with pytest.raises(SourceInvalidError):
        build(src, out, key_file)
    assert not out.exists()


def test_a_directory_of_another_feed_is_refused(src: Path, tmp_path: Path, key_file: Path) -> None:
    out = tmp_path / "out"
    build(src, out, key_file)
    (src / "feed.yaml").write_text("feed_id: other-feed\n", encoding="utf-8")
    with pytest.raises(FeedError, match="holds feed 'tiny-feed', not 'other-feed'"):
        build(src, out, key_file)


def test_prune_removes_what_the_new_manifest_no_longer_uses(
    src: Path, tmp_path: Path, key_file: Path
) -> None:
    out = tmp_path / "out"
    build(src, out, key_file)
    (src / "headlines.yaml").write_text("- id: hl-only\n  text: 只剩一条\n", encoding="utf-8")
    kept = build(src, out, key_file)
    assert objects_of(out) > kept.referenced  # the old headline objects are still there
    pruned = build(src, out, key_file, prune=True)
    assert objects_of(out) == pruned.referenced
    assert pruned.pruned == 3  # two headline records and their old shard


def test_unsigned_build_and_expiry_override(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build(src, out, None, expires_days=2)
    assert result.manifest.signatures == [] and result.key_id is None
    assert (result.manifest.signed.expires - result.manifest.signed.issued).days == 2
    assert "UNSIGNED" in result.summary(out)
    assert verify_feed(out, None).ok


def test_missing_key_file_is_a_clear_error(src: Path, tmp_path: Path) -> None:
    with pytest.raises(FeedError, match="cannot read secret key"):
        build(src, tmp_path / "out", tmp_path / "absent.key")
    assert not (tmp_path / "out").exists()


DEMO = Path(__file__).resolve().parents[2] / "assets" / "demo"


def test_the_demo_content_builds_signs_and_verifies(tmp_path: Path) -> None:
    # The demo feed ships with the project: a missing file is a failure, never a reason to skip.
    assert (DEMO / "feed.yaml").is_file(), "assets/demo/feed.yaml is missing"
    from feed.dev.demo import demo_key_paths
    from feed.format.signing import load_public_key

    secret, public = demo_key_paths()
    out = tmp_path / "demo-feed"
    result = build(DEMO, out, secret)
    counts = result.source.counts()
    assert counts["item"] >= 30 and counts["guide"] >= 12 and counts["headline"] >= 10
    assert counts["catalog"] == 1 and counts["hall"] == 1
    report = verify_feed(out, load_public_key(public))
    assert report.ok, report.problems
    assert report.counts == counts
