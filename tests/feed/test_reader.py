"""StoreReader: what the apps see — targeting, validity, catalogue trees, paging, status, versions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from feed.api import HallHeading
from feed.config import DeviceConfig
from feed.errors import FeedError
from feed.format.canonical import sha256_hex
from feed.schema import Record
from feed.store import Store
from feed.store.reader import StoreReader
from tests.feed.store_samples import (
    base_records,
    guide,
    hall,
    hashed,
    item,
    manifest,
    manifest_bytes,
    targets,
)

TODAY = date(2026, 11, 25)


def build(cache: Path, records: list[Record], sequence: int = 1, **manifest_args: object) -> None:
    with Store.open(cache) as store:
        m = manifest(sequence, **manifest_args)  # type: ignore[arg-type]
        store.commit_snapshot(m, manifest_bytes(m), hashed(records))


def reader(cache: Path, device: DeviceConfig | None = None, **kwargs: object) -> StoreReader:
    return StoreReader.open(cache, device, lambda: TODAY, **kwargs)  # type: ignore[arg-type]


def test_empty_store_reads_as_empty(tmp_path: Path) -> None:
    with reader(tmp_path) as r:
        assert r.hall() is None and r.hall_heading() is None and r.catalog() is None
        assert r.items_in("gov") == [] and r.count_items("gov") == 0
        assert r.search("bdc") == [] and r.headlines() == []
        status = r.status()
        assert status.sequence is None and not status.stale
        assert r.snapshot_version() == 0


def test_missing_store_without_create_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FeedError, match="no store here"):
        StoreReader.open(tmp_path / "nothing", create=False)


def test_catalogue_descendants_newest_first_and_paged(tmp_path: Path) -> None:
    records = base_records() + [
        item(f"budget-{n}", f"预算公开第{n}号", node="gov-budget", published=date(2025, 1, n))
        for n in range(1, 21)
    ]
    build(tmp_path, records)
    with reader(tmp_path) as r:
        assert r.count_items("gov") == 23  # budget (21) + final + staff, not the party item
        assert r.count_items("gov-finance") == 22
        assert r.count_items("gov-staff") == 1
        assert r.count_items("party") == 1
        first = r.items_in("gov", limit=5)
        assert [s.id for s in first] == [
            "final-2025",
            "staff-notice",
            "budget-2026",
            "budget-20",
            "budget-19",
        ]
        page = r.items_in("gov", offset=5, limit=5)
        assert [s.id for s in page] == [f"budget-{n}" for n in range(18, 13, -1)]
        assert r.items_in("gov", offset=100) == []
        leaf = r.items_in("gov-final")
        assert [(s.id, s.publisher, s.published) for s in leaf] == [
            ("final-2025", "清河区人民政府", date(2026, 6, 1))
        ]
        catalog = r.catalog()
        assert catalog is not None and {n.id for n in catalog.nodes} >= {"gov", "gov-budget"}


def test_items_outside_their_validity_window_are_hidden(tmp_path: Path) -> None:
    build(
        tmp_path,
        [
            item("current", "当前有效", valid_from=date(2026, 11, 1), valid_until=TODAY),
            item("future", "尚未生效", valid_from=TODAY + timedelta(days=1)),
            item("expired", "已经失效", valid_until=TODAY - timedelta(days=1)),
        ],
    )
    with reader(tmp_path) as r:
        assert [s.id for s in r.items_in("gov-budget")] == ["current"]
        assert r.item("future") is None and r.item("expired") is None
        assert r.item("current") is not None
        assert [h.id for h in r.search("失效")] == []
    with StoreReader.open(tmp_path, today=lambda: TODAY + timedelta(days=1)) as tomorrow:
        assert {s.id for s in tomorrow.items_in("gov-budget")} == {"future"}


def test_targeting_hides_records_meant_for_other_halls_and_groups(tmp_path: Path) -> None:
    build(
        tmp_path,
        [
            hall("qinghe", "清河区政务服务中心"),
            hall("beiyuan", "北苑街道便民服务中心"),
            item("everyone", "全体可见"),
            item("qinghe-only", "仅清河", targets=targets(halls=["qinghe"])),
            item("beiyuan-only", "仅北苑", targets=targets(halls=["beiyuan"])),
            item("led-group", "仅大屏组", targets=targets(groups=["led"])),
            item("qinghe-kiosk", "清河自助机", targets=targets(halls=["qinghe"], groups=["kiosk"])),
            guide("g-beiyuan", "北苑专属指南", targets=targets(halls=["beiyuan"])),
        ],
    )
    kiosk = DeviceConfig(id="kiosk-1", hall="qinghe", groups=["kiosk", "floor-1"])
    with reader(tmp_path, kiosk) as r:
        assert {s.id for s in r.items_in("gov-budget")} == {"everyone", "qinghe-only", "qinghe-kiosk"}
        assert r.item("beiyuan-only") is None and r.guide("g-beiyuan") is None
        assert r.count_guides() == 0
        assert r.hall() is not None and r.hall().id == "qinghe"  # type: ignore[union-attr]
        assert r.hall_heading() == HallHeading(
            "清河区政务服务中心", "清河区政务服务中心", ("周一至周五 9:00-17:00",)
        )
    led = DeviceConfig(id="led-1", hall="beiyuan", groups=["led"])
    with reader(tmp_path, led) as r:
        assert {s.id for s in r.items_in("gov-budget")} == {"everyone", "beiyuan-only", "led-group"}
        assert [h.id for h in r.search("北苑")] == ["g-beiyuan", "beiyuan-only"]  # title start first
        assert r.hall().id == "beiyuan"  # type: ignore[union-attr]
        assert r.hall_heading() is not None and r.hall_heading().name == "北苑街道便民服务中心"  # type: ignore[union-attr]
    unplaced = DeviceConfig(id="spare")
    with reader(tmp_path, unplaced) as r:
        assert {s.id for s in r.items_in("gov-budget")} == {"everyone"}
    with reader(tmp_path) as admin:  # no device: everything
        assert admin.count_items("gov-budget") == 5


def test_guides_filters_facets_and_hot(tmp_path: Path) -> None:
    build(tmp_path, base_records())
    with reader(tmp_path) as r:
        assert r.count_guides() == 5
        assert [g.id for g in r.hot_guides()] == ["realestate-transfer", "company-setup"]
        legal = r.guides(audience="legal")
        assert {g.id for g in legal} == {"company-setup", "bank-account"}
        assert all(g.audiences == ("legal",) for g in legal)
        assert [g.id for g in r.guides(topic="养老")] == ["pension-claim"]
        assert r.count_guides(department="清河区市场监管局") == 2
        assert r.count_guides(department="清河区市场监管局", audience="legal", topic="开办企业") == 1
        assert r.departments()[0] == ("清河区市场监管局", 2)
        assert ("社会保障", 1) in r.topics()
        assert [g.id for g in r.guides(offset=1, limit=1)] == ["company-setup"]
        first = r.guides(limit=1)[0]
        assert (first.hot, first.visits, first.online_full) == (True, 1, False)
        detail = r.guide("realestate-transfer")
        assert detail is not None and detail.keywords == ["过户", "买房"]
        assert r.featured_items()[0].id == "budget-2026"


def test_status_staleness_and_sync_history(tmp_path: Path) -> None:
    build(tmp_path, base_records(), sequence=7, expires_in=timedelta(hours=1))
    issued = manifest(7).signed.issued
    with Store.open(tmp_path) as store:
        store.record_attempt(at=issued, source="http://127.0.0.1:9/feed/", error=None, success=True)
        store.record_attempt(
            at=issued + timedelta(hours=2), source="http://127.0.0.1:9/feed/", error="HTTP 503"
        )
    with reader(tmp_path, clock=lambda: issued + timedelta(minutes=30)) as fresh:
        status = fresh.status()
        assert (status.feed_id, status.sequence, status.stale) == ("qinghe", 7, False)
        assert status.counts == {"catalog": 1, "guide": 5, "hall": 1, "headline": 1, "item": 4}
        assert status.last_success == issued and status.last_error == "HTTP 503"
        assert status.last_attempt == issued + timedelta(hours=2)
    with reader(tmp_path, clock=lambda: issued + timedelta(hours=1)) as late:
        assert late.status().stale


def test_snapshot_version_changes_when_another_connection_commits(tmp_path: Path) -> None:
    build(tmp_path, base_records())
    with reader(tmp_path) as r:
        before = r.snapshot_version()
        assert r.guide("pension-claim").title == "城乡居民养老保险待遇申领"  # type: ignore[union-attr]
        changed = [g for g in base_records() if g.id != "pension-claim"]
        changed.append(guide("pension-claim", "城乡居民养老保险待遇申领（修订）"))
        build(tmp_path, changed, sequence=2)
        after = r.snapshot_version()
        assert after > before
        # The parsed-record cache is keyed by content hash: the new snapshot is never served stale.
        assert r.guide("pension-claim").title == "城乡居民养老保险待遇申领（修订）"  # type: ignore[union-attr]
        with Store.open(tmp_path) as store:
            store.record_attempt(at=datetime.now(UTC), source="dir", error="unreachable")
        assert r.snapshot_version() > after


def test_blob_path_only_for_verified_objects(tmp_path: Path) -> None:
    data = b"\x89PNG fake image bytes"
    digest = sha256_hex(data)
    with Store.open(tmp_path) as store:
        store.objects.put(digest, len(data), data, blob=True)
    with reader(tmp_path) as r:
        path = r.blob_path(digest)
        assert path is not None and path.read_bytes() == data
        assert r.blob_path("0" * 64) is None
        assert r.blob_path("../../etc/passwd") is None
        path.write_bytes(b"tampered on disk, same name")
        assert r.blob_path(digest) is None
