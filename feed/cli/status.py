"""`hall-feed status --cache DIR [--json]`: what the offline store holds and how the last syncs went."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from feed.api import SyncStatus
from feed.errors import FeedError
from feed.outbox import OUTBOX_NAME, Outbox
from feed.store.cachedir import existing_cache_dir
from feed.store.reader import StoreReader


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "status",
        help="show the cached snapshot, sync history and outbox depth",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("--cache", type=Path, required=True, metavar="DIR", help="cache directory")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(func=run)


def outbox_depth(cache_dir: Path) -> int | str | None:
    """Unsent outbox rows; None when this cache has no outbox yet (status never creates one); why
    not when it cannot be read (a read-only filesystem, say: status still reports the rest)."""
    if not (cache_dir / OUTBOX_NAME).is_file():
        return None
    try:
        with Outbox.open(cache_dir) as outbox:
            return outbox.depth()
    except FeedError as exc:
        return str(exc)


def status_json(status: SyncStatus, depth: int | str | None) -> dict[str, Any]:
    data = asdict(status)
    for key, value in data.items():
        if isinstance(value, datetime):
            data[key] = value.isoformat()
    data["outbox_depth"] = depth if isinstance(depth, int) else None
    data["outbox_error"] = depth if isinstance(depth, str) else None
    return data


def _when(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else "never"


def status_text(status: SyncStatus, depth: int | str | None, cache_dir: Path) -> str:
    if status.sequence is None:
        snapshot = "no snapshot yet (run `hall-feed sync`)"
    else:
        snapshot = f"{status.feed_id} sequence {status.sequence}"
    counts = ", ".join(f"{kind} {n}" for kind, n in sorted(status.counts.items())) or "none"
    expires = _when(status.expires) + (
        "  (STALE: expired, showing the last good content)" if status.stale else ""
    )
    lines = [
        f"cache:         {cache_dir}",
        f"snapshot:      {snapshot}",
        f"records:       {counts}",
        f"issued:        {_when(status.issued)}",
        f"expires:       {expires}",
        f"source:        {status.source or '-'}",
        f"last success:  {_when(status.last_success)}",
        f"last attempt:  {_when(status.last_attempt)}",
        f"last error:    {status.last_error or '-'}",
        f"storage:       {status.storage or 'ok'}",
        f"objects:       {status.objects_repaired} fetched again, {status.objects_missing} still missing",
        *([f"repair:        {status.repair}"] if status.repair else []),
        f"outbox:        {_outbox_line(depth)}",
    ]
    return "\n".join(lines)


def _outbox_line(depth: int | str | None) -> str:
    if depth is None:
        return "no outbox yet"
    return f"{depth} waiting to be sent" if isinstance(depth, int) else f"cannot be read: {depth}"


def run(args: argparse.Namespace) -> int:
    cache_dir = existing_cache_dir(args.cache)
    with StoreReader.open(cache_dir, create=False) as reader:
        status = reader.status()
    depth = outbox_depth(cache_dir)
    if args.json:
        print(json.dumps(status_json(status, depth), ensure_ascii=False, indent=2))
    else:
        print(status_text(status, depth, cache_dir))
    return 0
