"""Small, realistic records and snapshots for the store, search, reader and outbox tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from feed.format.canonical import canonical_bytes, sha256_hex
from feed.format.manifest import FORMAT, Manifest, SignedManifest
from feed.schema import Catalog, CatalogNode, Guide, Hall, Headline, Item, Record
from feed.schema.common import Targets
from feed.schema.guide import Online, Place, TimeLimit
from feed.schema.item import Review

REVIEW = Review(
    status="approved", reviewed_by="办公室", reviewed_on=date(2026, 1, 5), confidentiality_checked=True
)


def item(record_id: str, title: str, node: str = "gov-budget", **fields: Any) -> Item:
    values: dict[str, Any] = {"publisher": "清河区人民政府", "published": date(2026, 3, 1), "review": REVIEW}
    values.update(fields)
    return Item(kind="item", id=record_id, node=node, title=title, **values)


def guide(record_id: str, title: str, **fields: Any) -> Guide:
    values: dict[str, Any] = {
        "matter_type": "公共服务",
        "department": "清河区不动产登记中心",
        "audiences": ["personal"],
        "handling_type": "promised",
        "time_limit": TimeLimit(statutory_days=30, promised_days=5),
        "place": Place(address="清河区政务服务中心二楼", hours="周一至周五 9:00-17:00"),
        "updated": date(2026, 2, 1),
        "online": Online(available=True, depth="apply", visits=1),
    }
    values.update(fields)
    return Guide(kind="guide", id=record_id, title=title, **values)


def headline(record_id: str, text: str, **fields: Any) -> Headline:
    return Headline(kind="headline", id=record_id, text=text, **fields)


def catalog() -> Catalog:
    nodes = [
        CatalogNode(id="gov", title="政务公开", domain="government"),
        CatalogNode(id="gov-finance", title="财政信息", parent="gov", domain="government"),
        CatalogNode(id="gov-budget", title="预算", parent="gov-finance", domain="government"),
        CatalogNode(id="gov-final", title="决算", parent="gov-finance", domain="government"),
        CatalogNode(id="gov-staff", title="人事信息", parent="gov", domain="government"),
        CatalogNode(id="party", title="党务公开", domain="party"),
        CatalogNode(id="party-org", title="组织建设", parent="party", domain="party"),
    ]
    return Catalog(kind="catalog", id="main", nodes=nodes)


def hall(record_id: str = "qinghe", name: str = "清河区政务服务中心") -> Hall:
    return Hall(
        kind="hall", id=record_id, name=name, address="清河区清河大道1号", hours=["周一至周五 9:00-17:00"]
    )


def targets(halls: Sequence[str] = (), groups: Sequence[str] = ()) -> Targets:
    return Targets(halls=list(halls), groups=list(groups))


def hashed(records: Sequence[Record]) -> list[tuple[str, Record]]:
    return [(sha256_hex(canonical_bytes(r.model_dump(mode="json"))), r) for r in records]


def manifest(
    sequence: int, *, feed_id: str = "qinghe", expires_in: timedelta = timedelta(days=7)
) -> Manifest:
    issued = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    signed = SignedManifest(
        format=FORMAT,
        feed_id=feed_id,
        sequence=sequence,
        issued=issued,
        expires=issued + expires_in,
        shards=[],
    )
    return Manifest(signed=signed, signatures=[])


def manifest_bytes(m: Manifest) -> bytes:
    return canonical_bytes(m.model_dump(mode="json"))


def base_records() -> list[Record]:
    return [
        catalog(),
        hall(),
        item("budget-2026", "2026年区级部门预算公开", node="gov-budget", featured=True, keywords=["预算"]),
        item("final-2025", "2025年区级决算公开", node="gov-final", published=date(2026, 6, 1)),
        item("staff-notice", "公开招聘社区工作者公告", node="gov-staff", published=date(2026, 5, 2)),
        item("party-meeting", "党支部组织生活会情况通报", node="party-org", published=date(2026, 4, 1)),
        guide(
            "realestate-transfer", "不动产登记（转移登记）", hot=True, hot_rank=1, keywords=["过户", "买房"]
        ),
        guide(
            "pension-claim",
            "城乡居民养老保险待遇申领",
            department="清河区人社局",
            topics=["社会保障", "养老"],
        ),
        guide(
            "company-setup",
            "企业设立登记",
            department="清河区市场监管局",
            audiences=["legal"],
            topics=["开办企业"],
            hot=True,
            hot_rank=2,
        ),
        guide("chongqing-transfer", "重庆户籍迁入办理", department="清河区公安分局", topics=["户籍"]),
        guide("bank-account", "银行开户证明材料查询", department="清河区市场监管局", audiences=["legal"]),
        headline("welcome", "欢迎来到清河区政务服务中心"),
    ]
