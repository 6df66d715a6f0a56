"""Kiosk benchmark: cold start, touch-to-frame when opening a guide, and memory over navigations.

    python -m benchmarks.kiosk_bench [--items 10000] [--runs 5] [--touches 60] [--navigations 2000]

Needs a display (run under scripts/with-display.sh). Each measurement runs in a fresh process:
- cold start: process launch → first frame drawn, the kiosk over a 10,000-item cache vs a bare Kivy
  window (ratio target ≤ 1.5); the kiosk's first frame is the first one showing the attract screen
  with its hall name and clock; bare and kiosk runs alternate, medians are compared;
- touch → next frame: a real touch on a guide row in the hot list until the next frame flips
  (p95 target ≤ 100 ms under Xvfb);
- RSS after 2,000 scripted navigations vs after 100 (growth target ≤ 5 %).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.report import report
from tests.kivy_env import child_environment, configure_test_window

# ---------------------------------------------------------------------------------------- parent


def prepare_cache(work: Path, items: int) -> Path:
    from benchmarks.gen_feed import generate_feed
    from feed.sync import SyncSettings, sync_once

    feed_dir, cache = work / "feed", work / "cache"
    generate_feed(feed_dir, items, None)
    result = sync_once(SyncSettings(str(feed_dir), cache, pubkey=None, allow_unsigned=True))
    if not result.ok:
        raise SystemExit(f"could not sync the benchmark feed: {result.reason}")
    return cache


def compile_project() -> None:
    """Byte-compile the project as installing its wheel does. A source checkout run with
    PYTHONDONTWRITEBYTECODE (or from a read-only tree) would otherwise compile every module at each
    start, and the cold-start figure would measure the compiler, not the kiosk."""
    import compileall

    root = Path(__file__).resolve().parent.parent
    for package in ("feed", "kiosk"):
        if not compileall.compile_dir(root / package, quiet=1):
            raise SystemExit(f"could not byte-compile {package}/")


def run_child(mode: str, *args: str, timeout: float = 600) -> tuple[float, dict[str, Any]]:
    """Launch a child; returns (seconds from launch to its FIRST_FRAME line, its final JSON report)."""
    env = child_environment()
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.kiosk_bench", "--child", mode, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    first_frame: float | None = None
    report: dict[str, Any] = {}
    for line in child.stdout:
        if line.startswith("FIRST_FRAME") and first_frame is None:
            first_frame = time.perf_counter() - started
        elif line.startswith("REPORT "):
            report = json.loads(line.removeprefix("REPORT "))
    child.wait(timeout=timeout)
    if child.returncode != 0:
        raise SystemExit(f"benchmark child {mode} failed with exit code {child.returncode}")
    return (first_frame if first_frame is not None else float("nan")), report


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--touches", type=int, default=60)
    parser.add_argument("--navigations", type=int, default=2000)
    parser.add_argument("--cache", type=Path, help="reuse a synced cache instead of generating one")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(args.child)
    if not os.environ.get("DISPLAY"):
        print("kiosk_bench: needs a display; run it under scripts/with-display.sh", file=sys.stderr)
        return 2

    compile_project()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        t0 = time.perf_counter()
        cache = args.cache or prepare_cache(Path(tmp), args.items)
        write_kiosk_config(cache)
        if args.cache is None:
            print(f"cache: {args.items} items synced in {time.perf_counter() - t0:.1f} s")

        # Alternate the two, so that a machine getting busier or quieter affects both alike.
        bare: list[float] = []
        starts: list[tuple[float, dict[str, Any]]] = []
        for _ in range(args.runs):
            bare.append(run_child("bare")[0])
            starts.append(run_child("start", str(cache)))
        kiosk = [seconds for seconds, _ in starts]
        bare_s, kiosk_s = statistics.median(bare), statistics.median(kiosk)
        ratio = kiosk_s / bare_s
        report(
            "kiosk.cold_start_ratio",
            f"kiosk: cold start to first frame ({args.items:,}-item cache, config file and key checked)"
            " vs a bare Kivy window",
            ratio,
            "×",
            target="≤ 1.5",
            ok=ratio <= 1.5,
            detail=f"{kiosk_s * 1000:.0f} vs {bare_s * 1000:.0f} ms, medians of {args.runs}",
        )
        print(
            f"  [runs: kiosk {', '.join(f'{v * 1000:.0f}' for v in kiosk)};"
            f" bare {', '.join(f'{v * 1000:.0f}' for v in bare)};"
            f" attract content complete at flip {', '.join(str(r.get('flip')) for _, r in starts)}]"
        )
        # This machine's window creation alone swings by ±100 ms between runs; the fastest runs of
        # each show the kiosk's own cost with the least of that noise.
        print(
            f"  fastest runs: kiosk {min(kiosk) * 1000:.0f} ms, bare {min(bare) * 1000:.0f} ms;"
            f" ratio {min(kiosk) / min(bare):.2f}"
        )

        _, touch = run_child("touch", str(cache), str(args.touches))
        samples = [float(v) for v in touch["ms"]]
        p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
        settled = [float(v) for v in touch["settled_ms"]]
        report(
            "kiosk.touch_to_frame_p95",
            "kiosk: touch → next frame opening a guide, p95",
            p95,
            "ms",
            target="≤ 100 ms",
            ok=p95 <= 100,
            detail=f"p50 {p50:.1f} ms over {len(samples)} touches; layout settled p95 "
            f"{percentile(settled, 0.95):.1f} ms",
        )

        _, memory = run_child("memory", str(cache), str(args.navigations))
        after_100, after_all = memory["rss_after_100"], memory["rss_after_all"]
        growth = (after_all - after_100) / after_100 * 100
        report(
            "kiosk.rss_growth",
            f"kiosk: RSS after {memory['navigations']:,} navigations vs after 100",
            growth,
            "%",
            target="≤ 5 %",
            ok=growth <= 5,
            detail=f"{after_100 / 2**20:.1f} → {after_all / 2**20:.1f} MiB",
        )
    return 0


# ----------------------------------------------------------------------------------------- child


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def child_main(spec: list[str]) -> int:
    configure_test_window()
    mode = spec[0]
    if mode == "bare":
        return bare_child()
    return kiosk_child(mode, Path(spec[1]), int(spec[2]) if len(spec) > 2 else 0)


def bare_child() -> int:
    from kivy.app import App
    from kivy.core.window import Window
    from kivy.uix.widget import Widget

    class Bare(App):
        def build(self) -> Widget:
            Window.bind(on_flip=self.flipped)
            return Widget()

        def flipped(self, *_: Any) -> None:
            print("FIRST_FRAME", flush=True)
            Window.unbind(on_flip=self.flipped)
            self.stop()

    Bare().run()
    return 0


def write_kiosk_config(cache: Path) -> Path:
    """A kiosk.toml for the cache, with a public key file, as a production kiosk is configured: the
    children load and check both the way `hall-kiosk --config` does before its window opens."""
    from feed.format.signing import generate_keypair

    _secret, public = generate_keypair()
    (cache.parent / "bench-feed.pub").write_text(public + "\n", encoding="utf-8")
    path = cache.parent / "bench-kiosk.toml"
    path.write_text(
        f"""[feed]
source = "{cache.parent / "feed"}"
cache_dir = "{cache}"
pubkey = "{cache.parent / "bench-feed.pub"}"

[device]
id = "bench"

[kiosk]
layout = "tablet"
fullscreen = false
qr_allowed_hosts = ["zwfw.example.gov.cn", "*.example.gov.cn"]
""",
        encoding="utf-8",
    )
    return path


def kiosk_child(mode: str, cache: Path, count: int) -> int:
    """Start the kiosk as `hall-kiosk --config` does: config file, key check, store, outbox, app."""
    from kivy.core.window import Window

    from feed.config import load_config
    from feed.format.signing import load_public_key
    from feed.outbox import Outbox
    from feed.store.reader import StoreReader
    from kiosk.app import KioskApp
    from kiosk.config import KioskAppConfig

    config = load_config(cache.parent / "bench-kiosk.toml", KioskAppConfig)
    assert config.feed.pubkey is not None
    load_public_key(config.feed.pubkey)
    reader = StoreReader.open(config.feed.cache_dir, config.device)
    outbox = Outbox.open(config.feed.cache_dir, device_id=config.device.id)
    app = KioskApp(config, reader, outbox)
    driver: Any
    if mode == "start":
        driver = StartDriver(app)
    elif mode == "touch":
        driver = TouchDriver(app, count)
    else:
        driver = MemoryDriver(app, count)
    Window.bind(on_flip=driver.flipped)
    app.run()
    print("REPORT " + json.dumps(driver.report()), flush=True)
    reader.close()
    outbox.close()
    return 0


class StartDriver:
    """FIRST_FRAME is the first flip that shows the attract screen's content: the hall name and the
    clock rendered and laid out inside the window, not an empty or half-built window."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.flips = 0

    def flipped(self, *_: Any) -> None:
        from kivy.clock import Clock
        from kivy.core.window import Window

        self.flips += 1
        if not attract_content_drawn(self.app, Window):
            return
        print("FIRST_FRAME", flush=True)
        Window.unbind(on_flip=self.flipped)
        Clock.schedule_once(lambda _dt: self.app.exit_kiosk(), 0)

    def report(self) -> dict[str, Any]:
        return {"flip": self.flips}


def attract_content_drawn(app: Any, window: Any) -> bool:
    """The attract screen is in the window with its hall name and clock drawn where they belong."""
    from kivy.clock import Clock

    attract = getattr(app, "attract_layer", None)
    if attract is None or attract.get_root_window() is None:
        return False
    hall = app.reader.hall_heading()
    expected = hall.name if hall is not None else "政务服务中心"
    pending = any(
        getattr(event.get_callback(), "__name__", "") in ("do_layout", "texture_update")
        for event in Clock.get_events()
    )
    if pending:
        return False
    for label, text in ((attract.ids.hall_label, expected), (attract.ids.clock_label, None)):
        if not label.text or (text is not None and label.text != text):
            return False
        if label.texture is None or label.texture_size[0] <= 0:
            return False
        x, y = label.to_window(label.x, label.y)
        if x < 0 or y < 0 or x + label.width > window.width or y + label.height > window.height:
            return False
    return True


class TouchDriver:
    """Touch a guide row in the hot list; time to the next flip, and to the frame where no layout is
    pending any more. Then back to the list, and the next row."""

    def __init__(self, app: Any, touches: int) -> None:
        from kivy.clock import Clock

        self.app, self.touches = app, touches
        self.samples: list[float] = []
        self.settled: list[float] = []
        self._touched_at: float | None = None
        self._first_seen = False
        self._quiet_frames = 0
        Clock.schedule_once(self._begin, 0.5)

    def _begin(self, _dt: float) -> None:
        from kiosk.logic.navigation import Route

        self.app.start_session()
        self.app.navigate(Route("guides", {"mode": "hot"}))
        from kivy.clock import Clock

        Clock.schedule_once(self._touch, 0.3)

    def _touch(self, _dt: float) -> None:
        from kivy.tests.common import UnitTestTouch

        rows = list(reversed(self.app.screen("guides").ids.listing.ids.rows.children))[:3]  # on screen
        row = rows[len(self.samples) % len(rows)]
        x, y = row.to_window(*row.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        self._touched_at = time.perf_counter()
        touch.touch_up()  # the row opens on release, in this same frame
        self._first_seen = False
        self._quiet_frames = 0

    def flipped(self, *_: Any) -> None:
        from kivy.clock import Clock

        if self._touched_at is None:
            return
        elapsed = (time.perf_counter() - self._touched_at) * 1000
        if not self._first_seen:
            self._first_seen = True
            if self.app.current_screen.name != "guide":
                raise RuntimeError("the touch did not open a guide")
            self.samples.append(elapsed)
        pending = bool(self.app.screen("guide")._pending) or any(
            getattr(event.get_callback(), "__name__", "") in ("do_layout", "texture_update", "_layout_text")
            for event in Clock.get_events()
        )
        self._quiet_frames = 0 if pending else self._quiet_frames + 1
        if self._quiet_frames >= 1 or elapsed > 2000:
            self.settled.append(elapsed)
            self._touched_at = None
            if len(self.samples) >= self.touches:
                Clock.schedule_once(lambda _dt: self.app.exit_kiosk(), 0)
                return
            self.app.back()
            Clock.schedule_once(self._touch, 0.05)

    def report(self) -> dict[str, Any]:
        return {"ms": self.samples, "settled_ms": self.settled}


class MemoryDriver:
    """Walk a fixed loop of screens, one navigation per frame, as a busy day of citizens would."""

    def __init__(self, app: Any, navigations: int) -> None:
        from kivy.clock import Clock

        self.app, self.navigations = app, navigations
        self.done = 0
        self.rss_after_100 = 0
        self.rss_after_all = 0
        self._plan: list[Any] = []
        Clock.schedule_once(self._begin, 0.5)

    def _begin(self, _dt: float) -> None:
        from kiosk.logic.navigation import Route

        reader = self.app.reader
        guides = [g.id for g in reader.guides(limit=40)]
        catalog = reader.catalog()
        root = next(n.id for n in catalog.nodes if n.parent is None) if catalog else ""
        items = [i.id for i in reader.items_in(root, limit=40)] if root else []
        plan: list[Any] = []
        for index in range(40):
            plan += [
                Route("guides", {"mode": "hot"}),
                Route("guide", {"id": guides[index % len(guides)]}),
                Route("catalogue", {"domain": "government"}),
                Route("item", {"id": items[index % len(items)]}) if items else Route("search"),
                Route("search"),
                "home",
            ]
        self._plan = plan
        self.app.start_session()

    def flipped(self, *_: Any) -> None:
        from kivy.clock import Clock

        if not self._plan or self.done >= self.navigations:
            return
        step = self._plan[self.done % len(self._plan)]
        if step == "home":
            self.app.home()
        else:
            self.app.navigate(step)
        self.app.session.touch()
        self.done += 1
        if self.done == 100:
            gc.collect()
            self.rss_after_100 = rss_bytes()
        if self.done == self.navigations:
            gc.collect()
            self.rss_after_all = rss_bytes()
            Clock.schedule_once(lambda _dt: self.app.exit_kiosk(), 0)

    def report(self) -> dict[str, Any]:
        return {
            "navigations": self.done,
            "rss_after_100": self.rss_after_100,
            "rss_after_all": self.rss_after_all,
        }


if __name__ == "__main__":
    sys.exit(main())
