"""The bundled demo feed source (assets/demo) loads through the real builder and has what demos need."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import pytest

from feed.assets import assets_dir
from feed.publish.source import LoadedSource, load_source
from feed.schema import Catalog, Guide, Hall, Headline, Item, blobs_of

DEMO = assets_dir() / "demo"
CST = timezone(timedelta(hours=8))
# The day the demo is written against; the active emergency must stay active well past it.
REFERENCE_TIME = datetime(2026, 11, 25, 10, 0, tzinfo=CST)
ALLOWED_HOSTS = {"www.qinghe.example", "zwfw.qinghe.example"}
NINE_PARTY_CATEGORIES = {
    "机关党组和党支部建设情况",
    "领导班子分工",
    "党务工作计划和重点工作完成情况",
    "党内重大事项决策",
    "党员发展",
    "党费收缴及使用情况",
    "党风廉政建设",
    "思想教育和“三会一课”",
    "其他",
}

HIGH_FREQUENCY_SERVICES = (
    "企业设立",
    "企业注销",
    "个体工商户",
    "不动产转移",
    "不动产首次",
    "抵押",
    "城乡居民基本养老",
    "企业职工基本养老",
    "出生",
    "入学",
    "居民身份证",
    "医疗保险",
    "公积金",
    "食品经营",
)


@pytest.fixture(scope="module")
def source() -> LoadedSource:
    return load_source(DEMO)


def _of(source: LoadedSource, kind: type[Any]) -> list[Any]:
    return [record for record in source.records if isinstance(record, kind)]


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _active(headline: Headline, at: datetime) -> bool:
    starts = headline.valid_from is None or headline.valid_from <= at
    ends = headline.valid_until is None or at <= headline.valid_until
    return starts and ends


def test_every_yaml_file_is_read_by_the_builder(source: LoadedSource) -> None:
    read = {origin.file.resolve() for origin in source.origins.values()}
    on_disk = {p.resolve() for p in DEMO.rglob("*.y*ml")} - {(DEMO / "feed.yaml").resolve()}
    assert on_disk - read == set(), "YAML files the builder ignores (wrong folder or name?)"


def test_feed_settings_keep_the_demo_fresh(source: LoadedSource) -> None:
    assert source.feed_id == "qinghe-demo"
    assert source.expires_days == 3650


def test_record_counts(source: LoadedSource) -> None:
    counts = source.counts()
    assert counts["item"] >= 36
    assert counts["guide"] >= 14
    assert counts["headline"] >= 12
    assert counts["hall"] == 1
    assert counts["catalog"] == 1


def test_ids_are_unique_per_kind(source: LoadedSource) -> None:
    seen = Counter((record.kind, record.id) for record in source.records)
    assert [key for key, n in seen.items() if n > 1] == []


def test_catalogue_has_the_three_domains_and_nine_party_categories(source: LoadedSource) -> None:
    (catalog,) = _of(source, Catalog)
    roots = {node.id: node for node in catalog.nodes if node.parent is None}
    assert {node.domain for node in roots.values()} == {"party", "government", "notice"}
    party_root = next(node.id for node in roots.values() if node.domain == "party")
    categories = {node.title for node in catalog.nodes if node.parent == party_root}
    assert categories == NINE_PARTY_CATEGORIES
    government = [node for node in catalog.nodes if node.domain == "government" and node.parent]
    assert sum(1 for node in government if node.basis and node.time_limit and node.publisher) >= 6


def test_every_item_is_filed_under_an_existing_node(source: LoadedSource) -> None:
    (catalog,) = _of(source, Catalog)
    nodes = {node.id for node in catalog.nodes}
    assert [item.id for item in _of(source, Item) if item.node not in nodes] == []


def test_items_are_reviewed_and_realistic(source: LoadedSource) -> None:
    items: list[Item] = _of(source, Item)
    for item in items:
        assert item.review.status == "approved" and item.review.confidentiality_checked, item.id
        assert item.published.year == 2026 and item.published <= REFERENCE_TIME.date(), item.id
        assert item.review.reviewed_on <= (item.updated or item.published), item.id
        assert item.publisher and item.original_url and item.keywords, item.id
        assert item.body.count("\n\n") >= 2, f"{item.id}: body should have several paragraphs"
        assert "。" in item.body and "，" in item.body, item.id
    domains = {node.id: node.domain for node in _of(source, Catalog)[0].nodes}
    per_domain = Counter(domains[item.node] for item in items)
    assert min(per_domain.values()) >= 8, per_domain
    assert sum(item.featured for item in items) >= 3
    assert sum(bool(item.doc_number) for item in items) >= 8
    assert max(len(item.body) for item in items) >= 900, "one item must be long enough to scroll"


def test_markup_like_title_is_present(source: LoadedSource) -> None:
    titles = [item.title for item in _of(source, Item)]
    assert any("[b]" in title and "&" in title for title in titles)


def test_media_are_referenced_small_and_matched(source: LoadedSource) -> None:
    referenced = {blob.sha256: blob for record in source.records for blob in blobs_of(record)}
    media_files = sorted((DEMO / "media").iterdir())
    on_disk = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in media_files}
    assert set(on_disk) == set(referenced), "every media file is used and every reference exists"
    for sha, path in on_disk.items():
        assert referenced[sha].size == path.stat().st_size
        if path.suffix == ".png":
            assert referenced[sha].media_type == "image/png"
            assert path.stat().st_size < 200 * 1024, path.name
    items: list[Item] = _of(source, Item)
    assert sum(bool(item.images) for item in items) >= 3
    assert sum(1 for item in items for a in item.attachments if a.blob is not None) >= 2


def test_guides_cover_the_high_frequency_services(source: LoadedSource) -> None:
    guides: list[Guide] = _of(source, Guide)
    titles = " ".join(guide.title for guide in guides)
    for service in HIGH_FREQUENCY_SERVICES:
        assert service in titles, service
    for guide in guides:
        assert guide.basic_code is not None and len(guide.basic_code) == 12, guide.id
        assert guide.materials and guide.steps and guide.legal_basis, guide.id
        assert all(step.office and step.time_limit for step in guide.steps), guide.id
        assert 2 <= len(guide.faq) <= 4, guide.id
        assert guide.place.windows and guide.place.hours, guide.id
        assert guide.contacts.consult_phone and guide.contacts.consult_phone.startswith("0000-"), guide.id
        assert guide.guide_url and guide.online.url, guide.id
        assert guide.keywords and guide.topics, guide.id
        if guide.fees.charged:
            assert all(item.standard and item.basis for item in guide.fees.items), guide.id
    assert any(g.handling_type == "immediate" and g.time_limit.promised_days == 0 for g in guides)
    assert any(g.online.depth == "full" and g.online.visits == 0 for g in guides)
    assert any(g.online.visits == 1 for g in guides)
    assert any(g.fees.charged for g in guides)
    assert sum(not g.fees.charged for g in guides) > len(guides) // 2, "most services are free"
    assert {"personal", "legal"} <= {a for g in guides for a in g.audiences}
    assert any(m.necessity == "waivable" for g in guides for m in g.materials), "容缺 materials"
    assert any(m.blank_form is not None for g in guides for m in g.materials)
    assert len({g.department for g in guides}) >= 8


def test_hot_guides_have_distinct_ranks(source: LoadedSource) -> None:
    hot = [g for g in _of(source, Guide) if g.hot]
    assert 6 <= len(hot) <= 10
    ranks = [g.hot_rank for g in hot]
    assert None not in ranks and len(set(ranks)) == len(ranks)


def test_headlines_schedule_for_demos(source: LoadedSource) -> None:
    headlines: list[Headline] = _of(source, Headline)
    for headline in headlines:
        assert 10 <= len(headline.text) <= 60, headline.id
    emergencies = [h for h in headlines if h.emergency]
    active = [h.id for h in emergencies if _active(h, REFERENCE_TIME)]
    expired = [h for h in emergencies if h.valid_until and h.valid_until < REFERENCE_TIME]
    assert len(active) == 1
    assert len(expired) >= 1
    assert all(_active(h, datetime(2027, 12, 1, tzinfo=CST)) for h in emergencies if h.id in active)
    # The active emergency is confined to a day-part, or the demo screen would show nothing else.
    assert all(h.dayparts for h in emergencies if h.id in active)
    normal = [h for h in headlines if not h.emergency]
    assert {h.priority for h in normal} >= {1, 7}
    assert any(h.dayparts and h.dayparts[0].start.hour < 12 for h in normal), "a morning headline"
    assert any(h.priority <= 2 and h.dayparts and h.dayparts[0].start.hour >= 17 for h in normal)
    assert any(h.valid_from and h.valid_from.year == 2027 for h in normal), "due later in the demo"


def test_hall(source: LoadedSource) -> None:
    (hall,) = _of(source, Hall)
    assert len(hall.windows) >= 12
    assert "三个工作日" in hall.reply_promise and "当场答复" in hall.reply_promise
    hours = " ".join(hall.hours)
    assert "延时" in hours and "预约" in hours and "周六" in hours
    assert hall.phone and hall.portal_url


def test_all_urls_stay_on_the_reserved_demo_domain(source: LoadedSource) -> None:
    urls = [s for record in source.records for s in _strings(record.model_dump(mode="json")) if "://" in s]
    assert urls
    assert {urlsplit(url).hostname for url in urls} <= ALLOWED_HOSTS


def test_dates_are_plausible(source: LoadedSource) -> None:
    for guide in _of(source, Guide):
        assert date(2026, 1, 1) <= guide.updated <= REFERENCE_TIME.date(), guide.id
