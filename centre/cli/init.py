"""`hall-centre init`: create the database, or migrate it to this version's schema (idempotent)."""

from __future__ import annotations

import argparse
from typing import Any

from centre.cli import add_config_option, config_of
from centre.db.engine import open_engine
from centre.db.migrate import upgrade


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "init", help="create or migrate the database", description=__doc__
    )
    add_config_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = config_of(args).centre
    engine = open_engine(settings.database_url)
    try:
        before, after = upgrade(engine)
    finally:
        engine.dispose()
    if before == after:
        print(f"database is up to date (revision {after})")
    else:
        print(f"database migrated from {before or 'empty'} to revision {after}")
    return 0
