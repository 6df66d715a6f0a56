"""The demo feed, ready to read: build and sign `assets/demo/` with the demo-only key, then sync it.

    cache_dir = prepare_demo_cache(Path("var/demo"))   # → var/demo/cache, a normal offline store

The built feed (`WORK/feed`) is rebuilt only when the demo source (or the builder's format) changed,
detected by a hash of the source tree kept in `WORK/feed.source-sha256`. The cache is then filled by
the real sync engine, exactly as a kiosk would fill it from the bureau's server.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from feed import __version__
from feed.assets import assets_dir
from feed.config import CentreLinkConfig
from feed.disk.atomic import write_atomic
from feed.errors import FeedError
from feed.format.manifest import FORMAT
from feed.format.signing import load_public_key
from feed.publish.build import build
from feed.publish.writer import read_published_manifest
from feed.sync import SyncSettings, sync_once

log = logging.getLogger(__name__)

DEMO_DIR_ENV = "HALL_KIOSK_DEMO_DIR"
# Rebuild (re-sign) when the built manifest would expire within this margin.
_EXPIRY_MARGIN = timedelta(days=1)


def demo_source_dir() -> Path:
    return assets_dir() / "demo"


def demo_key_paths() -> tuple[Path, Path]:
    """(secret key, public key) of the demo-only key pair. Never trust it outside a demo."""
    key_dir = assets_dir() / "demo-key"
    return key_dir / "demo.key", key_dir / "demo.pub"


def demo_config_file() -> Path:
    """`config/demo.toml`: the demo's settings for both apps (beside `assets/` in the source tree)."""
    return assets_dir().parent / "config" / "demo.toml"


def default_work_dir() -> Path:
    """HALL_KIOSK_DEMO_DIR, else `var/demo` under the current directory (what `make demo` uses)."""
    override = os.environ.get(DEMO_DIR_ENV)
    return Path(override) if override else Path.cwd() / "var" / "demo"


DEMO_CENTRE_URL = "http://127.0.0.1:8700/"
DEMO_DEVICES = {"kiosk": "demo-kiosk", "display": "demo-display"}


def demo_centre_link(role: str, work_dir: Path | None = None) -> CentreLinkConfig | None:
    """Where a demo device sends to: the local demo centre `make demo` starts, once it has registered
    the device and written its token to `WORK/<device id>.token` (and its phone-form key to
    `WORK/<device id>.form-key`); None before that (nothing is sent)."""
    folder = work_dir if work_dir is not None else default_work_dir()
    token = folder / f"{DEMO_DEVICES[role]}.token"
    if not token.is_file():
        return None
    form_key = folder / f"{DEMO_DEVICES[role]}.form-key"
    return CentreLinkConfig(
        url=DEMO_CENTRE_URL,
        token_file=token,
        form_key_file=form_key if form_key.is_file() else None,
        send_seconds=5.0,
        heartbeat_seconds=15.0,
    )


def source_tree_hash(src: Path, *extra_files: Path) -> str:
    """SHA-256 over every file's relative path and bytes, plus the builder version and format."""
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0".encode())
    files = sorted(p for p in src.rglob("*") if p.is_file() and not p.name.startswith("."))
    for path in [*files, *extra_files]:
        name = path.relative_to(src).as_posix() if path.is_relative_to(src) else path.name
        data = path.read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _needs_build(feed_dir: Path, stamp: Path, wanted: str) -> bool:
    try:
        if stamp.read_text(encoding="ascii").strip() != wanted:
            return True
        manifest = read_published_manifest(feed_dir)
    except (OSError, FeedError):
        return True
    return manifest is None or manifest.signed.expires - _EXPIRY_MARGIN <= datetime.now(UTC)


def prepare_demo_cache(work_dir: Path | None = None) -> Path:
    """Build (if needed) and sync the demo feed under `work_dir`; return the cache directory.

    Safe to call from the kiosk and the display at the same time: a lock file serialises them.
    """
    work_dir = work_dir if work_dir is not None else default_work_dir()
    work_dir.mkdir(parents=True, exist_ok=True)
    src = demo_source_dir()
    secret, public = demo_key_paths()
    feed_dir, cache_dir = work_dir / "feed", work_dir / "cache"
    stamp = work_dir / "feed.source-sha256"
    with (work_dir / ".demo.lock").open("a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        wanted = source_tree_hash(src, public)
        if _needs_build(feed_dir, stamp, wanted):
            build(src, feed_dir, secret, prune=True)
            write_atomic(stamp, (wanted + "\n").encode("ascii"))
        pubkey = load_public_key(public)
        result = sync_once(SyncSettings(str(feed_dir), cache_dir, pubkey=pubkey))
        if not result.ok:
            # A feed built by an older builder can be refused by a newer client: rebuild once.
            build(src, feed_dir, secret, prune=True)
            write_atomic(stamp, (wanted + "\n").encode("ascii"))
            result = sync_once(SyncSettings(str(feed_dir), cache_dir, pubkey=pubkey))
        if not result.ok:
            raise FeedError(f"demo feed could not be synced into {cache_dir}: {result.reason}")
    return cache_dir
