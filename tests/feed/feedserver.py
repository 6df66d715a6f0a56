"""A small threaded HTTP/1.1 server for sync tests: serves a feed directory with ETag/304 and can be
told to misbehave on chosen paths (wrong bytes, truncated bodies, errors with Retry-After, slowness,
redirects, endless bodies, dropped connections). Every request is logged so tests can count them."""

from __future__ import annotations

import fnmatch
import hashlib
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Rule:
    """How to answer requests whose path matches `pattern` (fnmatch, relative to the feed root)."""

    pattern: str
    status: int | None = None  # answer with this status (and `body`, default empty)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None  # serve these bytes instead of the file
    truncate_to: int | None = None  # announce the full length, send this many bytes, then close
    delay: float = 0.0  # wait before answering
    redirect: str | None = None  # 302 (or `status`, e.g. 301) to this absolute URL (may use {path})
    endless: int | None = None  # no Content-Length: stream this many bytes, then close
    drop: bool = False  # close the connection without answering
    dribble: float = 0.0  # pause between 100-byte pieces of the body (each read stays under a timeout)
    no_304: bool = False  # ignore If-None-Match / If-Modified-Since, like a naive server
    after: int = 0  # let this many matching requests through untouched first
    times: int | None = None  # then misbehave this many times (None: forever)
    seen: int = 0


@dataclass(frozen=True)
class Logged:
    path: str
    status: int
    body_bytes: int
    header_bytes: int
    request_headers: dict[str, str]


class FeedServer:
    def __init__(
        self, root: Path, host: str = "127.0.0.1", port: int = 0, *, tls: tuple[Path, Path] | None = None
    ) -> None:
        """`tls`: (certificate, key) PEM files to serve https instead of http."""
        self.root = root
        self.scheme = "https" if tls else "http"
        self.rules: list[Rule] = []
        self.log: list[Logged] = []
        self._lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"feed": self})
        self.httpd = _QuietServer((host, port), handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.host, self.port = host, self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05})

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}/"

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(5)

    def add(self, rule: Rule) -> Rule:
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()
            self.log.clear()

    def requests(self, pattern: str = "*") -> list[Logged]:
        with self._lock:
            return [entry for entry in self.log if fnmatch.fnmatchcase(entry.path, pattern)]

    def rule_for(self, path: str) -> Rule | None:
        with self._lock:
            for rule in self.rules:
                if not fnmatch.fnmatchcase(path, rule.pattern):
                    continue
                rule.seen += 1
                if rule.seen <= rule.after:
                    return None
                if rule.times is not None and rule.seen > rule.after + rule.times:
                    return None
                return rule
        return None

    def record(self, entry: Logged) -> None:
        with self._lock:
            self.log.append(entry)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up mid-response are the point of many tests


class _Handler(BaseHTTPRequestHandler):
    feed: FeedServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].lstrip("/")
        rule = self.feed.rule_for(path)
        self._header_bytes = 0
        if rule is not None:
            if rule.delay:
                time.sleep(rule.delay)
            if rule.drop:
                self._log(path, 0, 0)
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if rule.redirect is not None:
                self._send(
                    path,
                    rule.status or 302,
                    b"",
                    {"Location": rule.redirect.format(path=path), **rule.headers},
                )
                return
            if rule.status is not None:
                self._send(path, rule.status, rule.body or b"", rule.headers)
                return
            if rule.endless is not None:
                self._endless(path, rule.endless)
                return
        file = self.feed.root / path
        if rule is not None and rule.body is not None and not file.is_file():
            self._send(path, 200, rule.body, rule.headers)
            return
        if not path or ".." in path.split("/") or not file.is_file():
            self._send(path, 404, b"not found", {})
            return
        data = file.read_bytes()
        stat = file.stat()
        if rule is not None and rule.body is not None:
            data = rule.body
        etag = '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
        headers = {"ETag": etag, "Last-Modified": formatdate(stat.st_mtime, usegmt=True)}
        if not (rule is not None and rule.no_304) and self._not_modified(etag, stat.st_mtime):
            self._send(path, 304, b"", headers)
            return
        if rule is not None and rule.dribble:
            self._dribble(path, data, rule.dribble, headers)
            return
        if rule is not None and rule.truncate_to is not None:
            self._truncated(path, data, rule.truncate_to, headers)
            return
        self._send(path, 200, data, {**headers, **(rule.headers if rule else {})})

    def _not_modified(self, etag: str, mtime: float) -> bool:
        wanted = self.headers.get("If-None-Match")
        if wanted is not None:
            return etag in [tag.strip() for tag in wanted.split(",")]
        since = self.headers.get("If-Modified-Since")
        if since is not None:
            try:
                return int(mtime) <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def end_headers(self) -> None:
        self._header_bytes = sum(len(line) for line in getattr(self, "_headers_buffer", [])) + 2
        super().end_headers()

    def _send(self, path: str, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.end_headers()
        self._log(path, status, len(body) if status != 304 else 0)

    def _truncated(self, path: str, data: bytes, keep: int, headers: dict[str, str]) -> None:
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[:keep])
        self.wfile.flush()
        self._log(path, 200, keep)
        self.close_connection = True

    def _dribble(self, path: str, data: bytes, pause: float, headers: dict[str, str]) -> None:
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        sent = 0
        try:
            for start in range(0, len(data), 100):
                self.wfile.write(data[start : start + 100])
                sent += len(data[start : start + 100])
                time.sleep(pause)
        except OSError:
            pass
        self._log(path, 200, sent)
        self.close_connection = True

    def _endless(self, path: str, total: int) -> None:
        self.send_response(200)
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"x" * 65536
        sent = 0
        try:
            while sent < total:
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass  # the client hung up early, as it should
        self._log(path, 200, sent)
        self.close_connection = True

    def _log(self, path: str, status: int, body_bytes: int) -> None:
        self.feed.record(Logged(path, status, body_bytes, self._header_bytes, dict(self.headers.items())))
