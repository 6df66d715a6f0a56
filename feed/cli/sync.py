"""`hall-feed sync`: bring a cache directory up to a feed, once or on an interval.

Exit codes: 0 updated or unchanged, 1 failed (the previous snapshot is kept; reason on stderr),
2 usage error. Without --once it polls until SIGINT/SIGTERM and then exits 0.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import unquote, urlsplit

import msgspec

from feed.config import FeedConfig, Section, load_config, validate
from feed.errors import ConfigError
from feed.runtime.progress import terminal_progress
from feed.sync import SyncSettings
from feed.sync.engine import SyncResult, sync_once
from feed.sync.poller import Poller


class _AnyAppConfig(Section, frozen=True, forbid_unknown_fields=False):
    """Any app's config file: only its `[feed]` section matters here."""

    feed: FeedConfig


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "sync",
        help="fetch the feed into the offline cache",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("--source", help="feed root: http(s) URL, file:// URL or directory")
    parser.add_argument("--cache", type=Path, help="cache directory (the offline store)")
    trust = parser.add_mutually_exclusive_group()
    trust.add_argument("--pubkey", type=Path, help="Ed25519 public key file of the publisher")
    trust.add_argument("--allow-unsigned", action="store_true", help="accept unsigned manifests (tests only)")
    parser.add_argument("--once", action="store_true", help="sync once and exit instead of polling")
    parser.add_argument("--config", type=Path, help="app config file; its [feed] section gives the defaults")
    parser.set_defaults(func=run, parser=parser)


def _settings(args: argparse.Namespace) -> FeedConfig:
    """Command-line values over the config file's [feed] section."""
    values: dict[str, Any] = {}
    if args.config is not None:
        values = msgspec.structs.asdict(load_config(args.config, _AnyAppConfig).feed)
    if args.source is not None:
        values["source"] = args.source
    if args.cache is not None:
        values["cache_dir"] = args.cache
    if args.pubkey is not None:
        values.update(pubkey=args.pubkey, allow_unsigned=False)
    elif args.allow_unsigned:
        values.update(pubkey=None, allow_unsigned=True)
    missing = [flag for flag, key in (("--source", "source"), ("--cache", "cache_dir")) if key not in values]
    if missing:
        args.parser.error(f"{' and '.join(missing)} required (or give --config)")
    if values.get("pubkey") is None and not values.get("allow_unsigned"):
        args.parser.error("give --pubkey, or --allow-unsigned to accept an unsigned feed")
    source = str(values["source"])
    if source.startswith("file://"):
        parts = urlsplit(source)
        if parts.netloc not in ("", "localhost"):
            args.parser.error("--source file:// URLs must name a local path")
        values["source"] = unquote(parts.path)
    try:
        return validate(values, FeedConfig, origin="command line")
    except ConfigError as exc:
        args.parser.error(str(exc).replace("\n", "; "))
        raise  # parser.error exits; this keeps type checkers informed


def _print(result: SyncResult) -> None:
    if result.ok:
        print(result.summary(), flush=True)
    else:
        print(f"hall-feed sync: {result.reason}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    settings = SyncSettings.from_config(_settings(args))
    if args.once:
        result = sync_once(settings, progress=terminal_progress())
        _print(result)
        return 0 if result.ok else 1

    poller = Poller(settings, on_result=_print, progress=terminal_progress())

    def _stop(signum: int, frame: FrameType | None) -> None:
        poller.request_stop()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    poller.run()
    return 0
