"""`hall-centre devices`: register a device (its token is printed once), list, revoke, rotate.

`devices add ID --role kiosk|display --hall HALL` prints the new token as the last line of stdout;
the centre keeps only its hash, so copy it into the device's `token_file` now.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from centre.cli import add_config_option, config_of
from centre.db import devices, phone
from centre.db.engine import open_engine
from centre.db.migrate import check_current

ID_HELP = "device id, as in the device's [device] id (lower-case letters, digits, . _ -)"


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "devices", help="register, list, revoke devices", description=__doc__
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="register a device and print its token (last line)")
    add.add_argument("id", help=ID_HELP)
    add.add_argument("--role", required=True, choices=devices.ROLES)
    add.add_argument("--hall", required=True, help="hall id, as in the device's [device] hall")
    listing = actions.add_parser("list", help="list registered devices")
    listing.add_argument("--json", action="store_true", help="one JSON array")
    revoke = actions.add_parser("revoke", help="revoke a device's token (it gets 401 from now on)")
    revoke.add_argument("id", help=ID_HELP)
    rotate = actions.add_parser("rotate", help="issue a new token (the old one stops working)")
    rotate.add_argument("id", help=ID_HELP)
    form_key = actions.add_parser(
        "form-key",
        help="issue the key a kiosk signs its phone-form links with (last line; the old one stops)",
    )
    form_key.add_argument("id", help=ID_HELP)
    for sub in (add, listing, revoke, rotate, form_key):
        add_config_option(sub)
        sub.set_defaults(func=run, parser=sub)


def run(args: argparse.Namespace) -> int:
    settings = config_of(args).centre
    engine = open_engine(settings.database_url)
    try:
        check_current(engine)
        return _act(args, engine)
    finally:
        engine.dispose()


def _act(args: argparse.Namespace, engine: Any) -> int:
    now = datetime.now(UTC)
    if args.action == "add":
        problem = devices.id_problem(args.id) or devices.id_problem(args.hall)
        if problem:
            args.parser.error(problem)
        device, token = devices.add(engine, args.id, args.role, args.hall, now)
        print(f"registered {device.role} {device.id} in hall {device.hall}")
        print("its token follows; it is shown only this once (put it in the device's token_file):")
        print(token)
        return 0
    if args.action == "rotate":
        token = devices.rotate(engine, args.id)
        print(f"new token for {args.id}; the old one no longer works:")
        print(token)
        return 0
    if args.action == "form-key":
        key = phone.issue_form_key(engine, args.id)
        print(f"new phone-form key for {args.id}; links signed with the old one no longer open:")
        print(key)
        return 0
    if args.action == "revoke":
        changed = devices.revoke(engine, args.id, now)
        print(f"revoked {args.id}" if changed else f"{args.id} was already revoked")
        return 0
    found = devices.all_devices(engine)
    if args.json:
        rows = [
            {
                "id": d.id,
                "role": d.role,
                "hall": d.hall,
                "created_at": d.created_at.isoformat(),
                "revoked": d.revoked_at is not None,
                "last_seen_at": d.last_seen_at.isoformat() if d.last_seen_at else None,
            }
            for d in found
        ]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for d in found:
        state = "revoked" if d.revoked_at else "active"
        seen = d.last_seen_at.isoformat(timespec="seconds") if d.last_seen_at else "never"
        print(f"{d.id}\t{d.role}\t{d.hall}\t{state}\tlast seen {seen}")
    if not found:
        print("no devices registered (hall-centre devices add ID --role kiosk --hall HALL)")
    return 0
