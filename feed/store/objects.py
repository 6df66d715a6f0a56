"""The object cache: verified, content-addressed objects.

Shards and records (many, small, read back only by the sync engine) are rows of CACHE/objects.db
(`feed.store.objectdb`); blobs (images, forms the apps open) are files under CACHE/objects/ab/<sha256>.
Bytes are checked against their expected size and SHA-256 before they are stored. A blob is written to
a temporary file that is renamed into place, so a running program never sees a partial one.

Blob files are not fsynced one by one. Instead:
- before the first write that is not yet durable, a marker file is made durable;
- `flush()` commits buffered rows, makes every file written durable with one `os.sync()` and removes
  the marker; the sync engine calls it before committing the snapshot that refers to the objects, and
  after a failed run;
- `recover()`, run before a sync uses the cache, finds the marker only if a process died between the
  two (a crash or a power cut, when a file may be torn or empty under its final name), and then
  deletes every blob file whose bytes no longer match its name, so it is fetched again.
Readers re-hash what they read in any case (`verified_path`, the engine's re-read of held records);
a blob a reader finds damaged is removed, and each sync fetches again whatever the snapshot lacks
(see feed.sync.object_check). Only regular files are read.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Iterable
from pathlib import Path

from feed.disk.atomic import write_atomic
from feed.disk.files import read_regular, sha256_of_file
from feed.errors import FeedError, FeedRejectedError
from feed.format.canonical import sha256_hex
from feed.format.layout import OBJECTS_DIR
from feed.store.objectdb import ObjectDb

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_FILE_BYTES = 1 << 31  # far above any blob limit; a bound on what a read of the cache may take
UNSYNCED_MARKER = ".unsynced"


class ObjectCache:
    def __init__(self, cache_dir: Path) -> None:
        self.root = cache_dir / OBJECTS_DIR
        self._marker = self.root / UNSYNCED_MARKER
        self._lock = threading.Lock()
        self._unsynced = False
        self._made_dirs: set[str] = set()
        self.rows = ObjectDb(cache_dir)

    def path(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise FeedError(f"not a SHA-256 object name: {sha256[:70]!r}")
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.rows.has(sha256) or self.path(sha256).is_file()  # rows first: most objects are rows

    def missing(self, names: Iterable[str]) -> list[str]:
        """The names among `names` not held, rows or files, checked with one query for all rows."""
        rows = self.rows.held()
        return [name for name in dict.fromkeys(names) if name not in rows and not self.has_file(name)]

    def has_file(self, sha256: str) -> bool:
        """True when the object is held as a file (a blob), whatever its bytes."""
        if not _SHA256.match(sha256):
            raise FeedError(f"not a SHA-256 object name: {sha256[:70]!r}")
        return os.path.isfile(os.path.join(self.root, sha256[:2], sha256))

    def read_many(self, names: Iterable[str]) -> dict[str, bytes]:
        """The bytes of every object held among `names` (rows in bulk, then files); absent ones are
        left out. Not verified: the caller re-hashes what it uses."""
        wanted = list(dict.fromkeys(names))
        found = self.rows.get_many(wanted)
        for name in wanted:
            if name not in found:
                with contextlib.suppress(FileNotFoundError, FeedError):
                    found[name] = self.read(name)
        return found

    def read(self, sha256: str) -> bytes:
        data = self.rows.get(self.path(sha256).name)
        if data is not None:
            return data
        try:
            return read_regular(self.path(sha256), MAX_FILE_BYTES)
        except FileNotFoundError as exc:
            raise FeedError(f"object {sha256[:12]} is not in the cache") from exc
        except OSError as exc:  # not a regular file, too large: as good as missing
            raise FeedError(f"object {sha256[:12]} in the cache is unusable ({exc.strerror})") from exc

    def put(self, sha256: str, size: int, data: bytes, *, blob: bool) -> None:
        """Verify `data` against `size` and `sha256`, then store it: a blob as a file, anything else
        as a row. Durable only after `flush()`."""
        if not _SHA256.match(sha256):
            raise FeedError(f"not a SHA-256 object name: {sha256[:70]!r}")
        if len(data) != size:
            raise FeedRejectedError(f"object {sha256[:12]} size mismatch: expected {size}, got {len(data)}")
        if sha256_hex(data) != sha256:
            raise FeedRejectedError(f"object {sha256[:12]} hash mismatch")
        if not blob:
            self.rows.add(sha256, data)
            return
        target = self.path(sha256)
        if not target.is_file():
            self._mark_unsynced()
            self._write(target, data)

    def discard(self, sha256: str) -> None:
        """Forget a damaged object, wherever it is kept."""
        self.rows.discard(sha256)
        self.path(sha256).unlink(missing_ok=True)

    def _write(self, target: Path, data: bytes) -> None:
        prefix = target.parent.name
        if prefix not in self._made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made_dirs.add(prefix)
        # One writer per name at a time (the engine fetches each object once), so a fixed temporary
        # name per thread is enough; leftovers of a killed process end in .tmp and are collected by gc.
        tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            with open(tmp, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def _mark_unsynced(self) -> None:
        with self._lock:
            if not self._unsynced:
                write_atomic(self._marker, b"objects written since the last flush\n")
                self._unsynced = True

    def flush(self) -> None:
        """Make every object stored through this cache durable, then drop the marker."""
        self.rows.flush()
        with self._lock:
            if not self._unsynced:
                return
            os.sync()  # one barrier for all files and directory entries, instead of one fsync per object
            self._marker.unlink(missing_ok=True)
            self._unsynced = False

    def recover(self) -> int:
        """After an unclean stop, delete blob files whose bytes do not match their name; returns how many."""
        if not self._marker.exists():
            return 0
        removed = 0
        for name in list(self._file_names()):
            if not self.file_intact(name):
                (self.root / name[:2] / name).unlink(missing_ok=True)
                removed += 1
        with self._lock:
            os.sync()  # what was kept is now durable too
            self._marker.unlink(missing_ok=True)
        return removed

    def file_intact(self, sha256: str) -> bool:
        """True when the object's file is a regular file whose bytes hash to its name."""
        try:
            return sha256_of_file(self.root / sha256[:2] / sha256) == sha256
        except OSError:
            return False

    def verified_path(self, sha256: str, *, discard_bad: bool = False) -> Path | None:
        """The object's file if present and its bytes still hash to its name (a blob shown to a citizen).

        With `discard_bad`, a file that does not (damaged, or not a regular file) is removed, so the
        next sync finds it missing and fetches it again."""
        if not _SHA256.match(sha256):
            return None
        target = self.root / sha256[:2] / sha256
        try:
            before = os.stat(target)
        except OSError:
            return None
        if self.file_intact(sha256):
            return target
        if discard_bad:
            self._discard_file(target, before)
        return None

    @staticmethod
    def _discard_file(target: Path, seen: os.stat_result) -> None:
        """Remove `target` if it is still the file that was found bad (a sync may have just put a
        good one in its place)."""
        try:
            now = os.stat(target)
            if (now.st_ino, now.st_mtime_ns) == (seen.st_ino, seen.st_mtime_ns):
                target.unlink()
        except OSError:
            pass  # read-only, or already gone: the sync's own check finds it either way

    def names(self) -> Iterable[str]:
        """Every object held, rows and files."""
        yield from dict.fromkeys([*self.rows.names(), *self._file_names()])

    def _file_names(self) -> Iterable[str]:
        if not self.root.is_dir():
            return
        for path in self.root.glob("*/*"):
            if _SHA256.match(path.name) and path.is_file():
                yield path.name

    def close(self) -> None:
        self.rows.close()

    def gc(self, keep: Iterable[str]) -> int:
        """Delete every object not in `keep` (and stray temp files); returns how many objects went."""
        wanted = set(keep)
        removed = self.rows.gc(wanted)
        if not self.root.is_dir():
            return 0
        for path in self.root.glob("*/*"):
            if not path.is_file():
                continue
            if _SHA256.match(path.name):
                if path.name in wanted:
                    continue
                removed += 1
            elif not path.name.endswith(".tmp"):
                continue
            path.unlink(missing_ok=True)
        return removed
