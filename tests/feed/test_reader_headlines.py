"""Headlines due at a moment: validity windows (aware datetimes) and weekly day-parts."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from feed.config import DeviceConfig
from feed.due import is_due
from feed.schema import DayPart, Headline
from feed.store import Store
from feed.store.reader import StoreReader
from tests.feed.store_samples import hashed, headline, manifest, manifest_bytes, targets

CST = timezone(timedelta(hours=8))
WED_NOON = datetime(2026, 11, 25, 12, 0, tzinfo=CST)  # a Wednesday (ISO weekday 3)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in Beijing time in the week of 23–29 November 2026 (23rd is a Monday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=CST)


def test_validity_window_is_from_inclusive_until_exclusive() -> None:
    h = headline("h", "窗口", valid_from=at(25, 9), valid_until=at(25, 17))
    assert not is_due(h, at(25, 8, 59))
    assert is_due(h, at(25, 9))
    assert is_due(h, at(25, 16, 59))
    assert not is_due(h, at(25, 17))
    # The same instant written in UTC is the same moment.
    assert is_due(h, datetime(2026, 11, 25, 1, 0, tzinfo=UTC))


def test_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        is_due(headline("h", "x"), datetime(2026, 11, 25, 12, 0))


def test_dayparts_weekdays_and_hours() -> None:
    h = headline(
        "office", "办公时间", dayparts=[DayPart(weekdays=[1, 2, 3, 4, 5], start=time(9), end=time(17))]
    )
    assert is_due(h, at(25, 9))
    assert is_due(h, at(25, 16, 59))
    assert not is_due(h, at(25, 17))
    assert not is_due(h, at(25, 8))
    assert not is_due(h, at(28, 10))  # Saturday
    all_day = headline("d", "全天", dayparts=[DayPart(weekdays=[3])])
    assert is_due(all_day, at(25, 23, 59) + timedelta(seconds=59.5))  # through to midnight
    assert not is_due(all_day, at(26, 0))


def test_daypart_that_wraps_midnight_belongs_to_the_day_it_starts() -> None:
    night = headline("night", "夜间自助区开放", dayparts=[DayPart(weekdays=[5], start=time(22), end=time(2))])
    assert not is_due(night, at(27, 21, 59))  # Friday before start
    assert is_due(night, at(27, 22))  # Friday 22:00
    assert is_due(night, at(28, 1, 59))  # Saturday early hours: still Friday's night
    assert not is_due(night, at(28, 2))
    assert not is_due(night, at(28, 22, 30))  # Saturday night is not listed
    assert not is_due(night, at(27, 1))  # Friday early hours belong to Thursday's night


def test_dayparts_are_judged_in_the_time_zone_of_the_moment() -> None:
    h = headline("office", "办公时间", dayparts=[DayPart(weekdays=[3], start=time(9), end=time(17))])
    moment = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 10:00 in Beijing, 02:00 in UTC
    assert not is_due(h, moment)
    assert is_due(h, moment.astimezone(CST))


def due(reader: StoreReader, moment: datetime) -> list[Headline]:
    """What the LED would schedule from: the device's headlines, those due at `moment`."""
    return [h for h in reader.headlines() if is_due(h, moment)]


def test_reader_headlines_due_with_targets(tmp_path: Path) -> None:
    records: list[Headline] = [
        headline("always", "欢迎", priority=3),
        headline(
            "storm",
            "暴雨红色预警，请注意安全",
            emergency=True,
            priority=9,
            valid_from=at(25, 11),
            valid_until=at(25, 13),
        ),
        headline("mornings", "上午号源充足", dayparts=[DayPart(start=time(8), end=time(12))]),
        headline("other-hall", "北苑通知", targets=targets(halls=["beiyuan"])),
    ]
    with Store.open(tmp_path) as store:
        m = manifest(1)
        store.commit_snapshot(m, manifest_bytes(m), hashed(records))
    device = DeviceConfig(id="led-1", hall="qinghe", groups=["led"])
    with StoreReader.open(tmp_path, device) as r:
        assert [h.id for h in r.headlines()] == ["storm", "mornings", "always"]  # emergency, then priority
        assert [h.id for h in due(r, at(25, 11, 30))] == ["storm", "mornings", "always"]
        assert [h.id for h in due(r, WED_NOON)] == ["storm", "always"]
        assert [h.id for h in due(r, at(25, 13))] == ["always"]
