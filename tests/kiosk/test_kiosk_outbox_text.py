"""What the admin screen says about the outbox and the delivery to the centre."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from feed.outbox import OutboxStats
from kiosk.logic.outbox_text import outbox_rows, waited_text

NOW = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)


def stats(**changes: object) -> OutboxStats:
    values: dict[str, object] = {
        "depth": 0,
        "oldest_unsent": None,
        "rejected": 0,
        "last_attempt": None,
        "last_success": None,
        "last_error": None,
    }
    values.update(changes)
    return OutboxStats(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("age", "text"),
    [
        (timedelta(seconds=20), "不到1分钟"),
        (timedelta(minutes=35), "35分钟"),
        (timedelta(hours=2), "2小时"),
        (timedelta(hours=2, minutes=5), "2小时5分钟"),
        (timedelta(days=3, hours=2), "3天2小时"),
    ],
)
def test_waiting_times_read_naturally(age: timedelta, text: str) -> None:
    assert waited_text(age) == text


def test_a_backlog_and_a_failing_delivery_are_spelled_out() -> None:
    rows = dict(
        outbox_rows(
            stats(
                depth=12,
                oldest_unsent=NOW - timedelta(minutes=95),
                rejected=1,
                last_success=NOW - timedelta(hours=2),
                last_error="cannot reach the centre at https://centre.qinghe.example/",
            ),
            centre_configured=True,
            now=NOW,
        )
    )
    assert rows["待发送反馈"] == "12 条，最早一条已等待1小时35分钟"
    assert rows["最近送达中心"] == "2026年11月29日 08:00:00"  # the hall's clock
    assert rows["最近送达错误"].startswith("cannot reach the centre")
    assert rows["被中心拒收"] == "1 条（保存在本机，不再发送）"


def test_no_centre_and_no_outbox_are_said_as_such() -> None:
    rows = dict(outbox_rows(stats(depth=3, oldest_unsent=NOW), centre_configured=False, now=NOW))
    assert rows["送达中心"].startswith("未配置")
    assert rows["待发送反馈"].startswith("3 条")
    assert dict(outbox_rows(None, centre_configured=True, now=NOW)) == {"待发送反馈": "本机反馈存储不可用"}


def test_an_outbox_that_could_not_open_says_why() -> None:
    rows = dict(
        outbox_rows(None, centre_configured=True, now=NOW, problem="/var/cache: read-only file system")
    )
    assert rows == {"待发送反馈": "无法保存反馈：/var/cache: read-only file system"}
