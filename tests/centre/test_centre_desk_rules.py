"""The desk's rules alone: roles, passwords, the steps of each queue, the session secret, the SVG chart."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from centre.desk.chart import Series, hourly_chart
from centre.desk.secret import session_secret
from centre.rules.passwords import hash_password, password_problem, verify_password
from centre.rules.roles import may
from centre.rules.work import QUEUES, StepError, check_step, queue_of_kind
from feed import ConfigError


def test_roles_allow_what_the_desk_promises() -> None:
    assert may("viewer", "read") and not may("viewer", "work") and not may("viewer", "see_identity")
    assert may("handler", "work") and may("handler", "see_identity") and not may("handler", "administer")
    assert may("admin", "administer")
    assert not may("root", "read")  # an unknown role may do nothing


def test_passwords_are_argon2id_and_checked() -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse batterz")
    assert not verify_password("not a hash", "correct horse battery")
    assert (
        password_problem("short") and password_problem("x" * 300) and password_problem("ten chars!") is None
    )


def test_each_queue_takes_one_step_at_a_time_with_words() -> None:
    reviews = QUEUES["reviews"]
    check_step(reviews, "open", "contacted", "已联系")
    with pytest.raises(StepError, match="不能改为「已办结」"):
        check_step(reviews, "open", "closed", "跳过回访")
    with pytest.raises(StepError, match="不能改为"):
        check_step(reviews, "closed", "open", "重开")
    with pytest.raises(StepError, match="请填写回访记录"):
        check_step(reviews, "contacted", "closed", "  ")
    with pytest.raises(StepError, match="请填写答复内容"):
        check_step(QUEUES["requests"], "open", "replied", "")
    assert reviews.next_status("closed") is None
    assert queue_of_kind("suggestion") is QUEUES["suggestions"] and queue_of_kind("play_count") is None


def test_the_session_secret_is_made_once_private_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "session.secret"
    first = session_secret(path)
    assert len(first) >= 32 and os.stat(path).st_mode & 0o777 == 0o600
    assert session_secret(path) == first
    path.write_text("short\n")
    with pytest.raises(ConfigError, match="shorter than"):
        session_secret(path)
    with pytest.raises(ConfigError, match="cannot create"):
        session_secret(tmp_path / "missing-folder" / "session.secret")


def test_a_chart_draws_bars_and_lines_broken_at_silence() -> None:
    end = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    start = end - timedelta(days=2)
    hours = [start + timedelta(hours=n) for n in range(48) if not 10 <= n < 14]
    errors = hourly_chart(
        Series("错误", "次", [(h, float(n % 2)) for n, h in enumerate(hours)], bars=True), start, end, UTC
    )
    assert errors.count("<rect") == sum(n % 2 for n in range(len(hours))) and 'role="img"' in errors
    depth = hourly_chart(
        Series("深度", "条", [(h, 3.0) for h in hours]), start, end, ZoneInfo("Asia/Shanghai")
    )
    assert depth.count("<polyline") == 2 and "11-29" in depth and "11-30" in depth
    lone = hourly_chart(Series("磁盘", "GB", [(hours[0], 1.5)]), start, end, UTC)
    assert lone.count("<circle") == 1 and "1.5 GB" in lone
    assert "<script" not in errors + depth + lone
