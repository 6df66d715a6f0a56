"""What the admin screen says about the outbox and its delivery to the centre, in Chinese."""

from __future__ import annotations

from datetime import datetime, timedelta

from feed import OutboxStats
from kiosk.logic.status_text import timestamp_text


def waited_text(age: timedelta) -> str:
    """'不到1分钟', '35分钟', '2小时5分钟', '3天2小时'."""
    minutes = int(age.total_seconds() // 60)
    if minutes < 1:
        return "不到1分钟"
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days}天{hours}小时" if hours else f"{days}天"
    if hours:
        return f"{hours}小时{minutes}分钟" if minutes else f"{hours}小时"
    return f"{minutes}分钟"


def outbox_rows(
    stats: OutboxStats | None, *, centre_configured: bool, now: datetime, problem: str | None = None
) -> list[tuple[str, str]]:
    """(label, value) rows: waiting records and the oldest one's age, the last delivery, its error.
    `problem`: why the outbox could not be opened (then nothing can be submitted)."""
    if problem is not None:
        return [("待发送反馈", f"无法保存反馈：{problem}")]
    if stats is None:
        return [("待发送反馈", "本机反馈存储不可用")]
    if stats.depth == 0:
        waiting = "无"
    else:
        oldest = stats.oldest_unsent
        age = f"，最早一条已等待{waited_text(now - oldest)}" if oldest is not None else ""
        waiting = f"{stats.depth} 条{age}"
    rows = [("待发送反馈", waiting)]
    if not centre_configured:
        rows.append(("送达中心", "未配置（配置文件 [centre] 一节），反馈保存在本机"))
        return rows
    rows.append(("最近送达中心", timestamp_text(stats.last_success)))
    rows.append(("最近送达错误", stats.last_error or "无"))
    if stats.rejected:
        rows.append(("被中心拒收", f"{stats.rejected} 条（保存在本机，不再发送）"))
    return rows
