"""Fetching from an http(s) feed root over one keep-alive httpx client shared by worker threads.

Every body is streamed and abandoned as soon as it passes its byte bound. Redirects are followed by
hand, and only within the same scheme, host and port: a feed that points elsewhere is refused rather
than trusted to a host nobody configured.
"""

from __future__ import annotations

import time
from urllib.parse import urljoin, urlsplit

import httpx

from feed import __version__
from feed.errors import FeedRejectedError, SourceError
from feed.sync.backoff import parse_retry_after
from feed.sync.transport import (
    Fetched,
    OversizedError,
    SourceUnavailableError,
    TransferStats,
    Validators,
    describe_path,
)

MAX_REDIRECTS = 5
# A transfer may take the timeout plus this rate for its size before it is abandoned, so a server
# dribbling one byte at a time cannot hold a sync open forever while each read stays under the timeout.
MIN_BYTES_PER_SECOND = 32 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme, 0)


class HttpSource:
    def __init__(self, base_url: str, *, timeout: float, max_connections: int) -> None:
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.origin = origin_of(self.base)
        self.timeout = timeout
        self.stats = TransferStats()
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            follow_redirects=False,
            headers={"User-Agent": f"hall-feed/{__version__}", "Accept-Encoding": "identity"},
        )

    def describe(self) -> str:
        return self.base

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
        for _ in range(MAX_REDIRECTS + 1):
            self.stats.count_request()
            try:
                with self._client.stream("GET", url, headers=headers) as response:
                    if response.has_redirect_location:
                        url = self._follow(url, response)
                        continue
                    return self._answer(label, response, max_bytes, validators)
            except httpx.TimeoutException as exc:
                raise SourceError(
                    f"{label}: timed out after {self.timeout:g} s ({exc.__class__.__name__})"
                ) from exc
            except httpx.RemoteProtocolError as exc:
                if "message body" in str(exc):  # h11's wording when fewer bytes came than announced
                    raise SourceError(f"{label}: truncated body ({exc})") from exc
                raise SourceError(f"{label}: connection broke ({exc})") from exc
            except httpx.HTTPError as exc:
                raise SourceError(f"{label}: cannot fetch ({exc.__class__.__name__}: {exc})") from exc
        raise SourceError(f"{label}: more than {MAX_REDIRECTS} redirects")

    def _follow(self, url: str, response: httpx.Response) -> str:
        target = urljoin(url, str(response.headers.get("Location", "")))
        if origin_of(target) != self.origin:
            scheme, host, port = origin_of(target)
            raise FeedRejectedError(f"redirect to another host refused ({scheme}://{host}:{port})")
        return target

    def _answer(
        self, label: str, response: httpx.Response, max_bytes: int, validators: Validators | None
    ) -> Fetched:
        status = response.status_code
        if status == 304 and validators is not None:
            return Fetched(None, response.headers.get("ETag"), response.headers.get("Last-Modified"))
        if status in (429, 503):
            wait = parse_retry_after(response.headers.get("Retry-After"))
            hint = f", retry after {wait:g} s" if wait is not None else ""
            raise SourceUnavailableError(f"{label}: HTTP {status}{hint}", wait)
        if status != 200:
            raise SourceError(f"{label}: HTTP {status} {response.reason_phrase}".rstrip())
        body = self._read_bounded(label, response, max_bytes)
        return Fetched(body, response.headers.get("ETag"), response.headers.get("Last-Modified"))

    def _read_bounded(self, label: str, response: httpx.Response, max_bytes: int) -> bytes:
        declared = _content_length(response)
        if declared is not None and declared > max_bytes:
            raise OversizedError(f"{label}: too large ({declared} bytes, limit {max_bytes})")
        deadline = time.monotonic() + self.timeout + max_bytes / MIN_BYTES_PER_SECOND
        encoded = response.headers.get("Content-Encoding", "identity").lower() not in ("", "identity")
        # Unencoded bodies (what we ask for) skip httpx's decoder chain: same bytes, less CPU.
        stream = response.iter_bytes() if encoded else response.iter_raw()
        chunks: list[bytes] = []
        received = 0
        for chunk in stream:
            received += len(chunk)
            self.stats.count_bytes(len(chunk))
            if received > max_bytes:
                raise OversizedError(f"{label}: too large (more than {max_bytes} bytes)")
            if time.monotonic() > deadline:
                raise SourceError(f"{label}: transfer too slow, abandoned")
            chunks.append(chunk)
        body = b"".join(chunks)
        if declared is not None and not encoded and len(body) != declared:
            raise SourceError(f"{label}: truncated body ({len(body)} of {declared} bytes)")
        return body


def _content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("Content-Length")
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())
