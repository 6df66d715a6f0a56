"""Kiosk benchmark: how long the UI stalls while its background poller commits a content change.

    python -m benchmarks.kiosk_sync_bench [--items 2000] [--runs 3]

Needs a display (run under scripts/with-display.sh). The parent builds a feed, syncs it into a cache
and publishes a one-item change; each child starts a fresh kiosk over a copy of that cache, and two
seconds after it starts lets the kiosk's poller pick the change up, while a 60 Hz Clock probe
records the gaps between its ticks. The first commit in a process is the costly one (pypinyin's
dictionaries load then), so every child is new. Two settings are compared: the helper process for
any new record (what the apps use, `helper_min_records=1`) and the commit preparing records in the
app's own process (`helper_min_records=1000`, the command-line default).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.kiosk_bench import compile_project
from benchmarks.report import report
from tests.kivy_env import child_environment, configure_test_window

PROBE_HZ = 60


def prepare(work: Path, items: int) -> tuple[Path, Path]:
    from benchmarks.gen_feed import build_records, change_one_item, generate_feed
    from feed.sync import SyncSettings, sync_once

    feed_dir, cache = work / "feed", work / "cache"
    records = build_records(items)
    generate_feed(feed_dir, items, None, records=records)
    if not sync_once(SyncSettings(str(feed_dir), cache, pubkey=None, allow_unsigned=True)).ok:
        raise SystemExit("could not sync the benchmark feed")
    generate_feed(
        feed_dir, items, None, sequence=2, records=(change_one_item(records[0], items // 2), records[1])
    )
    return feed_dir, cache


def run_child(feed_dir: Path, cache: Path, helper_min_records: int, work: Path) -> dict[str, Any]:
    copy = work / f"cache-{time.monotonic_ns()}"
    shutil.copytree(cache, copy)
    env = child_environment()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.kiosk_sync_bench",
            "--child",
            str(feed_dir),
            str(copy),
            str(helper_min_records),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    shutil.rmtree(copy, ignore_errors=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("REPORT ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"benchmark child failed ({done.returncode}): {done.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(lines[-1].removeprefix("REPORT "))
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(Path(args.child[0]), Path(args.child[1]), int(args.child[2]))
    if not os.environ.get("DISPLAY"):
        print("kiosk_sync_bench: needs a display; run it under scripts/with-display.sh", file=sys.stderr)
        return 2
    compile_project()
    with tempfile.TemporaryDirectory(prefix="kiosk-sync-bench-") as tmp:
        feed_dir, cache = prepare(Path(tmp), args.items)
        for helper_min_records, key, label in (
            (1, "kiosk.sync_stall_helper", "in a helper process (as the apps do)"),
            (1000, "kiosk.sync_stall_in_process", "in the UI's own process"),
        ):
            reports = [run_child(feed_dir, cache, helper_min_records, Path(tmp)) for _ in range(args.runs)]
            gaps = [r["max_gap_ms"] for r in reports]
            walls = [r["sync_s"] for r in reports]
            report(
                key,
                "kiosk: longest UI stall while its poller commits a one-item change,"
                f" records prepared {label}",
                statistics.median(gaps),
                "ms",
                detail=f"median of {args.runs} (runs {', '.join(f'{g:.0f}' for g in gaps)}); "
                f"sync {statistics.median(walls):.2f} s",
            )
    return 0


# ----------------------------------------------------------------------------------------- child


def child_main(feed_dir: Path, cache: Path, helper_min_records: int) -> int:
    import threading

    configure_test_window()
    from kivy.clock import Clock

    from feed.config import DeviceConfig, FeedConfig
    from feed.outbox import Outbox
    from feed.store.reader import StoreReader
    from feed.sync import Poller, SyncSettings
    from kiosk.app import KioskApp
    from kiosk.config import KioskAppConfig, KioskSection

    feed = FeedConfig(source=str(feed_dir), cache_dir=cache, allow_unsigned=True)
    config = KioskAppConfig(
        feed=feed, device=DeviceConfig(id="bench"), kiosk=KioskSection(layout="tablet", fullscreen=False)
    )
    reader = StoreReader.open(cache, config.device)
    outbox = Outbox.open(cache, device_id="bench")
    app = KioskApp(config, reader, outbox)
    ticks: list[float] = []
    result: dict[str, Any] = {}

    def synced(sync_result: Any) -> None:
        result.update(outcome=sync_result.outcome, end=time.perf_counter())

    poller = Poller(SyncSettings.from_config(feed, helper_min_records=helper_min_records), on_result=synced)

    def start_sync(_dt: float) -> None:
        app.start_session()  # a citizen is on the home screen
        result["start"] = time.perf_counter()
        threading.Thread(target=poller.poll_once, daemon=True).start()

    def check(_dt: float) -> None:
        if "end" not in result or time.perf_counter() < result["end"] + 0.3:
            return
        start, end = result["start"], result["end"]
        gaps = [b - a for a, b in itertools.pairwise(ticks) if a >= start and b <= end + 0.1]
        report = {
            "outcome": result["outcome"],
            "sync_s": end - start,
            "max_gap_ms": max(gaps, default=0.0) * 1000,
        }
        print("REPORT " + json.dumps(report), flush=True)
        app.exit_kiosk()

    Clock.schedule_interval(lambda _dt: ticks.append(time.perf_counter()), 1 / PROBE_HZ)
    Clock.schedule_once(start_sync, 2.0)
    Clock.schedule_interval(check, 0.2)
    app.run()
    reader.close()
    outbox.close()
    return 0 if result.get("outcome") == "updated" else 1


if __name__ == "__main__":
    sys.exit(main())
