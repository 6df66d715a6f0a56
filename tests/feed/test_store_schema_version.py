"""The store is a cache of the signed feed: one written with another schema version (an upgrade, a
downgrade) is set aside and rebuilt from the feed — offline, from the cached objects — instead of
stopping the device. The outbox is not a cache: it is migrated, and one it cannot read is refused
and left untouched."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from nacl.signing import VerifyKey

from feed.errors import FeedError
from feed.outbox import OUTBOX_NAME, Outbox
from feed.store.cachedir import STORE_NAME
from feed.store.reader import StoreReader
from feed.sync import SyncSettings, sync_once
from tests.feed.sync_kit import Snapshot, snapshot_of

OFFLINE = "http://127.0.0.1:9/"  # the discard port: nothing answers


def set_version(path: Path, version: int) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"PRAGMA user_version = {version}")
    finally:
        conn.close()


@pytest.mark.parametrize("version", [1, 99], ids=["older", "newer"])
def test_a_store_of_another_schema_version_is_rebuilt_without_the_network(
    cache: Path, held: Snapshot, pubkey: VerifyKey, version: int
) -> None:
    set_version(cache / STORE_NAME, version)
    reader = StoreReader.open(cache)  # an app starting: it opens, on an empty store
    try:
        assert reader.status().sequence is None
        [aside] = cache.glob(f"{STORE_NAME}.outdated-*[0-9]Z")
        result = sync_once(SyncSettings(OFFLINE, cache, pubkey=pubkey, timeout=1.0))
        assert result.outcome == "failed" and result.sequence == held.sequence  # offline, but rebuilt
        assert snapshot_of(cache) == held
        status = reader.status()
        assert status.sequence == held.sequence
        assert status.repair is not None and f"schema version {version}," in status.repair
        assert "store.db was outdated" in status.repair and aside.name in status.repair
    finally:
        reader.close()


def test_a_sync_alone_rebuilds_an_outdated_store(cache: Path, held: Snapshot, pubkey: VerifyKey) -> None:
    set_version(cache / STORE_NAME, 99)
    result = sync_once(SyncSettings(OFFLINE, cache, pubkey=pubkey, timeout=1.0))
    assert result.sequence == held.sequence
    assert snapshot_of(cache) == held


def test_an_outbox_of_a_newer_version_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    with Outbox.open(tmp_path, device_id="kiosk-1") as outbox:
        outbox.submit("suggestion", {"topics": [{"code": "hours", "label": "办公时间"}], "channel": "kiosk"})
    set_version(tmp_path / OUTBOX_NAME, 3)
    before = (tmp_path / OUTBOX_NAME).read_bytes()
    with pytest.raises(FeedError, match="outbox schema version 3 is newer than this program supports"):
        Outbox.open(tmp_path, device_id="kiosk-1")
    assert (tmp_path / OUTBOX_NAME).read_bytes() == before
    assert not list(tmp_path.glob(f"{OUTBOX_NAME}.*-*"))
