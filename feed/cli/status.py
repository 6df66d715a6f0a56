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


Waiting = dict[tuple[str, str], int]  # (device, kind) → unsent rows


def outbox_waiting(cache_dir: Path) -> Waiting | str | None:
    """Unsent outbox rows by device and kind; None when this cache has no outbox yet (status never
    creates one); why not when it cannot be read (a read-only filesystem, say: status still reports
    the rest)."""
    if not (cache_dir / OUTBOX_NAME).is_file():
        return None
    try:
        with Outbox.open(cache_dir) as outbox:
            return outbox.waiting()
    except FeedError as exc:
        return str(exc)


def status_json(status: SyncStatus, waiting: Waiting | str | None) -> dict[str, Any]:
    data = asdict(status)
    for key, value in data.items():
        if isinstance(value, datetime):
            data[key] = value.isoformat()
    counted = waiting if isinstance(waiting, dict) else None
    data["outbox_depth"] = None if counted is None else sum(counted.values())
    data["outbox_waiting"] = (
        None
        if counted is None
        else [{"device": device, "kind": kind, "count": n} for (device, kind), n in counted.items()]
    )
    data["outbox_error"] = waiting if isinstance(waiting, str) else None
    return data


def _when(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else "never"


def status_text(status: SyncStatus, waiting: Waiting | str | None, cache_dir: Path) -> str:
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
        f"outbox:        {_outbox_line(waiting)}",
    ]
    return "\n".join(lines)


def _outbox_line(waiting: Waiting | str | None) -> str:
    """`3 waiting to be sent (kiosk-1: rating 2; led-1: proof_of_play 1, sent once its hour is over)`:
    each device sends only its own rows, so a kiosk's send may rightly leave the LED's rows behind."""
    if waiting is None:
        return "no outbox yet"
    if isinstance(waiting, str):
        return f"cannot be read: {waiting}"
    total = sum(waiting.values())
    if not total:
        return "0 waiting to be sent"
    devices: dict[str, list[str]] = {}
    for (device, kind), count in waiting.items():
        note = ", sent once its hour is over" if kind == "proof_of_play" else ""
        devices.setdefault(device or "no device yet", []).append(f"{kind} {count}{note}")
    parts = "; ".join(f"{device}: {', '.join(kinds)}" for device, kinds in devices.items())
    return f"{total} waiting to be sent ({parts})"


def run(args: argparse.Namespace) -> int:
    cache_dir = existing_cache_dir(args.cache)
    with StoreReader.open(cache_dir, create=False) as reader:
        status = reader.status()
    waiting = outbox_waiting(cache_dir)
    if args.json:
        print(json.dumps(status_json(status, waiting), ensure_ascii=False, indent=2))
    else:
        print(status_text(status, waiting, cache_dir))
    return 0
