"""`hall-feed search --cache DIR QUERY`: ranked items and guides for Chinese text, pinyin or initials."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from feed.store.cachedir import existing_cache_dir
from feed.store.reader import StoreReader


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "search",
        help="search the cached items and guides (Chinese, full pinyin or initials)",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("--cache", type=Path, required=True, metavar="DIR", help="cache directory")
    parser.add_argument("query", metavar="QUERY", help="e.g. 不动产, budongchan or bdc")
    parser.add_argument(
        "--limit", type=_positive, default=20, metavar="N", help="at most N hits (default 20)"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON array of hits")
    parser.set_defaults(func=run)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError("must be between 1 and 1000")
    return value


def run(args: argparse.Namespace) -> int:
    cache_dir = existing_cache_dir(args.cache)
    with StoreReader.open(cache_dir, create=False) as reader:
        hits = reader.search(args.query, limit=args.limit)
    if args.json:
        print(json.dumps([asdict(hit) for hit in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print(f"no match for {args.query!r}")
    for rank, hit in enumerate(hits, start=1):
        print(f"{rank:3d}. [{hit.kind}] {hit.title}  ({hit.id}; {hit.matched}, {hit.score:.3f})")
    return 0
