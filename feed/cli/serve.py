"""`hall-feed serve DIR --port N`: serve a built feed over HTTP (demos and tests; production uses nginx)."""

from __future__ import annotations

import argparse
import logging
import signal
from pathlib import Path
from types import FrameType
from typing import Any

from feed.dev.serve import FeedServer


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from exc
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535; 0 picks a free one)")
    return value


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="serve a feed directory over HTTP with ETag/Last-Modified",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("dir", type=Path, metavar="DIR", help="feed directory (holds manifest.json)")
    parser.add_argument(
        "--port", type=_port, default=8000, help="TCP port (default 8000; 0 picks a free one)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    parser.set_defaults(func=run)


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    # Each request is a log line with level and logger name, like everything else the programs log.
    log = None if args.quiet else logging.getLogger("feed.dev.serve").info
    server = FeedServer(args.dir, args.host, args.port, log=log)
    signal.signal(signal.SIGTERM, _stop)
    print(f"serving {args.dir} at {server.url} (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0
