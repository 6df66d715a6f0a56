"""One sync: manifest → shards → records → blobs → one atomic commit → garbage collection.

Nothing reaches the store unverified: the manifest is checked (size, JSON, schema, signature,
sequence, expiry) before any object is requested, every object is checked against its hash and size
by `ObjectCache.put`, and every shard and every new or changed record is parsed before the
snapshot is committed in one transaction (records held with the same hash were parsed when they were
first committed). Any failure leaves the previous snapshot in force and records a one-line reason.
Objects already verified stay in the cache, so an interrupted sync resumes where it stopped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from feed.disk.storage import os_error_text
from feed.errors import DamagedStoreError, FeedError, FeedRejectedError, SourceError, one_line
from feed.format.canonical import sha256_hex
from feed.format.layout import MANIFEST_NAME, object_path
from feed.format.manifest import Manifest, Shard, ShardEntry
from feed.format.signing import key_id
from feed.format.validation import (
    RULES_VERSION,
    check_blob,
    check_listing,
    check_manifest,
    check_object_count,
    check_record,
    check_shard,
    check_targets,
    hall_ids,
    parse_manifest,
    shard_counts,
    targets_of,
)
from feed.runtime.progress import NoProgress, Progress
from feed.schema import blobs_of
from feed.store import Store
from feed.store.repair import set_aside
from feed.store.snapshot import Checked, Listed, Prepared
from feed.sync.checks import Freshness, check_freshness, check_trust
from feed.sync.object_check import Wanted, check_objects
from feed.sync.preparer import Preparer
from feed.sync.settings import SyncSettings
from feed.sync.sources import open_source
from feed.sync.transport import (
    Fetched,
    OversizedError,
    Source,
    SourceUnavailableError,
    TransferStats,
    Validators,
    describe_path,
)

log = logging.getLogger(__name__)

Outcome = Literal["updated", "unchanged", "failed"]
_TIMING_SAMPLES = 256  # requests timed per run to choose the number of connections


@dataclass(frozen=True)
class SyncResult:
    outcome: Outcome
    sequence: int | None  # the sequence held after this attempt
    reason: str | None = None
    fetched_objects: int = 0
    fetched_bytes: int = 0
    requests: int = 0
    retry_after: float | None = None  # seconds, when the source asked us to wait
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase, for benchmarks
    records_checked: int = 0  # new or changed records parsed in this run (held ones are not re-parsed)

    @property
    def ok(self) -> bool:
        return self.outcome != "failed"

    def summary(self) -> str:
        line = (
            f"{self.outcome} sequence={self.sequence if self.sequence is not None else '-'} "
            f"objects={self.fetched_objects} bytes={self.fetched_bytes} requests={self.requests}"
        )
        return line if self.reason is None else f"{line}: {self.reason}"


class _CacheOnly:
    """The source while rebuilding from the cache: anything the cache lacks is not there."""

    def __init__(self) -> None:
        self.stats = TransferStats()

    def fetch(self, path: str, *, max_bytes: int, validators: Validators | None = None) -> Fetched:
        raise SourceError(f"{describe_path(path)} is not in the cache")

    def close(self) -> None:
        pass


class _AbandonedError(FeedError):
    """A queued download skipped because another one already failed (never the reason reported)."""


class SyncStoppedError(FeedError):
    """The program is stopping: the run ends before its commit and the held snapshot stays."""


@dataclass(frozen=True)
class _Wanted:
    sha256: str
    size: int


def _references(item: Checked) -> tuple[str, str, list[str], list[tuple[str, int]]]:
    """Kind, id, the halls targeted and the (sha256, size) of each blob referred to, of a checked record."""
    if isinstance(item, Prepared):
        return item.kind, item.id, item.halls, item.blob_refs
    record = item[1]
    return record.kind, record.id, targets_of(record), [(ref.sha256, ref.size) for ref in blobs_of(record)]


def sync_once(
    settings: SyncSettings,
    *,
    now: datetime | None = None,
    stop: threading.Event | None = None,
    progress: Progress | None = None,
) -> SyncResult:
    """Bring the store at `settings.cache_dir` up to the feed at `settings.source`, or keep what it
    holds and say why (never raises: every failure is a "failed" result with a one-line reason).

    `now` is the moment expiry is judged at (default: the current time). Once `stop` is set no
    further object is requested and no commit starts, so a stopping program is not held up by a
    large sync; a commit already under way runs to its end (one transaction). `progress` counts the
    objects of each batch that is downloaded (shards, records, blobs)."""
    context = _Context(settings, now or datetime.now(UTC), stop, progress or NoProgress())
    cache_dir = Path(settings.cache_dir)
    for attempt in range(2):
        try:
            return _sync(cache_dir, context)
        except DamagedStoreError as exc:
            # A cache database found damaged while syncing: set it aside, and rebuild at once.
            set_aside(exc.path, exc.inode, str(exc))
            if attempt:
                return SyncResult("failed", None, one_line(str(exc)))
        except (FeedError, OSError) as exc:
            return SyncResult("failed", None, one_line(_storage_reason(cache_dir, exc)))
        except Exception as exc:  # a background sync must report, never die
            log.exception("sync failed unexpectedly")
            return SyncResult("failed", None, one_line(f"{exc.__class__.__name__}: {exc}"))
    raise AssertionError("unreachable")  # the loop returns


def _sync(cache_dir: Path, context: _Context) -> SyncResult:
    store = Store.open(cache_dir)
    try:
        try:
            lock = store.sync_lock()
            lock.__enter__()
        except FeedError as exc:
            held = store.current()
            return SyncResult("failed", held.sequence if held else None, str(exc))
        try:
            return _attempt(store, context)
        finally:
            lock.__exit__(None, None, None)
    finally:
        store.close()


@dataclass(frozen=True)
class _Context:
    """One call of sync_once: its settings, and the moment, stop and progress of this call."""

    settings: SyncSettings
    now: datetime
    stop: threading.Event | None = None
    progress: Progress = field(default_factory=NoProgress)


def _attempt(store: Store, context: _Context) -> SyncResult:
    settings = context.settings
    held = store.current()
    held_sequence = held.sequence if held else None
    try:
        feed_source = open_source(
            settings.source, timeout=settings.timeout, max_connections=settings.max_connections
        )
    except FeedError as exc:
        return SyncResult("failed", held_sequence, _record_failure(store, context, str(exc)))
    run = _Run(store, feed_source, context)
    retry_after: float | None = None
    outcome: Outcome
    sequence: int | None
    reason: str | None = None
    try:
        outcome, sequence = run.run()
    except DamagedStoreError:
        raise  # sync_once sets the file aside and tries again
    except FeedError as exc:
        held_sequence = _sequence_held(store, held_sequence)
        outcome, sequence, reason = "failed", held_sequence, one_line(_storage_reason(store.cache_dir, exc))
        if isinstance(exc, SourceUnavailableError):
            retry_after = exc.retry_after
    except OSError as exc:
        reason = one_line(f"cache write failed: {_storage_reason(store.cache_dir, exc)}")
        outcome, sequence = "failed", _sequence_held(store, held_sequence)
    except Exception as exc:  # a background sync must report, never die, whatever the feed holds
        log.exception("sync failed unexpectedly")
        outcome, sequence, reason = "failed", held_sequence, one_line(f"{exc.__class__.__name__}: {exc}")
    finally:
        run.close()
        feed_source.close()
        _flush_objects(store)
    if reason is not None:
        reason = _record_failure(store, context, reason)
    stats = feed_source.stats
    return SyncResult(
        outcome,
        sequence,
        reason,
        run.fetched_objects,
        stats.bytes,
        stats.requests,
        retry_after,
        run.timings,
        run.records_checked,
    )


def _sequence_held(store: Store, before: int | None) -> int | None:
    """The sequence in force after a failed run (a rebuild from the cache may have restored one)."""
    try:
        held = store.current()
    except FeedError:
        return before
    return held.sequence if held is not None else before


def _record_failure(store: Store, context: _Context, reason: str) -> str:
    """Keep `reason` in the store's status; when even that fails (a full disk), say so in the reason
    returned, which the poller reports and logs."""
    try:
        store.record_attempt(at=context.now, source=context.settings.source, error=reason)
    except FeedError as exc:
        log.warning("cannot record the failed sync in the store: %s", exc)
        return one_line(f"{reason} (not saved in status: {exc})")
    return reason


def _storage_reason(cache_dir: Path, exc: Exception) -> str:
    """`exc` as a reason, naming the cache's storage problem when that is the cause."""
    if not isinstance(exc, OSError):
        return str(exc)
    text = os_error_text(cache_dir, exc)
    return f"{exc.filename}: {text}" if exc.filename else text


def _flush_objects(store: Store) -> None:
    """Objects kept from a failed run are made durable too, so the next run need not re-check them."""
    try:
        store.objects.flush()
    except (OSError, FeedError) as exc:
        log.warning("cannot flush the object cache: %s", exc)


class _Run:
    def __init__(self, store: Store, source: Source, context: _Context) -> None:
        settings = context.settings
        self.store = store
        self.source = source
        self.source_text = settings.source
        self.pubkey = settings.pubkey
        self.allow_unsigned = settings.allow_unsigned
        self.max_connections = settings.max_connections
        self.limits = settings.limits
        self.now = context.now
        self.helper_min_records = settings.helper_min_records
        self._stop = context.stop
        self._progress = context.progress
        self.fetched_objects = 0
        self.records_checked = 0
        self._fresh: dict[str, bytes] = {}  # bodies fetched in this run, to parse without re-reading
        self._listed: dict[str, tuple[str, str]] = {}  # sha256 → (kind, id) of records being fetched
        self._lock = threading.Lock()
        self._abort = threading.Event()
        self.timings: dict[str, float] = {}
        self._timed_wall: list[float] = []
        self._timed_cpu: list[float] = []
        self._preparer: Preparer | None = None
        self._phase_started = time.perf_counter()

    def _phase(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = now - self._phase_started
        self._phase_started = now

    def run(self) -> tuple[Outcome, int]:
        damaged = self.store.objects.recover()
        if damaged:
            log.warning(
                "%d cached objects were damaged by an unclean stop; they will be fetched again", damaged
            )
        held = self.store.current()
        if held is None and self.store.rebuild_pending() and self._restore():
            held = self.store.current()
        state = self.store.sync_state()
        # Held records are re-checked (not re-fetched) once after the checks became stricter.
        recheck = held is not None and self.store.rules_version() != RULES_VERSION
        validators = None
        if held is not None and state.source == self.source_text and not recheck:
            # Checked again here: a store written by an older client may hold values no request can carry.
            validators = Validators.checked(state.etag, state.last_modified)
        fetched = self._timed(MANIFEST_NAME, max_bytes=self.limits.manifest_bytes, validators=validators)
        if fetched.body is None:
            assert held is not None and validators is not None  # only sent while a snapshot is held
            # Keep the validators that were sent: a 304 confirms the manifest held, and validators it
            # carries could name another one (a newer manifest's ETag would then answer 304 for ever).
            self._succeeded(validators)
            self._check_objects(None)
            return "unchanged", held.sequence

        raw = fetched.body
        manifest, raw_signed = parse_manifest(raw)
        check_trust(manifest, raw_signed, self.pubkey, allow_unsigned=self.allow_unsigned)
        freshness = check_freshness(
            manifest,
            sha256_hex(raw),
            raw_signed,
            held,
            self.now,
            held_manifest=self.store.manifest_bytes() if held is not None else None,
            key_id=key_id(bytes(self.pubkey)) if self.pubkey is not None else None,
        )
        if freshness is Freshness.SAME and not recheck:
            self._succeeded(fetched.validators)
            self._check_objects(manifest)
            return "unchanged", manifest.signed.sequence
        self._phase("manifest")
        self._apply(manifest, raw, recheck=recheck, restart=freshness is Freshness.RESTART)
        self._succeeded(fetched.validators)
        self._check_objects(manifest)
        return "updated", manifest.signed.sequence

    def _apply(self, manifest: Manifest, raw: bytes, *, recheck: bool, restart: bool) -> None:
        """Fetch what `manifest` needs and the cache lacks, verify it all, and commit the snapshot.
        `recheck`: held records are checked again (the rules became stricter); `restart`: a lower
        sequence is accepted once (see `check_freshness`)."""
        check_manifest(manifest, self.limits)
        shards = self._load_shards(manifest)
        check_listing(shards, self.limits)
        halls = hall_ids(shards)
        entries = [(shard.kind, entry) for shard in shards for entry in shard.entries]
        blob_sizes: dict[str, int] = {}
        records, unchanged = self._load_records(entries, recheck=recheck)
        for kind, record_id, targeted, blob_refs in map(_references, records):
            check_targets(kind, record_id, targeted, halls)
            for sha256, size in blob_refs:
                check_blob(sha256, size, blob_sizes, blob_limit=self.limits.blob_bytes)
        held_keys = {(kind, record_id) for kind, record_id, _ in unchanged}
        for kind, record_id, targeted in self.store.stored_hall_targets(held_keys):
            check_targets(kind, record_id, targeted, halls)
        for sha256, size in self.store.stored_blobs(held_keys):
            check_blob(sha256, size, blob_sizes, blob_limit=self.limits.blob_bytes)
        check_object_count(len(shards) + len(entries) + len(blob_sizes), self.limits)
        self._fetch_missing(
            (_Wanted(sha, size) for sha, size in blob_sizes.items()), keep=False, what="blobs"
        )
        self.store.objects.flush()  # every object the snapshot names is durable before it is committed
        self._phase("objects")

        self._check_stop("before the commit")
        self.store.commit_snapshot(manifest, raw, records, unchanged, restart=restart)
        self._phase("commit")
        try:
            self.store.save_manifest(raw)
        except OSError as exc:  # only the offline rebuild of a damaged store.db needs it
            log.warning("cannot keep a copy of the manifest: %s", exc)
        keep = {ref.sha256 for ref in manifest.signed.shards}
        keep.update(entry.sha256 for _, entry in entries)
        keep.update(blob_sizes)
        try:
            self.store.gc(keep)
        except OSError as exc:  # the snapshot is in; stray files cost only disk space until next time
            log.warning("garbage collection failed: %s", exc)
        self._phase("gc")

    def _restore(self) -> bool:
        """After a damaged store.db was set aside, rebuild the last snapshot from the saved manifest
        and the verified objects in the cache, without the network. False when they do not suffice;
        the sync then goes to the feed as usual. (A store.db deleted by hand is not rebuilt from the
        cache: that is how an operator starts afresh, perhaps on another feed.)"""
        raw = self.store.saved_manifest(self.limits.manifest_bytes)
        if raw is None:
            return False
        source, self.source = self.source, _CacheOnly()
        try:
            manifest, raw_signed = parse_manifest(raw)
            check_trust(manifest, raw_signed, self.pubkey, allow_unsigned=self.allow_unsigned)
            # Verified when it was first committed; expired or not, it is what the device showed.
            self._apply(manifest, raw, recheck=False, restart=False)
        except FeedError as exc:
            log.warning("cannot rebuild the snapshot from the cache alone (%s); syncing from the feed", exc)
            return False
        finally:
            self.source = source
        note = f"snapshot {manifest.signed.sequence} rebuilt from the cached objects"
        log.warning("%s: %s", self.store.cache_dir, note)
        self.store.rebuilt(note)
        return True

    def _check_objects(self, manifest: Manifest | None) -> None:
        """Fetch again what the snapshot lacks or what a bounded scrub finds damaged (see
        feed.sync.object_check); `manifest` is the one in force, or None to read it from the store."""
        if manifest is None:
            raw = self.store.manifest_bytes()
            if raw is None:
                return
            manifest, _ = parse_manifest(raw)
        shards = {ref.sha256: ref.size for ref in manifest.signed.shards}
        check_objects(self.store, shards, self._fetch_again)
        self._phase("check")

    def _fetch_again(self, item: Wanted) -> bytes:
        size = item.size if item.size is not None else self.limits.record_bytes
        data = self._download(_Wanted(item.sha256, size))
        self.store.objects.put(item.sha256, item.size or len(data), data, blob=item.blob)
        self.store.objects.flush()
        with self._lock:
            self.fetched_objects += 1
        return data

    def _succeeded(self, validators: Validators) -> None:
        self.store.record_attempt(
            at=self.now,
            source=self.source_text,
            error=None,
            etag=validators.etag,
            last_modified=validators.last_modified,
            success=True,
        )

    def _load_shards(self, manifest: Manifest) -> list[Shard]:
        refs = manifest.signed.shards
        self._fetch_missing((_Wanted(ref.sha256, ref.size) for ref in refs), keep=True, what="index shards")
        counts = shard_counts(refs)
        return [
            check_shard(ref, self._body(ref.sha256, ref.size), counts[ref.kind], self.limits) for ref in refs
        ]

    def _load_records(
        self, entries: Sequence[tuple[str, ShardEntry]], *, recheck: bool = False
    ) -> tuple[list[Checked], list[Listed]]:
        """The new or changed records, fetched, parsed and checked (by the helper process, or here);
        and (kind, id, sha256) of those the store already holds with the same hash, which were
        checked when they were committed and are neither read nor parsed again (a one-item change
        parses one record, not ten thousand). With `recheck` every record counts as changed: read
        back from the cache and checked again."""
        stored = {} if recheck else self.store.record_hashes()
        unchanged: list[Listed] = []
        changed: list[tuple[str, ShardEntry]] = []
        for kind, entry in entries:
            if stored.get((kind, entry.id)) == entry.sha256:
                unchanged.append((kind, entry.id, entry.sha256))
            else:
                changed.append((kind, entry))
        wanted = (_Wanted(entry.sha256, entry.size) for _, entry in changed)
        self._listed = {entry.sha256: (kind, entry.id) for kind, entry in reversed(changed)}
        try:
            self._fetch_missing(wanted, keep=True, prepare=True, what="records")
        finally:
            self._listed = {}
        prepared = self._finish_preparer()
        # Records fetched in an earlier, failed run are read back in bulk; _body re-hashes each.
        fetched = self._fresh.keys() | prepared.keys()
        held = self.store.objects.read_many(e.sha256 for _, e in changed if e.sha256 not in fetched)
        records = [self._checked(kind, entry, prepared, held) for kind, entry in changed]
        self.records_checked = len(records)
        return records, unchanged

    def _checked(
        self, kind: str, entry: ShardEntry, prepared: dict[str, Prepared], held: dict[str, bytes]
    ) -> Checked:
        """The record `entry` names, checked: by the helper as it arrived, or here (which also
        reports, in listing order, a record that fails its check)."""
        done = prepared.get(entry.sha256)
        if done is not None and (done.kind, done.id) == (kind, entry.id):
            self._fresh.pop(entry.sha256, None)  # its bytes are no longer needed
            return done
        return entry.sha256, check_record(kind, entry, self._body(entry.sha256, entry.size, held))

    def _body(self, sha256: str, size: int, held: dict[str, bytes] | None = None) -> bytes:
        """Bytes of a verified object: fetched in this run, or read back from the cache and re-hashed."""
        data = self._fresh.pop(sha256, None)
        if data is not None:
            return data
        data = held.get(sha256) if held is not None else None
        if data is None:
            data = self.store.objects.read(sha256)
        if len(data) == size and sha256_hex(data) == sha256:
            return data
        log.warning("cached object %s is damaged; fetching it again", sha256[:12])
        self.store.objects.discard(sha256)
        data = self._fetch_one(_Wanted(sha256, size), keep=True)  # kept: stored as a row again
        self._fresh.pop(sha256, None)
        return data

    def _fetch_missing(
        self, wanted: Iterable[_Wanted], *, keep: bool, prepare: bool = False, what: str = "objects"
    ) -> None:
        """Fetch what the cache lacks over up to `max_connections` connections; `keep` holds the
        bodies in memory for parsing (shards and records, not blobs); `prepare` (records) hands
        them to a helper process too when there are many (see feed.sync.preparer)."""
        listed: dict[str, _Wanted] = {}
        for item in wanted:
            listed.setdefault(item.sha256, item)
        todo = {sha: listed[sha] for sha in self.store.objects.missing(listed)}
        if not todo:
            return
        if prepare and todo and len(todo) >= self.helper_min_records:
            self._start_preparer()
        self._progress.begin(f"fetching {what}", len(todo))
        try:
            if len(todo) == 1 or self.max_connections == 1:
                for item in todo.values():
                    self._fetch_one(item, keep=keep)
                return
            # Each worker takes the next item until none is left: one task per worker, not one
            # future per object (their locks and waiters cost more CPU than a small object's request).
            queued = deque(todo.values())

            def drain() -> None:
                while queued:
                    try:
                        item = queued.popleft()
                    except IndexError:  # another worker took the last one
                        return
                    self._fetch_one(item, keep=keep)

            workers = min(self._connections(), len(todo))
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="feed-fetch") as fetchers:
                self._wait_all([fetchers.submit(drain) for _ in range(workers)])
        finally:
            self._progress.end()

    def _start_preparer(self) -> None:
        try:
            self._preparer = Preparer()
        except OSError as exc:  # only a cost: the commit prepares every record itself
            log.warning("cannot start the record helper: %s", exc)

    def _finish_preparer(self) -> dict[str, Prepared]:
        preparer, self._preparer = self._preparer, None
        return preparer.finish() if preparer is not None else {}

    def close(self) -> None:
        """Stop the record helper if a failed run left it running."""
        preparer, self._preparer = self._preparer, None
        if preparer is not None:
            preparer.close()

    def _connections(self) -> int:
        """How many connections the next batch uses, from the requests made so far in this run.

        Connections hide network latency, but each request also costs this process CPU (mostly in
        the HTTP client), and with the GIL more threads than that needs only contend for it. So a
        batch uses about as many connections as a request's wall time is a multiple of its CPU
        time: 2 for a server on the same machine or a quiet LAN (a request is mostly our own CPU;
        measured on loopback, 8 connections were ~25% slower than 2), up to `max_connections` for
        a server 5-50 ms away, where a request mostly waits on the network. Threads that wait for
        each other's CPU also stretch wall time (to about n times the CPU time with n threads and
        no latency at all), so the ratio is rounded rather than rounded up, to stay put then.
        """
        with self._lock:
            walls = sorted(self._timed_wall)
            cpus = sorted(self._timed_cpu)
        if not walls:
            return self.max_connections
        wall, cpu = walls[len(walls) // 2], cpus[len(cpus) // 2]
        wanted = round(wall / max(cpu, 1e-6))
        return max(min(2, self.max_connections), min(self.max_connections, wanted))

    def _wait_all(self, futures: Sequence[Future[Any]]) -> None:
        """Wait for all; on the first failure stop the rest and raise it."""
        done, pending = wait(futures, return_when=FIRST_EXCEPTION)
        if not any(f.exception() is not None for f in done):
            return
        self._abort.set()
        for future in pending:
            future.cancel()
        wait(pending)
        errors = [e for f in futures if not f.cancelled() and (e := f.exception()) is not None]
        raise next((e for e in errors if not isinstance(e, _AbandonedError)), errors[0])

    def _check_stop(self, where: str) -> None:
        if self._stop is not None and self._stop.is_set():
            raise SyncStoppedError(f"stopped {where}: the program is shutting down")

    def _download(self, item: _Wanted) -> bytes:
        self._check_stop("while downloading")
        if self._abort.is_set():
            raise _AbandonedError("sync abandoned after another object failed")
        try:
            fetched = self._timed(object_path(item.sha256), max_bytes=item.size)
        except OversizedError as exc:
            raise FeedRejectedError(
                f"object {item.sha256[:12]} size mismatch (more than the {item.size} bytes declared)"
            ) from exc
        return fetched.body or b""

    def _timed(self, path: str, *, max_bytes: int, validators: Validators | None = None) -> Fetched:
        """Fetch, keeping the wall and CPU time of the run's first requests for `_connections`."""
        if len(self._timed_wall) >= _TIMING_SAMPLES:  # enough: a thread's CPU clock is a system call
            return self.source.fetch(path, max_bytes=max_bytes, validators=validators)
        wall, cpu = time.perf_counter(), time.thread_time()
        fetched = self.source.fetch(path, max_bytes=max_bytes, validators=validators)
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        with self._lock:
            if len(self._timed_wall) < _TIMING_SAMPLES:
                self._timed_wall.append(wall)
                self._timed_cpu.append(cpu)
        return fetched

    def _store_object(self, item: _Wanted, data: bytes, keep: bool) -> None:
        # Verifies size and hash before storing; shards and records (kept for parsing) are rows.
        self.store.objects.put(item.sha256, item.size, data, blob=not keep)
        with self._lock:
            self.fetched_objects += 1
            if keep:
                self._fresh[item.sha256] = data
            preparer = self._preparer
        listed = self._listed.get(item.sha256)
        if preparer is not None and listed is not None:
            preparer.submit(item.sha256, *listed, data)
        self._progress.advance()

    def _fetch_one(self, item: _Wanted, *, keep: bool) -> bytes:
        data = self._download(item)
        self._store_object(item, data, keep)
        return data
