"""Fetching from an http(s) feed root over one keep-alive httpx client shared by worker threads.

What a hostile or broken server can cost is bounded:
- Time: each request has one deadline (`feed.net.deadline`): its response headers, through any redirects,
  within the timeout; its body within the timeout plus its size at `MIN_BYTES_PER_SECOND`. A server
  dribbling headers or body a byte at a time is abandoned there, and the sync lock is released.
- Memory: bodies are read raw and abandoned as soon as they pass their byte bound. The client asks for
  `identity` only and refuses any other Content-Encoding: a few KB of nested gzip decode to gigabytes
  before a bound on decoded bytes could act, and nothing here needs compression.
- Later requests: validators are kept only when well-formed (`Validators.checked`).

Redirects are followed by hand. The same origin is followed; so is the same host's upgrade from http
to https (any port): everything is signed and hashed, so TLS adds privacy, not trust, and a hall's web
server that starts forcing HTTPS must not stop its screens. When the feed root itself moved to https,
later requests of this source go there directly. A downgrade to http and any other host are refused,
by name.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urljoin, urlsplit

import httpx

from feed.errors import FeedRejectedError, SourceError
from feed.net.backoff import parse_retry_after
from feed.net.deadline import Deadline, bounded_client, deadline
from feed.sync.transport import (
    Fetched,
    OversizedError,
    SourceUnavailableError,
    TransferStats,
    Validators,
    describe_path,
)

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
# A body may take the timeout plus this rate for its size before it is abandoned, so a server
# dribbling one byte at a time cannot hold a sync open forever while each read stays under the timeout.
MIN_BYTES_PER_SECOND = 32 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SHOWN_URL_CHARS = 120

Origin = tuple[str, str, int]


def origin_of(url: str) -> Origin:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme, 0)


def redirect_problem(current: Origin, target: Origin) -> str | None:
    """Why a redirect from a feed at `current` to `target` is not followed, or None when it is."""
    scheme, host, _ = current
    if target == current or (target[:2] == ("https", host) and scheme == "http"):
        return None
    if target[:2] == ("http", host) and scheme == "https":
        return "redirect from https to http refused (a downgrade)"
    what = "port" if target[:2] == current[:2] else "host"
    return f"redirect to another {what} refused"


class HttpSource:
    def __init__(self, base_url: str, *, timeout: float, max_connections: int) -> None:
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.origin = origin_of(self.base)
        self.timeout = timeout
        self.stats = TransferStats()
        self._client = bounded_client(self.origin[1], max_connections=max_connections, timeout=timeout)

    def close(self) -> None:
        self._client.close()

    def fetch(self, path: str, *, max_bytes: int, validators: Validators | None = None) -> Fetched:
        label = describe_path(path)
        url = self.base + path  # paths are ours (manifest.json, objects/ab/<sha>), never from the feed
        headers: dict[str, str] = {}
        if validators is not None:
            if validators.etag:
                headers["If-None-Match"] = validators.etag
            if validators.last_modified:
                headers["If-Modified-Since"] = validators.last_modified
        redirected = False
        with deadline(self.timeout) as limit:
            for _ in range(MAX_REDIRECTS + 1):
                where = f"{label}: redirected to {_shown(url)}" if redirected else label
                self.stats.count_request()
                body_started = False
                try:
                    with self._client.stream("GET", url, headers=headers) as response:
                        if response.has_redirect_location:
                            url = self._follow(label, url, response)
                            redirected = True
                            continue
                        body_started = True
                        return self._answer(where, response, max_bytes, validators, limit)
                except httpx.TimeoutException as exc:
                    raise SourceError(self._timed_out(where, exc, limit, body_started)) from exc
                except httpx.RemoteProtocolError as exc:
                    if "message body" in str(exc):  # h11's wording when fewer bytes came than announced
                        raise SourceError(f"{where}: truncated body ({exc})") from exc
                    raise SourceError(f"{where}: connection broke ({exc})") from exc
                except httpx.HTTPError as exc:
                    raise SourceError(f"{where}: cannot fetch ({exc.__class__.__name__}: {exc})") from exc
        raise SourceError(f"{label}: more than {MAX_REDIRECTS} redirects")

    def _timed_out(self, where: str, exc: Exception, limit: Deadline, body_started: bool) -> str:
        if body_started:
            if limit.passed():
                return f"{where}: transfer too slow, abandoned after {time.monotonic() - limit.started:.0f} s"
            return f"{where}: timed out after {self.timeout:g} s without data"
        if isinstance(exc, httpx.ConnectTimeout) and not limit.passed():
            return f"{where}: timed out after {self.timeout:g} s connecting"
        return f"{where}: timed out: no complete response headers within {self.timeout:g} s"

    def _follow(self, label: str, url: str, response: httpx.Response) -> str:
        target = urljoin(url, str(response.headers.get("Location", "")))
        there = origin_of(target)
        problem = redirect_problem(self.origin, there)
        if problem is not None:
            hint = "; if the feed moved, configure that address as the source" if "another" in problem else ""
            raise FeedRejectedError(f"{label}: {problem} ({_shown(target)}){hint}")
        if there != self.origin and target == _upgraded(url, there):
            # The feed root itself moved to https: go there directly for the rest of this source's life.
            new_base = _upgraded(self.base, there)
            log.warning("feed source %s redirects to %s; configure the https address", self.base, new_base)
            self.base, self.origin = new_base, there
        return target

    def _answer(
        self,
        where: str,
        response: httpx.Response,
        max_bytes: int,
        validators: Validators | None,
        limit: Deadline,
    ) -> Fetched:
        status = response.status_code
        if status == 304 and validators is not None:
            return Fetched(None, _validators_of(response))
        if status in (429, 503):
            wait = parse_retry_after(response.headers.get("Retry-After"))
            hint = f", retry after {wait:g} s" if wait is not None else ""
            raise SourceUnavailableError(f"{where}: HTTP {status}{hint}", wait)
        if status != 200:
            raise SourceError(f"{where}: HTTP {status} {response.reason_phrase}".rstrip())
        encoding = response.headers.get("Content-Encoding", "identity")
        if encoding.strip().lower() not in ("", "identity"):
            raise FeedRejectedError(
                f"{where}: refused Content-Encoding {encoding[:40]!r} (the client asks for identity only)"
            )
        declared = _content_length(response)
        if declared is not None and declared > max_bytes:
            raise OversizedError(f"{where}: too large ({declared} bytes, limit {max_bytes})")
        expected = max_bytes if declared is None else declared
        limit.extend_to(limit.started + self.timeout + expected / MIN_BYTES_PER_SECOND)
        body = self._read_bounded(where, response, max_bytes)
        if declared is not None and len(body) != declared:
            raise SourceError(f"{where}: truncated body ({len(body)} of {declared} bytes)")
        return Fetched(body, _validators_of(response))

    def _read_bounded(self, where: str, response: httpx.Response, max_bytes: int) -> bytes:
        chunks: list[bytes] = []
        received = 0
        for chunk in response.iter_raw():
            received += len(chunk)
            self.stats.count_bytes(len(chunk))
            if received > max_bytes:
                raise OversizedError(f"{where}: too large (more than {max_bytes} bytes)")
            chunks.append(chunk)
        return b"".join(chunks)


def _validators_of(response: httpx.Response) -> Validators:
    return Validators.checked(response.headers.get("ETag"), response.headers.get("Last-Modified"))


def _upgraded(url: str, origin: Origin) -> str:
    """`url` with the scheme and port of `origin` (the same host's https)."""
    scheme, host, port = origin
    parts = urlsplit(url)
    netloc = host if port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    return parts._replace(scheme=scheme, netloc=netloc).geturl()


def _shown(url: str) -> str:
    """A URL for a message: control characters dropped (it may come from a Location header), cut short."""
    clean = "".join(ch for ch in url if ch.isprintable())
    return clean if len(clean) <= _SHOWN_URL_CHARS else clean[: _SHOWN_URL_CHARS - 1] + "…"


def _content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("Content-Length", "").strip()
    return int(value) if value.isascii() and value.isdigit() else None
