"""Kiosk image benchmark: peak memory and the longest UI freeze while an item with a big image opens.

    python -m benchmarks.kiosk_image_bench [--image huge|long] [--seconds 8]

Needs a display (run under scripts/with-display.sh). The demo feed plus one item whose image is a
16,000 × 16,000 PNG of about 1 MB (`huge`) or a 750 × 20,000 infographic (`long`) is written the way
a CMS would (straight in the feed format: `hall-feed build` refuses the huge one), synced, and
opened in a fresh kiosk process, which asks for a frame on every tick so that a blocked UI thread
shows as a gap between frames. Printed: peak RSS of the process, its RSS before the item opened,
and the longest gap between two frames after the touch.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.kiosk_bench import rss_bytes
from benchmarks.report import report
from tests.kivy_env import child_environment, configure_test_window

ITEM_ID = "bench-image"


def prepare(work: Path, image: str) -> Path:
    from benchmarks.gen_images import banded_png, huge_png
    from feed.dev.demo import demo_key_paths, demo_source_dir
    from feed.format.signing import load_public_key, load_signing_key
    from feed.publish.source import load_source
    from feed.publish.writer import write_feed
    from feed.schema import validate_record
    from feed.sync import SyncSettings, sync_once

    data = huge_png() if image == "huge" else banded_png(750, 20000)
    sha = hashlib.sha256(data).hexdigest()
    source = load_source(demo_source_dir())
    node = next(r for r in source.records if r.kind == "item").node  # type: ignore[union-attr]
    item = validate_record(
        {
            "kind": "item",
            "id": ITEM_ID,
            "node": node,
            "title": "一图读懂",
            "publisher": "基准测试",
            "published": "2026-11-01",
            "images": [{"blob": {"sha256": sha, "size": len(data), "media_type": "image/png"}}],
            "review": {
                "status": "approved",
                "reviewed_by": "基准",
                "reviewed_on": "2026-11-01",
                "confidentiality_checked": True,
            },
        }
    )
    secret, public = demo_key_paths()
    now = datetime.now(UTC).replace(microsecond=0)
    write_feed(
        work / "feed",
        feed_id=source.feed_id,
        records=(*source.records, item),
        blobs={**source.blobs, sha: data},
        sequence=int(now.timestamp()),
        expires=now + timedelta(days=30),
        key=load_signing_key(secret),
        issued=now,
    )
    result = sync_once(SyncSettings(str(work / "feed"), work / "cache", pubkey=load_public_key(public)))
    if not result.ok:
        raise SystemExit(f"could not sync the benchmark feed: {result.reason}")
    return work / "cache"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--image", choices=("huge", "long"), default="huge")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(Path(args.child[0]), float(args.child[1]))
    with tempfile.TemporaryDirectory(prefix="kiosk-image-bench-") as tmp:
        cache = prepare(Path(tmp), args.image)
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.kiosk_image_bench", "--child", str(cache), str(args.seconds)],
            capture_output=True,
            text=True,
            env=child_environment(),
            timeout=600,
            check=False,
        )
    reports = [line for line in done.stdout.splitlines() if line.startswith("REPORT ")]
    if done.returncode != 0 or not reports:
        print(done.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"benchmark child failed with exit code {done.returncode}")
    found = json.loads(reports[-1].removeprefix("REPORT "))
    what = f"kiosk: opening an item with the {args.image} image ({found['image']})"
    report(
        f"kiosk.image_{args.image}_peak_rss",
        f"{what}: peak RSS",
        found["peak_mib"],
        "MiB",
        detail=f"before the touch {found['before_mib']:.0f} MiB; on screen: {found['shown']}",
    )
    report(
        f"kiosk.image_{args.image}_longest_gap",
        f"{what}: longest gap between frames after the touch",
        found["longest_gap_ms"],
        "ms",
    )
    return 0


def child(cache: Path, seconds: float) -> int:
    configure_test_window()
    from kivy.clock import Clock
    from kivy.core.window import Window

    from feed.outbox import Outbox
    from feed.store.reader import StoreReader
    from kiosk.app import KioskApp
    from kiosk.config import demo_config
    from kiosk.logic.navigation import Route

    config = demo_config(cache)
    reader = StoreReader.open(cache, config.device)
    outbox = Outbox.open(cache, device_id=config.device.id)
    app = KioskApp(config, reader, outbox)
    flips: list[float] = []
    state: dict[str, Any] = {}

    def flipped(*_: Any) -> None:
        flips.append(time.perf_counter())
        if len(flips) == 10 and "touched" not in state:
            Clock.schedule_once(touch, 0.5)

    def touch(_dt: float) -> None:
        state["before_mib"] = rss_bytes() / 2**20
        state["touched"] = time.perf_counter()
        app.start_session()
        app.navigate(Route("item", {"id": ITEM_ID}))
        Clock.schedule_once(finish, seconds)

    def finish(_dt: float) -> None:
        texts = [getattr(w, "text", "") for w in app.screen("item").walk()]
        state["shown"] = next((t for t in texts if "图片" in t), "the image")
        app.exit_kiosk()

    Window.bind(on_flip=flipped)
    Clock.schedule_interval(lambda _dt: Window.canvas.ask_update(), 0)  # a frame every tick
    app.run()
    touched = state["touched"]
    after = [t for t in flips if t >= touched]
    gaps = [b - a for a, b in zip([touched, *after], after, strict=False)]
    item = reader.item(ITEM_ID)
    size = item.images[0].blob.size if item is not None else 0
    measured = {
        "image": f"{size:,} bytes",
        "before_mib": state["before_mib"],
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "longest_gap_ms": max(gaps, default=0.0) * 1000,
        "shown": state.get("shown", ""),
    }
    print("REPORT " + json.dumps(measured, ensure_ascii=False), flush=True)
    reader.close()
    outbox.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
