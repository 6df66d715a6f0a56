"""The status screen's slow buttons: 立即同步 (wake the feed's poller) and 从U盘更新 (sync from a feed
on a mounted stick, kiosk.logic.usb_update). Each runs in a worker thread so the UI keeps drawing;
its one-line outcome for staff, or why it failed, becomes `message` on the UI thread (`post`), and
`on_done` then tells the app that the store may have changed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from feed import FeedConfig

Post = Callable[[Callable[[], None]], None]  # run a function on the UI thread, soon

NOT_CONFIGURED = "本机未配置同步"
SYNC_STARTED = "已发起同步，结果见上方状态"


class StaffActions:
    """`sync_now` is the configured sync (hall-kiosk's poller), or None where the kiosk has none."""

    def __init__(
        self,
        feed: FeedConfig,
        usb_feed_dirs: Sequence[str],
        *,
        sync_now: Callable[[], None] | None,
        post: Post,
        on_done: Callable[[], None],
    ) -> None:
        self._feed = feed
        self._usb_feed_dirs = tuple(usb_feed_dirs)
        self._sync_now = sync_now
        self._post = post
        self._on_done = on_done
        self.message = ""  # what the last action said, for the status screen

    def sync_now(self) -> None:
        sync = self._sync_now
        if sync is None:
            self.message = NOT_CONFIGURED
            return

        def work() -> str:
            sync()
            return SYNC_STARTED

        self._run("正在同步…", work, failed="同步失败")

    def update_from_usb(self) -> None:
        from kiosk.logic.usb_update import update_from_usb

        feed, patterns = self._feed, self._usb_feed_dirs
        self._run("正在读取U盘…", lambda: update_from_usb(patterns, feed), failed="U盘更新失败")

    def _run(self, pending: str, work: Callable[[], str], *, failed: str) -> None:
        self.message = pending

        def run() -> None:
            try:
                message = work()
            except Exception as exc:  # shown to staff on the status screen
                message = f"{failed}：{exc}"
            self._post(lambda: self._finish(message))

        threading.Thread(target=run, name="kiosk-staff-action", daemon=True).start()

    def _finish(self, message: str) -> None:
        self.message = message
        self._on_done()
