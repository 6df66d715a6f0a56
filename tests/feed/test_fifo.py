"""No read without a bound: a FIFO (or a device) where a regular file belongs — in a directory feed,
in the cache — is refused at once instead of blocking the sync, and the sync lock, for ever."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import httpx
from nacl.signing import VerifyKey

from feed.dev.serve import FeedServer
from feed.format.layout import object_path
from feed.store.reader import StoreReader
from feed.sync import SyncSettings, sync_once
from tests.feed.sync_kit import Publisher, Snapshot, sample_records

ROOT = Path(__file__).resolve().parents[2]
HANG = 20  # seconds: far beyond what a refusal takes, far below a hang


def cli_sync(source: Path, cache: Path, pubkey_file: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "feed.cli", "sync", "--source", str(source), "--cache", str(cache)]
    return subprocess.run(
        [*command, "--pubkey", str(pubkey_file), "--once"],
        capture_output=True,
        text=True,
        timeout=HANG,
        cwd=ROOT,
        check=False,
    )


def replace_with_fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def test_a_fifo_for_the_manifest_of_a_directory_feed(
    publisher: Publisher, tmp_path: Path, pubkey_file: Path
) -> None:
    records, blobs = sample_records()
    publisher.publish(records, blobs, sequence=1)
    replace_with_fifo(publisher.root / "manifest.json")
    result = cli_sync(publisher.root, tmp_path / "c", pubkey_file)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"hall-feed sync: manifest.json in {publisher.root} is a FIFO, not a regular file"
    )


def test_a_fifo_or_a_device_for_an_object_of_a_directory_feed(
    publisher: Publisher, tmp_path: Path, pubkey_file: Path
) -> None:
    records, blobs = sample_records()
    built = publisher.publish(records, blobs, sequence=1)
    fifo, device = sorted(built.referenced)[:2]
    replace_with_fifo(publisher.root / object_path(fifo))
    (publisher.root / object_path(device)).unlink()
    (publisher.root / object_path(device)).symlink_to("/dev/zero")
    result = cli_sync(publisher.root, tmp_path / "c", pubkey_file)
    assert result.returncode == 1
    assert "is a FIFO, not a regular file" in result.stderr or "is a character device" in result.stderr
    os.unlink(publisher.root / object_path(fifo))  # the publisher puts the files back: the next sync works
    os.unlink(publisher.root / object_path(device))
    publisher.publish(records, blobs, sequence=2)
    again = cli_sync(publisher.root, tmp_path / "c", pubkey_file)
    assert again.returncode == 0 and again.stdout.startswith("updated sequence=2"), again.stderr


def test_a_fifo_in_the_cache_blocks_no_reader(cache: Path, held: Snapshot, pubkey: VerifyKey) -> None:
    with StoreReader.open(cache) as reader:
        item = next(i for s in reader.items_in("gov") if (i := reader.item(s.id)) and i.images)
    sha = item.images[0].blob.sha256
    replace_with_fifo(cache / object_path(sha))
    answers: list[object] = []

    def look() -> None:
        with StoreReader.open(cache) as reader:
            answers.append(reader.blob_path(sha))

    looker = threading.Thread(target=look, daemon=True)
    looker.start()
    looker.join(HANG)
    assert answers == [None]  # answered at once: not there
    assert not (cache / object_path(sha)).exists()  # and removed, to be fetched again
    for path in cache.glob("store.db*"):  # store.db lost: the rebuild reads the kept manifest ...
        path.unlink()
    replace_with_fifo(cache / "manifest.json")  # ... which is a FIFO now
    result: list[object] = []

    def sync() -> None:
        result.append(sync_once(SyncSettings(str(cache.parent / "feed"), cache, pubkey=pubkey)))

    syncer = threading.Thread(target=sync, daemon=True)
    syncer.start()
    syncer.join(HANG)
    assert result, "sync blocked on a FIFO in the cache"
    with StoreReader.open(cache) as reader:  # rebuilt from the feed instead, the image fetched again
        assert reader.status().sequence == held.sequence and reader.blob_path(sha) is not None


def test_a_fifo_in_a_served_feed_is_not_found_not_waited_on(publisher: Publisher) -> None:
    records, blobs = sample_records()
    publisher.publish(records, blobs, sequence=1)
    replace_with_fifo(publisher.root / "manifest.json")
    with FeedServer(publisher.root) as server:
        answer = httpx.get(server.url + "manifest.json", timeout=HANG)
    assert answer.status_code == 404
