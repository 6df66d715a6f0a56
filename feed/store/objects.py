"""The object cache: verified, content-addressed files under CACHE/objects/ab/<sha256>.

Bytes are checked against their expected size and SHA-256 before they are written, and written
atomically, so a file that exists under a name always holds exactly the bytes that name promises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from feed.atomic import write_atomic
from feed.errors import FeedError, FeedRejectedError
from feed.format.canonical import sha256_hex
from feed.format.layout import OBJECTS_DIR

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ObjectCache:
    def __init__(self, cache_dir: Path) -> None:
        self.root = cache_dir / OBJECTS_DIR

    def path(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise FeedError(f"not a SHA-256 object name: {sha256[:70]!r}")
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def read(self, sha256: str) -> bytes:
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError as exc:
            raise FeedError(f"object {sha256[:12]} is not in the cache") from exc

    def put(self, sha256: str, size: int, data: bytes) -> Path:
        """Verify `data` against `size` and `sha256`, then store it; returns the object's path."""
        target = self.path(sha256)
        if len(data) != size:
            raise FeedRejectedError(f"object {sha256[:12]} size mismatch: expected {size}, got {len(data)}")
        if sha256_hex(data) != sha256:
            raise FeedRejectedError(f"object {sha256[:12]} hash mismatch")
        if not target.is_file():
            write_atomic(target, data)
        return target

    def verified_path(self, sha256: str) -> Path | None:
        """The object's file if present and its bytes still hash to its name (a blob shown to a citizen)."""
        if not _SHA256.match(sha256):
            return None
        target = self.root / sha256[:2] / sha256
        try:
            data = target.read_bytes()
        except OSError:
            return None
        return target if sha256_hex(data) == sha256 else None

    def names(self) -> Iterable[str]:
        if not self.root.is_dir():
            return
        for path in self.root.glob("*/*"):
            if _SHA256.match(path.name) and path.is_file():
                yield path.name

    def gc(self, keep: Iterable[str]) -> int:
        """Delete every object not in `keep` (and stray temp files); returns how many objects went."""
        wanted = set(keep)
        removed = 0
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
