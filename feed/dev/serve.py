"""A small static HTTP/1.1 server for a built feed, for demos and tests.

It behaves like a well-configured nginx in front of the feed: keep-alive, strong ETags from the
content, Last-Modified, conditional GET answered with 304, `no-cache` on the manifest and
`immutable` on the content-addressed objects, no directory listings, nothing outside the root.

    with FeedServer(feed_dir) as server:     # ephemeral port on 127.0.0.1
        httpx.get(server.url + "manifest.json")
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import threading
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from stat import S_ISREG
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from feed.disk.files import NotRegularFileError, open_binary
from feed.errors import FeedError
from feed.format.layout import OBJECTS_DIR

OBJECT_CACHE_CONTROL = "public, max-age=31536000, immutable"
MUTABLE_CACHE_CONTROL = "no-cache"
CONTENT_TYPES = {
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",  # the phone site (docs/feed-protocol.md, section 17)
    ".css": "text/css; charset=utf-8",
}
# What the phone pages may load: their stylesheet and images from the feed, nothing else, no script
PAGE_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'"
_ETAG_CACHE_MAX = 50_000
_CHUNK = 64 * 1024


def cache_control_for(relative: str) -> str:
    """Objects never change under their name; everything else (the manifest) must be revalidated."""
    return OBJECT_CACHE_CONTROL if relative.startswith(OBJECTS_DIR + "/") else MUTABLE_CACHE_CONTROL


def content_type_for(relative: str) -> str:
    return CONTENT_TYPES.get(Path(relative).suffix, "application/octet-stream")


def _etag_matches(header: str, etag: str) -> bool:
    """If-None-Match uses the weak comparison: W/ prefixes are ignored."""
    for candidate in header.split(","):
        tag = candidate.strip()
        if tag == "*" or tag.removeprefix("W/") == etag:
            return True
    return False


def _not_modified_since(header: str, mtime: float) -> bool:
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        return False
    return int(mtime) <= since.timestamp()


class _FeedHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], root: Path, log: Callable[[str], None] | None) -> None:
        self.root = root.resolve()
        self.log = log
        self._etags: dict[tuple[int, int, int, int], str] = {}
        self._etag_lock = threading.Lock()
        super().__init__(address, _FeedRequestHandler)

    def etag_for(self, handle: BinaryIO, stat: os.stat_result) -> str:
        """Strong ETag: the SHA-256 of the bytes, cached per (device, inode, size, mtime)."""
        key = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
        with self._etag_lock:
            cached = self._etags.get(key)
        if cached is not None:
            return cached
        digest = hashlib.sha256()
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
        handle.seek(0)
        etag = f'"{digest.hexdigest()[:32]}"'
        with self._etag_lock:
            if len(self._etags) >= _ETAG_CACHE_MAX:
                self._etags.clear()
            self._etags[key] = etag
        return etag


class _FeedHTTPServer6(_FeedHTTPServer):
    address_family = socket.AF_INET6


class _FeedRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: every answer carries a Content-Length
    server_version = "hall-feed-serve"
    # Headers and a small body leave in one send: buffered writes, flushed after each request (by
    # handle_one_request). TCP_NODELAY so that a large body's last segment or a pipelined answer is
    # not held back by Nagle's algorithm waiting for the client's delayed ACK (~40 ms a request).
    wbufsize = _CHUNK
    disable_nagle_algorithm = True
    timeout = 30  # seconds an idle keep-alive connection may hold a thread
    server: _FeedHTTPServer

    def version_string(self) -> str:
        return self.server_version  # no Python version in the Server header

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} {format % args}")

    def _plain(self, status: HTTPStatus, text: str, extra: dict[str, str] | None = None) -> None:
        body = (text + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _relative_path(self) -> str | None:
        """The requested file relative to the root, or None after refusing the request."""
        path = urlsplit(self.path).path
        if not path.startswith("/"):
            self._plain(HTTPStatus.BAD_REQUEST, "bad request target")
            return None
        decoded = unquote(path)
        parts = [part for part in decoded.split("/") if part]
        if "\x00" in decoded or "\\" in decoded or any(part.startswith(".") for part in parts):
            # `..`, `.`, and hidden files (temporary files of atomic writes) are never served.
            self._plain(HTTPStatus.FORBIDDEN, "forbidden path")
            return None
        if not parts:
            self._plain(HTTPStatus.NOT_FOUND, "not found (no directory listings)")
            return None
        return "/".join(parts)

    def _serve(self, *, send_body: bool) -> None:
        relative = self._relative_path()
        if relative is None:
            return
        target = (self.server.root / relative).resolve()
        if not target.is_relative_to(self.server.root):
            self._plain(HTTPStatus.FORBIDDEN, "forbidden path")
            return
        try:
            handle = open_binary(target)  # a FIFO would block this handler for ever
        except (FileNotFoundError, NotRegularFileError, NotADirectoryError, PermissionError):
            self._plain(HTTPStatus.NOT_FOUND, "not found")
            return
        with handle:
            stat = os.fstat(handle.fileno())
            if not S_ISREG(stat.st_mode):
                self._plain(HTTPStatus.NOT_FOUND, "not found")
                return
            self._answer(relative, handle, stat, send_body)

    def _answer(self, relative: str, handle: BinaryIO, stat: os.stat_result, send_body: bool) -> None:
        etag = self.server.etag_for(handle, stat)
        headers = {
            "ETag": etag,
            "Last-Modified": formatdate(stat.st_mtime, usegmt=True),
            "Cache-Control": cache_control_for(relative),
        }
        if_none_match = self.headers.get("If-None-Match")
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_none_match is not None:
            not_modified = _etag_matches(if_none_match, etag)
        else:  # If-Modified-Since counts only without If-None-Match (RFC 9110, 13.1.3)
            not_modified = if_modified_since is not None and _not_modified_since(
                if_modified_since, stat.st_mtime
            )
        if not_modified:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type_for(relative))
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("X-Content-Type-Options", "nosniff")
        if relative.endswith(".html"):
            self.send_header("Content-Security-Policy", PAGE_SECURITY_POLICY)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            try:
                shutil.copyfileobj(handle, self.wfile, _CHUNK)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client went away mid-body; nothing to tell it


class FeedServer:
    """Serve `root` on host:port (port 0 picks a free one) from a background thread or the caller's."""

    def __init__(
        self,
        root: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        log: Callable[[str], None] | None = None,
    ) -> None:
        if not root.is_dir():
            raise FeedError(f"{root}: not a directory")
        server_class = _FeedHTTPServer6 if ":" in host else _FeedHTTPServer
        try:
            self._server = server_class((host, port), root, log)
        except OSError as exc:
            raise FeedError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
        self.host = host
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def start(self) -> FeedServer:
        # A short poll interval makes close() prompt, which matters to tests that start many servers.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="feed-serve", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def close(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
