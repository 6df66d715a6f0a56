"""A feed built by `hall-feed build` and served by real nginx (workers as an unprivileged user), as
`docs/feed-protocol.md` configures it: a first sync fetches everything, the next poll is one 304."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from feed.format.signing import load_public_key
from feed.sync import SyncSettings, sync_once
from tests.feed.authoring_kit import write_tiny_source
from tests.feed.publish_cli import hall_feed

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
WORKER_USER = "nobody"

pytestmark = [
    pytest.mark.skipif(
        not Path(NGINX).exists(), reason="nginx is not installed (apt-get install nginx-light)"
    ),
    pytest.mark.skipif(
        os.geteuid() != 0, reason="needs root: nginx's master must switch its workers to another user"
    ),
]

# The feed's location block as docs/feed-protocol.md gives it; the rest is a minimal server around it.
CONFIG = """\
daemon off;
master_process on;
worker_processes 1;
user {user} {group};
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {run}/access.log;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location /feed/ {{
            alias {root}/;
            autoindex off;
            location = /feed/manifest.json {{
                alias {root}/manifest.json;
                add_header Cache-Control "no-cache" always;
                etag on;
            }}
            location /feed/objects/ {{
                alias {root}/objects/;
                default_type application/octet-stream;
                add_header Cache-Control "public, max-age=31536000, immutable" always;
            }}
            location /feed/m/ {{
                alias {root}/m/;
                add_header Cache-Control "no-cache" always;
                add_header Content-Security-Policy
                    "default-src 'none'; style-src 'self'; img-src 'self'" always;
            }}
            location ~ /\\. {{ deny all; }}
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"nginx exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("nginx did not start listening")


@pytest.fixture
def web_root() -> Iterator[Path]:
    """A directory the worker user can traverse, like /srv/hall-feed (pytest's tmp_path is 0700)."""
    pwd.getpwnam(WORKER_USER)
    root = Path(tempfile.mkdtemp(prefix="hall-feed-www-"))
    root.chmod(0o755)
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def nginx(web_root: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """nginx serving `web_root/feed` at http://127.0.0.1:PORT/feed/; yields (url, access log)."""
    run = tmp_path / "nginx"
    run.mkdir()
    port = free_port()
    conf = run / "nginx.conf"
    group = grp.getgrgid(pwd.getpwnam(WORKER_USER).pw_gid).gr_name
    conf.write_text(CONFIG.format(user=WORKER_USER, group=group, run=run, port=port, root=web_root / "feed"))
    nginx_cmd = [NGINX, "-e", str(run / "error.log"), "-c", str(conf)]
    check = subprocess.run([*nginx_cmd, "-t", "-q"], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen(nginx_cmd)
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}/feed/", run / "access.log"
    finally:
        proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def statuses(access_log: Path) -> list[tuple[str, int]]:
    """(path, status) of every request in nginx's combined log."""
    found = []
    for line in access_log.read_text().splitlines():
        request = line.split('"')[1]
        status = int(line.split('"')[2].split()[0])
        found.append((request.split()[1], status))
    return found


def test_nginx_serves_a_built_feed_to_a_full_sync_then_answers_304(
    web_root: Path, nginx: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, access_log = nginx
    src = write_tiny_source(tmp_path / "src")
    keys = tmp_path / "keys" / "feed"
    assert hall_feed(capsys, "keygen", "--out", str(keys))[0] == 0
    previous = os.umask(0o022)  # the publisher's usual umask
    try:
        code, _, err = hall_feed(capsys, "build", str(src), str(web_root / "feed"), "--key", f"{keys}.key")
    finally:
        os.umask(previous)
    assert code == 0, err
    pubkey = load_public_key(Path(f"{keys}.pub"))
    cache = tmp_path / "cache"

    first = sync_once(SyncSettings(url, cache, pubkey=pubkey, timeout=5))
    assert first.outcome == "updated", first.reason
    served = statuses(access_log)
    assert served[0] == ("/feed/manifest.json", 200)
    assert len(served) == first.requests > 10
    assert {status for _, status in served} == {200}

    second = sync_once(SyncSettings(url, cache, pubkey=pubkey, timeout=5))
    assert (second.outcome, second.requests) == ("unchanged", 1)
    assert statuses(access_log)[len(served) :] == [("/feed/manifest.json", 304)]


def test_nginx_serves_the_phone_pages_as_html_to_revalidate(
    web_root: Path, nginx: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = nginx
    src = write_tiny_source(tmp_path / "src")
    previous = os.umask(0o022)
    try:
        code, _, err = hall_feed(capsys, "build", str(src), str(web_root / "feed"), "--unsigned")
    finally:
        os.umask(previous)
    assert code == 0, err
    page = next((web_root / "feed" / "m" / "i").glob("*.html"))
    with httpx.Client(timeout=5) as client:
        answer = client.get(f"{url}m/i/{page.name}")
        assert answer.status_code == 200 and answer.content == page.read_bytes()
        assert answer.headers["content-type"].startswith("text/html")
        assert answer.headers["cache-control"] == "no-cache"
        assert "default-src 'none'" in answer.headers["content-security-policy"]
        css = client.get(f"{url}m/site.css")
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
