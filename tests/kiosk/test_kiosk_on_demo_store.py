"""The logic layer on the feed core's real store: the demo feed built, signed and synced into SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from feed.api import ContentReader
from feed.dev.demo import prepare_demo_cache
from feed.render.guide_view import guide_view
from feed.render.item_view import item_view
from feed.store.reader import StoreReader
from kiosk.logic.catalog_view import CatalogTree
from kiosk.logic.qr import QrPolicy
from kiosk.logic.search import SearchState
from kiosk.logic.snapshot_watch import SnapshotWatcher
from kiosk.logic.status_text import status_text


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ContentReader]:
    cache: Path = prepare_demo_cache(tmp_path_factory.mktemp("demo"))
    store = StoreReader.open(cache, create=False)
    try:
        yield store
    finally:
        store.close()


def test_typed_pinyin_finds_guides_through_the_core_search(reader: ContentReader) -> None:
    state = SearchState(reader.search, limit=10, version_fn=reader.snapshot_version)
    for key in "bdc":  # 不动产 by its initials
        state.type_key(key)
    assert state.error is None, state.error
    titles = [hit.title for hit in state.results]
    assert titles and all("不动产" in title for title in titles[:3]), titles
    assert state.requests_made == 3
    state.backspace()
    state.type_key("c")
    assert state.requests_made == 3  # answered from the cache
    state.set_query("公积金")  # a hot-keyword chip
    assert any("公积金" in hit.title for hit in state.results)


def test_every_demo_guide_and_item_from_the_store_renders(reader: ContentReader) -> None:
    policy = QrPolicy(["*.qinghe.example"])
    guides = reader.guides(limit=200)
    assert len(guides) >= 10
    for summary in guides:
        guide = reader.guide(summary.id)
        assert guide is not None
        view = guide_view(guide)
        assert view.title == summary.title and view.sections
        if view.guide_url:
            assert policy.allows(view.guide_url), view.guide_url
    for row in reader.featured_items(limit=20):
        item = reader.item(row.id)
        assert item is not None and item_view(item).title == row.title


def test_catalogue_tree_from_the_store(reader: ContentReader) -> None:
    tree = CatalogTree(reader.catalog())
    roots = tree.roots("government")
    assert roots
    leaf = roots[0]
    while not tree.is_leaf(leaf.id):
        leaf = tree.children(leaf.id)[0]
    assert tree.path(leaf.id)[0] == roots[0]


def test_status_and_snapshot_version_from_the_store(reader: ContentReader) -> None:
    status = status_text(reader.status(), datetime.now(UTC))
    assert status.level == "ok" and status.as_of.startswith("内容更新于")
    watcher = SnapshotWatcher(reader.snapshot_version)
    assert not watcher.poll() and not watcher.apply()
