"""Feedback forms: levels, reason chips, phone digits, and a durable submit."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from feed.outbox import Outbox
from feed.uplink.wire import RatingPayload, validate_payload
from kiosk.logic.feedback import (
    NEGATIVE_REASONS,
    POSITIVE_REASONS,
    RATING_LEVELS,
    DisclosureRequestForm,
    FormError,
    PhoneEntry,
    RatingForm,
    SuggestionForm,
    reasons_for,
)


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    """The feed core's outbox: a real SQLite file in tmp_path."""
    with Outbox.open(tmp_path / "cache", device_id="kiosk-test") as core:
        yield core


def stored(outbox: Outbox) -> list[tuple[str, dict[str, Any]]]:
    """What the outbox holds, read back from its database."""
    return [(entry.kind, entry.payload) for entry in outbox.pending()]


def test_five_official_levels_bottom_two_are_bad_reviews() -> None:
    assert [(lv.value, lv.label) for lv in RATING_LEVELS] == [
        (5, "非常满意"),
        (4, "满意"),
        (3, "基本满意"),
        (2, "不满意"),
        (1, "非常不满意"),
    ]
    assert [lv.value for lv in RATING_LEVELS if lv.negative] == [2, 1]
    assert reasons_for(1) is NEGATIVE_REASONS and reasons_for(3) is POSITIVE_REASONS
    indicators = {chip.indicator for chip in NEGATIVE_REASONS + POSITIVE_REASONS}
    assert {"服务效率", "服务水平", "服务态度"} <= indicators
    with pytest.raises(ValueError):
        reasons_for(6)


def test_bad_review_needs_a_reason(outbox: Outbox) -> None:
    form = RatingForm("guide", "realestate-transfer", "不动产转移登记")
    assert form.problems() == ["请选择评价等级"]
    form.select_level(2)
    assert "差评请至少选择一项原因" in form.problems()
    with pytest.raises(FormError):
        form.submit(outbox)
    assert stored(outbox) == []
    assert form.toggle_reason("slow")
    receipt = form.submit(outbox)
    assert receipt.reference.startswith("QH-") and form.receipt is receipt
    [(kind, payload)] = stored(outbox)
    assert kind == "rating"
    assert payload["level"] == 2 and payload["level_label"] == "不满意" and payload["negative"] is True
    assert payload["reasons"] == [{"code": "slow", "label": "等候时间长、办理慢", "indicator": "服务效率"}]
    assert payload["subject"] == {
        "kind": "guide",
        "id": "realestate-transfer",
        "title": "不动产转移登记",
        "department": "",
    }
    assert "phone" not in payload
    with pytest.raises(FormError, match="已提交"):
        form.submit(outbox)  # a second tap does not store it twice
    assert len(stored(outbox)) == 1


def test_switching_polarity_drops_reasons_that_no_longer_apply() -> None:
    form = RatingForm()
    form.select_level(5)
    form.toggle_reason("courteous")
    form.select_level(4)
    assert form.selected == {"courteous"}
    form.select_level(1)
    assert form.selected == frozenset()
    with pytest.raises(ValueError):
        form.toggle_reason("courteous")  # a positive chip on a bad review
    assert form.toggle_reason("rude") and not form.toggle_reason("rude")


def test_a_reason_needs_a_level_first() -> None:
    with pytest.raises(ValueError):
        RatingForm().toggle_reason("slow")


def test_phone_entry() -> None:
    phone = PhoneEntry()
    assert phone.valid  # optional
    for digit in "1380013800":
        phone.type_digit(digit)
    assert not phone.valid and phone.masked == "138 0013 800"
    phone.type_digit("0")
    phone.type_digit("9")  # ignored: 11 already
    assert phone.digits == "13800138000" and phone.valid and phone.masked == "138 0013 8000"
    for bad in ["a", "12", "", "٣"]:
        with pytest.raises(ValueError):
            phone.type_digit(bad)
    phone.clear()
    for digit in "12345678901":  # 12… is not a mobile prefix
        phone.type_digit(digit)
    assert not phone.valid
    phone.backspace()
    assert phone.digits == "1234567890"


def test_invalid_phone_blocks_submit(outbox: Outbox) -> None:
    form = SuggestionForm()
    form.toggle_topic("queue")
    form.phone.type_digit("1")
    assert "手机号码应为11位数字（以1开头），或不填" in form.problems()
    for digit in "3912345678":
        form.phone.type_digit(digit)
    form.submit(outbox)
    [(kind, payload)] = stored(outbox)
    assert kind == "suggestion" and payload["phone"] == "13912345678"
    assert payload["topics"] == [{"code": "queue", "label": "排队叫号"}]
    assert payload["channel"] == "kiosk"


def test_suggestion_needs_a_topic_and_rejects_unknown_chips() -> None:
    form = SuggestionForm()
    assert form.problems() == ["请至少选择一个建议主题"]
    with pytest.raises(ValueError):
        form.toggle_topic("free text")


def test_disclosure_request_by_node_or_topic(outbox: Outbox) -> None:
    form = DisclosureRequestForm()
    assert form.problems() == ["请选择希望公开的目录或主题"]
    form.choose_node("gov.fees", "收费项目及标准")
    assert form.problems() == []
    form.choose_node(None)
    form.toggle_topic("budget")
    form.toggle_topic("subsidies")
    form.submit(outbox)
    [(kind, payload)] = stored(outbox)
    assert kind == "disclosure_request"
    assert payload["node"] is None
    assert [t["code"] for t in payload["topics"]] == ["budget", "subsidies"]


def test_chip_codes_are_unique_ascii_and_labels_chinese() -> None:
    for chips in (POSITIVE_REASONS, NEGATIVE_REASONS, SuggestionForm.topics, DisclosureRequestForm.topics):
        codes = [chip.code for chip in chips]
        assert len(codes) == len(set(codes))
        assert all(code.isascii() and code.isidentifier() for code in codes)
        assert all(not chip.label.isascii() for chip in chips)


def test_submission_is_durable_in_the_core_outbox(tmp_path: Path) -> None:
    """Submitted, closed, reopened by another process: the row and its reference are there."""
    form = RatingForm("hall", "qinghe", "青禾市政务服务中心")
    form.select_level(5)
    form.toggle_reason("courteous")
    with Outbox.open(tmp_path / "cache") as core:
        receipt = form.submit(core)
    assert re.fullmatch(r"QH-\d{8}-\d{4}", receipt.reference)
    with Outbox.open(tmp_path / "cache") as reopened:
        [entry] = reopened.pending()
    assert entry.id == receipt.id and entry.reference == receipt.reference
    assert entry.payload["level"] == 5 and entry.payload["reasons"][0]["indicator"] == "服务态度"


def test_an_outbox_failure_leaves_the_form_submittable(tmp_path: Path) -> None:
    from feed.errors import FeedError

    form = SuggestionForm()
    form.toggle_topic("hours")
    core = Outbox.open(tmp_path / "cache")
    core.close()  # a closed database cannot take the write
    with pytest.raises((FeedError, sqlite3.Error)):
        form.submit(core)
    assert form.receipt is None and form.problems() == []
    with Outbox.open(tmp_path / "cache") as core:
        assert form.submit(core).reference.endswith("-0001")


@pytest.mark.parametrize(
    ("kind", "subject_id", "title", "department"),
    [
        ("guide", "realestate-transfer", "不动产转移登记", "青禾市自然资源和规划局"),  # 实施主体
        ("item", "gov-annual-report-2025", "2025年政府信息公开年报", "青禾市人民政府办公室"),  # 公开主体
        ("hall", "", "", ""),  # the hall answers for itself
    ],
)
def test_a_rating_carries_the_department_that_answers_for_its_subject(
    outbox: Outbox, kind: Any, subject_id: str, title: str, department: str
) -> None:
    form = RatingForm(kind, subject_id, title, department)
    form.select_level(1)
    form.toggle_reason("shifting")
    form.submit(outbox)
    [(stored_kind, payload)] = stored(outbox)
    rating = validate_payload(stored_kind, payload)  # as the centre checks it
    assert isinstance(rating, RatingPayload)
    subject = rating.subject
    assert (subject.kind, subject.id, subject.department) == (kind, subject_id, department)
