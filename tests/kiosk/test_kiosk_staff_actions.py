"""The status screen's slow buttons run in a worker thread and hand their outcome back to the UI
thread: here a queue stands for Kivy's clock."""

from __future__ import annotations

import queue
from collections.abc import Callable
from pathlib import Path

from feed.config import FeedConfig
from kiosk.logic.staff_actions import NOT_CONFIGURED, SYNC_STARTED, StaffActions

Task = Callable[[], None]


class UiThread:
    """What the app's Clock does for `post`: run the posted functions later, on its own thread."""

    def __init__(self) -> None:
        self.posted: queue.Queue[Task] = queue.Queue()
        self.done = 0

    def post(self, task: Task) -> None:
        self.posted.put(task)

    def run_next(self) -> None:
        self.posted.get(timeout=30)()

    def on_done(self) -> None:
        self.done += 1


def actions(tmp_path: Path, ui: UiThread, sync_now: Task | None) -> StaffActions:
    feed = FeedConfig(source=str(tmp_path / "feed"), cache_dir=tmp_path / "cache")
    usb = [f"{tmp_path}/media/*/hall-feed"]
    return StaffActions(feed, usb, sync_now=sync_now, post=ui.post, on_done=ui.on_done)


def test_sync_now_wakes_the_sync_and_reports_on_the_ui_thread(tmp_path: Path) -> None:
    ui, woken = UiThread(), []
    staff = actions(tmp_path, ui, lambda: woken.append(True))
    staff.sync_now()
    assert staff.message == "正在同步…"
    ui.run_next()
    assert woken == [True] and staff.message == SYNC_STARTED and ui.done == 1


def test_a_failing_sync_says_why(tmp_path: Path) -> None:
    ui = UiThread()

    def broken() -> None:
        raise OSError("no route to host")

    staff = actions(tmp_path, ui, broken)
    staff.sync_now()
    ui.run_next()
    assert staff.message == "同步失败：no route to host" and ui.done == 1


def test_a_kiosk_without_sync_says_so_at_once(tmp_path: Path) -> None:
    ui = UiThread()
    staff = actions(tmp_path, ui, None)
    staff.sync_now()
    assert staff.message == NOT_CONFIGURED and ui.posted.empty() and ui.done == 0


def test_usb_update_without_a_stick_says_what_to_insert(tmp_path: Path) -> None:
    ui = UiThread()
    staff = actions(tmp_path, ui, None)
    staff.update_from_usb()
    assert staff.message == "正在读取U盘…"
    ui.run_next()
    assert staff.message == "未找到U盘上的内容：请插入含 hall-feed 目录的U盘后重试" and ui.done == 1
