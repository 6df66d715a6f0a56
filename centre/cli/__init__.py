"""`hall-centre`: the bureau's centre — create its database, register devices, serve, report.

Each subcommand lives in its own module exposing `register(subparsers)`; the module sets
`func(args) -> int` as the handler. Exit codes: 0 success, 1 failure (reason on stderr), 2 usage or
configuration error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from centre import __version__
from centre.config import DEFAULT_CONFIG, CentreConfig, load_centre_config
from feed.errors import ConfigError, FeedError
from feed.runtime.logs import configure_logging

SUBCOMMANDS = ("init", "devices", "serve", "report")


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, default=DEFAULT_CONFIG, help=f"centre TOML config (default {DEFAULT_CONFIG})"
    )


def config_of(args: argparse.Namespace) -> CentreConfig:
    config: CentreConfig = load_centre_config(args.config)
    return config


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hall-centre", description="政务服务中心 — the bureau's centre")
    parser.add_argument("--version", action="version", version=f"hall-centre {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMANDS:
        importlib.import_module(f"centre.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.verbose)
    try:
        code: int = args.func(args)
    except ConfigError as exc:
        print(f"hall-centre {args.command}: {exc}", file=sys.stderr)
        return 2
    except FeedError as exc:
        print(f"hall-centre {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
