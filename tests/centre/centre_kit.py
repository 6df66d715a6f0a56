"""Real engines for the centre's tests: a throw-away PostgreSQL cluster, the receiver as a real
`hall-centre serve` process on loopback, and a proxy in front of it that misbehaves on request."""

from __future__ import annotations

import dataclasses
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from uuid import UUID

import httpx
from sqlalchemy import Engine, select

from centre.db import devices
from centre.db import engine as db
from centre.db.records import CHUNK
from centre.db.schema import play_counts, submissions
from centre.db.throwaway import PostgresCluster, postgres_bindir  # noqa: F401 - for the tests
from feed.config import CentreLinkConfig

# CI sets this: a missing engine is then a failure, not a skip.
REQUIRE_ENGINES = os.environ.get("HALL_TESTS_REQUIRE_ENGINES") == "1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# ------------------------------------------------------------------------------------- the receiver


def write_config(folder: Path, database_url: str, **extra: object) -> Path:
    lines = ["[centre]", f'database_url = "{database_url}"', 'timezone = "Asia/Shanghai"']
    lines += [f"{key} = {value!r}".replace("'", '"') for key, value in extra.items()]
    path = folder / "centre.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def hall_centre(
    *args: str, stdin: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "centre.cli", *args],
        check=False,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=timeout,
    )


@dataclass
class CentreProcess:
    """`hall-centre serve` on a loopback port, started and stopped (or killed) by the test."""

    config: Path
    port: int = field(default_factory=free_port)
    log_path: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self, timeout: float = 30.0) -> None:
        log_path = self.log_path or self.config.with_name("serve.log")
        self.log_path = log_path
        log = log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "centre.cli",
                "serve",
                "--config",
                str(self.config),
                "--port",
                str(self.port),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"hall-centre serve exited: {log_path.read_text(errors='replace')[-2000:]}"
                )
            try:
                if httpx.get(self.url + "v1/health", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("hall-centre serve did not become healthy")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self.process = None

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=15)
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""


# ------------------------------------------------------------------------------ a misbehaving proxy


@dataclass
class Fault:
    """What the proxy does with the next requests (`times` of them; then it forwards again)."""

    mode: str  # "status" | "hang" | "dribble" | "cut" | "pass"
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1


class FaultProxy:
    """An HTTP/1.1 proxy on loopback in front of the receiver. `cut` forwards the request (so the
    receiver stores it), then sends the client half of the answer and closes: the acknowledgement is
    lost after the work was done, the case exactly-once delivery exists for."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str]] = []  # (path, what happened)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:
                pass

            def do_POST(self) -> None:
                proxy._handle(self)

            def do_GET(self) -> None:
                proxy._handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()

    def inject(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(dataclasses.replace(fault))  # the caller's stays as it was

    def _next_fault(self) -> Fault | None:
        with self._lock:
            while self.faults and self.faults[0].times <= 0:
                self.faults.pop(0)
            if not self.faults:
                return None
            self.faults[0].times -= 1
            return self.faults[0]

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        fault = self._next_fault()
        mode = fault.mode if fault else "pass"
        with self._lock:
            self.requests.append((handler.path, mode))
        if fault is not None and fault.mode == "status":
            payload = b'{"detail":"injected"}'
            handler.send_response(fault.status)
            for name, value in fault.headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
            return
        if fault is not None and fault.mode == "hang":
            self._stop.wait(60)  # bounded: the client's timeout is what is under test
            handler.close_connection = True
            return
        if fault is not None and fault.mode == "dribble":  # headers a byte every 0.2 s, for 60 s at most
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + b"X-Pad: " + b"a" * 300
            for byte in head:
                if self._stop.wait(0.2):
                    break
                try:
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
                except OSError:  # the client gave up: what is under test
                    break
            handler.close_connection = True
            return
        status, headers, answer = self._forward(handler, body)
        if fault is not None and fault.mode == "cut":
            handler.send_response(status)
            handler.send_header("Content-Type", headers.get("content-type", "application/json"))
            handler.send_header("Content-Length", str(len(answer)))
            handler.end_headers()
            handler.wfile.write(answer[: len(answer) // 2])
            handler.wfile.flush()
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return
        handler.send_response(status)
        for name in ("content-type", "retry-after", "www-authenticate"):
            if name in headers:
                handler.send_header(name, headers[name])
        handler.send_header("Content-Length", str(len(answer)))
        handler.end_headers()
        handler.wfile.write(answer)

    def _forward(self, handler: BaseHTTPRequestHandler, body: bytes) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=30)
        try:
            headers = {k: v for k, v in handler.headers.items() if k.lower() not in ("host", "connection")}
            connection.request(handler.command, handler.path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        except OSError:
            return 502, {"content-type": "application/json"}, b'{"detail":"receiver unreachable"}'
        finally:
            connection.close()


@contextmanager
def running(centre: CentreProcess) -> Iterator[CentreProcess]:
    centre.start()
    try:
        yield centre
    finally:
        centre.stop()


# --------------------------------------------------------------------------------------- devices


def register(engine: Engine, device_id: str, role: str = "kiosk", hall: str = "qinghe-hall") -> str:
    """Register a device directly in the database; returns its token."""
    _, token = devices.add(engine, device_id, role, hall, datetime.now(UTC))
    return token


def token_file(folder: Path, token: str, name: str = "centre.token") -> Path:
    path = folder / name
    path.write_text(token + "\n")
    path.chmod(0o600)
    return path


def link(url: str, token_path: Path, **changes: object) -> CentreLinkConfig:
    settings: dict[str, object] = {"timeout_seconds": 5.0, "send_seconds": 1.0, "heartbeat_seconds": 5.0}
    settings.update(changes)
    return CentreLinkConfig(url=url, token_file=token_path, **settings)  # type: ignore[arg-type]


def device_config(
    folder: Path, *, cache_dir: Path, url: str, token_path: Path, device_id: str, batch_records: int = 200
) -> Path:
    """A kiosk's config file with a [centre] section (the feed source is never polled here)."""
    path = folder / f"{device_id}.toml"
    path.write_text(
        "\n".join(
            [
                "[feed]",
                f'source = "{folder / "no-feed"}"',
                f'cache_dir = "{cache_dir}"',
                "allow_unsigned = true",
                "[device]",
                f'id = "{device_id}"',
                'hall = "qinghe-hall"',
                "[kiosk]",
                "fullscreen = false",
                "[centre]",
                f'url = "{url}"',
                f'token_file = "{token_path}"',
                f"batch_records = {batch_records}",
                "timeout_seconds = 5",
                "",
            ]
        ),
        encoding="utf-8",
    )
    return path


def held_ids(engine: Engine, ids: Iterable[UUID]) -> set[UUID]:
    """Which of `ids` the centre holds, in either table."""
    wanted = list(ids)
    found: set[UUID] = set()
    with db.read(engine) as conn:
        for table in (submissions, play_counts):
            for start in range(0, len(wanted), CHUNK):
                chunk = wanted[start : start + CHUNK]
                found.update(conn.execute(select(table.c.id).where(table.c.id.in_(chunk))).scalars())
    return found
