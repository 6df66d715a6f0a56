"""A loopback TCP server whose every answer is bytes a test writes to the socket itself: what no
well-behaved HTTP server library would send (headers dribbled a byte at a time, raw non-ASCII header
bytes, encodings nobody asked for). One request per connection; every request head is kept."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MAX_HEAD = 64 * 1024


@dataclass(frozen=True)
class Request:
    path: str  # relative to the root, without the leading slash
    head: bytes  # request line and headers as received

    def header(self, name: str) -> str | None:
        for line in self.head.split(b"\r\n")[1:]:
            key, _, value = line.partition(b":")
            if key.strip().lower() == name.lower().encode():
                return value.strip().decode("latin-1")
        return None


Answer = Callable[[Request, socket.socket], None]


class RawServer:
    def __init__(self, answer: Answer, host: str = "127.0.0.1") -> None:
        self.answer = answer
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server((host, 0))
        self._listener.settimeout(0.1)
        self.host, self.port = host, self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accepter = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def __enter__(self) -> RawServer:
        self._accepter.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._accepter.join(5)
        for thread in self._threads:
            thread.join(5)
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(10)
            head = b""
            try:
                while b"\r\n\r\n" not in head and len(head) < MAX_HEAD:
                    piece = conn.recv(4096)
                    if not piece:
                        return
                    head += piece
                target = head.split(b" ", 2)[1].decode("latin-1")
                request = Request(target.split("?", 1)[0].lstrip("/"), head.split(b"\r\n\r\n", 1)[0])
                with self._lock:
                    self.requests.append(request)
                self.answer(request, conn)
            except OSError:
                pass  # the client hung up, as many of these tests want it to

    def stopped(self) -> bool:
        return self._stop.is_set()


def response(status: str, headers: list[tuple[str, bytes | str]], body: bytes = b"") -> bytes:
    """A response with exactly these headers (no Content-Length unless given) and `Connection: close`."""
    lines = [f"HTTP/1.1 {status}".encode()]
    for name, value in [*headers, ("Connection", "close")]:
        lines.append(name.encode() + b": " + (value if isinstance(value, bytes) else value.encode("latin-1")))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def file_answer(root: Path, extra: Callable[[Request], list[tuple[str, bytes | str]]]) -> Answer:
    """Serve the feed directory `root` like a plain static server, adding `extra(request)` headers."""

    def answer(request: Request, conn: socket.socket) -> None:
        target = root / request.path
        if not request.path or ".." in request.path.split("/") or not target.is_file():
            conn.sendall(response("404 Not Found", [("Content-Length", "0")]))
            return
        data = target.read_bytes()
        conn.sendall(response("200 OK", [("Content-Length", str(len(data))), *extra(request)], data))

    return answer
