"""The kiosk on a cache in trouble, in a real window: a read-only filesystem, a truncated store.db, a
damaged image. It starts, shows what it can, and the admin screen says what is wrong."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from kivy.core.window import Window

from feed.dev.demo import demo_key_paths
from feed.format.signing import load_public_key
from feed.store.reader import StoreReader
from feed.sync import SyncSettings, sync_once
from kiosk.logic.navigation import Route
from tests.gui.kiosk_app.kiosk_harness import Kiosk, make_kiosk
from tests.storage_kit import copy_cache, remount_read_only, small_tmpfs


def item_with_image(cache: Path) -> tuple[str, str, str]:
    """(item id, its title, its first image's hash) from the demo feed."""
    with StoreReader.open(cache) as reader:
        for summary in reader.featured_items(50) + reader.items_in("party") + reader.items_in("government"):
            item = reader.item(summary.id)
            if item is not None and item.images:
                return item.id, item.title, item.images[0].blob.sha256
    raise AssertionError("the demo feed has no item with an image")


def admin_texts(kiosk: Kiosk) -> list[str]:
    kiosk.app.navigate(Route("admin"))
    kiosk.settle(frames=6)
    return kiosk.texts()


def shoot(kiosk: Kiosk, name: str) -> None:
    """A screenshot to look at (var/screens-under-test/), as staff would see the screen."""
    folder = Path(os.environ.get("HALL_KIOSK_SHOTS", "var/screens-under-test"))
    folder.mkdir(parents=True, exist_ok=True)
    Window.screenshot(str(folder / f"{name}.png"))


@pytest.fixture
def read_only(demo_cache: Path, tmp_path: Path) -> Iterator[Path]:
    with small_tmpfs(tmp_path / "ro", "64m") as mount:
        copy_cache(demo_cache, mount / "cache")
        remount_read_only(mount)
        yield mount / "cache"


def test_a_read_only_cache_shows_the_last_content_and_says_why(read_only: Path) -> None:
    item_id, title, _ = item_with_image(read_only)
    kiosk = make_kiosk(read_only)
    try:
        kiosk.app.start_session()
        kiosk.app.navigate(Route("item", {"id": item_id}))
        kiosk.settle(seconds=0.3, frames=8)
        texts = kiosk.texts()
        assert title in texts
        assert not any(text.startswith("［图片暂不可用］") for text in texts)  # read, not repaired
        texts = admin_texts(kiosk)
        shoot(kiosk, "admin-read-only-cache")
        assert any(t.startswith("异常：the cache filesystem is read-only") for t in texts), texts
        assert any(t.startswith("无法保存反馈：") and "read-only" in t for t in texts), texts
    finally:
        kiosk.close()


def test_a_truncated_store_starts_empty_and_comes_back_from_the_cache(
    cache_copy: Path, demo_cache: Path
) -> None:
    store = cache_copy / "store.db"
    os.truncate(store, store.stat().st_size // 2)
    kiosk = make_kiosk(cache_copy)  # before: "unreadable or corrupt", and no kiosk at all
    try:
        assert kiosk.screen == "attract" and kiosk.reader.status().sequence is None
        result = sync_once(
            SyncSettings(
                "http://127.0.0.1:9/", cache_copy, pubkey=load_public_key(demo_key_paths()[1]), timeout=1.0
            )
        )
        assert result.sequence is not None
        hall = kiosk.reader.hall_heading()
        assert hall is not None
        assert kiosk.settle_until(lambda: kiosk.app.attract_layer.ids.hall_label.text == hall.name, 10)
        texts = admin_texts(kiosk)
        shoot(kiosk, "admin-store-rebuilt")
        assert "存储修复" in texts
        assert any("rebuilt from the cached objects" in t for t in texts), texts
    finally:
        kiosk.close()


def test_a_damaged_image_shows_again_after_the_next_poll(cache_copy: Path, demo_cache: Path) -> None:
    item_id, _, sha = item_with_image(cache_copy)
    image = cache_copy / "objects" / sha[:2] / sha
    data = bytearray(image.read_bytes())
    data[200:204] = b"\xde\xad\xbe\xef"
    image.write_bytes(bytes(data))
    kiosk = make_kiosk(cache_copy)
    try:
        kiosk.app.start_session()
        kiosk.app.navigate(Route("item", {"id": item_id}))
        kiosk.settle(seconds=0.3, frames=8)
        assert any(text.startswith("［图片暂不可用］") for text in kiosk.texts())
        result = sync_once(
            SyncSettings(
                str(demo_cache.parent / "feed"), cache_copy, pubkey=load_public_key(demo_key_paths()[1])
            )
        )
        assert result.outcome == "unchanged" and result.fetched_objects == 1, result
        kiosk.app.home()
        kiosk.app.navigate(Route("item", {"id": item_id}))
        kiosk.settle(seconds=0.3, frames=8)
        assert not any(text.startswith("［图片暂不可用］") for text in kiosk.texts())
        texts = admin_texts(kiosk)
        assert "已重新获取 1 个损坏或缺失的文件" in texts, texts
    finally:
        kiosk.close()
