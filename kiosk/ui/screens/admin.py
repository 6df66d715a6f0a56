"""Staff only: the status screen, with 立即同步, 从U盘更新, 回到待机画面 and 退出程序 (behind the PIN pad,
kiosk.ui.screens.admin_pin, outside demo mode)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kivy.properties import StringProperty

from feed import FeedError, Outbox, OutboxStats
from kiosk.logic.navigation import Route
from kiosk.logic.outbox_text import outbox_rows
from kiosk.logic.printing import printer_rows
from kiosk.logic.status_text import timestamp_text
from kiosk.ui.font_coverage import coverage, sample_text
from kiosk.ui.kv import load_kv_once
from kiosk.ui.screens.base import BaseScreen
from kiosk.ui.widgets import buttons, text  # noqa: F401 - classes used in the kv rules
from kiosk.ui.widgets.text import KLabel

load_kv_once(__file__)

KIND_NAMES = {
    "catalog": "目录",
    "guide": "办事指南",
    "hall": "大厅",
    "headline": "滚动标题",
    "item": "公开信息",
}


def _outbox_stats(outbox: Outbox | None, device_id: str) -> OutboxStats | None:
    if outbox is None:
        return None
    try:
        return outbox.stats(device_id)
    except FeedError:
        return None


def cache_files(repaired: int, missing: int) -> str:
    """Cached images, forms and records: how many were found damaged or missing and fetched again."""
    if not repaired and not missing:
        return "完好"
    found = f"已重新获取 {repaired} 个损坏或缺失的文件" if repaired else ""
    waiting = f"仍缺 {missing} 个，下次同步时重试" if missing else ""
    return "；".join(part for part in (found, waiting) if part)


class AdminScreen(BaseScreen):
    idle_rule = "staff"  # a status screen with its exit button must not stay open either
    live_update = True
    sync_message = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_title = "设备状态"

    def enter(self, route: Route) -> None:
        super().enter(route)
        app = self.host
        status = app.reader.status()
        config = app.kiosk_config
        counts = "，".join(f"{KIND_NAMES.get(kind, kind)} {n}" for kind, n in sorted(status.counts.items()))
        rows = [
            ("设备编号", config.device.id),
            ("内容来源", status.source or config.feed.source),
            (
                "内容序列号",
                f"{status.sequence}（{status.feed_id}）" if status.sequence is not None else "尚无内容",
            ),
            ("内容数量", counts or "无"),
            ("最近成功同步", timestamp_text(status.last_success)),
            ("最近尝试", timestamp_text(status.last_attempt)),
            ("最近错误", status.last_error or "无"),
            ("内容过期时间", timestamp_text(status.expires)),
            ("状态", "内容可能已过期" if status.stale else "正常"),
            ("存储状态", f"异常：{status.storage}" if status.storage else "正常"),
            *([("存储修复", status.repair)] if status.repair else []),
            ("缓存文件", cache_files(status.objects_repaired, status.objects_missing)),
            *outbox_rows(
                _outbox_stats(app.outbox, config.device.id),
                centre_configured=config.centre is not None,
                now=datetime.now(UTC),
                problem=app.outbox_problem,
            ),
            ("界面字体", f"{app.font_file.name if app.font_file else '未知'}"),
            ("字体覆盖", coverage(app.font_file, sample_text(app.reader)).text),
            *printer_rows(app.printing),
            ("二维码允许域名", "、".join(config.kiosk.qr_allowed_hosts) or "（空：不显示任何二维码）"),
            ("软件版本", app.version),
        ]
        for url, reason in app.qr_withheld.newest_first():
            rows.append(("未显示二维码", f"{url}\n原因：{reason}"))
        box = self.ids.rows
        box.clear_widgets()
        for label, value in rows:
            # The names are short; the values (paths, errors, URLs) get the rest of the width.
            box.add_widget(
                KLabel(
                    text=label,
                    role="small",
                    muted=True,
                    bold=True,
                    size_hint_x=None,
                    width=app.style.small * 8,
                )
            )
            box.add_widget(KLabel(text=value, role="small"))
        self.sync_message = app.staff.message

    def sync(self) -> None:
        self.host.staff.sync_now()
        self.sync_message = self.host.staff.message

    def update_from_usb(self) -> None:
        self.host.staff.update_from_usb()
        self.sync_message = self.host.staff.message

    def leave(self) -> None:
        self.host.session.reset()

    def exit_app(self) -> None:
        self.host.exit_kiosk()
