"""`hall-centre users`: staff accounts of the desk.

`users add NAME --role viewer|handler|admin` reads the password from stdin (one line; typed twice
with no echo at a terminal), so it never appears in the shell's history or the process list.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime
from typing import Any

from centre.cli import add_config_option, config_of
from centre.db import staff
from centre.db.engine import open_engine
from centre.db.migrate import check_current
from centre.rules.roles import ROLES


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "users", help="staff accounts of the desk", description=__doc__
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="create an account (password from stdin)")
    add.add_argument("name", help="the name staff sign in with")
    add.add_argument("--role", required=True, choices=ROLES)
    listing = actions.add_parser("list", help="list accounts")
    disable = actions.add_parser("disable", help="disable an account (signed out at its next request)")
    disable.add_argument("name")
    for sub in (add, listing, disable):
        add_config_option(sub)
        sub.set_defaults(func=run)


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise staff.StaffError("the two passwords differ", "password")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def run(args: argparse.Namespace) -> int:
    settings = config_of(args).centre
    engine = open_engine(settings.database_url)
    try:
        check_current(engine)
        if args.action == "add":
            member = staff.add(engine, args.name, args.role, _read_password(), datetime.now(UTC))
            print(f"added {member.role} {member.name}")
            return 0
        if args.action == "disable":
            changed = staff.disable(engine, args.name, datetime.now(UTC))
            print(f"disabled {args.name}" if changed else f"{args.name} was already disabled")
            return 0
        members = staff.all_members(engine)
        for member, active in members:
            print(f"{member.name}\t{member.role}\t{'active' if active else 'disabled'}")
        if not members:
            print("no accounts (hall-centre users add NAME --role handler)")
        return 0
    finally:
        engine.dispose()
