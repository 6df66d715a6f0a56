"""What a client accepts from a feed: the checks of the manifest, the shards and the records.

`hall-feed verify` and the sync engine call these same functions, so a fault is reported in the same
words whichever of them finds it. Each check raises FeedRejectedError with a one-line reason. The
checks that depend on what a client holds or is configured with (its key, the sequence and feed id
of its snapshot) are the client's own, in `feed.sync.checks`.

The rules of a feed as a whole, beyond those of each document's model, are `FEED_RULES`; the
protocol document states each of them (docs/feed-protocol.md, sections 5 and 7).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from feed.errors import FeedRejectedError
from feed.format.limits import Limits
from feed.format.manifest import FORMAT, Manifest, Shard, ShardEntry, ShardRef, is_expired, shard_of
from feed.format.strict_json import StrictJsonError, decode_json
from feed.schema import Record, parse_record
from feed.schema.common import Targets

MAX_CATALOGS = 1
FEED_RULES = (
    "the shards of a kind are numbered 0 to N-1 and all listed in the manifest, empty ones included",
    "a record is listed once, in shard shard_of(id, N) of its kind",
    "a feed holds at most one catalog record",
    "targets.halls of a record names only ids of hall records of the same feed",
)
# Raised whenever these checks or the models' rules get stricter. A store remembers the version its
# records were checked under, and a client re-checks every held record once at its next sync after
# an upgrade (they are read back from its cache, not fetched again).
RULES_VERSION = 2


def first_problem(error: ValidationError) -> str:
    """One short line out of a pydantic error: where and what, never the offending value."""
    problems = error.errors(include_url=False, include_input=False)
    if not problems:
        return "invalid"
    where = ".".join(str(p) for p in problems[0]["loc"]) or "(top level)"
    message = str(problems[0]["msg"]).removeprefix("Value error, ")
    more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{where}: {message}"[:200] + more


def _decoded(data: bytes, what: str) -> Any:
    try:
        return decode_json(data)
    except StrictJsonError as exc:
        raise FeedRejectedError(f"{what} is not valid JSON: {exc}") from exc


def parse_manifest(raw: bytes) -> tuple[Manifest, Any]:
    """Decode and validate the manifest; return it with the `signed` part exactly as received."""
    data = _decoded(raw, "manifest")
    if not isinstance(data, dict):
        raise FeedRejectedError("manifest is not a JSON object")
    signed = data.get("signed")
    declared = signed.get("format") if isinstance(signed, dict) else None
    if isinstance(declared, str) and declared != FORMAT:
        raise FeedRejectedError(f"unsupported feed format {declared[:40]!r} (this client reads {FORMAT})")
    try:
        manifest = Manifest.model_validate_json(raw, strict=True)
    except ValidationError as exc:
        raise FeedRejectedError(f"manifest does not match the schema: {first_problem(exc)}") from exc
    return manifest, signed


def check_expiry(manifest: Manifest, now: datetime) -> None:
    if is_expired(manifest.signed, now):
        raise FeedRejectedError(f"manifest expired at {manifest.signed.expires.isoformat()}")


def shard_counts(refs: Iterable[ShardRef]) -> dict[str, int]:
    """Number of shards of each kind: N in `shard_of(id, N)`."""
    counts: dict[str, int] = {}
    for ref in refs:
        counts[ref.kind] = counts.get(ref.kind, 0) + 1
    return counts


def check_manifest(manifest: Manifest, limits: Limits) -> None:
    """Shard references within the limits, and numbered 0 to N-1 in every kind."""
    refs = manifest.signed.shards
    check_object_count(len(refs), limits)
    for ref in refs:
        if ref.size > limits.shard_bytes:
            raise FeedRejectedError(
                f"shard {ref.kind}/{ref.shard} too large ({ref.size} bytes, limit {limits.shard_bytes})"
            )
    counts = shard_counts(refs)
    numbered: dict[str, set[int]] = {}
    for ref in refs:
        numbered.setdefault(ref.kind, set()).add(ref.shard)
    for kind, numbers in numbered.items():
        n = counts[kind]
        missing = next((number for number in range(n) if number not in numbers), None)
        if missing is not None:
            raise FeedRejectedError(
                f"{kind} shard {missing} is missing (the {n} {kind} shards listed must be numbered"
                f" 0 to {n - 1}, empty ones included)"
            )


def check_object_count(count: int, limits: Limits) -> None:
    if count > limits.objects_per_feed:
        raise FeedRejectedError(f"feed lists {count} objects, over the limit of {limits.objects_per_feed}")


def check_shard(ref: ShardRef, data: bytes, kind_shards: int, limits: Limits) -> Shard:
    """The shard object `data` (already matched to its hash) as its manifest reference says."""
    label = f"shard {ref.kind}/{ref.shard}"
    _decoded(data, label)
    try:
        shard = Shard.model_validate_json(data, strict=True)
    except ValidationError as exc:
        raise FeedRejectedError(f"{label} is invalid: {first_problem(exc)}") from exc
    if shard.kind != ref.kind or shard.shard != ref.shard:
        raise FeedRejectedError(f"{label}: object holds shard {shard.kind}/{shard.shard}")
    if len(shard.entries) != ref.count:
        raise FeedRejectedError(f"{label}: {len(shard.entries)} entries, manifest says {ref.count}")
    seen: set[str] = set()
    for entry in shard.entries:
        if entry.id in seen:
            raise FeedRejectedError(f"{label}: {entry.id!r} listed twice")
        seen.add(entry.id)
        if shard_of(entry.id, kind_shards) != ref.shard:
            raise FeedRejectedError(
                f"{label}: {entry.id!r} is filed in the wrong shard (it belongs in"
                f" {shard_of(entry.id, kind_shards)})"
            )
        if entry.size > limits.record_bytes:
            raise FeedRejectedError(
                f"{ref.kind} {entry.id}: record too large ({entry.size} bytes, limit {limits.record_bytes})"
            )
    return shard


def check_listing(shards: Sequence[Shard], limits: Limits) -> None:
    """What the shards list, taken together: within the object limit, at most one catalogue."""
    entries = sum(len(shard.entries) for shard in shards)
    check_object_count(len(shards) + entries, limits)
    catalogs = sorted(entry.id for shard in shards if shard.kind == "catalog" for entry in shard.entries)
    if len(catalogs) > MAX_CATALOGS:
        raise FeedRejectedError(
            f"feed holds {len(catalogs)} catalog records ({', '.join(catalogs[:3])}); at most one is allowed"
        )


def hall_ids(shards: Iterable[Shard]) -> frozenset[str]:
    """Ids of the feed's `hall` records: what `targets.halls` may name."""
    return frozenset(entry.id for shard in shards if shard.kind == "hall" for entry in shard.entries)


def check_record(kind: str, entry: ShardEntry, data: bytes) -> Record:
    """The record object `data` (already matched to its hash): valid, and the one its entry names."""
    label = f"{kind} {entry.id}"
    _decoded(data, label)
    try:
        record = parse_record(data)
    except ValidationError as exc:
        raise FeedRejectedError(f"{label} is invalid: {first_problem(exc)}") from exc
    if record.kind != kind or record.id != entry.id:
        raise FeedRejectedError(f"{label}: object holds {record.kind} {record.id}")
    return record


def targets_of(record: Record) -> list[str]:
    """The hall ids a record is targeted at (none: every hall)."""
    targets = getattr(record, "targets", None)
    return targets.halls if isinstance(targets, Targets) else []


def unknown_hall(halls: Iterable[str], known: frozenset[str]) -> tuple[int, str] | None:
    """(index, id) of the first hall in `halls` that is not among the feed's hall records."""
    return next(((index, hall) for index, hall in enumerate(halls) if hall not in known), None)


def unknown_hall_problem(hall: str) -> str:
    return f"names {hall!r}, which is no hall record of this feed"


def check_targets(kind: str, record_id: str, halls: Iterable[str], known: frozenset[str]) -> None:
    found = unknown_hall(halls, known)
    if found is not None:
        raise FeedRejectedError(f"{kind} {record_id}: targets.halls {unknown_hall_problem(found[1])}")


def check_blob(sha256: str, size: int, known_sizes: dict[str, int], *, blob_limit: int) -> None:
    """A blob reference's size is within the limit and agrees with every other reference to it."""
    if size > blob_limit:
        raise FeedRejectedError(f"blob {sha256[:12]} too large ({size} bytes, limit {blob_limit})")
    previous = known_sizes.setdefault(sha256, size)
    if previous != size:
        raise FeedRejectedError(f"blob {sha256[:12]} declared with two sizes ({previous}, {size})")
