"""Feed benchmark: a generated 10,000-item feed served by `hall-feed serve` on 127.0.0.1.

    python -m benchmarks.feed_bench [--items 10000] [--connections 8]

Prints, against the targets of the feed design:
- full sync time, and its ratio to downloading the same bytes with one keep-alive client (≤ 1.5);
- bytes moved by a one-item change (≤ 64 KiB);
- cost of a no-change poll (one request, < 1 KiB on the wire);
- search latency p50/p95 on the synced store (p95 ≤ 20 ms).
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
from nacl.signing import SigningKey

from benchmarks.gen_feed import build_records, change_one_item, generate_feed
from benchmarks.report import report
from feed.format.layout import MANIFEST_NAME, object_path
from feed.schema import blobs_of, parse_record
from feed.store import Store
from feed.store.reader import StoreReader
from feed.sync import SyncSettings, sync_once

QUERIES = [  # Chinese words, pinyin initials, full pinyin, numbers, a miss
    "不动产", "不动产登记", "养老保险", "企业开办", "公积金", "营商环境", "新生儿", "食品经营许可",
    "社会救助",
    "bdc", "bdcdj", "qykb", "gjj", "ylbx", "xsr",
    "budongchan", "yanglao", "gongjijin", "qiye", "jiuye",
    "医保", "通知", "第123号", "东城区", "zzz-nothing",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


SERVE = "import sys; from feed.cli import main; sys.exit(main())"


def start_server(feed_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-c", SERVE, "serve", str(feed_dir), "--port", str(port), "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(url + MANIFEST_NAME, timeout=1).raise_for_status()
            return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    stop_server(process)
    raise SystemExit("hall-feed serve did not come up")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def synced_paths(feed_dir: Path) -> list[str]:
    """What a sync into an empty cache fetches: the manifest, then every shard, record and distinct blob."""
    manifest = json.loads((feed_dir / MANIFEST_NAME).read_bytes())
    objects: dict[str, None] = {}
    for ref in manifest["signed"]["shards"]:
        objects[ref["sha256"]] = None
        shard = json.loads((feed_dir / object_path(ref["sha256"])).read_bytes())
        for entry in shard["entries"]:
            objects[entry["sha256"]] = None
            record = parse_record((feed_dir / object_path(entry["sha256"])).read_bytes())
            objects.update(dict.fromkeys(blob.sha256 for blob in blobs_of(record)))
    return [MANIFEST_NAME, *map(object_path, objects)]


def plain_download(url: str, paths: Sequence[str]) -> tuple[float, int]:
    """The yardstick: GET every file once, one after another, over one keep-alive connection."""
    total = 0
    started = time.perf_counter()
    with httpx.Client(timeout=20) as client:
        for path in paths:
            response = client.get(url + path)
            response.raise_for_status()
            total += len(response.content)
    return time.perf_counter() - started, total


def no_change_wire_bytes(url: str, cache: Path) -> tuple[int, int, int]:
    """Request and response header bytes (and body bytes) of the conditional manifest GET a poll makes."""
    store = Store.open(cache)
    try:
        state = store.sync_state()
    finally:
        store.close()
    headers = {"Accept-Encoding": "identity", "User-Agent": "hall-feed/0.1.0"}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    with httpx.Client() as client:
        response = client.get(url + MANIFEST_NAME, headers=headers)
        request = response.request
        sent = (
            len(f"GET /{MANIFEST_NAME} HTTP/1.1\r\n")
            + sum(len(k) + len(v) + 4 for k, v in request.headers.raw)
            + 2
        )
        received = (
            len(f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n")
            + sum(len(k) + len(v) + 4 for k, v in response.headers.raw)
            + 2
        )
        return sent, received, len(response.content)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def search_latency(cache: Path, rounds: int) -> tuple[float, float, int]:
    reader = StoreReader.open(cache)
    try:
        for query in QUERIES:  # warm the connection and page cache, as a kiosk would be
            reader.search(query)
        timings: list[float] = []
        hits = 0
        for _ in range(rounds):
            for query in QUERIES:
                started = time.perf_counter()
                hits += len(reader.search(query))
                timings.append((time.perf_counter() - started) * 1000)
    finally:
        reader.close()
    return statistics.median(timings), percentile(timings, 0.95), hits


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=8, help="the sync's max_connections")
    parser.add_argument("--search-rounds", type=int, default=8)
    args = parser.parse_args(argv)

    key = SigningKey.generate()
    with tempfile.TemporaryDirectory(prefix="feed-bench-") as tmp:
        feed_dir, cache = Path(tmp) / "feed", Path(tmp) / "cache"
        started = time.perf_counter()
        records, blobs = build_records(args.items)
        built = generate_feed(feed_dir, args.items, key, records=(records, blobs))
        took = time.perf_counter() - started
        paths = synced_paths(feed_dir)
        print(
            f"feed: {args.items} items, {len(records)} records, {len(paths) - 1} objects, "
            f"{built.bytes_written / 1e6:.1f} MB (generated in {took:.1f} s)"
        )
        server, url = start_server(feed_dir)
        try:
            plain_download(url, paths)  # warm the server's ETag cache and the page cache for both runs
            plain_seconds, plain_bytes = plain_download(url, paths)

            started = time.perf_counter()
            full = sync_once(
                SyncSettings(url, cache, pubkey=key.verify_key, max_connections=args.connections)
            )
            full_seconds = time.perf_counter() - started
            assert full.outcome == "updated", full
            assert full.requests == len(paths), "the yardstick must fetch exactly what the sync fetched"
            ratio = full_seconds / plain_seconds
            print(
                f"plain download (1 keep-alive client): {plain_seconds:.2f} s for {plain_bytes} bytes "
                f"in {len(paths)} requests"
            )
            phases = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in full.timings.items())
            print(
                f"full sync (up to {args.connections} connections): {full_seconds:.2f} s ({phases}), "
                f"{full.fetched_bytes} bytes, {full.requests} requests"
            )
            report(
                "feed.full_sync_ratio",
                f"feed: full sync of {args.items:,} items vs plain download of the same"
                f" {len(paths):,} objects",
                ratio,
                "×",
                target="≤ 1.5",
                ok=ratio <= 1.5,
                detail=f"{full_seconds:.1f} s vs {plain_seconds:.1f} s",
            )

            generate_feed(
                feed_dir,
                args.items,
                key,
                sequence=2,
                records=(change_one_item(records, args.items // 2), blobs),
            )
            started = time.perf_counter()
            change = sync_once(
                SyncSettings(url, cache, pubkey=key.verify_key, max_connections=args.connections)
            )
            change_seconds = time.perf_counter() - started
            assert change.outcome == "updated", change
            headers_estimate = change.requests * 400
            report(
                "feed.one_item_change_bytes",
                "feed: bytes moved by a one-item change",
                change.fetched_bytes,
                "B",
                target="≤ 64 KiB",
                ok=change.fetched_bytes + headers_estimate <= 65536,
                detail=f"{change.requests} requests (+~{headers_estimate} B of headers), "
                f"{change_seconds:.1f} s",
            )

            poll = sync_once(
                SyncSettings(url, cache, pubkey=key.verify_key, max_connections=args.connections)
            )
            assert poll.outcome == "unchanged", poll
            sent, received, body = no_change_wire_bytes(url, cache)
            wire = sent + received + body
            report(
                "feed.no_change_poll_bytes",
                "feed: no-change poll, bytes on the wire",
                wire,
                "B",
                target="1 request < 1 KiB",
                ok=poll.requests == 1 and wire < 1024,
                detail=f"{poll.requests} request: {sent} B sent, {received} B received",
            )
        finally:
            stop_server(server)

        p50, p95, hits = search_latency(cache, args.search_rounds)
        report(
            "feed.search_p95",
            f"feed: search p95 on {args.items:,} items",
            p95,
            "ms",
            target="≤ 20 ms",
            ok=p95 <= 20,
            detail=f"p50 {p50:.1f} ms; {len(QUERIES)} queries × {args.search_rounds} rounds, {hits} hits",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
