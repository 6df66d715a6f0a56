"""Soak test: a kiosk driven by scripted touches for half an hour while its feed changes every minute
and the network drops and comes back.

    python -m benchmarks.soak [--minutes 30] [--change-every 60] [--outage-every 300] [--outage 90]
    make soak                   # the same under a virtual display (not part of make test)

The parent builds and signs a demo feed, serves it on 127.0.0.1, publishes a one-item change every
minute and takes the server away now and then (connections refused). The kiosk runs in a child
process as in production (config file, key, its own poller every 5 s) and a scripted citizen taps
through home, guides, search, catalogue, items and 长辈模式, leaving it idle now and then so sessions
time out. Once a minute the child reports its RSS, open file descriptors, threads, Python objects,
widgets on the window and Kivy's cache sizes, and the sync outcomes since the last report.

It fails (exit 1) when memory, descriptors, threads or caches grow past their targets between the
end of the warm-up and the end, or when a snapshot is lost: a published sequence the kiosk never
committed although the network was up long enough, a sequence going backwards, or a final snapshot
older than the last one published.
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

POLL_SECONDS = 5.0
SAMPLE_SECONDS = 60.0
WARMUP_SAMPLES = 5  # growth is measured from the median of samples 5..9 to that of the last five
TARGETS = {"rss": 0.10, "objects": 0.10}  # relative growth allowed
ABSOLUTE_SLACK = {"fds": 3, "threads": 2, "widgets": 300}

# ------------------------------------------------------------------------------------------ parent


@dataclass
class Timeline:
    start: float = field(default_factory=time.monotonic)
    published: list[tuple[float, int]] = field(default_factory=list)  # (seconds, sequence)
    outages: list[tuple[float, float]] = field(default_factory=list)  # (down at, up at)

    def now(self) -> float:
        return time.monotonic() - self.start

    def up_throughout(self, begin: float, end: float) -> bool:
        return all(up <= begin or down >= end for down, up in self.outages)


class FeedSide:
    """The bureau: a demo feed source copy, its builds, and a server that can be taken away."""

    def __init__(self, work: Path) -> None:
        from feed.dev.demo import demo_source_dir
        from feed.format.signing import generate_keypair

        self.src = work / "src"
        shutil.copytree(demo_source_dir(), self.src)
        secret, public = generate_keypair()
        self.key, self.pub = work / "soak.key", work / "soak.pub"
        self.key.write_text(secret + "\n")
        self.pub.write_text(public + "\n")
        self.out = work / "www"
        self.port = 0
        self.server: Any = None
        self.changes = 0

    def publish(self) -> int:
        from feed.publish.build import build

        notices = self.src / "items" / "notices.yaml"
        text = notices.read_text(encoding="utf-8")
        marker = "（第"
        first_title = text.index("title:")
        line_end = text.index("\n", first_title)
        line = text[first_title:line_end]
        if marker in line:
            line = line[: line.index(marker)]
        self.changes += 1
        text = text[:first_title] + f"{line}{marker}{self.changes}次更新）" + text[line_end:]
        notices.write_text(text, encoding="utf-8")
        return build(self.src, self.out, self.key).manifest.signed.sequence

    def serve(self) -> None:
        from feed.dev.serve import FeedServer

        self.server = FeedServer(self.out, "127.0.0.1", self.port).start()
        self.port = self.server.port

    def drop(self) -> None:
        self.server.close()
        self.server = None


def kiosk_config(work: Path, side: FeedSide) -> Path:
    from kiosk.logic.admin import hash_pin

    cache = work / "cache"
    path = work / "kiosk.toml"
    path.write_text(
        f'[feed]\nsource = "http://127.0.0.1:{side.port}/"\ncache_dir = "{cache}"\npubkey = "{side.pub}"\n'
        f"poll_seconds = {POLL_SECONDS}\ntimeout_seconds = 5\n"
        '[device]\nid = "soak-kiosk"\n'
        '[kiosk]\nlayout = "tablet"\nfullscreen = false\nidle_seconds = 20\nidle_warning_seconds = 5\n'
        f'admin_pin_hash = "{hash_pin("2468", iterations=10_000)}"\n'
        'qr_allowed_hosts = ["qinghe.example", "*.qinghe.example"]\n',
        encoding="utf-8",
    )
    return path


def run(minutes: float, change_every: float, outage_every: float, outage: float, sample_every: float) -> int:
    from tests.kivy_env import child_environment

    work = Path(tempfile.mkdtemp(prefix="hall-soak-"))
    side = FeedSide(work)
    timeline = Timeline()
    timeline.published.append((0.0, side.publish()))
    side.serve()
    config = kiosk_config(work, side)
    log = (work / "kiosk.log").open("w", encoding="utf-8")  # the kiosk's own log, apart from the table
    child = subprocess.Popen(
        [
            *(sys.executable, "-m", "benchmarks.soak", "--child", str(config)),
            *("--minutes", str(minutes), "--sample-every", str(sample_every)),
        ],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env=child_environment(),
    )
    samples: list[dict[str, Any]] = []
    reader = threading.Thread(target=_collect, args=(child, samples), daemon=True)
    reader.start()
    print(
        f"soak: {minutes:g} min, a change every {change_every:g} s, {outage:g} s outages every "
        f"{outage_every:g} s; feed on 127.0.0.1:{side.port}, kiosk log {work / 'kiosk.log'}",
        flush=True,
    )
    print(HEADER, flush=True)
    next_change, next_outage = change_every, outage_every
    last_sample_at = timeline.now()
    hung = False
    down_since: float | None = None
    end = minutes * 60
    shown = 0
    try:
        while child.poll() is None and timeline.now() < end + 120:
            now = timeline.now()
            if now >= next_change and now < end - 30:
                timeline.published.append((now, side.publish()))
                next_change += change_every
            if down_since is None and now >= next_outage and now < end - 90:
                side.drop()
                down_since = now
            elif down_since is not None and now >= down_since + outage:
                side.serve()
                timeline.outages.append((down_since, now))
                down_since = None
                next_outage += outage_every
            while shown < len(samples):
                print(row(samples[shown], side.server is not None), flush=True)
                shown += 1
                last_sample_at = now
            if now - last_sample_at > 3 * sample_every + 30:
                child.send_signal(signal.SIGUSR1)  # its traceback goes to the kiosk log
                time.sleep(1)
                hung = True
                break
            time.sleep(0.5)
    finally:
        if child.poll() is None:
            child.terminate()
        child.wait(timeout=30)
        reader.join(timeout=10)
        if side.server is not None:
            side.drop()
        log.close()
    while shown < len(samples):
        print(row(samples[shown], True), flush=True)
        shown += 1
    problems = judge(samples, timeline)
    if hung:
        problems.insert(0, f"the kiosk stopped reporting (hung?); its traceback is in {work / 'kiosk.log'}")
    print(summary(samples, timeline))
    for problem in problems:
        print(f"FAIL: {problem}")
    print("soak: " + ("FAILED" if problems else "passed"))
    if not problems:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if problems or child.returncode != 0 else 0


def _collect(child: subprocess.Popen[str], samples: list[dict[str, Any]]) -> None:
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith("SAMPLE "):
            samples.append(json.loads(line[len("SAMPLE ") :]))


HEADER = (
    f"{'min':>5} {'RSS MiB':>8} {'fds':>4} {'thr':>4} {'objects':>8} {'widgets':>8} "
    f"{'textures':>8} {'images':>7} {'held seq':>11} {'syncs ok/failed':>16} {'touches':>8}  network"
)


def row(sample: dict[str, Any], up: bool) -> str:
    caches = sample["caches"]
    return (
        f"{sample['t'] / 60:5.1f} {sample['rss'] / 2**20:8.1f} {sample['fds']:4d} {sample['threads']:4d} "
        f"{sample['objects']:8d} {sample['widgets']:8d} {caches.get('kv.texture', 0):8d} "
        f"{caches.get('kv.image', 0):7d} {sample['held'] or 0:11d} "
        f"{sample['ok']:>7d}/{sample['failed']:<8d} {sample['touches']:8d}  {'up' if up else 'DOWN'}"
    )


def judge(samples: list[dict[str, Any]], timeline: Timeline) -> list[str]:
    problems: list[str] = []
    if len(samples) < WARMUP_SAMPLES + 6:
        return [f"only {len(samples)} samples: the soak needs at least {WARMUP_SAMPLES + 6} minutes"]
    base = samples[WARMUP_SAMPLES : WARMUP_SAMPLES + 5]
    last = samples[-5:]
    for key, allowed in TARGETS.items():
        before = statistics.median(s[key] for s in base)
        after = statistics.median(s[key] for s in last)
        if after > before * (1 + allowed):
            problems.append(f"{key} grew {after / before - 1:+.1%} (allowed {allowed:+.0%})")
    for key, slack in ABSOLUTE_SLACK.items():
        before, after = max(s[key] for s in base), max(s[key] for s in last)
        if after > before + slack:
            problems.append(f"{key} grew from {before} to {after}")
    for name in {name for s in samples for name in s["caches"]}:
        sizes = [s["caches"].get(name, 0) for s in samples]
        limit = samples[-1]["cache_limits"].get(name)
        if limit is not None and max(sizes) > limit:
            problems.append(f"Kivy cache {name} holds {max(sizes)} entries, over its limit {limit}")
    committed = [seq for s in samples for seq in s["committed"]]
    if committed != sorted(committed) or len(set(committed)) != len(committed):
        problems.append(f"snapshots went backwards or repeated: {committed}")
    seen = set(committed)
    for index, (at, sequence) in enumerate(timeline.published):
        following = timeline.published[index + 1][0] if index + 1 < len(timeline.published) else at + 600
        window_end = min(following, at + 4 * POLL_SECONDS)
        if sequence not in seen and timeline.up_throughout(at, window_end) and following > window_end:
            problems.append(f"snapshot {sequence} (published at {at / 60:.1f} min, network up) was lost")
    if samples[-1]["held"] != timeline.published[-1][1]:
        problems.append(
            f"ends holding {samples[-1]['held']}, not the last published {timeline.published[-1][1]}"
        )
    return problems


def summary(samples: list[dict[str, Any]], timeline: Timeline) -> str:
    first, last = samples[WARMUP_SAMPLES] if len(samples) > WARMUP_SAMPLES else samples[0], samples[-1]
    ok = sum(s["ok"] for s in samples)
    failed = sum(s["failed"] for s in samples)
    return (
        f"soak summary: {last['t'] / 60:.1f} min, {last['touches']} touches, {len(timeline.published)} "
        f"snapshots published, {len({q for s in samples for q in s['committed']})} committed, "
        f"{len(timeline.outages)} outages; syncs {ok} ok / {failed} failed; "
        f"RSS {first['rss'] / 2**20:.1f} → {last['rss'] / 2**20:.1f} MiB, "
        f"fds {first['fds']} → {last['fds']}, "
        f"threads {first['threads']} → {last['threads']}, objects {first['objects']} → {last['objects']}"
    )


# ------------------------------------------------------------------------------------------- child


def child_main(config_path: Path, minutes: float, sample_every: float) -> int:
    from tests.kivy_env import configure_test_window

    configure_test_window()
    from kivy.clock import Clock

    from feed.config import load_config
    from feed.outbox import Outbox
    from feed.runtime.logs import configure_logging
    from feed.runtime.service import ServiceNotifier, StopRequest
    from feed.store.reader import StoreReader
    from feed.sync import Poller, SyncSettings
    from kiosk.app import KioskApp
    from kiosk.config import KioskAppConfig
    from kiosk.lifecycle import KioskLifecycle

    configure_logging()
    faulthandler.register(signal.SIGUSR1)  # the parent asks for a traceback when samples stop coming
    stop = StopRequest()
    stop.install()
    config = load_config(config_path, KioskAppConfig)
    reader = StoreReader.open(config.feed.cache_dir, config.device)
    outbox = Outbox.open(config.feed.cache_dir, device_id=config.device.id)
    app = KioskApp(config, reader, outbox)
    results: list[tuple[str, int | None]] = []
    lock = threading.Lock()

    def on_result(result: Any) -> None:
        with lock:
            results.append((result.outcome, result.sequence))

    poller = Poller(SyncSettings.from_config(config.feed, helper_min_records=1), on_result=on_result)
    poller.start()
    lifecycle = KioskLifecycle(app, stop, ServiceNotifier())  # SIGTERM ends it as in production
    lifecycle.start()
    citizen = ScriptedCitizen(app)
    sampler = Sampler(app, results, lock, minutes)
    Clock.schedule_interval(citizen.step, 0.6)
    Clock.schedule_interval(sampler.sample, sample_every)
    app.run()
    poller.stop()
    reader.close()
    outbox.close()
    return 0


class Sampler:
    def __init__(self, app: Any, results: list[tuple[str, int | None]], lock: threading.Lock, minutes: float):
        self.app, self.results, self.lock = app, results, lock
        self.started = time.monotonic()
        self.minutes = minutes

    def sample(self, _dt: float) -> None:
        import gc

        from kivy.cache import Cache
        from kivy.core.window import Window

        gc.collect()
        with self.lock:
            taken, self.results[:] = list(self.results), []
        caches = {name: len(entries) for name, entries in getattr(Cache, "_objects", {}).items()}
        limits = {
            name: info["limit"]
            for name, info in getattr(Cache, "_categories", {}).items()
            if info.get("limit") is not None
        }
        sample = {
            "t": time.monotonic() - self.started,
            "rss": _rss(),
            "fds": len(os.listdir("/proc/self/fd")),
            "threads": threading.active_count(),
            "objects": len(gc.get_objects()),
            "widgets": sum(1 for _ in _walk(Window)),
            "caches": caches,
            "cache_limits": limits,
            "held": self.app.reader.status().sequence,
            "ok": sum(1 for outcome, _ in taken if outcome != "failed"),
            "failed": sum(1 for outcome, _ in taken if outcome == "failed"),
            "committed": [seq for outcome, seq in taken if outcome == "updated"],
            "touches": CITIZEN_TOUCHES[0],
        }
        print("SAMPLE " + json.dumps(sample), flush=True)
        if sample["t"] >= self.minutes * 60 - 1:
            self.app.exit_kiosk()


CITIZEN_TOUCHES = [0]


def _rss() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def _walk(widget: Any) -> Any:
    yield widget
    for child in widget.children:
        yield from _walk(child)


class ScriptedCitizen:
    """Taps through the kiosk like visitors do; every few rounds walks away so the session times out."""

    ROUND = (
        "start",
        "办事指南",
        "guide",
        "返回",
        "首页",
        "搜索",
        "B",
        "D",
        "C",
        "hit",
        "首页",
        "政务公开",
        "row",
        "返回",
        "长辈模式",
        "首页",
        "标准模式",
        "好差评 / 意见建议",
        "首页",
    )

    def __init__(self, app: Any) -> None:
        self.app = app
        self.position = 0
        self.rounds = 0
        self.idle_until = 0.0

    def step(self, _dt: float) -> None:
        if time.monotonic() < self.idle_until:
            return
        action = self.ROUND[self.position]
        self.position = (self.position + 1) % len(self.ROUND)
        if self.position == 0:
            self.rounds += 1
            if self.rounds % 3 == 0:  # walk away: the idle countdown ends the session
                self.idle_until = time.monotonic() + self.app.idle.timeout_s + 3
        if action == "start":
            self._tap_point(0.5, 0.5)
        elif action in ("guide", "hit", "row"):
            self._tap_row()
        elif not self._tap_text(action):
            self.app.home()

    def _tap_point(self, fx: float, fy: float) -> None:
        from kivy.core.window import Window

        self._touch(Window.width * fx, Window.height * fy)

    def _touch(self, x: float, y: float) -> None:
        from kivy.clock import Clock
        from kivy.tests.common import UnitTestTouch

        touch = UnitTestTouch(x, y)
        touch.touch_down()
        Clock.schedule_once(lambda _dt: touch.touch_up(), 0.08)
        CITIZEN_TOUCHES[0] += 1

    def _tap_text(self, text: str) -> bool:
        from kivy.core.window import Window
        from kivy.uix.label import Label

        for widget in _walk(Window):
            if isinstance(widget, Label) and widget.text.replace("\n", "") == text and _shown(widget):
                node = widget
                while node is not Window and not hasattr(node, "trigger_action"):
                    node = node.parent  # the window is its own parent
                target = node if node is not Window else widget
                self._touch(*target.to_window(*target.center))
                return True
        return False

    def _tap_row(self) -> None:
        """The first row of the list on screen (a guide, a search hit, an item)."""
        screen = self.app.current_screen
        rows = [w for w in _walk(screen) if type(w).__name__.endswith("Row") and _shown(w)]
        if rows:  # none on screen: the next step tries again
            target = rows[-1]
            self._touch(*target.to_window(*target.center))


def _shown(widget: Any) -> bool:
    from kivy.core.window import Window

    node = widget
    while node is not None and node is not Window:  # the window is its own parent
        if getattr(node, "opacity", 1) == 0:
            return False
        node = node.parent
    return widget.get_root_window() is not None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--change-every", type=float, default=60.0, help="seconds between feed changes")
    parser.add_argument("--outage-every", type=float, default=300.0, help="seconds between network outages")
    parser.add_argument("--outage", type=float, default=90.0, help="seconds each outage lasts")
    parser.add_argument("--sample-every", type=float, default=SAMPLE_SECONDS, help="seconds between samples")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        return child_main(args.child, args.minutes, args.sample_every)
    return run(args.minutes, args.change_every, args.outage_every, args.outage, args.sample_every)


if __name__ == "__main__":
    sys.exit(main())
