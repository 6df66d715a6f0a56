"""A hostile network, no signing key needed: answers a server library would never send, written to the
socket by hand. Each leaves the last good snapshot whole, names the cause, and never costs the device
more than a bounded amount of memory or time, or its next poll."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import time
import zlib
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from nacl.signing import VerifyKey

from feed.store.cachedir import STORE_NAME
from feed.sync import SyncSettings, sync_once
from tests.feed.feedserver import FeedServer, Rule
from tests.feed.rawserver import RawServer, Request, file_answer, response
from tests.feed.sync_kit import Publisher, Snapshot, assert_intact, sample_records, snapshot_of


def gzip_of(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    return packer.compress(data) + packer.flush()


def gzip_zeros(total: int) -> bytes:
    """gzip of `total` zero bytes, made a MiB at a time (never holding them all)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1 << 20)
    parts = [packer.compress(zeros) for _ in range(total >> 20)]
    return b"".join([*parts, packer.flush()])


def publish_next(publisher: Publisher, sequence: int = 6) -> None:
    records, blobs = sample_records(tag="B")
    publisher.publish(records, blobs, sequence=sequence)


@pytest.fixture
def raw_sync(cache: Path, pubkey: VerifyKey) -> Any:
    def run(server: RawServer, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", 3.0)
        return sync_once(SyncSettings(server.url, cache, pubkey=pubkey, **kwargs))

    return run


@pytest.fixture
def held_raw(publisher: Publisher, cache: Path, pubkey: VerifyKey) -> Snapshot:
    """A store holding snapshot A (sequence 5), synced from a plain raw server."""
    records, blobs = sample_records()
    publisher.publish(records, blobs, sequence=5)
    with RawServer(file_answer(publisher.root, lambda _r: [])) as plain:
        result = sync_once(SyncSettings(plain.url, cache, pubkey=pubkey, timeout=3.0))
        assert result.outcome == "updated", result
    return snapshot_of(cache)


# -- decompression bombs -----------------------------------------------------------------------------


def encoded_manifest(publisher: Publisher, encoding: str, body: bytes) -> RawServer:
    def answer(request: Request, conn: socket.socket) -> None:
        if request.path != "manifest.json":
            return file_answer(publisher.root, lambda _r: [])(request, conn)
        headers = [("Content-Length", str(len(body))), ("Content-Encoding", encoding)]
        conn.sendall(response("200 OK", headers, body))

    return RawServer(answer)


def test_nested_gzip_bomb_is_refused_before_decoding(
    publisher: Publisher, raw_sync: Any, cache: Path, held_raw: Snapshot
) -> None:
    bomb = gzip_of(gzip_zeros(64 << 20))  # a few KB on the wire, 64 MiB once decoded twice
    assert len(bomb) < 8 * 1024
    with encoded_manifest(publisher, "gzip, gzip", bomb) as server:
        result = raw_sync(server)
    assert result.outcome == "failed"
    assert result.reason == (
        "manifest.json: refused Content-Encoding 'gzip, gzip' (the client asks for identity only)"
    )
    assert result.fetched_bytes <= len(bomb)
    assert_intact(cache, held_raw, "refused Content-Encoding")


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "identity, gzip", "x-unknown"])
def test_any_encoding_not_asked_for_is_refused(
    publisher: Publisher, raw_sync: Any, cache: Path, held_raw: Snapshot, encoding: str
) -> None:
    publish_next(publisher)
    manifest = (publisher.root / "manifest.json").read_bytes()
    body = zlib.compress(manifest) if encoding == "deflate" else gzip_of(manifest)
    with encoded_manifest(publisher, encoding, body) as server:
        result = raw_sync(server)
    assert result.outcome == "failed" and f"refused Content-Encoding {encoding!r}" in (result.reason or "")
    assert_intact(cache, held_raw, "refused Content-Encoding")


def test_encoded_object_is_refused_too(
    publisher: Publisher, raw_sync: Any, cache: Path, held_raw: Snapshot
) -> None:
    publish_next(publisher)

    def answer(request: Request, conn: socket.socket) -> None:
        if not request.path.startswith("objects/"):
            return file_answer(publisher.root, lambda _r: [])(request, conn)
        body = gzip_of((publisher.root / request.path).read_bytes())
        headers = [("Content-Length", str(len(body))), ("Content-Encoding", "gzip")]
        conn.sendall(response("200 OK", headers, body))

    with RawServer(answer) as server:
        result = raw_sync(server)
    assert result.outcome == "failed" and "refused Content-Encoding 'gzip'" in (result.reason or "")
    assert_intact(cache, held_raw, "refused Content-Encoding")


# -- stored network input ----------------------------------------------------------------------------


class Headers:
    """Extra headers a raw server adds to the manifest answer; tests change them between syncs."""

    def __init__(self) -> None:
        self.manifest: list[tuple[str, bytes | str]] = []
        self.max_request_head = 64 * 1024

    def __call__(self, request: Request) -> list[tuple[str, bytes | str]]:
        return list(self.manifest) if request.path == "manifest.json" else []


def validating_server(publisher: Publisher, headers: Headers) -> RawServer:
    """Serves the feed; answers 304 to a matching If-None-Match, and 400 to an oversized request head
    (as nginx does past its header buffers)."""
    plain = file_answer(publisher.root, headers)

    def answer(request: Request, conn: socket.socket) -> None:
        if len(request.head) > headers.max_request_head:
            conn.sendall(response("400 Request Header Or Cookie Too Large", [("Content-Length", "0")]))
            return
        etag = request.header("If-None-Match")
        if request.path == "manifest.json" and etag is not None and etag == '"good"':
            conn.sendall(response("304 Not Modified", [("ETag", '"good"')]))
            return
        plain(request, conn)

    return RawServer(answer)


@pytest.mark.parametrize(
    "name, value",
    [
        ("ETag", b'"caf\xe9"'),  # one non-ASCII byte
        ("ETag", '"' + "x" * 30_000 + '"'),  # stored, then every request is too large for the server
        ("ETag", "no-quotes"),
        ("Last-Modified", b"Tue, 01 Jan 2030 00:00:00 GMT\xa0"),
        ("Last-Modified", "yesterday"),
        ("Last-Modified", "Tue, 01 Jan 99999 00:00:00 GMT"),
    ],
)
@pytest.mark.usefixtures("held_raw")
def test_bad_validators_are_not_stored_and_the_next_poll_works(
    publisher: Publisher, raw_sync: Any, name: str, value: bytes | str
) -> None:
    headers = Headers()
    headers.max_request_head = 8 * 1024
    publish_next(publisher)
    with validating_server(publisher, headers) as server:
        headers.manifest = [(name, value)]
        first = raw_sync(server)
        assert (first.outcome, first.sequence) == ("updated", 6), first.reason
        headers.manifest = [("ETag", '"good"')]
        second = raw_sync(server)
        assert second.outcome == "unchanged", second.reason
        sent = server.requests[-1]  # the bad value was not kept to be sent back
        assert (sent.header("If-None-Match"), sent.header("If-Modified-Since")) == (None, None)
        third = raw_sync(server)
        assert (third.outcome, third.requests) == ("unchanged", 1), third.reason
        assert server.requests[-1].header("If-None-Match") == '"good"'  # the next poll is conditional
        assert len(server.requests[-1].head) < 1024


@pytest.mark.parametrize(
    "sent",
    [
        # Two headers, which a client joins into "<date>, " (a lenient parser still reads the date).
        [("Last-Modified", "Tue, 01 Jan 2030 00:00:00 GMT"), ("Last-Modified", "")],
        [("Last-Modified", "Tue,  01 Jan 2030 08:00:00 +0800")],  # a date, but not as HTTP writes one
    ],
)
@pytest.mark.usefixtures("held_raw")
def test_a_date_read_leniently_is_sent_back_as_http_writes_it(
    publisher: Publisher, raw_sync: Any, sent: list[tuple[str, str]]
) -> None:
    headers = Headers()
    publish_next(publisher)
    with validating_server(publisher, headers) as server:
        headers.manifest = sent
        assert raw_sync(server).outcome == "updated"
        headers.manifest = []
        second = raw_sync(server)
        assert second.outcome == "unchanged", second.reason  # not "cannot fetch: Illegal header value"
        manifest_requests = [r for r in server.requests if r.head.split(b" ")[1] == b"/manifest.json"]
        assert manifest_requests[-1].header("If-Modified-Since") == "Tue, 01 Jan 2030 00:00:00 GMT"


@pytest.fixture
def good(publisher: Publisher, raw_sync: Any) -> Iterator[RawServer]:
    """A validating server whose manifest's ETag is "good", and a store holding its snapshot 5."""
    headers = Headers()
    headers.manifest = [("ETag", '"good"')]
    records, blobs = sample_records()
    publisher.publish(records, blobs, sequence=5)
    with validating_server(publisher, headers) as server:
        assert raw_sync(server).outcome == "updated"
        yield server


def test_a_store_poisoned_before_heals_itself(
    publisher: Publisher, raw_sync: Any, cache: Path, good: RawServer
) -> None:
    # What an older client left behind: validators no request can carry.
    with closing(sqlite3.connect(cache / STORE_NAME)) as conn, conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'etag'", ('"caf\u00e9\u4e2d"',))
        conn.execute("UPDATE meta SET value = ? WHERE key = 'last_modified'", ("\x00\n",))
    publish_next(publisher)
    first = raw_sync(good)
    assert (first.outcome, first.sequence) == ("updated", 6), first.reason
    assert good.requests[-first.requests].header("If-None-Match") is None  # never sent
    second = raw_sync(good)
    assert (second.outcome, second.requests) == ("unchanged", 1), second.reason
    assert good.requests[-1].header("If-None-Match") == '"good"'


def test_a_304_naming_another_etag_does_not_freeze_the_feed(
    publisher: Publisher, raw_sync: Any, cache: Path, good: RawServer
) -> None:
    """A cache in front of the feed answers 304 with the ETag of the newer manifest: adopting it would
    make the origin answer 304 to every later poll, and the newer manifest would never arrive."""
    publish_next(publisher)
    newer = '"newer"'

    def answer(request: Request, conn: socket.socket) -> None:
        if request.path == "manifest.json" and not answered:
            answered.append(request)
            conn.sendall(response("304 Not Modified", [("ETag", newer)]))
        elif request.path == "manifest.json" and request.header("If-None-Match") == newer:
            conn.sendall(response("304 Not Modified", [("ETag", newer)]))
        else:
            file_answer(publisher.root, lambda _r: [("ETag", newer)])(request, conn)

    answered: list[Request] = []
    with RawServer(answer, host=good.host) as cdn:
        # The same store now polls through the cache (validators go only to the source they came from).
        with closing(sqlite3.connect(cache / STORE_NAME)) as conn, conn:
            conn.execute("UPDATE meta SET value = ? WHERE key = 'source'", (cdn.url,))
        assert raw_sync(cdn).outcome == "unchanged"
        second = raw_sync(cdn)
        assert (second.outcome, second.sequence) == ("updated", 6), second.reason


@pytest.mark.parametrize("value", ["\u00b2", "\u0661\u0662", "Tue, 01 Jan 99999 00:00:00 GMT"])
def test_a_retry_after_no_clock_can_read_is_ignored(raw_sync: Any, held_raw: Snapshot, value: str) -> None:
    def answer(request: Request, conn: socket.socket) -> None:
        conn.sendall(response("503 Busy", [("Retry-After", value.encode()), ("Content-Length", "0")]))

    with RawServer(answer) as server:
        result = raw_sync(server)
    assert (result.outcome, result.reason) == ("failed", "manifest.json: HTTP 503"), result.reason
    assert result.retry_after is None or 0 <= result.retry_after <= 6 * 3600


def test_cookies_a_server_sets_are_neither_kept_nor_sent_back(publisher: Publisher, raw_sync: Any) -> None:
    """A cookie jar that a server fills would grow with every answer, ten thousand in a full sync."""
    records, blobs = sample_records()
    publisher.publish(records, blobs, sequence=5)

    def cookies(request: Request) -> list[tuple[str, bytes | str]]:
        name = request.path.rsplit("/", 1)[-1][:12].replace(".", "_")
        return [("Set-Cookie", f"{name}{n}=yes; Path=/") for n in range(20)]

    with RawServer(file_answer(publisher.root, cookies)) as server:
        assert raw_sync(server).outcome == "updated"
        assert raw_sync(server).outcome == "unchanged"
    assert len(server.requests) > 2
    assert [r.path for r in server.requests if r.header("Cookie") is not None] == []


# -- one deadline per request ------------------------------------------------------------------------


def dribbling_headers(server_stop: list[RawServer], pause: float) -> Any:
    def answer(request: Request, conn: socket.socket) -> None:
        head = b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 200
        for byte in head:
            if server_stop and server_stop[0].stopped():
                return
            conn.sendall(bytes([byte]))  # the client hangs up at its deadline: this raises
            time.sleep(pause)

    return answer


def test_headers_dribbled_a_byte_at_a_time_hit_the_deadline(
    publisher: Publisher, raw_sync: Any, cache: Path, held_raw: Snapshot
) -> None:
    holder: list[RawServer] = []
    with RawServer(dribbling_headers(holder, 0.2)) as server:
        holder.append(server)
        started = time.monotonic()
        result = raw_sync(server, timeout=1.0)
        took = time.monotonic() - started
    assert result.outcome == "failed"
    assert result.reason == "manifest.json: timed out: no complete response headers within 1 s", result.reason
    assert took < 3.0  # without a deadline: 200 bytes × 0.2 s = 40 s
    # The lock is free again: the next sync (here: another process's) is not refused.
    with RawServer(file_answer(publisher.root, lambda _r: [])) as plain:
        assert raw_sync(plain).outcome == "unchanged"
    assert_intact(cache, held_raw)


def test_a_chain_of_slow_redirects_hits_the_deadline(
    publisher: Publisher, raw_sync: Any, cache: Path, held_raw: Snapshot
) -> None:
    def answer(request: Request, conn: socket.socket) -> None:
        time.sleep(0.6)  # each hop well under the timeout
        hop = int(request.path.rsplit("-", 1)[-1]) + 1 if "hop-" in request.path else 1
        conn.sendall(response("302 Found", [("Location", f"/hop-{hop}"), ("Content-Length", "0")]))

    with RawServer(answer) as server:
        started = time.monotonic()
        result = raw_sync(server, timeout=1.0)
        took = time.monotonic() - started
    assert result.outcome == "failed" and "within 1 s" in (result.reason or ""), result.reason
    assert took < 2.5 and len(server.requests) <= 3


# -- same-host https upgrade -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def secure(
    publisher: Publisher, tls_files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> Iterator[FeedServer]:
    """The same feed over https, with its certificate trusted (as a hall's own CA would be)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files[0]))
    srv = FeedServer(publisher.root, tls=tls_files).start()
    yield srv
    srv.stop()


@pytest.mark.usefixtures("held")
def test_same_host_upgrade_to_https_is_followed_and_remembered(
    publisher: Publisher, server: FeedServer, secure: FeedServer, sync: Any, cache: Path
) -> None:
    publish_next(publisher)
    server.add(Rule("*", status=301, redirect=secure.url + "{path}"))
    result = sync()
    assert (result.outcome, result.sequence, result.reason) == ("updated", 6, None)
    assert len(server.requests()) == 1  # the objects went straight to https
    assert secure.requests("objects/*") and secure.requests("manifest.json")
    assert snapshot_of(cache).sequence == 6


def test_upgrade_to_an_untrusted_certificate_names_the_real_cause(
    publisher: Publisher, server: FeedServer, secure: FeedServer, sync: Any, held: Snapshot
) -> None:
    os.environ.pop("SSL_CERT_FILE")  # the secure fixture's monkeypatch restores it
    publish_next(publisher)
    server.add(Rule("*", status=301, redirect=secure.url + "{path}"))
    result = sync()
    assert result.outcome == "failed"
    reason = result.reason or ""
    assert reason.startswith(f"manifest.json: redirected to {secure.url}manifest.json: ") and (
        "CERTIFICATE_VERIFY_FAILED" in reason
    ), reason
    assert_intact(secure.root.parent / "cache", held, "CERTIFICATE_VERIFY_FAILED")


def test_redirect_downgrading_https_to_http_is_refused(
    publisher: Publisher, server: FeedServer, secure: FeedServer, cache: Path, pubkey: VerifyKey
) -> None:
    records, blobs = sample_records()
    publisher.publish(records, blobs, sequence=5)
    assert sync_once(SyncSettings(secure.url, cache, pubkey=pubkey, timeout=3.0)).outcome == "updated"
    held = snapshot_of(cache)
    publish_next(publisher)
    secure.add(Rule("*", redirect=server.url + "{path}"))
    result = sync_once(SyncSettings(secure.url, cache, pubkey=pubkey, timeout=3.0))
    assert result.outcome == "failed"
    assert result.reason == (
        f"manifest.json: redirect from https to http refused (a downgrade) ({server.url}manifest.json)"
    )
    assert server.requests() == []
    assert_intact(cache, held, "downgrade")


def test_redirect_to_another_host_says_which_and_what_to_do(
    publisher: Publisher, server: FeedServer, sync: Any, cache: Path, held: Snapshot
) -> None:
    publish_next(publisher)
    elsewhere = FeedServer(publisher.root, host="127.0.0.2").start()
    try:
        server.add(Rule("manifest.json", redirect=elsewhere.url + "{path}"))
        result = sync()
        assert result.outcome == "failed"
        assert result.reason == (
            f"manifest.json: redirect to another host refused (http://127.0.0.2:{elsewhere.port}/"
            "manifest.json); if the feed moved, configure that address as the source"
        )
    finally:
        elsewhere.stop()


def test_the_environments_http_proxy_is_used_as_before(
    publisher: Publisher, server: FeedServer, sync: Any, held: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HTTP_PROXY is honoured as httpx's own client did, with the same deadlines."""
    publish_next(publisher)

    def forward(request: Request, conn: socket.socket) -> None:  # a forward proxy, absolute-form targets
        assert request.head.split(b" ")[1].startswith(server.url.encode())
        relative = Request(request.head.split(b" ")[1][len(server.url) :].decode(), request.head)
        file_answer(publisher.root, lambda _r: [])(relative, conn)

    with RawServer(forward) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        result = sync()
    assert (result.outcome, result.sequence) == ("updated", 6), result.reason
    assert len(proxy.requests) == result.requests and server.requests() == []
