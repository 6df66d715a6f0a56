"""Damaged or missing cached objects are fetched again at the next poll — a 304 or not — whether a
reader found them bad, a file was deleted, or only the scrub notices; status keeps the count."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from feed.format.canonical import sha256_hex
from feed.format.layout import object_path
from feed.format.validation import parse_manifest
from feed.store import Store
from feed.store.reader import StoreReader
from tests.feed.feedserver import FeedServer, Rule
from tests.feed.sync_kit import Snapshot, sample_records


def an_image(cache: Path) -> str:
    """The hash of a blob the snapshot shows (an item's image)."""
    with StoreReader.open(cache) as reader:
        for summary in reader.items_in("gov"):
            item = reader.item(summary.id)
            if item is not None and item.images:
                return item.images[0].blob.sha256
    raise AssertionError("no image in the snapshot")


def image_file(cache: Path, sha: str) -> Path:
    return cache / object_path(sha)


def change_four_bytes(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[100:104] = b"\xde\xad\xbe\xef"
    path.write_bytes(bytes(data))


def status_of(cache: Path) -> Any:
    with StoreReader.open(cache) as reader:
        return reader.status()


def test_an_image_a_reader_found_damaged_is_fetched_again_on_a_304(
    server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    sha = an_image(cache)
    change_four_bytes(image_file(cache, sha))
    with StoreReader.open(cache) as reader:
        assert reader.blob_path(sha) is None  # the kiosk shows 图片暂不可用 ...
    result = sync()
    assert (result.outcome, result.fetched_objects) == ("unchanged", 1), result
    assert server.requests()[0].status == 304 and server.requests()[1].path == object_path(sha)
    with StoreReader.open(cache) as reader:
        assert reader.blob_path(sha) is not None  # ... until the next poll, not for ever
        assert (reader.status().objects_repaired, reader.status().objects_missing) == (1, 0)


def test_damage_no_reader_saw_is_found_by_the_scrub(
    server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    sha = an_image(cache)
    change_four_bytes(image_file(cache, sha))
    result = sync()
    assert (result.outcome, result.fetched_objects) == ("unchanged", 1), result
    assert sha256_hex(image_file(cache, sha).read_bytes()) == sha
    assert status_of(cache).objects_repaired == 1


def test_a_deleted_image_comes_back_at_the_next_poll(
    server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    sha = an_image(cache)
    image_file(cache, sha).unlink()
    assert sync().fetched_objects == 1
    assert sha256_hex(image_file(cache, sha).read_bytes()) == sha


def test_a_lost_record_row_comes_back_at_the_next_poll(
    server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    sha = held.hashes[("item", sorted(held.titles)[0])]
    with Store.open(cache) as store:
        store.objects.discard(sha)
    assert sync().fetched_objects == 1
    with Store.open(cache) as store:
        assert sha256_hex(store.objects.read(sha)) == sha


def test_what_cannot_be_fetched_again_is_counted_until_it_can(
    server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    sha = an_image(cache)
    image_file(cache, sha).unlink()
    server.add(Rule(object_path(sha), status=404, times=2))
    assert sync().outcome == "unchanged"  # the snapshot in force is still the newest
    assert (status_of(cache).objects_missing, status_of(cache).objects_repaired) == (1, 0)
    assert sync().outcome == "unchanged"
    assert status_of(cache).objects_missing == 1
    assert sync().fetched_objects == 1
    assert (status_of(cache).objects_missing, status_of(cache).objects_repaired) == (0, 1)


def test_the_scrub_is_bounded_and_goes_round(
    server: FeedServer, sync: Any, cache: Path, held: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from feed.sync import object_check

    monkeypatch.setattr(object_check, "SCRUB_OBJECTS", 4)
    with Store.open(cache) as store:
        records, blobs = store.snapshot_objects()
        raw = store.manifest_bytes()
    assert raw is not None
    shards = {ref.sha256 for ref in parse_manifest(raw)[0].signed.shards}
    in_turn = sorted(records | set(blobs) | shards)  # the scrub's order: by name, 4 per poll
    sha = an_image(cache)
    change_four_bytes(image_file(cache, sha))
    assert in_turn.index(sha) >= 8  # a few polls away
    fetched = [sync().fetched_objects for _ in range(in_turn.index(sha) // 4 + 1)]
    assert fetched == [0] * (len(fetched) - 1) + [1]  # found in its turn, not before
    assert sha256_hex(image_file(cache, sha).read_bytes()) == sha


def test_a_new_publication_repairs_too(
    publisher: Any, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    sha = an_image(cache)
    image_file(cache, sha).unlink()
    records, blobs = sample_records()
    records[-1] = records[-1].model_copy(update={"text": "新的标题"})
    publisher.publish(records, blobs, sequence=6)
    result = sync()
    assert (result.outcome, result.sequence) == ("updated", 6)
    assert sha256_hex(image_file(cache, sha).read_bytes()) == sha
