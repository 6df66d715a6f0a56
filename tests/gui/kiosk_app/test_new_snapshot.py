"""A new snapshot reaches every part of the kiosk at once: the header's hall name, the catalogue index
and the screens, whichever path brought it (the background poller, staff pressing 立即同步), and
never under a citizen who is reading."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from kivy.core.window import Window

from feed.dev.demo import demo_key_paths, demo_source_dir
from feed.format.signing import load_public_key
from feed.publish.build import build
from feed.store.reader import StoreReader
from feed.sync import SyncSettings, sync_once
from tests.gui.kiosk_app.kiosk_harness import Kiosk, make_kiosk
from tests.gui.kiosk_app.test_lockdown import open_admin
from tests.gui.kiosk_app.test_walkthrough import start

OLD_SHORT_NAME = "青禾政务中心"
NEW_SHORT_NAME = "青禾新区政务中心"
OLD_NODE_TITLE = "机构职能"
NEW_NODE_TITLE = "机构职能与领导信息"


def renamed_feed(tmp_path: Path, cache: Path) -> Path:
    """The demo feed one sequence on, with the hall's short name and a catalogue title changed."""
    src = tmp_path / "src"
    shutil.copytree(demo_source_dir(), src)
    hall = src / "hall.yaml"
    text = hall.read_text("utf-8")
    hall.write_text(re.sub(r"^short_name: .*$", f"short_name: {NEW_SHORT_NAME}", text, flags=re.M), "utf-8")
    catalog = src / "catalog.yaml"
    text = catalog.read_text("utf-8")
    catalog.write_text(text.replace(f"title: {OLD_NODE_TITLE}\n", f"title: {NEW_NODE_TITLE}\n"), "utf-8")
    with StoreReader.open(cache) as reader:
        held = reader.status().sequence
    assert held is not None
    out = tmp_path / "feed-next"
    build(src, out, demo_key_paths()[0], sequence=held + 1)
    return out


def syncer(feed: Path, cache: Path) -> Callable[[], None]:
    """What the background poller does, run in the caller's thread."""

    def sync() -> None:
        result = sync_once(SyncSettings(str(feed), cache, pubkey=load_public_key(demo_key_paths()[1])))
        assert result.ok, result.reason

    return sync


def press_sync(kiosk: Kiosk) -> None:
    kiosk.tap(kiosk.button_with("立即同步"))
    screen = kiosk.app.screen("admin")
    assert kiosk.settle_until(lambda: not screen.sync_message.startswith("正在"), timeout=60)


def leave_admin_and_start(kiosk: Kiosk) -> None:
    kiosk.tap(kiosk.button_with("回到待机画面"))
    assert kiosk.screen == "attract"
    kiosk.tap_at(Window.width / 2, Window.height / 2)
    assert kiosk.screen == "home"


def catalogue_titles(kiosk: Kiosk) -> list[str]:
    kiosk.tap(kiosk.button_with("政务公开"))
    assert kiosk.screen == "catalogue"
    return list(kiosk.app.screen("catalogue").ids.listing.visible_titles())


def shows_the_new_snapshot_whole(kiosk: Kiosk) -> None:
    """The header's hall name and the catalogue index both come from the new snapshot."""
    assert kiosk.app.chrome.header.hall_name == NEW_SHORT_NAME
    titles = catalogue_titles(kiosk)
    assert NEW_NODE_TITLE in titles and OLD_NODE_TITLE not in titles


def status_rows_show_sequence(kiosk: Kiosk) -> bool:
    sequence = kiosk.reader.status().sequence
    return any(text.startswith(f"{sequence}（") for text in kiosk.texts())


@pytest.fixture
def sync(cache_copy: Path, tmp_path: Path) -> Callable[[], None]:
    """Commits the renamed feed into the kiosk's cache, as the background poller would."""
    return syncer(renamed_feed(tmp_path, cache_copy), cache_copy)


@pytest.fixture
def staff_kiosk(cache_copy: Path, sync: Callable[[], None]) -> Iterator[Kiosk]:
    """A kiosk whose 立即同步 runs `sync`."""
    harness = make_kiosk(cache_copy, sync_now=sync)
    try:
        yield harness
    finally:
        harness.close()


def test_staff_sync_brings_the_new_hall_name_and_catalogue(staff_kiosk: Kiosk) -> None:
    start(staff_kiosk)
    assert staff_kiosk.app.chrome.header.hall_name == OLD_SHORT_NAME
    open_admin(staff_kiosk)
    assert staff_kiosk.screen == "admin"
    press_sync(staff_kiosk)
    assert status_rows_show_sequence(staff_kiosk)  # the status rows, re-read
    leave_admin_and_start(staff_kiosk)
    shows_the_new_snapshot_whole(staff_kiosk)


def test_a_snapshot_synced_while_staff_look_is_adopted_whole(
    staff_kiosk: Kiosk, sync: Callable[[], None]
) -> None:
    """The background poller commits while staff are on the status screen; then they press 立即同步."""
    start(staff_kiosk)
    open_admin(staff_kiosk)
    sync()
    staff_kiosk.settle(seconds=1.5)  # several ticks
    press_sync(staff_kiosk)
    leave_admin_and_start(staff_kiosk)
    shows_the_new_snapshot_whole(staff_kiosk)


def test_the_status_screen_shows_a_new_snapshot_as_it_lands(kiosk: Kiosk, sync: Callable[[], None]) -> None:
    """Staff watching the status screen see the poller's commit without touching anything."""
    start(kiosk)
    open_admin(kiosk)
    sync()
    assert kiosk.settle_until(lambda: status_rows_show_sequence(kiosk), 10)
    assert kiosk.app.chrome.header.hall_name == NEW_SHORT_NAME


def test_a_citizen_reading_sees_the_new_snapshot_at_the_next_touch(
    kiosk: Kiosk, sync: Callable[[], None]
) -> None:
    start(kiosk)
    assert OLD_NODE_TITLE in catalogue_titles(kiosk)
    sync()
    kiosk.settle(seconds=1.5)  # several ticks: the page a citizen reads stays as it is
    assert kiosk.app.chrome.header.hall_name == OLD_SHORT_NAME
    assert OLD_NODE_TITLE in kiosk.app.screen("catalogue").ids.listing.visible_titles()
    kiosk.tap(kiosk.app.chrome.footer.ids.home)
    shows_the_new_snapshot_whole(kiosk)


def test_home_pressed_on_home_takes_the_new_snapshot_whole(kiosk: Kiosk, sync: Callable[[], None]) -> None:
    start(kiosk)
    sync()
    kiosk.settle(seconds=1.0)
    kiosk.tap(kiosk.app.chrome.footer.ids.home)  # already home: the screen re-reads the store
    assert kiosk.screen == "home"
    shows_the_new_snapshot_whole(kiosk)
