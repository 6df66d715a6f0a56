"""`hall-feed`: publish, verify, sync, inspect and serve the central feed.

Each subcommand lives in its own module exposing `register(subparsers)`; the module sets
`func(args) -> int` as the handler. Exit codes: 0 success, 1 failure (reason on stderr), 2 usage error.
Every failure is one line on stderr naming the cause: never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from feed import __version__
from feed.errors import FeedError, one_line
from feed.runtime.logs import configure_logging

SUBCOMMANDS = ("keygen", "build", "verify", "sync", "status", "search", "serve", "send")


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
        return _fail(args.command, str(exc))
    except OSError as exc:  # a path the operator gave: missing, not a directory, not writable
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(args.command, f"{where}{exc.strerror or exc}")
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug or an unforeseen input: still one line, never a traceback
        return _fail(args.command, f"{exc.__class__.__name__}: {exc}")
    return code


def _fail(command: str, reason: str) -> int:
    print(f"hall-feed {command}: {one_line(reason)}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
