"""Fixtures for the sync tests: a signing key, a feed publisher, a real loopback server, a store
that already holds a good snapshot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from nacl.signing import SigningKey, VerifyKey

from feed.format.signing import PUBLIC_PREFIX
from feed.sync import SyncResult, SyncSettings, sync_once
from tests.feed.feedserver import FeedServer
from tests.feed.publish_cli import hall_feed
from tests.feed.sync_kit import HeldFeed, Publisher, Snapshot, sample_records, snapshot_of


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return SigningKey(b"k" * 32)


@pytest.fixture(scope="session")
def pubkey(signing_key: SigningKey) -> VerifyKey:
    return signing_key.verify_key


@pytest.fixture
def pubkey_file(tmp_path: Path, pubkey: VerifyKey) -> Path:
    import base64

    path = tmp_path / "feed.pub"
    path.write_text(PUBLIC_PREFIX + base64.b64encode(bytes(pubkey)).decode() + "\n")
    return path


@pytest.fixture
def publisher(tmp_path: Path, signing_key: SigningKey) -> Publisher:
    root = tmp_path / "feed"
    root.mkdir()
    return Publisher(root, signing_key)


@pytest.fixture
def server(publisher: Publisher) -> Iterator[FeedServer]:
    srv = FeedServer(publisher.root).start()
    yield srv
    srv.stop()


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def sync(server: FeedServer, cache: Path, pubkey: VerifyKey) -> Any:
    def run(**kwargs: Any) -> SyncResult:
        kwargs.setdefault("pubkey", pubkey)
        kwargs.setdefault("timeout", 3.0)
        call = {key: kwargs.pop(key) for key in ("now", "stop", "progress") if key in kwargs}
        settings = SyncSettings(kwargs.pop("source", server.url), kwargs.pop("cache", cache), **kwargs)
        return sync_once(settings, **call)

    return run


@pytest.fixture
def held(publisher: Publisher, server: FeedServer, sync: Any, cache: Path) -> Snapshot:
    """A store holding snapshot A (sequence 5) synced from the server; the server log is cleared."""
    records, blobs = sample_records()
    publisher.publish(records, blobs, sequence=5)
    result = sync()
    assert result.outcome == "updated", result
    server.clear()
    return snapshot_of(cache)


@pytest.fixture
def held_feed(publisher: Publisher, sync: Any, cache: Path, held: Snapshot, pubkey: VerifyKey) -> HeldFeed:
    return HeldFeed(publisher, sync, cache, held, pubkey)


@pytest.fixture
def keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """A key pair made by `hall-feed keygen`: (secret key file, public key file)."""
    code, _, _ = hall_feed(capsys, "keygen", "--out", str(tmp_path / "k"))
    assert code == 0
    return tmp_path / "k.key", tmp_path / "k.pub"
