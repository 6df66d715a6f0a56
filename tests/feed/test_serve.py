"""`FeedServer`: a real HTTP/1.1 server on 127.0.0.1 with ETag, 304, HEAD, keep-alive and no traversal."""

from __future__ import annotations

import http.client
import os
import socket
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import pytest

from feed.dev.serve import FeedServer
from feed.disk.atomic import write_atomic
from feed.format.canonical import sha256_hex
from feed.format.layout import object_path

MANIFEST = b'{"signed": {}, "signatures": []}\n'
OBJECT = "不动产登记".encode() * 100


@pytest.fixture
def root(tmp_path: Path) -> Path:
    feed = tmp_path / "feed"
    write_atomic(feed / "manifest.json", MANIFEST)
    write_atomic(feed / object_path(sha256_hex(OBJECT)), OBJECT)
    (feed / ".manifest.json.partial.tmp").write_bytes(b"half")
    (tmp_path / "secret.txt").write_text("outside the feed")
    return feed


@pytest.fixture
def server(root: Path) -> Iterator[FeedServer]:
    with FeedServer(root) as running:
        yield running


@pytest.fixture
def conn(server: FeedServer) -> Iterator[http.client.HTTPConnection]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    yield connection
    connection.close()


def get(
    conn: http.client.HTTPConnection, path: str, method: str = "GET", **headers: str
) -> tuple[int, dict[str, str], bytes]:
    conn.request(method, path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def raw_request(server: FeedServer, target: str) -> bytes:
    """Send a request line exactly as written (clients would normalise `..` away)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_manifest_is_served_with_validators_and_no_cache(conn: http.client.HTTPConnection) -> None:
    status, headers, body = get(conn, "/manifest.json")
    assert status == 200 and body == MANIFEST
    assert (
        headers["etag"].startswith('"')
        and headers["etag"].endswith('"')
        and not headers["etag"].startswith("W/")
    )
    assert headers["content-length"] == str(len(MANIFEST))
    assert headers["content-type"] == "application/json"
    assert headers["cache-control"] == "no-cache"
    assert "last-modified" in headers


def test_objects_are_immutable(conn: http.client.HTTPConnection) -> None:
    status, headers, body = get(conn, "/" + object_path(sha256_hex(OBJECT)))
    assert status == 200 and body == OBJECT
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-type"] == "application/octet-stream"


def test_if_none_match_gives_304_on_the_same_connection(conn: http.client.HTTPConnection) -> None:
    _, first, _ = get(conn, "/manifest.json")
    status, headers, body = get(conn, "/manifest.json", **{"If-None-Match": first["etag"]})
    assert status == 304 and body == b""
    assert headers["etag"] == first["etag"]
    status, _, _ = get(conn, "/manifest.json", **{"If-None-Match": f'"other", W/{first["etag"]}'})
    assert status == 304
    status, _, body = get(conn, "/manifest.json", **{"If-None-Match": '"other"'})
    assert status == 200 and body == MANIFEST


def test_if_modified_since(conn: http.client.HTTPConnection, root: Path) -> None:
    _, first, _ = get(conn, "/manifest.json")
    status, _, body = get(conn, "/manifest.json", **{"If-Modified-Since": first["last-modified"]})
    assert status == 304 and body == b""
    earlier = formatdate((root / "manifest.json").stat().st_mtime - 60, usegmt=True)
    status, _, _ = get(conn, "/manifest.json", **{"If-Modified-Since": earlier})
    assert status == 200
    # If-None-Match wins over If-Modified-Since
    status, _, _ = get(
        conn, "/manifest.json", **{"If-None-Match": '"x"', "If-Modified-Since": first["last-modified"]}
    )
    assert status == 200
    status, _, _ = get(conn, "/manifest.json", **{"If-Modified-Since": "not a date"})
    assert status == 200


def test_a_replaced_manifest_gets_a_new_etag(conn: http.client.HTTPConnection, root: Path) -> None:
    _, first, _ = get(conn, "/manifest.json")
    write_atomic(root / "manifest.json", MANIFEST.replace(b"{}", b'{"a": 1}'))
    status, headers, body = get(conn, "/manifest.json", **{"If-None-Match": first["etag"]})
    assert status == 200 and b'"a": 1' in body and headers["etag"] != first["etag"]


def test_head_sends_headers_only(conn: http.client.HTTPConnection) -> None:
    status, headers, body = get(conn, "/manifest.json", method="HEAD")
    assert status == 200 and body == b""
    assert headers["content-length"] == str(len(MANIFEST)) and "etag" in headers
    status, _, body = get(conn, "/manifest.json")  # the connection is still in step
    assert status == 200 and body == MANIFEST


def test_keep_alive_uses_one_connection(server: FeedServer, conn: http.client.HTTPConnection) -> None:
    get(conn, "/manifest.json")
    first_socket = conn.sock
    for _ in range(5):
        status, headers, _ = get(conn, "/" + object_path(sha256_hex(OBJECT)))
        assert status == 200 and headers.get("connection", "").lower() != "close"
    assert conn.sock is first_socket


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/objects/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/.manifest.json.partial.tmp",
    ],
)
def test_traversal_and_hidden_files_are_refused(server: FeedServer, target: str) -> None:
    answer = raw_request(server, target)
    assert answer.startswith(b"HTTP/1.1 403 "), answer[:80]
    assert b"outside the feed" not in answer and b"half" not in answer


def test_a_symlink_out_of_the_root_is_refused(server: FeedServer, root: Path) -> None:
    os.symlink(root.parent / "secret.txt", root / "escape.txt")
    answer = raw_request(server, "/escape.txt")
    assert answer.startswith(b"HTTP/1.1 403 ") and b"outside the feed" not in answer


@pytest.mark.parametrize("path", ["/", "/objects/", "/objects", "/absent.json"])
def test_no_listings_and_404_for_missing(conn: http.client.HTTPConnection, path: str) -> None:
    status, headers, body = get(conn, path)
    assert status == 404
    assert b"manifest.json" not in body and headers["content-length"] == str(len(body))


def test_other_methods_are_not_served(conn: http.client.HTTPConnection) -> None:
    status, _, _ = get(conn, "/manifest.json", method="POST")
    assert status == 501


def test_the_server_stops_and_frees_its_port(root: Path) -> None:
    server = FeedServer(root).start()
    port = server.port
    server.close()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


def test_the_serve_command_serves_until_terminated(root: Path) -> None:
    """`hall-feed serve DIR --port 0` as a real process: prints its URL, answers, exits 0 on SIGTERM."""
    import signal
    import subprocess
    import sys

    entry = "import sys; from feed.cli import main; sys.exit(main())"
    command = [sys.executable, "-c", entry, "serve", str(root), "--port", "0", "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith(f"serving {root} at http://127.0.0.1:"), line
        port = int(line.rsplit(":", 1)[1].split("/", 1)[0])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        status, headers, body = get(connection, "/manifest.json")
        connection.close()
        assert status == 200 and body == MANIFEST and "etag" in headers
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def test_the_sync_engine_reads_a_served_feed_and_polls_with_304(tmp_path: Path) -> None:
    """The real client against this server: a full sync, then a no-change poll of one 304 request."""
    from feed.publish.build import build
    from feed.sync import SyncSettings, sync_once
    from tests.feed.authoring_kit import write_tiny_source

    out = tmp_path / "served"
    build(write_tiny_source(tmp_path / "src"), out, None)
    with FeedServer(out) as server:
        first = sync_once(
            SyncSettings(server.url, tmp_path / "cache", pubkey=None, allow_unsigned=True, timeout=5)
        )
        again = sync_once(
            SyncSettings(server.url, tmp_path / "cache", pubkey=None, allow_unsigned=True, timeout=5)
        )
    assert first.outcome == "updated" and first.fetched_objects == 14
    assert again.outcome == "unchanged" and again.requests == 1 and again.fetched_bytes == 0
