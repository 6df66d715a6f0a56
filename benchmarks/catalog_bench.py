"""Catalogue benchmark: what a large or badly shaped 公开目录 costs a device.

    python -m benchmarks.catalog_bench [--nodes 5000] [--items 5000]

Each sync runs in a child process, so its peak memory is its own. Prints, for
- a catalogue that is one chain of N nodes (refused: deeper than the 8 levels allowed), and
- the largest catalogue allowed, N nodes in chains of 8 levels, with items filed under them:
sync time, peak memory (max RSS) and store size, the ancestor table's rows; then, for the largest,
what the kiosk does on its UI thread: parse the catalogue, index it for browsing, and build the
rows of one catalogue page (a count of the items under every child, one query each).
"""

from __future__ import annotations

import argparse
import base64
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey

from benchmarks.report import report
from feed.format.canonical import canonical_bytes, sha256_hex
from feed.format.layout import MANIFEST_NAME, object_path
from feed.format.manifest import FORMAT, shard_of
from feed.format.signing import key_id
from feed.publish.writer import shard_count_for

KEY = SigningKey(b"c" * 32)
SYNC_CHILD = """
import json, resource, sys, time
from pathlib import Path
from nacl.signing import SigningKey
from feed.sync import SyncSettings, sync_once
started = time.perf_counter()
key = SigningKey(b"c" * 32).verify_key
result = sync_once(SyncSettings(sys.argv[1], Path(sys.argv[2]), pubkey=key, helper_min_records=10**9))
print(json.dumps({"seconds": time.perf_counter() - started, "summary": result.summary(),
                  "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def catalogue(count: int, depth: int) -> dict[str, Any]:
    """`count` nodes in chains of `depth` levels, as raw JSON (the models refuse what is too deep)."""
    nodes = [
        {
            "id": f"n{i}",
            "title": f"栏目{i}",
            "domain": "government",
            **({"parent": f"n{i - 1}"} if i % depth else {}),
        }
        for i in range(count)
    ]
    return {"kind": "catalog", "id": "catalog", "nodes": nodes}


def item(i: int, node: str) -> dict[str, Any]:
    day = (date(2025, 1, 1) + timedelta(days=i % 365)).isoformat()
    review = {
        "status": "approved",
        "reviewed_by": "办公室",
        "reviewed_on": day,
        "confidentiality_checked": True,
    }
    return {
        "kind": "item",
        "id": f"item-{i:06d}",
        "node": node,
        "title": f"公开事项{i}",
        "publisher": "青禾市",
        "published": day,
        "review": review,
    }


def write_raw_feed(root: Path, records: Sequence[dict[str, Any]]) -> None:
    """Write `records` as a signed feed, byte for byte as given: what any publisher could send."""

    def put(data: bytes) -> str:
        digest = sha256_hex(data)
        path = root / object_path(digest)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return digest

    by_kind: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        data = canonical_bytes(record)
        by_kind.setdefault(str(record["kind"]), []).append(
            {"id": record["id"], "sha256": put(data), "size": len(data)}
        )
    shards = []
    for kind, entries in sorted(by_kind.items()):
        n = shard_count_for(len(entries))
        for number in range(n):
            listed = sorted(
                (e for e in entries if shard_of(str(e["id"]), n) == number), key=lambda e: str(e["id"])
            )
            data = canonical_bytes({"kind": kind, "shard": number, "entries": listed})
            shards.append(
                {"kind": kind, "shard": number, "sha256": put(data), "size": len(data), "count": len(listed)}
            )
    now = datetime.now(UTC).replace(microsecond=0)
    signed = {"format": FORMAT, "feed_id": "catalog-bench", "sequence": 1, "issued": now.isoformat(),
              "expires": (now + timedelta(days=7)).isoformat(), "shards": shards}  # fmt: skip
    sig = KEY.sign(canonical_bytes(signed)).signature
    signature = {"key_id": key_id(bytes(KEY.verify_key)), "sig": base64.b64encode(sig).decode()}
    (root / MANIFEST_NAME).write_bytes(canonical_bytes({"signed": signed, "signatures": [signature]}))


def sync_in_child(feed: Path, cache: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", SYNC_CHILD, str(feed), str(cache)], capture_output=True, text=True, check=True
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    store = sum(p.stat().st_size for p in cache.iterdir() if p.is_file() and p.name.startswith("store.db"))
    figures["store_mb"] = store / 1e6
    return figures


def ancestor_rows(cache: Path) -> int:
    import sqlite3

    with sqlite3.connect(cache / "store.db") as conn:
        (rows,) = conn.execute("SELECT count(*) FROM catalog_paths").fetchone()
    conn.close()
    return int(rows)


def report_sync(key: str, label: str, figures: dict[str, Any], cache: Path) -> None:
    report(
        f"catalog.{key}_sync",
        f"feed: sync of {label}",
        figures["seconds"],
        "s",
        detail=(
            f"peak RSS {figures['max_rss_kib'] / 1024:.0f} MiB, store {figures['store_mb']:.1f} MB, "
            f"ancestor rows {ancestor_rows(cache):,}; {figures['summary'][:120]}"
        ),
    )


def ui_thread_work(cache: Path) -> None:
    from feed.store.reader import StoreReader
    from kiosk.logic.catalog_view import CatalogTree

    with StoreReader.open(cache) as reader:
        started = time.perf_counter()
        catalog = reader.catalog()
        parsed = time.perf_counter()
        tree = CatalogTree(catalog)
        indexed = time.perf_counter()
        roots = tree.roots("government")
        counts = [reader.count_items(node.id) for node in roots]
        rows = time.perf_counter()
        deepest = tree.path(catalog.nodes[-1].id) if catalog is not None else []
    report(
        "catalog.kiosk_rows",
        f"kiosk: a catalogue page of {len(roots)} rows with their item counts, on the UI thread",
        1000 * (rows - indexed),
        "ms",
        detail=(
            f"parse the catalogue {1000 * (parsed - started):.0f} ms, index it "
            f"{1000 * (indexed - parsed):.1f} ms; {sum(counts):,} items; deepest breadcrumb "
            f"{len(deepest)} levels"
        ),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--items", type=int, default=5000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="catalog-bench-") as tmp:
        work = Path(tmp)
        write_raw_feed(work / "chain", [catalogue(args.nodes, args.nodes)])
        report_sync(
            "chain",
            f"one chain of {args.nodes} nodes",
            sync_in_child(work / "chain", work / "c1"),
            work / "c1",
        )

        wide = catalogue(args.nodes, 8)
        items = [item(i, f"n{(i * 7) % args.nodes}") for i in range(args.items)]
        write_raw_feed(work / "wide", [wide, *items])
        figures = sync_in_child(work / "wide", work / "c2")
        report_sync("largest", f"{args.nodes} nodes, 8 levels, {args.items} items", figures, work / "c2")
        ui_thread_work(work / "c2")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
