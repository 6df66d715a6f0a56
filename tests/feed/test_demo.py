"""`prepare_demo_cache`: the demo feed built with the demo key, synced by the real engine, rebuilt only
when the demo source changed."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from feed.dev.demo import prepare_demo_cache, source_tree_hash
from feed.format.layout import MANIFEST_NAME
from feed.store.reader import StoreReader

ASSETS = Path(__file__).resolve().parents[2] / "assets"


@pytest.fixture
def assets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the demo assets, so a test can edit the demo source."""
    copy = tmp_path / "assets"
    shutil.copytree(ASSETS / "demo", copy / "demo")
    shutil.copytree(ASSETS / "demo-key", copy / "demo-key")
    monkeypatch.setenv("HALL_KIOSK_ASSETS", str(copy))
    return copy


def test_demo_cache_is_built_synced_and_reused(assets: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    cache = prepare_demo_cache(work)
    assert cache == work / "cache"
    with StoreReader.open(cache, create=False) as reader:
        status = reader.status()
        hall = reader.hall()
        assert hall is not None and hall.id == "qinghe-hall"
        assert status.counts["item"] >= 30 and status.counts["guide"] >= 12
    manifest = (work / "feed" / MANIFEST_NAME).read_bytes()

    assert prepare_demo_cache(work) == cache  # unchanged source: no rebuild, nothing new to sync
    assert (work / "feed" / MANIFEST_NAME).read_bytes() == manifest

    headlines = assets / "demo" / "headlines.yaml"
    headlines.write_text(
        headlines.read_text(encoding="utf-8") + "- id: hl-test-added\n  text: 测试新增的一条\n"
    )
    prepare_demo_cache(work)
    assert (work / "feed" / MANIFEST_NAME).read_bytes() != manifest
    with StoreReader.open(cache, create=False) as reader:
        assert reader.status().sequence > status.sequence
        assert reader.status().counts["headline"] == status.counts["headline"] + 1


def test_a_cache_from_another_store_version_is_rebuilt(assets: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    cache = prepare_demo_cache(work)
    with sqlite3.connect(cache / "store.db") as db:
        db.execute("PRAGMA user_version = 999")  # as if a newer program had written it
    assert prepare_demo_cache(work) == cache
    with StoreReader.open(cache, create=False) as reader:
        assert reader.status().counts["guide"] >= 12


def test_source_hash_follows_content_and_names(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("x: 1\n")
    first = source_tree_hash(tmp_path)
    (tmp_path / "a.yaml").write_text("x: 2\n")
    second = source_tree_hash(tmp_path)
    (tmp_path / "a.yaml").rename(tmp_path / "b.yaml")
    third = source_tree_hash(tmp_path)
    assert len({first, second, third}) == 3
    (tmp_path / ".b.yaml.swp").write_text("editor junk")  # hidden files are not content
    assert source_tree_hash(tmp_path) == third
