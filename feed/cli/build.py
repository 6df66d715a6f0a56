"""`hall-feed build SRC OUT --key K`: validate an authoring directory and publish it as a signed feed."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from feed.publish.build import build
from feed.publish.source import SourceInvalidError
from feed.runtime.progress import terminal_progress


def _bounded(model_path: str, field: str) -> Callable[[str], int]:
    """An argparse type: a whole number within the bounds the model gives `field` (one home for them);
    the model is imported only when the option is used."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from exc
        module, name = model_path.rsplit(".", 1)
        info = getattr(importlib.import_module(module), name).model_fields[field]
        low = max([1, *(m.ge for m in info.metadata if hasattr(m, "ge"))])
        high = min([*(m.le for m in info.metadata if hasattr(m, "le"))], default=None)
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{text!r} must be between {low} and {high}")
        return value

    return parse


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "build",
        help="build and sign a feed from an authoring directory",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("src", type=Path, metavar="SRC", help="authoring directory (feed.yaml, items/, …)")
    parser.add_argument("out", type=Path, metavar="OUT", help="feed directory to write (static files)")
    trust = parser.add_mutually_exclusive_group(required=True)
    trust.add_argument("--key", type=Path, help="Ed25519 secret key file (from hall-feed keygen)")
    trust.add_argument("--unsigned", action="store_true", help="write an unsigned manifest (tests only)")
    parser.add_argument(
        "--sequence",
        type=_bounded("feed.format.manifest.SignedManifest", "sequence"),
        help="manifest sequence (default: max(previous + 1, unix time))",
    )
    parser.add_argument(
        "--expires-days",
        type=_bounded("feed.publish.source.FeedSettings", "expires_days"),
        help="days until the manifest expires",
    )
    parser.add_argument("--prune", action="store_true", help="delete objects the new manifest no longer uses")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        result = build(
            args.src,
            args.out,
            None if args.unsigned else args.key,
            sequence=args.sequence,
            expires_days=args.expires_days,
            prune=args.prune,
            progress=terminal_progress(),
        )
    except SourceInvalidError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(
            f"hall-feed build: {count} problem{'s' if count > 1 else ''} in {args.src}; nothing published",
            file=sys.stderr,
        )
        return 1
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(result.summary(args.out))
    return 0
