"""The wire format is read strictly, by sync and by `hall-feed verify` alike and in the same words:
JSON types as the schemas say (a `"300"` sequence is no number), JSON that every parser reads the
same way, no control characters in text, and date-times that can always be compared."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from feed.publish.verify import verify_feed
from tests.feed.authoring_kit import edit, problems_of, write_tiny_source
from tests.feed.sync_kit import HeldFeed, raw_records, sample_records

# ------------------------------------------------------------------------------ loose wire types

MANIFEST_TYPES = [
    ({"sequence": "300"}, "signed.sequence: Input should be a valid integer"),
    ({"sequence": 300.0}, "signed.sequence: Input should be a valid integer"),
    ({"sequence": True}, "signed.sequence: Input should be a valid integer"),
    ({"issued": 1767225600}, "signed.issued: Input should be a valid datetime"),
    ({"issued": "2026-01-01T00:00:00"}, "signed.issued: Input should have timezone info"),
    ({"feed_id": 7}, "signed.feed_id: Input should be a valid string"),
]


@pytest.mark.parametrize(("change", "reason"), MANIFEST_TYPES)
def test_manifest_members_of_another_json_type_are_refused(
    held_feed: HeldFeed, change: dict[str, Any], reason: str
) -> None:
    records, blobs = sample_records(tag="B")
    held_feed.publisher.publish_raw(raw_records(records), blobs, sequence=6, signed=change)
    held_feed.refused(reason)


def test_a_shard_count_of_another_json_type_is_refused(held_feed: HeldFeed) -> None:
    records, blobs = sample_records(tag="B")
    signed = held_feed.publisher.publish_raw(raw_records(records), blobs, sequence=6)
    shards = [
        {**ref, "count": str(ref["count"])} if i == 0 else ref for i, ref in enumerate(signed["shards"])
    ]
    held_feed.publisher.publish_raw(raw_records(records), blobs, sequence=6, signed={"shards": shards})
    held_feed.refused("signed.shards.0.count: Input should be a valid integer")


RECORD_TYPES = [
    ("headline", {"priority": "9"}, "headline.priority: Input should be a valid integer"),
    ("headline", {"priority": 9.0}, "headline.priority: Input should be a valid integer"),
    ("headline", {"emergency": "true"}, "headline.emergency: Input should be a valid boolean"),
    ("headline", {"emergency": 1}, "headline.emergency: Input should be a valid boolean"),
    ("headline", {"dwell_seconds": "8"}, "headline.dwell_seconds: Input should be a valid number"),
    ("item", {"published": 20250301}, "item.published: Input should be a valid date"),
    ("item", {"featured": "yes"}, "item.featured: Input should be a valid boolean"),
    ("guide", {"hot_rank": "1"}, "guide.hot_rank: Input should be a valid integer"),
    ("hall", {"hours": "周一至周五"}, "hall.hours: Input should be a valid array"),
]


@pytest.mark.parametrize(("kind", "change", "reason"), RECORD_TYPES)
def test_record_members_of_another_json_type_are_refused(
    held_feed: HeldFeed, kind: str, change: dict[str, Any], reason: str
) -> None:
    held_feed.publish_with_record(kind, lambda record: record.update(change))
    held_feed.refused(reason)


def test_the_builder_reads_yaml_as_strictly(tmp_path: Path) -> None:
    """`priority: "9"` is a string in YAML: the builder refuses what a client would refuse."""
    src = write_tiny_source(tmp_path / "src")
    edit(src / "headlines.yaml", "  priority: 9\n", '  priority: "9"\n')
    assert problems_of(src) == [
        f"{src / 'headlines.yaml'}:6: headline 'hl-storm': priority: Input should be a valid integer"
    ]


# ------------------------------------------------------------------------------ JSON every parser reads alike

JSON_FAULTS = [
    ((b"{", b'{"kind":"headline",'), "member 'kind' appears twice in one object"),
    ((b"{", b"\xef\xbb\xbf{"), "starts with a byte order mark"),
    ((b'"text":"', b'"text":"\\ud800'), "a string holds a lone surrogate escape"),
    ((b'"priority":5', b'"priority":-Infinity'), "-Infinity is not a JSON number"),
]


@pytest.mark.parametrize(("swap", "reason"), JSON_FAULTS)
def test_record_json_that_parsers_read_differently_is_refused(
    held_feed: HeldFeed, swap: tuple[bytes, bytes], reason: str
) -> None:
    held_feed.publish_with_record_bytes("headline", lambda data: data.replace(*swap, 1))
    held_feed.refused(reason)


def test_a_manifest_with_a_member_twice_is_refused(held_feed: HeldFeed) -> None:
    """Python would take the last `sequence`, other parsers the first; the signature covers one."""
    records, blobs = sample_records(tag="B")
    held_feed.publisher.publish_raw(raw_records(records), blobs, sequence=6)
    body = held_feed.publisher.manifest_bytes()
    held_feed.publisher.write_manifest(body.replace(b'"sequence":6', b'"sequence":1,"sequence":6'))
    held_feed.refused("manifest is not valid JSON: member 'sequence' appears twice in one object")


# ------------------------------------------------------------------------------ control characters

CONTROL = [
    (
        "item",
        "body",
        "前文\x00（本条已撤销，请勿前往）",
        "item.body: contains a NUL character (U+0000) at character 3",
    ),
    ("item", "title", "关于\x1b[31m通知", "item.title: contains a control character (U+001B) at character 3"),
    ("item", "title", "关于\t通知", "item.title: contains a tab (U+0009) at character 3"),
    ("item", "summary", "第一行\r\n第二行", "item.summary: contains a carriage return (U+000D)"),
    ("item", "publisher", "青禾\u202e局", "item.publisher: contains a control character (U+202E)"),
    ("headline", "text", "欢迎\u2028光临", "headline.text: contains a control character (U+2028)"),
    ("guide", "summary", "摘要\x85", "guide.summary: contains a control character (U+0085)"),
    ("hall", "intro", "简介\x07", "hall.intro: contains a control character (U+0007)"),
    (
        "hall",
        "portal_url",
        "https://zwfw.qinghe.example/\n",
        "hall.portal_url: contains a line break (U+000A)",
    ),
]


@pytest.mark.parametrize(("kind", "field", "text", "reason"), CONTROL)
def test_control_characters_are_refused(
    held_feed: HeldFeed, kind: str, field: str, text: str, reason: str
) -> None:
    held_feed.refuses_record_member(kind, field, text, reason)


def test_line_breaks_and_tabs_stay_allowed_in_paragraphs(held_feed: HeldFeed) -> None:
    held_feed.publish_with_record("item", lambda record: record.update({"body": "第一段\n\n第二段\t附表"}))
    result = held_feed.sync()
    assert result.outcome == "updated", result
    assert verify_feed(held_feed.publisher.root, held_feed.pubkey).ok


def test_the_builder_refuses_a_nul_in_a_body_with_its_line(tmp_path: Path) -> None:
    """A NUL made the kiosk drop everything after it: here a closing 本条已撤销 would never show."""
    src = write_tiny_source(tmp_path / "src")
    title = "  title: 政府信息公开指南\n"
    edit(src / "items" / "notices.yaml", title, title + '  body: "已发布\\0（本条已撤销，请勿前往）"\n')
    assert problems_of(src) == [
        f"{src / 'items' / 'notices.yaml'}:15: item 'item-b': body: contains a NUL character (U+0000) at"
        " character 4; text may hold line breaks (U+000A) and tabs but no other control characters"
    ]


# ------------------------------------------------------------------------------ time zones


def test_a_headline_mixing_naive_and_aware_times_is_a_clear_refusal(held_feed: HeldFeed) -> None:
    """It made verify print a traceback and sync fail with `TypeError: can't compare offset-naive
    and offset-aware datetimes`, which then stood in status."""

    def mixed(record: dict[str, Any]) -> None:
        record.update(valid_from="2026-11-25T08:00:00", valid_until="2026-11-25T20:00:00+08:00")

    held_feed.publish_with_record("headline", mixed)
    reason = held_feed.refused("headline.valid_from: Input should have timezone info")
    assert "TypeError" not in reason


def test_the_builder_refuses_a_headline_time_without_offset(tmp_path: Path) -> None:
    src = write_tiny_source(tmp_path / "src")
    edit(src / "headlines.yaml", "valid_from: 2026-11-25T08:00:00+08:00", "valid_from: 2026-11-25T08:00:00")
    assert problems_of(src) == [
        f"{src / 'headlines.yaml'}:7: headline 'hl-storm': valid_from: Input should have timezone info"
    ]


def test_a_day_part_time_with_an_offset_is_refused(held_feed: HeldFeed) -> None:
    """Day-part times are the hall's wall-clock times; an offset would mean another time zone."""
    held_feed.publish_with_record(
        "headline", lambda record: record.update(dayparts=[{"start": "09:00+08:00", "end": "17:00"}])
    )
    held_feed.refused("headline.dayparts.0.start: a time of day is the hall's wall-clock time")
