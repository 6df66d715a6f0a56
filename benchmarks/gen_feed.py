"""Generate a realistic, deterministic feed of N disclosure items plus guides, headlines, a catalogue
and the hall, signed and written with the real publisher (`write_feed`).

    python -m benchmarks.gen_feed OUT --items 10000 [--key K] [--sequence 1]

`generate_feed(out_dir, n_items, key)` is the library entry point the benchmarks use.
"""

from __future__ import annotations

import argparse
import hashlib
import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from nacl.signing import SigningKey

from feed.format.signing import load_signing_key
from feed.publish.writer import BuiltFeed, write_feed
from feed.schema import (
    BlobRef,
    Catalog,
    CatalogNode,
    Guide,
    Hall,
    Headline,
    Image,
    Item,
    Material,
    Record,
    Review,
    Step,
    TimeLimit,
    Window,
)
from feed.schema.guide import Place

FEED_ID = "bench-feed"

DISTRICTS = ["青禾市", "东城区", "西湖区", "南山区", "北塘区", "高新区", "临江县", "云岭镇"]
DEPARTMENTS = [
    "市场监督管理局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "住房和城乡建设局",
    "卫生健康委员会",
    "教育局",
    "民政局",
    "公安局",
    "税务局",
    "医疗保障局",
    "生态环境局",
    "交通运输局",
    "财政局",
    "司法局",
]
TOPICS = [
    "优化营商环境",
    "不动产登记",
    "企业开办",
    "养老保险待遇",
    "新生儿出生登记",
    "义务教育招生",
    "住房公积金提取",
    "城乡居民医疗保险",
    "个体工商户登记",
    "食品经营许可",
    "道路运输许可",
    "社会救助",
    "公共租赁住房",
    "高龄津贴发放",
    "退役军人优待",
    "残疾人两项补贴",
    "就业创业补贴",
    "老旧小区改造",
]
DOC_TYPES = ["通知", "实施方案", "公告", "工作要点", "政策解读", "办事指南说明", "公示", "工作报告"]
SERVICES = [
    "企业设立登记",
    "企业注销登记",
    "个体工商户设立登记",
    "不动产首次登记",
    "不动产转移登记",
    "职工养老保险待遇申领",
    "城乡居民养老保险待遇申领",
    "新生儿出生登记",
    "义务教育入学报名",
    "住房公积金提取",
    "医保异地就医备案",
    "居民身份证换领",
    "食品经营许可",
    "残疾人证办理",
    "失业保险金申领",
    "灵活就业人员参保登记",
    "结婚登记",
    "临时救助申请",
    "高龄津贴申领",
    "公租房申请",
]
SENTENCES = [
    "为进一步深化“放管服”改革，提升政务服务便利化水平，现将有关事项通知如下。",
    "申请人可通过政务服务网、掌上办事应用或前往政务服务大厅综合窗口办理。",
    "各有关单位要高度重视，明确责任分工，确保各项工作按时保质完成。",
    "对符合条件的申请，承诺在法定时限内办结，并通过短信告知办理结果。",
    "本通知自发布之日起施行，执行中遇到的问题请及时向主管部门反映。",
    "办理过程中不收取任何费用，群众可通过12345热线对服务质量进行评价。",
    "材料齐全、符合法定形式的，窗口工作人员当场受理并出具受理凭证。",
    "请广大群众合理安排办事时间，错峰前往，避免长时间排队等候。",
]


def _blob(seed: int, size: int = 2048) -> tuple[bytes, BlobRef]:
    data = hashlib.sha256(str(seed).encode()).digest() * (size // 32)
    return data, BlobRef(sha256=hashlib.sha256(data).hexdigest(), size=len(data), media_type="image/png")


def catalog() -> Catalog:
    nodes = [
        CatalogNode(id="party", title="党务公开", domain="party", order=1),
        CatalogNode(id="gov", title="政务公开", domain="government", order=2),
        CatalogNode(id="notice", title="通知公告", domain="notice", order=3),
    ]
    for i, topic in enumerate(TOPICS):
        nodes.append(CatalogNode(id=f"gov.t{i:02d}", title=topic, parent="gov", domain="government", order=i))
    for i in range(9):
        nodes.append(
            CatalogNode(id=f"party.p{i}", title=f"党务公开事项{i + 1}", parent="party", domain="party")
        )
    return Catalog(kind="catalog", id="catalog", nodes=nodes)


def node_ids() -> list[str]:
    return [node.id for node in catalog().nodes if node.parent is not None] + ["notice"]


def make_item(
    i: int, rng: random.Random, nodes: Sequence[str], image: BlobRef | None, revision: int = 0
) -> Item:
    topic = TOPICS[i % len(TOPICS)]
    district = DISTRICTS[(i // len(TOPICS)) % len(DISTRICTS)]
    department = DEPARTMENTS[i % len(DEPARTMENTS)]
    doc_type = DOC_TYPES[(i * 7) % len(DOC_TYPES)]
    body = "\n\n".join("".join(rng.choice(SENTENCES) for _ in range(3)) for _ in range(rng.randint(2, 5)))
    published = date(2024, 1, 1) + timedelta(days=(i * 13) % 700)
    title = f"{district}{department}关于{topic}的{doc_type}（第{i + 1}号）"
    if revision:
        title += f"（修订{revision}）"
    return Item(
        kind="item",
        id=f"item-{i:06d}",
        node=nodes[i % len(nodes)],
        title=title,
        summary=f"{district}{department}发布{topic}相关{doc_type}。",
        body=body,
        publisher=f"{district}{department}",
        doc_number=f"青{department[:2]}〔{published.year}〕{i % 97 + 1}号",
        published=published,
        original_url=f"https://www.example.gov.cn/xxgk/{i}.html",
        images=[Image(blob=image, caption="示意图")] if image is not None else [],
        keywords=[topic, department],
        featured=i % 500 == 0,
        review=Review(
            status="approved", reviewed_by="办公室", reviewed_on=published, confidentiality_checked=True
        ),
    )


def make_guide(i: int, form: BlobRef | None) -> Guide:
    service = SERVICES[i % len(SERVICES)]
    department = DEPARTMENTS[i % len(DEPARTMENTS)]
    district = DISTRICTS[i % len(DISTRICTS)]
    return Guide(
        kind="guide",
        id=f"guide-{i:04d}",
        title=f"{service}（{district}）" if i >= len(SERVICES) else service,
        matter_type="公共服务" if i % 3 else "行政许可",
        department=f"{district}{department}",
        audiences=["personal"] if i % 2 else ["personal", "legal"],
        topics=[TOPICS[i % len(TOPICS)]],
        summary=f"办理{service}的条件、材料、流程和时限。",
        handling_type="promised",
        conditions=["申请人身份信息真实有效", "提交材料齐全并符合法定形式"],
        steps=[Step(name=name, office="综合受理窗口") for name in ("申请", "受理", "审核", "办结")],
        time_limit=TimeLimit(statutory_days=20, promised_days=5),
        place=Place(
            address=f"{district}政务服务中心一楼", windows=["A01", "A02"], hours="周一至周五 9:00-17:00"
        ),
        materials=[
            Material(name="申请表", blank_form=form),
            Material(name="居民身份证", copies=1),
            Material(name="相关证明材料", necessity="waivable"),
        ],
        hot=i < 12,
        hot_rank=i + 1 if i < 12 else None,
        keywords=[service[:4], TOPICS[i % len(TOPICS)]],
        updated=date(2025, 6, 1),
    )


def make_headline(i: int) -> Headline:
    return Headline(
        kind="headline",
        id=f"headline-{i:03d}",
        text=f"温馨提示：{SERVICES[i % len(SERVICES)]}可在网上办理，请扫描大厅二维码。",
        priority=i % 10,
    )


def hall() -> Hall:
    return Hall(
        kind="hall",
        id="hall",
        name="青禾市政务服务中心",
        address="青禾市人民路1号",
        hours=["周一至周五 9:00-12:00，13:30-17:00"],
        windows=[Window(number=f"A{n:02d}", name=f"综合受理{n}号窗口") for n in range(1, 21)],
    )


def build_records(
    n_items: int, *, n_guides: int = 300, n_headlines: int = 60, n_blobs: int = 40, seed: int = 7
) -> tuple[list[Record], dict[str, bytes]]:
    rng = random.Random(seed)
    blobs: dict[str, bytes] = {}
    refs: list[BlobRef] = []
    for b in range(n_blobs):
        data, ref = _blob(b)
        blobs[ref.sha256] = data
        refs.append(ref)
    nodes = node_ids()
    records: list[Record] = [catalog(), hall()]
    records += [
        make_item(i, rng, nodes, refs[i // 50 % n_blobs] if refs and i % 50 == 0 else None)
        for i in range(n_items)
    ]
    records += [
        make_guide(i, refs[i // 10 % n_blobs] if refs and i % 10 == 0 else None) for i in range(n_guides)
    ]
    records += [make_headline(i) for i in range(n_headlines)]
    return records, blobs


def generate_feed(
    out_dir: Path,
    n_items: int,
    key: SigningKey | None,
    *,
    sequence: int = 1,
    records: tuple[list[Record], dict[str, bytes]] | None = None,
) -> BuiltFeed:
    """Write a feed of `n_items` items (plus guides, headlines, catalogue, hall) into `out_dir`."""
    records_and_blobs = records or build_records(n_items)
    now = datetime.now(UTC)
    return write_feed(
        out_dir,
        feed_id=FEED_ID,
        records=records_and_blobs[0],
        blobs=records_and_blobs[1],
        sequence=sequence,
        issued=now,
        expires=now + timedelta(days=30),
        key=key,
    )


def change_one_item(records: list[Record], index: int = 0, revision: int = 1) -> list[Record]:
    """A copy of `records` with one item's title changed, as an editor's correction would."""
    changed = list(records)
    for pos, record in enumerate(changed):
        if isinstance(record, Item):
            if index == 0:
                changed[pos] = record.model_copy(update={"title": record.title + f"（修订{revision}）"})
                return changed
            index -= 1
    raise ValueError("no such item")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="generate a realistic N-item feed")
    parser.add_argument("out", type=Path)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--key", type=Path, help="secret key file; unsigned when omitted")
    parser.add_argument("--sequence", type=int, default=1)
    args = parser.parse_args(argv)
    key = load_signing_key(args.key) if args.key else None
    built = generate_feed(args.out, args.items, key, sequence=args.sequence)
    print(f"wrote {built.objects_written} objects ({built.bytes_written} bytes) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
