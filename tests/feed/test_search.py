"""Search: Chinese substrings of any length, full pinyin, initials, mixes, polyphones, ranking."""

from __future__ import annotations

from pathlib import Path

import pytest

from feed.schema import Record
from feed.search.pinyin import readings, segmentations
from feed.store import Store
from feed.store.reader import StoreReader
from tests.feed.store_samples import base_records, guide, hashed, item, manifest, manifest_bytes


def open_with(cache: Path, records: list[Record]) -> StoreReader:
    with Store.open(cache) as store:
        m = manifest(1)
        store.commit_snapshot(m, manifest_bytes(m), hashed(records))
    return StoreReader.open(cache)


@pytest.fixture
def reader(tmp_path: Path) -> StoreReader:
    extra: list[Record] = [
        item(
            "notice-realestate",
            "关于不动产登记窗口调整的通知",
            node="gov-staff",
            body="自下月起办理时间调整。",
        ),
        item("bank-rates", "本区银行网点营业时间公告", node="gov-staff"),
        item(
            "body-only",
            "社区工作简报",
            node="gov-staff",
            body="本期介绍了不动产登记便民措施和养老服务。",
        ),
    ]
    r = open_with(tmp_path, base_records() + extra)
    yield r
    r.close()


def ids(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [h.id for h in hits]


def test_initials_find_the_title(reader: StoreReader) -> None:
    hits = reader.search("bdc")
    assert hits[0].id == "realestate-transfer" and hits[0].matched == "initials"
    assert "notice-realestate" in ids(hits)  # 不动产 inside the title ranks after the title start
    assert ids(hits).index("notice-realestate") > 0


def test_full_pinyin_and_mixed_pinyin(reader: StoreReader) -> None:
    for query in (
        "budongchan",
        "budongchandengji",
        "budongchandj",
        "bdcdengji",
        "BuDongChan",
        "bu dong chan",
    ):
        hits = reader.search(query)
        assert hits and hits[0].id == "realestate-transfer", query
        assert hits[0].matched in ("pinyin", "initials"), query
    assert reader.search("budongchandengji")[0].matched == "pinyin"


def test_unfinished_last_syllable_matches_while_typing(reader: StoreReader) -> None:
    assert reader.search("budongch")[0].id == "realestate-transfer"
    assert reader.search("qiye")[0].id == "company-setup"


def test_polyphonic_characters_are_found_by_every_reading(reader: StoreReader) -> None:
    assert reader.search("cq")[0].id == "chongqing-transfer"  # 重庆: chong, not zhong
    assert reader.search("chongqing")[0].id == "chongqing-transfer"
    assert reader.search("yh")[0].id == "bank-account"  # 银行: hang, not xing
    assert reader.search("yinhang")[0].id == "bank-account"
    # Rarer readings are indexed too, and rank below the context-aware one.
    zhong = reader.search("zq")
    assert ids(zhong) == ["chongqing-transfer"]
    assert zhong[0].score < reader.search("cq")[0].score


def test_chinese_substrings_of_one_two_and_more_characters(reader: StoreReader) -> None:
    one = reader.search("籍")
    assert ids(one) == ["chongqing-transfer"] and one[0].matched == "title"
    two = reader.search("登记")
    assert {"realestate-transfer", "company-setup", "notice-realestate"} <= set(ids(two))
    three = reader.search("不动产登记")
    assert ids(three)[:2] == ["realestate-transfer", "notice-realestate"]
    assert reader.search("不存在的事项") == []


def test_keywords_and_body_rank_below_titles(reader: StoreReader) -> None:
    hits = reader.search("过户")
    assert ids(hits) == ["realestate-transfer"] and hits[0].matched == "keywords"
    assert reader.search("guohu")[0].id == "realestate-transfer"
    hits = reader.search("便民措施")
    assert ids(hits) == ["body-only"] and hits[0].matched == "body"
    mixed = reader.search("不动产")
    assert mixed[-1].id == "body-only" and mixed[-1].matched == "body"
    assert [h.matched for h in mixed[:2]] == ["title", "title"]


def test_ranking_title_start_then_hot_then_shorter(tmp_path: Path) -> None:
    r = open_with(
        tmp_path,
        [
            item("long", "社保卡申领和补换流程说明", node="gov-staff"),
            item("short", "社保卡申领", node="gov-staff"),
            guide("hot", "社保卡申领补换", hot=True, hot_rank=3),
            guide("hotter", "社保卡挂失", hot=True, hot_rank=1),
            item("inside", "关于社保卡的通知", node="gov-staff"),
            item("kw", "医疗费用报销", node="gov-staff", keywords=["社保卡"]),
        ],
    )
    with r:
        hits = r.search("社保卡")
        assert ids(hits) == ["hotter", "hot", "short", "long", "inside", "kw"]
        scores = [h.score for h in hits]
        assert scores == sorted(scores, reverse=True)
        assert ids(r.search("sbk")) == ["hotter", "hot", "short", "long", "inside", "kw"]
        assert len(r.search("sbk", limit=2)) == 2


def test_query_normalisation(reader: StoreReader) -> None:
    assert reader.search("ＢＤＣ")[0].id == "realestate-transfer"  # full-width letters
    assert reader.search("  不动产 登记 ")[0].id == "realestate-transfer"
    assert reader.search("") == [] and reader.search("  ，。 ") == []
    assert reader.search("bdc", limit=0) == []


def test_hostile_queries_do_not_break_the_sql(reader: StoreReader) -> None:
    for query in ['"', "title:*", "a OR b", "'; DROP TABLE records; --", "*", "%_", "NEAR(a b)", "x" * 500]:
        reader.search(query)
    assert reader.search("bdc")[0].id == "realestate-transfer"


def test_pinyin_keys_and_segmentations() -> None:
    assert ("chong", "qing") in readings("重庆") and ("zhong", "qing") in readings("重庆")
    assert readings("重庆")[0] == ("chong", "qing")  # the context-aware reading comes first
    assert readings("银行")[0] == ("yin", "hang")
    assert readings("A4纸")[0] == ("a", "4", "zhi")
    assert ["xi", "an"] in segmentations("xian") and ["xian"] in segmentations("xian")
    assert segmentations("budongchandj")[0] == ["bu", "dong", "chan", "d", "j"]
    assert segmentations("bdc") == [["b", "d", "c"]]
