"""sd_notify over a real Unix datagram socket, and stop requests from real signals."""

from __future__ import annotations

import os
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from feed.runtime.service import ServiceNotifier, StopRequest


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def manager(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify"))
    sock.settimeout(0.2)
    yield sock, str(tmp_path / "notify")
    sock.close()


def received(sock: socket.socket) -> list[str]:
    found = []
    try:
        while True:
            found.append(sock.recv(4096).decode())
    except TimeoutError:
        return found


def test_ready_then_watchdog_pings_at_a_quarter_of_the_period(manager: tuple[socket.socket, str]) -> None:
    sock, address = manager
    clock = Clock()
    notifier = ServiceNotifier({"NOTIFY_SOCKET": address, "WATCHDOG_USEC": "20000000"}, clock=clock)
    assert notifier.address is not None and notifier.watchdog_seconds == 20.0
    for _ in range(3):  # frames within the same instant: READY once, no ping yet
        notifier.frame()
    clock.now += 4.9
    notifier.frame()
    clock.now += 0.2  # 5.1 s after READY: a quarter of 20 s has passed
    notifier.frame()
    notifier.frame()
    clock.now += 5.0
    notifier.frame()
    notifier.stopping("bye")
    assert received(sock) == ["READY=1\n", "WATCHDOG=1\n", "WATCHDOG=1\n", "STOPPING=1\nSTATUS=bye\n"]


def test_abstract_socket_names(tmp_path: Path) -> None:
    name = f"hall-test-{os.getpid()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name)
    sock.settimeout(0.2)
    try:
        ServiceNotifier({"NOTIFY_SOCKET": "@" + name}).ready("up")
        assert received(sock) == ["READY=1\nSTATUS=up\n"]
    finally:
        sock.close()


def test_without_a_manager_nothing_is_sent_and_nothing_fails(tmp_path: Path) -> None:
    notifier = ServiceNotifier({})
    assert notifier.address is None and not notifier.ping()
    notifier.frame()
    gone = ServiceNotifier({"NOTIFY_SOCKET": str(tmp_path / "gone"), "WATCHDOG_USEC": "1000"})
    assert gone.send("READY=1") is False  # the manager went away: logged once, the program goes on
    gone.frame()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_only_sets_the_flag(signum: int) -> None:
    previous = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    stop = StopRequest()
    try:
        stop.install()
        assert os.environ["SDL_NO_SIGNAL_HANDLERS"] == "1"
        os.kill(os.getpid(), signum)  # no KeyboardInterrupt, no exit: the loop decides when to stop
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.requested and stop.event.is_set()
        assert stop.signal_name == signal.Signals(signum).name
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
