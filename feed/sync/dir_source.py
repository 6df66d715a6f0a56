"""Reading a feed from a directory: a mounted USB stick or share carried into an air-gapped hall.

The same bounds apply as over HTTP; a directory has no validators, so "unchanged" is decided by the
engine comparing the manifest's hash with the one held. Only regular files are read, and opening
never blocks (a FIFO in place of a file would otherwise hold the sync, and its lock, for ever).
"""

from __future__ import annotations

from pathlib import Path

from feed.disk.files import FileTooLargeError, NotRegularFileError, read_regular
from feed.errors import SourceError
from feed.sync.transport import Fetched, OversizedError, TransferStats, Validators, describe_path


class DirSource:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.stats = TransferStats()

    def close(self) -> None:
        pass

    def fetch(self, path: str, *, max_bytes: int, validators: Validators | None = None) -> Fetched:
        label = describe_path(path)
        target = self.root / path
        self.stats.count_request()
        try:
            body = read_regular(target, max_bytes)
        except FileTooLargeError as exc:
            raise OversizedError(f"{label}: {exc.strerror}") from exc
        except FileNotFoundError as exc:
            raise SourceError(f"{label}: not found in {self.root}") from exc
        except (NotRegularFileError, IsADirectoryError) as exc:
            raise SourceError(f"{label} in {self.root} {exc.strerror}") from exc
        except OSError as exc:
            raise SourceError(f"{label}: cannot read ({exc.strerror or exc})") from exc
        self.stats.count_bytes(len(body))
        return Fetched(body)
