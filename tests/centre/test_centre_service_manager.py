"""`hall-centre serve` under systemd (`Type=notify`, `WatchdogSec=`): READY=1 only once the server
answers, then watchdog pings from its event loop; outside systemd it sends nothing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from centre.api.service_manager import probe_address
from tests.centre.centre_kit import free_port, hall_centre, write_config


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[tuple[socket.socket, Path]]:
    path = tmp_path / "notify"
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(str(path))
    receiver.settimeout(0.2)
    try:
        yield receiver, path
    finally:
        receiver.close()


def test_ready_once_it_answers_then_the_event_loop_pings_the_watchdog(
    tmp_path: Path, notify_socket: tuple[socket.socket, Path]
) -> None:
    receiver, address = notify_socket
    config = write_config(tmp_path, f"sqlite:///{tmp_path / 'centre.db'}")
    assert hall_centre("init", "--config", str(config)).returncode == 0
    port = free_port()
    env = dict(os.environ, NOTIFY_SOCKET=str(address), WATCHDOG_USEC="1000000")
    serve = subprocess.Popen(
        [sys.executable, "-m", "centre.cli", "serve", "--config", str(config), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    messages: list[str] = []
    answered_at_ready: int | None = None
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and messages.count("WATCHDOG=1") < 4:
            try:
                message = receiver.recv(4096).decode()
            except TimeoutError:
                assert serve.poll() is None, "hall-centre serve exited"
                continue
            messages.append(message.strip())
            if message.startswith("READY=1"):
                answered_at_ready = httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=2).status_code
    finally:
        serve.terminate()
        serve.wait(timeout=20)
    assert messages[0] == "READY=1", messages
    assert answered_at_ready == 200, "READY=1 came before the server accepted connections"
    assert messages[1:5] == ["WATCHDOG=1"] * 4, messages


def test_outside_systemd_nothing_is_sent_and_it_serves(tmp_path: Path) -> None:
    config = write_config(tmp_path, f"sqlite:///{tmp_path / 'centre.db'}")
    assert hall_centre("init", "--config", str(config)).returncode == 0
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in ("NOTIFY_SOCKET", "WATCHDOG_USEC")}
    serve = subprocess.Popen(
        [sys.executable, "-m", "centre.cli", "serve", "--config", str(config), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline and status != 200:
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code
            except httpx.HTTPError:
                time.sleep(0.1)
        assert status == 200
    finally:
        serve.terminate()
        _, err = serve.communicate(timeout=20)
    assert b"notify" not in err.lower()


@pytest.mark.parametrize(
    ("host", "expected"),
    [("0.0.0.0", "127.0.0.1"), ("::", "::1"), ("127.0.0.1", "127.0.0.1"), ("10.1.2.3", "10.1.2.3")],
)
def test_a_wildcard_listener_is_probed_on_loopback(host: str, expected: str) -> None:
    assert probe_address(host, 8700) == (expected, 8700)
