"""Reading a feed from a directory: a mounted USB stick or share carried into an air-gapped hall.

The same bounds apply as over HTTP; a directory has no validators, so "unchanged" is decided by the
engine comparing the manifest's hash with the one held.
"""

from __future__ import annotations

import os
from pathlib import Path

from feed.errors import SourceError
from feed.sync.transport import Fetched, OversizedError, TransferStats, Validators, describe_path


class DirSource:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.stats = TransferStats()

    def describe(self) -> str:
        return str(self.root)

    def close(self) -> None:
        pass

    def fetch(self, path: str, *, max_bytes: int, validators: Validators | None = None) -> Fetched:
        label = describe_path(path)
        target = self.root / path
        self.stats.count_request()
        try:
            with open(target, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size > max_bytes:
                    raise OversizedError(f"{label}: too large ({size} bytes, limit {max_bytes})")
                body = handle.read(max_bytes + 1)
        except FileNotFoundError as exc:
            raise SourceError(f"{label}: not found in {self.root}") from exc
        except IsADirectoryError as exc:
            raise SourceError(f"{label}: is a directory in {self.root}") from exc
        except OSError as exc:
            raise SourceError(f"{label}: cannot read ({exc.strerror or exc})") from exc
        self.stats.count_bytes(len(body))
        if len(body) > max_bytes:  # the file grew while we read it
            raise OversizedError(f"{label}: too large (more than {max_bytes} bytes)")
        return Fetched(body)
