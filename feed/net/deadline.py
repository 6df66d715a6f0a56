"""HTTP requests with one deadline each, whatever the server does.

httpx's timeouts bound each socket operation, not a request: a server that sends its headers one byte
a second never lets a read time out, and the request lasts as long as the server likes.
`DeadlineTransport` is an httpx transport whose every connect, TLS handshake, read and write waits at
most until the deadline of the request in progress on the calling thread, set with `deadline()`:

    client = httpx.Client(transport=DeadlineTransport(max_connections=4))
    with deadline(5.0) as limit:            # headers (and any redirects) within 5 s
        with client.stream("GET", url) as response:
            limit.extend_to(started + 5.0 + size / rate)   # the body gets time for its size
            ...

Past the deadline the operation raises httpx.ReadTimeout (or ConnectTimeout, WriteTimeout) and the
connection is dropped. Name resolution is the one step it cannot cut short (getaddrinfo blocks in
the C library; the resolver's own timeouts bound it).
"""

from __future__ import annotations

import ssl
import threading
import time
import typing
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from urllib.parse import unquote, urlsplit

import httpcore
import httpx

_current = threading.local()


class Deadline:
    """A monotonic time after which the calling thread's network operations fail."""

    def __init__(self, at: float) -> None:
        self.at = at
        self.started = time.monotonic()

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def passed(self) -> bool:
        return self.remaining() <= 0

    def extend_to(self, at: float) -> None:
        self.at = at


@contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    """Bound every network operation of this thread's requests inside the block to `seconds` in all."""
    previous = getattr(_current, "value", None)
    limit = Deadline(time.monotonic() + seconds)
    _current.value = limit
    try:
        yield limit
    finally:
        _current.value = previous


def _bounded(timeout: float | None, expired: type[Exception]) -> float | None:
    """The per-operation timeout, shortened to what is left of the current deadline."""
    limit: Deadline | None = getattr(_current, "value", None)
    if limit is None:
        return timeout
    left = limit.remaining()
    if left <= 0:
        raise expired("deadline passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        # CPython bounds a whole handshake (and each TLS record read) by the socket timeout it starts with.
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_tcp(host, port, bounded, local_address, socket_options))

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_unix_socket(path, bounded, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


@contextmanager
def _as_httpx() -> Iterator[None]:
    """httpcore's errors as the httpx errors of the same name (httpx mirrors them one for one)."""
    try:
        yield
    except Exception as exc:
        if type(exc).__module__.split(".")[0] != "httpcore":
            raise
        mapped = getattr(httpx, type(exc).__name__, None)
        if not (isinstance(mapped, type) and issubclass(mapped, httpx.TransportError)):
            mapped = httpx.TransportError
        raise mapped(str(exc)) from exc


class _Body(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx():
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            with _as_httpx():
                close()


class DeadlineTransport(httpx.BaseTransport):
    """httpx's plain HTTP/1.1 transport (a pool of keep-alive connections, TLS verified against the
    system's CAs or SSL_CERT_FILE, optionally through an HTTP proxy given as http://[user:pass@]host:port),
    with every network operation bounded by `deadline()`."""

    def __init__(
        self, *, max_connections: int, verify: ssl.SSLContext | str | bool = True, proxy: str | None = None
    ) -> None:
        ssl_context = httpx.create_ssl_context(verify=verify)
        self._pool: httpcore.ConnectionPool
        if proxy is None:
            self._pool = httpcore.ConnectionPool(
                ssl_context=ssl_context,
                max_connections=max_connections,
                max_keepalive_connections=max_connections,
                network_backend=_Backend(),
            )
        else:
            parts = urlsplit(proxy)
            auth = (unquote(parts.username), unquote(parts.password or "")) if parts.username else None
            self._pool = httpcore.HTTPProxy(
                proxy_url=parts._replace(netloc=parts.netloc.rsplit("@", 1)[-1]).geturl(),
                proxy_auth=auth,
                ssl_context=ssl_context,
                max_connections=max_connections,
                max_keepalive_connections=max_connections,
                network_backend=_Backend(),
            )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, Iterable)
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx():
            answer = self._pool.handle_request(core)
        assert isinstance(answer.stream, Iterable)
        return httpx.Response(
            status_code=answer.status,
            headers=answer.headers,
            stream=_Body(answer.stream),
            extensions=answer.extensions,
        )

    def close(self) -> None:
        self._pool.close()


def proxy_for(scheme: str, host: str) -> str | None:
    """The proxy the environment names for `scheme` (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY), unless
    NO_PROXY exempts `host`: what httpx's default client would have used."""
    if urllib.request.proxy_bypass(host):  # NO_PROXY (on Linux, from the environment only)
        return None
    proxies = urllib.request.getproxies_environment()
    return proxies.get(scheme) or proxies.get("all")


class _NoCookies(CookieJar):
    """A cookie jar that takes nothing from answers: no request of ours needs a cookie, a jar that a
    server fills would grow without bound, and parsing Set-Cookie costs CPU on every object."""

    def extract_cookies(self, response: typing.Any, request: typing.Any) -> None:
        pass  # httpx calls this with every answer; nothing else adds to the jar


def bounded_client(host: str, *, max_connections: int, timeout: float) -> httpx.Client:
    """An httpx client for requests to `host` that honour `deadline()`, through the proxies the
    environment names for it, never following redirects by itself, asking for no content coding
    (a compressed answer could expand past every size limit) and keeping no cookies."""
    from feed import __version__

    return httpx.Client(
        cookies=_NoCookies(),
        transport=DeadlineTransport(max_connections=max_connections, proxy=proxy_for("http", host)),
        mounts={
            "https://": DeadlineTransport(max_connections=max_connections, proxy=proxy_for("https", host))
        },
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        headers={"User-Agent": f"hall-feed/{__version__}", "Accept-Encoding": "identity"},
    )
