"""Media files referenced from authoring YAML: where they may live, what type they are, how big."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from feed.disk.files import NotRegularFileError, open_binary
from feed.format.canonical import sha256_hex

# Media types by suffix. Fixed here rather than taken from the system's mime database, so the same
# source builds the same feed on every machine. SVG is left out on purpose: it can carry scripts.
MEDIA_TYPES: dict[str, str] = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".ofd": "application/ofd",
    ".txt": "text/plain",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class MediaError(Exception):
    """A media reference cannot be used; the message says why."""


@dataclass(frozen=True)
class Media:
    sha256: str
    size: int
    media_type: str
    data: bytes

    def blob_ref(self) -> dict[str, object]:
        return {"sha256": self.sha256, "size": self.size, "media_type": self.media_type}


class MediaReader:
    """Reads media files under one source root, each once, refusing anything outside it."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self._real_root = root.resolve()
        self.max_bytes = max_bytes
        self._read: dict[Path, Media] = {}

    def read(self, reference: str) -> Media:
        relative = PurePosixPath(reference)
        if not reference or relative.is_absolute() or "\\" in reference:
            raise MediaError(f"media path {reference!r} must be relative to the source directory")
        if ".." in relative.parts:
            raise MediaError(f"media path {reference!r} must not leave the source directory")
        media_type = MEDIA_TYPES.get(relative.suffix.lower())
        if media_type is None:
            known = ", ".join(sorted(MEDIA_TYPES))
            raise MediaError(f"media path {reference!r}: unknown file type (known suffixes: {known})")
        real = (self.root / relative).resolve()
        if not real.is_relative_to(self._real_root):
            raise MediaError(f"media path {reference!r} points outside the source directory")
        if real in self._read:
            return self._read[real]
        try:
            with open_binary(real) as handle:
                data = handle.read(self.max_bytes + 1)
        except FileNotFoundError as exc:
            raise MediaError(f"media file {reference!r} does not exist") from exc
        except NotRegularFileError as exc:  # a directory, a FIFO (never waited on), a device
            raise MediaError(f"media path {reference!r} {exc.strerror}") from exc
        except OSError as exc:
            raise MediaError(f"media file {reference!r} cannot be read: {exc.strerror}") from exc
        if len(data) > self.max_bytes:
            raise MediaError(f"media file {reference!r} is larger than the {self.max_bytes} byte limit")
        media = Media(sha256=sha256_hex(data), size=len(data), media_type=media_type, data=data)
        self._read[real] = media
        return media

    def blobs(self) -> dict[str, bytes]:
        return {media.sha256: media.data for media in self._read.values()}
