"""Peak memory (and time) of one sync against each kind of hostile server, on 127.0.0.1.

    python -m benchmarks.hostile_bench [--timeout 3]

Each sync runs as `hall-feed sync --once` would, in a child process of its own, against a server
that answers the manifest (or every object) the hostile way; the child's peak RSS comes from
wait4(). Target: under 200 MB whatever the server sends. A well-behaved server is measured first,
for the baseline of the interpreter and the sync's imports.
"""

from __future__ import annotations

import argparse
import base64
import os
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from nacl.signing import SigningKey

from benchmarks.report import report
from feed.format.layout import MANIFEST_NAME
from feed.format.signing import PUBLIC_PREFIX
from feed.publish.writer import write_feed
from feed.schema import Headline

TARGET_MB = 200
STREAM_CAP = 8 << 30  # no server loop sends more than this, whoever stops listening
SYNC = (
    "import sys; from pathlib import Path; from feed.format.signing import load_public_key;"
    "from feed.sync import SyncSettings, sync_once;"
    "r = sync_once(SyncSettings(sys.argv[1], Path(sys.argv[2]), pubkey=load_public_key(Path(sys.argv[3])),"
    " timeout=float(sys.argv[4]))); print(r.summary())"
)


def gzip_zeros(total: int) -> bytes:
    """gzip of `total` zero bytes, compressed a MiB at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1 << 20)
    parts = [packer.compress(zeros) for _ in range(total >> 20)]
    return b"".join([*parts, packer.flush()])


def gzip_of(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    return packer.compress(data) + packer.flush()


Send = Callable[[socket.socket, bytes], None]  # (connection, the file's bytes or b"" when absent)


def head(status: str, *headers: str) -> bytes:
    return ("\r\n".join([f"HTTP/1.1 {status}", *headers, "Connection: close"]) + "\r\n\r\n").encode()


def endless(conn: socket.socket, chunk: bytes) -> None:
    sent = 0
    while sent < STREAM_CAP:
        conn.sendall(chunk)
        sent += len(chunk)


def dribble(conn: socket.socket, data: bytes, pause: float, limit: float) -> None:
    """`data` a byte at a time, `pause` seconds apart, for at most `limit` seconds."""
    stop = time.monotonic() + limit
    for byte in data:
        if time.monotonic() > stop:
            return
        conn.sendall(bytes([byte]))
        time.sleep(pause)


@dataclass(frozen=True)
class Scenario:
    name: str
    manifest: Send | None = None  # how the manifest is answered (None: plainly)
    objects: Send | None = None  # how every object is answered (None: plainly)


def scenarios(bomb: bytes, object_bomb: bytes) -> list[Scenario]:
    filler = b"x" * 65536

    def plain(conn: socket.socket, data: bytes) -> None:
        conn.sendall(head("200 OK", f"Content-Length: {len(data)}") + data)

    def encoded(body: bytes, encoding: str) -> Send:
        return lambda conn, _data: conn.sendall(
            head("200 OK", f"Content-Encoding: {encoding}", f"Content-Length: {len(body)}") + body
        )

    def stream(conn: socket.socket, _data: bytes) -> None:
        conn.sendall(head("200 OK"))
        endless(conn, filler)

    def chunked(conn: socket.socket, _data: bytes) -> None:
        conn.sendall(head("200 OK", "Transfer-Encoding: chunked"))
        endless(conn, b"10000\r\n" + filler + b"\r\n")

    def declared(conn: socket.socket, _data: bytes) -> None:
        conn.sendall(head("200 OK", f"Content-Length: {10**15}"))
        endless(conn, filler)

    def many_headers(conn: socket.socket, data: bytes) -> None:
        extra = [f"X-Pad-{i}: {'y' * 200}" for i in range(300)]
        conn.sendall(head("200 OK", f"Content-Length: {len(data)}", *extra) + data)

    def slow_headers(conn: socket.socket, data: bytes) -> None:
        dribble(conn, head("200 OK", f"Content-Length: {len(data)}", "X-Pad: " + "z" * 600), 0.05, 60)

    def slow_body(conn: socket.socket, data: bytes) -> None:
        conn.sendall(head("200 OK", f"Content-Length: {len(data)}"))
        dribble(conn, data, 0.05, 60)

    def redirect_loop(conn: socket.socket, _data: bytes) -> None:
        conn.sendall(head("302 Found", f"Location: /{MANIFEST_NAME}?again", "Content-Length: 0"))

    def poisoned(conn: socket.socket, data: bytes) -> None:
        conn.sendall(head("200 OK", f"Content-Length: {len(data)}", 'ETag: "' + "e" * 30000 + '"') + data)

    return [
        Scenario("well-behaved (baseline)", plain, plain),
        Scenario("manifest: nested gzip bomb (4 GiB decoded)", encoded(bomb, "gzip, gzip")),
        Scenario("objects: gzip bomb (1 GiB decoded)", None, encoded(object_bomb, "gzip")),
        Scenario("manifest: endless body", stream),
        Scenario("objects: endless body", None, stream),
        Scenario("manifest: endless chunked body", chunked),
        Scenario("manifest: Content-Length 10^15", declared),
        Scenario("manifest: 60 KB of headers", many_headers),
        Scenario("manifest: headers a byte at a time", slow_headers),
        Scenario("objects: body a byte at a time", None, slow_body),
        Scenario("manifest: redirect loop", redirect_loop),
        Scenario("manifest: 30 KB ETag", poisoned),
    ]


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def serve(root: Path, scenario: Scenario) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 the way `scenario` says; yields the URL."""

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            conn: socket.socket = self.request
            request = b""
            while b"\r\n\r\n" not in request and len(request) < 65536:
                piece = conn.recv(4096)
                if not piece:
                    return
                request += piece
            path = request.split(b" ", 2)[1].decode("latin-1").split("?", 1)[0].lstrip("/")
            target = root / path
            data = target.read_bytes() if path and ".." not in path and target.is_file() else b""
            send = scenario.manifest if path == MANIFEST_NAME else scenario.objects
            try:
                if send is not None:
                    send(conn, data)
                elif data:
                    conn.sendall(head("200 OK", f"Content-Length: {len(data)}") + data)
                else:
                    conn.sendall(head("404 Not Found", "Content-Length: 0"))
            except OSError:
                pass  # the client gave up: what a bounded client does

    server = _Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def measure(url: str, cache: Path, pubkey: Path, timeout: float) -> tuple[str, float, float]:
    """(the sync's one-line summary, seconds, peak RSS in MiB) of one child process."""
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-c", SYNC, url, str(cache), str(pubkey), str(timeout)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = (child.stdout.read() if child.stdout else "").strip() or "(no output: the sync crashed)"
    _, status, usage = os.wait4(child.pid, 0)  # wait4: this child's own peak, not all children's
    child.returncode = os.waitstatus_to_exitcode(status)
    return line, time.monotonic() - started, usage.ru_maxrss / 1024


def publish(root: Path, key: SigningKey) -> None:
    headlines = [Headline(kind="headline", id=f"h{i}", text=f"第{i}条标题") for i in range(20)]
    now = datetime.now(UTC)
    write_feed(
        root,
        feed_id="bench",
        records=headlines,
        blobs={},
        sequence=1,
        expires=now + timedelta(days=1),
        key=key,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--timeout", type=float, default=3.0, help="the sync's timeout (seconds)")
    args = parser.parse_args(argv)
    print("building the bombs (a minute of compressing zeros) ...", flush=True)
    bomb = gzip_of(gzip_zeros(4 << 30))
    object_bomb = gzip_zeros(1 << 30)
    print(f"manifest bomb {len(bomb)} B, object bomb {len(object_bomb)} B on the wire", flush=True)
    worst, worst_name, rows = 0.0, "", []
    with tempfile.TemporaryDirectory(prefix="hostile-bench-") as work:
        root, key = Path(work) / "feed", SigningKey.generate()
        publish(root, key)
        pubkey = Path(work) / "feed.pub"
        pubkey.write_text(PUBLIC_PREFIX + base64.b64encode(bytes(key.verify_key)).decode(), encoding="ascii")
        print(f"{'server':48} {'peak RSS':>9} {'seconds':>8}  outcome")
        for number, scenario in enumerate(scenarios(bomb, object_bomb)):
            with serve(root, scenario) as url:
                line, seconds, peak = measure(url, Path(work) / f"cache-{number}", pubkey, args.timeout)
            rows.append(scenario.name)
            if peak > worst:
                worst, worst_name = peak, scenario.name
            print(f"{scenario.name:48} {peak:6.1f} MiB {seconds:8.1f}  {line[:110]}", flush=True)
    report(
        "feed.hostile_peak_rss",
        "feed: peak RSS of one sync against the worst of the hostile servers (bombs, dribbles, floods)",
        worst,
        "MiB",
        target=f"< {TARGET_MB} MB",
        ok=worst * 1.048576 < TARGET_MB,
        detail=f"worst {worst_name}; {len(rows)} servers",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
