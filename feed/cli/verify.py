"""`hall-feed verify OUT --pubkey P`: check a built feed offline, exactly as a client would."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from feed.format.signing import load_public_key
from feed.publish.verify import verify_feed


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "verify",
        help="check a built feed directory (signature, hashes, schema)",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("out", type=Path, metavar="OUT", help="feed directory (holds manifest.json)")
    trust = parser.add_mutually_exclusive_group(required=True)
    trust.add_argument("--pubkey", type=Path, help="Ed25519 public key file of the publisher")
    trust.add_argument("--allow-unsigned", action="store_true", help="skip the signature check")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    pubkey = None if args.allow_unsigned else load_public_key(args.pubkey)
    report = verify_feed(args.out, pubkey)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for warning in report.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if report.ok:
            print(report.summary())
    if not report.ok:
        if not args.json:
            for problem in report.problems:
                print(f"  {problem}", file=sys.stderr)
        count = len(report.problems)
        print(f"hall-feed verify: {args.out}: {count} problem{'s' if count > 1 else ''}", file=sys.stderr)
        return 1
    return 0
