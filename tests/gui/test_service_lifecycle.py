"""`hall-kiosk` and `hall-display --output window` as systemd runs them: they say when they are ready,
ping the watchdog from their frame loops, log journal-style lines, and stop cleanly within 2 s on
SIGTERM or SIGINT (a citizen cannot close the kiosk; the operating system can)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from feed.dev.demo import demo_key_paths, prepare_demo_cache
from feed.outbox import Outbox
from kiosk.logic.admin import hash_pin

BIN = Path(sys.executable).parent
STOP_BUDGET_SECONDS = 2.0
JOURNAL_LINE = re.compile(r"^<[0-7]>(DEBUG|INFO|WARNING|ERROR|CRITICAL) [A-Za-z0-9_.-]+: ")

pytestmark = pytest.mark.skipif(
    not os.environ.get("DISPLAY"), reason="needs a display (run under scripts/with-display.sh)"
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return prepare_demo_cache(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def cache(demo: Path, tmp_path: Path) -> Path:
    target = tmp_path / "cache"
    shutil.copytree(demo, target)
    shutil.copytree(demo.parent / "feed", tmp_path / "feed")
    return target


@dataclass
class Service:
    """A program started as systemd would: NOTIFY_SOCKET, WATCHDOG_USEC, stderr to the 'journal'."""

    proc: subprocess.Popen[bytes]
    notify: socket.socket
    messages: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)

    def wait_for_message(self, wanted: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(wanted in message.splitlines() for message in self.messages):
                return True
            if self.proc.poll() is not None:
                self._drain(0.2)
                return any(wanted in message.splitlines() for message in self.messages)
            self._drain(0.1)
        return False

    def _drain(self, seconds: float) -> None:
        self.notify.settimeout(seconds)
        try:
            while True:
                self.messages.append(self.notify.recv(4096).decode())
                self.notify.settimeout(0.01)
        except TimeoutError:
            pass

    def assert_ready_watched_and_stopped_by(self, signum: int, logger: str) -> list[str]:
        """READY, a watchdog ping, then `signum`: exit 0 within the budget, STOPPING sent, every log
        line journal-style and the stop logged by `logger`; returns the log lines."""
        assert self.wait_for_message("READY=1", timeout=90), self.stderr
        assert self.wait_for_message("WATCHDOG=1", timeout=5), self.messages
        time.sleep(1.5)  # the kiosk's poller is running by now; a few headlines have played
        code, elapsed = self.stop_with(signum)
        assert code == 0, self.stderr
        assert elapsed < STOP_BUDGET_SECONDS, f"took {elapsed:.2f} s"
        assert any("STOPPING=1" in message for message in self.messages)
        lines = [line for line in self.stderr if line]
        assert lines and all(JOURNAL_LINE.match(line) for line in lines), lines
        assert f"<6>INFO {logger}: stopping on {signal.Signals(signum).name}" in lines
        return lines

    def stop_with(self, signum: int) -> tuple[int, float]:
        started = time.monotonic()
        self.proc.send_signal(signum)
        try:
            code = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"still running 30 s after {signal.Signals(signum).name}") from None
        elapsed = time.monotonic() - started
        self._drain(0.2)
        return code, elapsed


@pytest.fixture
def start_service(tmp_path: Path) -> Iterator[object]:
    started: list[Service] = []

    def start(*argv: str) -> Service:
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        address = tmp_path / f"notify-{len(started)}"
        notify.bind(str(address))
        read_end, write_end = os.pipe()
        info = os.fstat(write_end)
        env = dict(
            os.environ,
            NOTIFY_SOCKET=str(address),
            WATCHDOG_USEC="1000000",
            JOURNAL_STREAM=f"{info.st_dev}:{info.st_ino}",
            KIVY_HOME=str(tmp_path / "kivy-home"),
        )
        for name in ("KIVY_NO_CONSOLELOG", "KIVY_LOG_MODE", "KIVY_NO_FILELOG"):
            env.pop(name, None)  # as in production: the program sets up Kivy's logging itself
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=write_end)
        os.close(write_end)
        service = Service(proc, notify)

        def read_stderr() -> None:
            with os.fdopen(read_end, "rb") as stream:
                for line in stream:
                    service.stderr.append(line.decode("utf-8", "replace").rstrip("\n"))

        threading.Thread(target=read_stderr, daemon=True).start()
        started.append(service)
        return service

    yield start
    for service in started:
        if service.proc.poll() is None:
            service.proc.kill()
            service.proc.wait()
        service.notify.close()


def kiosk_config(tmp_path: Path, cache: Path, extra: str = "") -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[feed]\nsource = "{tmp_path / "feed"}"\ncache_dir = "{cache}"\n'
        f'pubkey = "{demo_key_paths()[1]}"\n'
        f'[device]\nid = "kiosk-test"\n[kiosk]\nfullscreen = true\n{extra}',
        encoding="utf-8",
    )
    return path


def assert_intact(cache: Path) -> None:
    for name in ("store.db", "outbox.db"):
        with sqlite3.connect(cache / name) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",), name


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_kiosk_is_ready_watched_and_stops_cleanly(
    start_service: object, tmp_path: Path, cache: Path, signum: int
) -> None:
    config = kiosk_config(tmp_path, cache, f'admin_pin_hash = "{hash_pin("2468", iterations=10_000)}"\n')
    kiosk = start_service(str(BIN / "hall-kiosk"), "--config", str(config), "--verbose")  # type: ignore[operator]
    lines = kiosk.assert_ready_watched_and_stopped_by(signum, "kiosk.lifecycle")
    assert any(line.startswith("<6>INFO kivy: ") for line in lines)  # --verbose shows Kivy's report
    assert_intact(cache)


def test_the_kiosk_log_leaves_out_kivys_report_unless_verbose(
    start_service: object, tmp_path: Path, cache: Path
) -> None:
    config = kiosk_config(tmp_path, cache, "admin_screen = false\n")
    kiosk = start_service(str(BIN / "hall-kiosk"), "--config", str(config))  # type: ignore[operator]
    assert kiosk.wait_for_message("READY=1", timeout=90), kiosk.stderr
    code, elapsed = kiosk.stop_with(signal.SIGTERM)
    assert (code, elapsed < STOP_BUDGET_SECONDS) == (0, True), (elapsed, kiosk.stderr)
    lines = [line for line in kiosk.stderr if line]
    assert "<6>INFO kiosk.lifecycle: stopping on SIGTERM" in lines
    assert not any(line.startswith(("<6>INFO kivy", "<7>DEBUG")) for line in lines), lines


def test_a_fullscreen_kiosk_without_a_pin_refuses_to_start_and_says_how_to_make_one(
    tmp_path: Path, cache: Path
) -> None:
    config = kiosk_config(tmp_path, cache)
    command = [str(BIN / "hall-kiosk"), "--config", str(config)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 2
    assert "[kiosk] admin_pin_hash: required when fullscreen = true" in run.stderr
    made = subprocess.run(
        [str(BIN / "hall-kiosk"), "--hash-pin"],
        input="2468\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert made.returncode == 0 and made.stdout.startswith("pbkdf2_sha256$"), made.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_led_window_is_ready_watched_and_stops_cleanly(
    start_service: object, tmp_path: Path, cache: Path, signum: int
) -> None:
    config = tmp_path / "display.toml"
    config.write_text(
        f'[feed]\nsource = "unused"\ncache_dir = "{cache}"\n[device]\nid = "led-test"\n'
        '[display]\noutput = "window"\npanel = "128x32"\nfps = 30\ndwell_seconds = 0.5\n',
        encoding="utf-8",
    )
    before = Outbox.open(cache).depth()
    display = start_service(str(BIN / "hall-display"), "--config", str(config))  # type: ignore[operator]
    display.assert_ready_watched_and_stopped_by(signum, "hall-display")
    assert_intact(cache)
    with Outbox.open(cache) as outbox:
        assert outbox.depth() > before  # proof of play, up to the stop, is in the outbox
