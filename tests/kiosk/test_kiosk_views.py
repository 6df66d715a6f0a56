"""Guide and item views, status text, snapshot watcher and catalogue tree, on real models."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from feed.api import GuideSummary, ItemSummary, SyncStatus
from feed.assets import assets_dir
from feed.publish.source import load_source
from feed.render.guide_view import (
    SECTION_TITLES,
    audience_label,
    fees_text,
    guide_badges,
    guide_view,
    material_text,
    time_limit_text,
)
from feed.render.item_view import item_row_text, item_view
from feed.schema import Catalog, Guide, Item
from kiosk.logic.catalog_view import CatalogTree
from kiosk.logic.snapshot_watch import SnapshotWatcher
from kiosk.logic.status_text import clock_text, status_text, timestamp_text
from kiosk.logic.text import escape_markup

FULL_GUIDE: dict[str, Any] = {
    "kind": "guide",
    "id": "realestate-transfer",
    "title": "不动产转移登记（存量房买卖）",
    "basic_code": "000173002000",
    "matter_type": "行政确认",
    "department": "不动产登记中心",
    "audiences": ["legal", "personal"],
    "summary": "交易、缴税、登记一窗受理。",
    "legal_basis": [
        {"name": "《不动产登记暂行条例》", "article": "第二十条", "text": "应当自受理之日起办结。"}
    ],
    "handling_type": "promised",
    "conditions": ["不动产已办理首次登记。"],
    "steps": [
        {"name": "一窗受理", "office": "B区10号窗口", "time_limit": "当日", "description": "一次提交材料。"},
        {"name": "审核登簿", "time_limit": "4个工作日"},
    ],
    "time_limit": {"statutory_days": 20, "promised_days": 5},
    "fees": {
        "charged": True,
        "items": [{"name": "不动产登记费（住宅）", "standard": "每件80元", "reducible": True}],
    },
    "online": {"available": True, "depth": "apply", "url": "https://zwfw.qinghe.example/bdc", "visits": 1},
    "place": {"address": "民和路88号", "windows": ["B区10号", "B区11号"], "hours": "工作日 9:00—17:30"},
    "contacts": {"consult_phone": "0000-6123420", "complaint_phone": "0000-12345"},
    "materials": [
        {"name": "不动产登记申请书", "originals": 1, "copies": 2, "paper_size": "A4"},
        {"name": "完税凭证", "form": "electronic", "originals": 0, "source": "政府部门核发"},
        {"name": "婚姻状况证明", "originals": 0, "copies": 1, "necessity": "waivable"},
    ],
    "faq": [{"question": "双方都要到场吗？", "answer": "原则上双方到场。"}],
    "guide_url": "https://zwfw.qinghe.example/guide/000173002000",
    "hot": True,
    "updated": "2026-10-20",
}


def _guide(**changes: Any) -> Guide:
    return Guide.model_validate({**FULL_GUIDE, **changes})


def test_full_guide_has_every_section_in_reading_order() -> None:
    view = guide_view(_guide())
    assert [s.title for s in view.sections] == list(SECTION_TITLES.values())
    assert [s.title for s in view.sections] == [
        "基本信息",
        "申请材料",
        "办理流程",
        "办理时限",
        "收费标准",
        "办理地点和时间",
        "咨询监督",
        "常见问题",
    ]
    assert view.audience_text == "个人、法人"
    assert [b.text for b in view.badges] == ["一次办", "热门"]
    assert view.online_url == "https://zwfw.qinghe.example/bdc"
    assert view.updated_text == "更新于 2026年10月20日"
    basics = {e.label: e.text for e in view.section("basics").entries}  # type: ignore[union-attr]
    assert basics["实施主体"] == "不动产登记中心" and basics["办件类型"] == "承诺件"
    assert basics["网上办理"] == "网上申请"
    materials = view.section("materials").entries  # type: ignore[union-attr]
    assert [(m.label, m.text) for m in materials] == [
        ("不动产登记申请书", "原件1份、复印件2份｜纸质（A4）｜必需"),
        ("完税凭证", "电子｜必需"),
        ("婚姻状况证明", "复印件1份｜纸质｜容缺"),
    ]
    steps = view.section("steps").entries  # type: ignore[union-attr]
    assert steps[0].label == "第1步" and steps[0].text == "一窗受理（B区10号窗口｜当日）"
    assert steps[0].note == "一次提交材料。" and steps[1].text == "审核登簿（4个工作日）"
    time = view.section("time").entries  # type: ignore[union-attr]
    assert time[0].text == "法定时限：20个工作日　承诺时限：5个工作日"
    place = {e.label: e.text for e in view.section("place").entries}  # type: ignore[union-attr]
    assert place["办理窗口"] == "B区10号、B区11号"
    faq = view.section("faq").entries  # type: ignore[union-attr]
    assert (faq[0].label, faq[0].text) == ("双方都要到场吗？", "原则上双方到场。")


def test_sparse_guide_leaves_out_empty_sections_but_keeps_time_and_fees() -> None:
    guide = _guide(steps=[], materials=[], faq=[], contacts={}, fees={}, hot=False, legal_basis=[])
    view = guide_view(guide)
    assert [s.key for s in view.sections] == ["basics", "time", "fees", "place"]
    assert view.section("fees").entries[0].text == "不收费"  # type: ignore[union-attr]
    assert [b.text for b in view.badges] == ["一次办"]


def test_badges() -> None:
    assert [
        b.text for b in guide_badges(_guide(online={"depth": "full", "available": True, "visits": 0}))
    ] == [
        "全程网办",
        "热门",
    ]
    assert [b.text for b in guide_badges(_guide(online={"visits": 0}, hot=False))] == ["全程网办"]
    assert [b.text for b in guide_badges(_guide(online={"visits": 3}, hot=False))] == ["跑动3次"]
    immediate = _guide(handling_type="immediate", time_limit={"promised_days": 0}, hot=False)
    assert [b.text for b in guide_badges(immediate)] == ["一次办", "即办件"]
    summary = GuideSummary("x", "标题", "部门", ("personal",), hot=False, visits=2, online_full=False)
    assert [b.text for b in guide_badges(summary)] == ["跑动2次"]


def test_time_limit_texts() -> None:
    guide = _guide(handling_type="immediate", time_limit={"statutory_days": 20, "promised_days": 0})
    assert time_limit_text(guide.time_limit, guide.handling_type) == "即办件"
    entries = guide_view(guide).section("time").entries  # type: ignore[union-attr]
    assert [(e.label, e.text) for e in entries[:2]] == [("办理时限", "即办件"), ("法定时限", "20个工作日")]
    natural = _guide(time_limit={"promised_days": 15, "unit": "natural_day"}).time_limit
    assert time_limit_text(natural) == "承诺时限：15天"


def test_fee_and_material_and_audience_texts() -> None:
    guide = _guide()
    assert fees_text(guide.fees) == ["不动产登记费（住宅）：每件80元（可减免）"]
    assert material_text(guide.materials[0]) == "原件1份、复印件2份｜纸质（A4）｜必需"
    assert audience_label(["personal"]) == "个人" and audience_label(("legal",)) == "法人"


def test_feed_text_stays_raw_until_escaped() -> None:
    view = guide_view(_guide(title="[b]假冒[/b]标题 & 更多"))
    assert view.title == "[b]假冒[/b]标题 & 更多"
    assert escape_markup(view.title) == "&bl;b&br;假冒&bl;/b&br;标题 &amp; 更多"


def test_every_demo_guide_and_item_turns_into_a_view() -> None:
    source = load_source(assets_dir() / "demo")
    guides = [r for r in source.records if isinstance(r, Guide)]
    items = [r for r in source.records if isinstance(r, Item)]
    assert len(guides) >= 10 and items
    for guide in guides:
        view = guide_view(guide)
        keys = [s.key for s in view.sections]
        assert keys[:1] == ["basics"] and "time" in keys and "fees" in keys and "place" in keys
        assert view.badges and all(e.text or e.label for s in view.sections for e in s.entries)
    for item in items:
        shown = item_view(item)
        assert shown.paragraphs or shown.summary, item.id
        assert ("发布机构", item.publisher) in shown.meta


ITEM: dict[str, Any] = {
    "kind": "item",
    "id": "gov-fees-2026",
    "node": "gov.fees",
    "title": "2026年行政事业性收费目录清单",
    "body": "　　根据有关规定，现将收费目录清单公布如下。\n\n一、不动产登记费。\n二、证书工本费。",
    "publisher": "青禾市政务服务管理局",
    "doc_number": "青政服〔2026〕3号",
    "published": "2026-01-05",
    "updated": "2026-03-01",
    "valid_from": "2026-01-01",
    "valid_until": "2026-12-31",
    "original_url": "https://www.qinghe.example/zwgk/fees.html",
    "images": [
        {
            "blob": {"sha256": "a" * 64, "size": 1000, "media_type": "image/png"},
            "caption": "收费公示牌",
        }
    ],
    "attachments": [
        {"name": "收费清单.pdf", "url": "https://www.qinghe.example/fees.pdf"},
        {"name": "申请表", "blob": {"sha256": "b" * 64, "size": 10, "media_type": "application/pdf"}},
    ],
    "review": {
        "status": "approved",
        "reviewed_by": "办公室",
        "reviewed_on": "2026-01-04",
        "confidentiality_checked": True,
    },
}


def test_item_view() -> None:
    view = item_view(Item.model_validate(ITEM))
    assert view.meta == (
        ("发布机构", "青禾市政务服务管理局"),
        ("文号", "青政服〔2026〕3号"),
        ("发布日期", "2026年1月5日"),
        ("更新日期", "2026年3月1日"),
        ("有效期", "2026年1月1日至2026年12月31日"),
        ("公开方式", "主动公开"),
    )
    assert view.paragraphs == (
        "　　根据有关规定，现将收费目录清单公布如下。",
        "一、不动产登记费。二、证书工本费。",
    )
    assert view.images[0].sha256 == "a" * 64 and view.images[0].caption == "收费公示牌"
    assert [(a.name, a.url, a.sha256) for a in view.attachments] == [
        ("收费清单.pdf", "https://www.qinghe.example/fees.pdf", None),
        ("申请表", None, "b" * 64),
    ]
    minimal = item_view(Item.model_validate({**ITEM, "doc_number": "", "updated": None, "valid_from": None}))
    assert [label for label, _ in minimal.meta] == ["发布机构", "发布日期", "有效期", "公开方式"]
    assert dict(minimal.meta)["有效期"] == "至2026年12月31日止"


def test_item_row_text() -> None:
    row = ItemSummary("a", "通知标题", "gov", "青禾市政务服务管理局", date(2026, 11, 20))
    assert item_row_text(row) == ("通知标题", "青禾市政务服务管理局　2026-11-20")


NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 10:00 in the hall (UTC+8)


def _status(**fields: Any) -> SyncStatus:
    base: dict[str, Any] = {
        "feed_id": "qinghe",
        "sequence": 42,
        "last_success": NOW - timedelta(minutes=30),
        "last_attempt": NOW - timedelta(minutes=30),
    }
    return SyncStatus(**{**base, **fields})


def test_status_ok_says_when_and_no_marker() -> None:
    text = status_text(_status(), NOW)
    assert (text.level, text.marker, text.as_of) == ("ok", "", "内容更新于 11月25日 09:30")
    assert text.text == "内容更新于 11月25日 09:30"


def test_status_offline_when_the_last_attempt_failed() -> None:
    status = _status(last_attempt=NOW - timedelta(minutes=1), last_error="connection refused")
    text = status_text(status, NOW)
    assert text.level == "offline" and text.text == "离线　内容更新于 11月25日 09:30"


def test_an_old_error_followed_by_success_is_not_offline() -> None:
    assert status_text(_status(last_error="timeout earlier"), NOW).level == "ok"


@pytest.mark.parametrize(
    "fields",
    [
        {"stale": True},
        {"last_success": NOW - timedelta(hours=7), "last_attempt": NOW - timedelta(hours=7)},
        {"expires": NOW - timedelta(seconds=1)},
        {"last_success": None, "last_attempt": None},
    ],
)
def test_status_stale_never_claims_fresh(fields: dict[str, Any]) -> None:
    text = status_text(_status(**fields), NOW)
    assert text.level == "stale" and text.marker == "内容可能已过期"


def test_status_empty_and_other_year() -> None:
    assert status_text(_status(sequence=None), NOW).text == "暂无内容"
    # 2025-12-31 16:05 UTC is already 2026 in the hall: same year as now, so no year shown.
    new_year = _status(last_success=datetime(2025, 12, 31, 16, 5, tzinfo=UTC), last_error="x")
    assert status_text(new_year, NOW).as_of == "内容更新于 1月1日 00:05"
    older = _status(last_success=datetime(2024, 6, 1, 1, 0, tzinfo=UTC), last_error="x")
    assert status_text(older, NOW).as_of == "内容更新于 2024年6月1日 09:00"


def test_clock_text() -> None:
    assert clock_text(NOW) == "11月25日 星期三 10:00"


def test_timestamp_text_is_in_the_hall_time() -> None:
    assert timestamp_text(datetime(2025, 11, 20, 1, 30, 5, tzinfo=UTC)) == "2025年11月20日 09:30:05"
    assert timestamp_text(datetime(2025, 11, 20, 23, 0, 0)) == "2025年11月21日 07:00:00"  # naive: UTC
    assert timestamp_text(None) == "从未"


def test_snapshot_watcher_applies_only_at_navigation() -> None:
    version = [7]
    watcher = SnapshotWatcher(lambda: version[0])
    assert not watcher.poll() and watcher.version == 7
    version[0] = 8
    assert watcher.poll() and watcher.pending and watcher.version == 7  # reader keeps the old screen
    version[0] = 9
    assert watcher.poll()
    assert watcher.apply() and watcher.version == 9 and not watcher.pending
    assert not watcher.apply()


def test_catalog_tree() -> None:
    catalog = Catalog.model_validate(
        {
            "kind": "catalog",
            "id": "catalog",
            "nodes": [
                {"id": "gov", "title": "政务公开", "domain": "government"},
                {"id": "gov.fees", "title": "收费", "parent": "gov", "domain": "government", "order": 2},
                {"id": "gov.org", "title": "机构", "parent": "gov", "domain": "government", "order": 1},
                {"id": "gov.fees.2026", "title": "2026", "parent": "gov.fees", "domain": "government"},
                {"id": "party", "title": "党务公开", "domain": "party"},
            ],
        }
    )
    tree = CatalogTree(catalog)
    assert [n.id for n in tree.roots("government")] == ["gov"]
    assert [n.id for n in tree.children("gov")] == ["gov.org", "gov.fees"]
    assert [n.id for n in tree.path("gov.fees.2026")] == ["gov", "gov.fees", "gov.fees.2026"]
    assert tree.is_leaf("gov.fees.2026") and not tree.is_leaf("gov")
    assert tree.path("nope") == [] and tree.node("nope") is None
    assert CatalogTree(None).roots("party") == []
