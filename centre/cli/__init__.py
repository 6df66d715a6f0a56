"""`hall-centre`: the bureau's centre — create its database, register devices, serve, report.

Each subcommand lives in its own module (see `feed.runtime.commands`). Exit codes: 0 success,
1 failure (one line on stderr), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from centre import __version__
from centre.config import DEFAULT_CONFIG, CentreConfig, load_centre_config
from feed import CommandLine

HALL_CENTRE = CommandLine(
    prog="hall-centre",
    description="政务服务中心 — the bureau's centre",
    version=__version__,
    package="centre.cli",
    subcommands=("init", "devices", "users", "serve", "report"),
    config_error_exit=2,  # nothing runs on a bad config: the operator fixes the file and runs it again
)


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, default=DEFAULT_CONFIG, help=f"centre TOML config (default {DEFAULT_CONFIG})"
    )


def config_of(args: argparse.Namespace) -> CentreConfig:
    config: CentreConfig = load_centre_config(args.config)
    return config


def main(argv: Sequence[str] | None = None) -> int:
    return HALL_CENTRE.main(argv)


if __name__ == "__main__":
    sys.exit(main())
