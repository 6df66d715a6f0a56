"""`hall-feed`: publish, verify, sync, inspect and serve the central feed.

Each subcommand lives in its own module exposing `register(subparsers)`; the module sets
`func(args) -> int` as the handler. Exit codes: 0 success, 1 failure (reason on stderr), 2 usage error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from feed import __version__
from feed.errors import FeedError
from feed.logs import configure_logging

SUBCOMMANDS = ("keygen", "build", "verify", "sync", "status", "search", "serve")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hall-feed", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--version", action="version", version=f"hall-feed {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details (every request too)")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMANDS:
        module = importlib.import_module(f"feed.cli.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    try:
        code: int = args.func(args)
    except FeedError as exc:
        print(f"hall-feed {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
