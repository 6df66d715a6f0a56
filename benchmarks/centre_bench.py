"""Centre benchmark: devices delivering to `hall-centre serve` on 127.0.0.1, on SQLite and PostgreSQL.

    python -m benchmarks.centre_bench [--records 100000] [--devices 200] [--rate 200] [--seconds 15]

Prints, against the targets of the centre's design (2-core machine):
- records per second drained from a device's outbox by the real sender to the real receiver
  (≥ 2,000/s into SQLite, ≥ 5,000/s into PostgreSQL);
- heartbeat latency p50 / p99 at a steady 200 requests/s from many devices (p99 ≤ 50 ms), and the
  most heartbeats per second the receiver takes unpaced;
- outbox bytes on disk per 10,000 records, and centre database bytes per 100,000 records.

The load generator runs in this process, the receiver in its own (uvicorn, one worker), so the two
share the machine's cores as a device and a centre would not; figures are conservative.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from benchmarks.report import report
from centre.db import devices
from centre.db.engine import open_engine
from centre.db.migrate import upgrade
from centre.db.throwaway import PostgresCluster, postgres_bindir
from feed.config import CentreLinkConfig
from feed.outbox import Outbox
from feed.uplink.sender import Sender

PAYLOADS = [
    (
        "rating",
        {
            "level": 5,
            "level_label": "非常满意",
            "negative": False,
            "subject": {"kind": "guide", "id": "bdc-first-registration", "title": "不动产首次登记"},
            "reasons": [{"code": "efficient", "label": "办事快、不排长队", "indicator": "服务效率"}],
            "channel": "kiosk",
        },
    ),
    (
        "rating",
        {
            "level": 2,
            "level_label": "不满意",
            "negative": True,
            "subject": {"kind": "hall", "id": "", "title": ""},
            "reasons": [{"code": "slow", "label": "等候时间长、办理慢", "indicator": "服务效率"}],
            "channel": "kiosk",
            "phone": "13812345678",
        },
    ),
    ("suggestion", {"topics": [{"code": "queue", "label": "排队叫号"}], "channel": "kiosk"}),
    (
        "disclosure_request",
        {
            "node": {"id": "budget", "title": "财政预决算"},
            "topics": [{"code": "budget", "label": "财政预决算"}],
        },
    ),
]


RECORDS_TARGET = {"sqlite": 2_000, "postgresql": 5_000}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Receiver:
    database_url: str
    folder: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        config = self.folder / "centre.toml"
        config.write_text(f'[centre]\ndatabase_url = "{self.database_url}"\n', encoding="utf-8")
        self.port = free_port()
        command = [
            sys.executable,
            "-m",
            "centre.cli",
            "serve",
            "--config",
            str(config),
            "--port",
            str(self.port),
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("the receiver did not start")

    def cpu_seconds(self) -> float:
        """User + system CPU time the receiver process has used so far (from /proc)."""
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


def fill_outbox(cache: Path, count: int, device_id: str) -> tuple[float, int]:
    """Submit `count` records the way the kiosk does; returns (seconds, bytes on disk at 10,000)."""
    bytes_at_10k = 0
    started = time.perf_counter()
    with Outbox.open(cache, device_id=device_id) as outbox:
        for n in range(count):
            outbox.submit(*PAYLOADS[n % len(PAYLOADS)])
            if n + 1 == 10_000:
                bytes_at_10k = _outbox_bytes(cache)
    return time.perf_counter() - started, bytes_at_10k or _outbox_bytes(cache) * 10_000 // max(count, 1)


def _outbox_bytes(cache: Path) -> int:
    with sqlite3.connect(cache / "outbox.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in cache.glob("outbox.db*"))


def drain(receiver: Receiver, cache: Path, token: Path, device_id: str) -> tuple[float, int]:
    link = CentreLinkConfig(url=receiver.url, token_file=token, timeout_seconds=60)
    with Outbox.open(cache, device_id=device_id) as outbox:
        sender = Sender(outbox, link, device_id=device_id, role="kiosk")
        started = time.perf_counter()
        delivery = sender.deliver()
        elapsed = time.perf_counter() - started
        sender.close()
    if delivery.error:
        raise RuntimeError(delivery.error)
    return elapsed, delivery.sent


def heartbeat_body(device_id: str) -> dict[str, object]:
    return {
        "device_id": device_id,
        "role": "kiosk",
        "software_version": "0.1.0",
        "sent_at": datetime.now(UTC).isoformat(),
        "interval_seconds": 60,
        "uptime_seconds": 3600,
        "free_disk_bytes": 50_000_000_000,
        "feed": {"feed_id": "qinghe", "sequence": 42, "stale": False},
        "outbox": {"depth": 0},
    }


async def _beat(client: httpx.AsyncClient, device_id: str, token: str, latencies: list[float]) -> None:
    started = time.perf_counter()
    answer = await client.post(
        "v1/heartbeats", json=heartbeat_body(device_id), headers={"Authorization": f"Bearer {token}"}
    )
    latencies.append(time.perf_counter() - started)
    if answer.status_code != 200:
        raise RuntimeError(f"heartbeat answered {answer.status_code}: {answer.text[:200]}")


async def heartbeat_load(
    url: str, tokens: dict[str, str], rate: float, seconds: float
) -> tuple[list[float], float]:
    """Send at a steady `rate` (open loop: a slow answer does not slow the schedule) for `seconds`;
    rate 0 sends as fast as 32 connections allow. Returns latencies and the achieved rate."""
    latencies: list[float] = []
    devices_ = list(tokens.items())
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        started = time.perf_counter()
        if rate > 0:
            total = int(rate * seconds)
            tasks = []
            for n in range(total):
                delay = started + n / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                device_id, token = devices_[n % len(devices_)]
                tasks.append(asyncio.create_task(_beat(client, device_id, token, latencies)))
            await asyncio.gather(*tasks)
        else:
            stop_at = started + seconds

            async def worker(offset: int) -> None:
                n = offset
                while time.perf_counter() < stop_at:
                    device_id, token = devices_[n % len(devices_)]
                    await _beat(client, device_id, token, latencies)
                    n += 32

            await asyncio.gather(*(worker(i) for i in range(32)))
        elapsed = time.perf_counter() - started
    return latencies, len(latencies) / elapsed


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def database_bytes(url: str, cluster: PostgresCluster | None) -> int:
    if cluster is not None:
        return cluster.database_bytes(url)
    path = Path(url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def run_engine(
    name: str,
    url: str,
    cluster: PostgresCluster | None,
    *,
    work: Path,
    filled: Path,
    args: argparse.Namespace,
) -> None:
    engine = open_engine(url)
    upgrade(engine)
    now = datetime.now(UTC)
    _, token = devices.add(engine, "bench-kiosk", "kiosk", "bench-hall", now)
    beat_tokens = {}
    for n in range(args.devices):
        device_id = f"kiosk-{n:04d}"
        beat_tokens[device_id] = devices.add(engine, device_id, "kiosk", "bench-hall", now)[1]
    empty_bytes = database_bytes(url, cluster)
    engine.dispose()
    token_path = work / f"{name}.token"
    token_path.write_text(token)
    cache = work / f"{name}-cache"
    shutil.copytree(filled, cache)
    receiver = Receiver(url, work / name)
    receiver.folder.mkdir()
    receiver.start()
    try:
        cpu = receiver.cpu_seconds()
        seconds, sent = drain(receiver, cache, token_path, "bench-kiosk")
        cpu = receiver.cpu_seconds() - cpu
        stored = database_bytes(url, cluster) - empty_bytes
        wanted = RECORDS_TARGET[name]
        report(
            f"centre.{name}_records_per_second",
            f"centre ({ENGINE_NAMES[name]}): records drained from a device's outbox by the sender",
            sent / seconds,
            "/s",
            target=f"≥ {wanted:,}/s",
            ok=sent / seconds >= wanted,
            detail=f"{sent:,} records in {seconds:.1f} s; receiver CPU {cpu / sent * 1e6:.0f} µs per record",
        )
        report(
            f"centre.{name}_bytes_per_100k",
            f"centre ({ENGINE_NAMES[name]}): database bytes per 100,000 records",
            stored * 100_000 / max(sent, 1) / 1e6,
            "MB",
        )
        cpu = receiver.cpu_seconds()
        latencies, achieved = asyncio.run(heartbeat_load(receiver.url, beat_tokens, args.rate, args.seconds))
        cpu = receiver.cpu_seconds() - cpu
        p50, p99 = (percentile(latencies, q) * 1000 for q in (0.50, 0.99))
        report(
            f"centre.{name}_heartbeat_p99",
            f"centre ({ENGINE_NAMES[name]}): heartbeat latency p99 at {args.rate:.0f} requests/s",
            p99,
            "ms",
            target="≤ 50 ms",
            ok=p99 <= 50,
            detail=(
                f"p50 {p50:.1f} ms, max {max(latencies) * 1000:.0f} ms; {achieved:.0f}/s achieved from "
                f"{args.devices} devices, {len(latencies):,} requests; receiver CPU "
                f"{cpu / len(latencies) * 1000:.2f} ms per heartbeat"
            ),
        )
        latencies, achieved = asyncio.run(heartbeat_load(receiver.url, beat_tokens, 0, min(args.seconds, 8)))
        report(
            f"centre.{name}_heartbeats_unpaced",
            f"centre ({ENGINE_NAMES[name]}): heartbeats per second, unpaced",
            achieved,
            "/s",
            detail=f"32 in flight, p50 {statistics.median(latencies) * 1000:.1f} ms",
        )
    finally:
        receiver.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--records", type=int, default=100_000, help="records in the outbox to drain")
    parser.add_argument("--devices", type=int, default=200, help="devices sending heartbeats")
    parser.add_argument("--rate", type=float, default=200.0, help="heartbeats per second")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of the heartbeat run")
    parser.add_argument("--engines", default="sqlite,postgresql", help="comma-separated")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="centre-bench-"))
    try:
        filled = work / "filled"
        seconds, per_10k = fill_outbox(filled, args.records, "bench-kiosk")
        report(
            "centre.outbox_bytes_per_10k",
            "device: outbox bytes on disk per 10,000 records",
            per_10k / 1e6,
            "MB",
            detail=f"{args.records:,} submissions in {seconds:.1f} s, each committed before it returned",
        )
        with closing(each_engine(args.engines, work, parser)) as engines:  # stops PostgreSQL on any error
            for name, url, cluster in engines:
                run_engine(name, url, cluster, work=work, filled=filled, args=args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def each_engine(
    names: str, work: Path, parser: argparse.ArgumentParser
) -> Iterator[tuple[str, str, PostgresCluster | None]]:
    """(engine, database URL, cluster) for each comma-separated engine name: an SQLite file in `work`,
    a database in a throw-away PostgreSQL cluster (stopped when the loop ends; skipped with a note
    when PostgreSQL is not installed)."""
    cluster: PostgresCluster | None = None
    try:
        for name in names.split(","):
            if name == "sqlite":
                yield name, f"sqlite:///{work / 'centre.db'}", None
            elif name == "postgresql":
                bindir = postgres_bindir()
                if bindir is None:
                    print("[postgresql] skipped: PostgreSQL server binaries are not installed")
                    continue
                if cluster is None:
                    cluster = PostgresCluster(bindir)
                    cluster.start()
                yield name, cluster.new_database(), cluster
            else:
                parser.error(f"unknown engine {name!r}")
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    raise SystemExit(main())
