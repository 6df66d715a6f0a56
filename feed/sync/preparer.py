"""The engine's side of feed.store.prepare_worker: records go out as they arrive, checked records
and their values come back.

Fetch threads never wait on the helper: `submit` only appends to a batch, and one writer thread and
one reader thread move frames through the pipes. Every failure (no helper, a dead helper, a slow
one) ends in fewer prepared values, never in an error: the commit prepares the rest itself.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import subprocess
import sys
import threading
from typing import BinaryIO

from feed.store.prepare_worker import Request, read_frame, write_frame
from feed.store.snapshot import Prepared

log = logging.getLogger(__name__)

BATCH = 128  # records per frame: few frames, yet the helper starts before the last download
RESULT_WAIT = 60.0  # seconds to wait for the last replies after the downloads are done


class Preparer:
    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "feed.store.prepare_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self._batch: list[Request] = []
        self._lock = threading.Lock()
        self._outbox: queue.SimpleQueue[list[Request] | None] = queue.SimpleQueue()
        self.results: dict[str, Prepared] = {}
        assert self._process.stdin is not None and self._process.stdout is not None
        self._writer = threading.Thread(
            target=self._write, args=(self._process.stdin,), name="feed-prepare-out", daemon=True
        )
        self._reader = threading.Thread(
            target=self._read, args=(self._process.stdout,), name="feed-prepare-in", daemon=True
        )
        self._writer.start()
        self._reader.start()

    def submit(self, sha256: str, kind: str, record_id: str, data: bytes) -> None:
        """Queue one record's bytes, verified against `sha256`, listed as `kind` `record_id`."""
        with self._lock:
            self._batch.append((sha256, kind, record_id, data))
            if len(self._batch) < BATCH:
                return
            batch, self._batch = self._batch, []
        self._outbox.put(batch)

    def _write(self, stream: BinaryIO) -> None:
        try:
            while (batch := self._outbox.get()) is not None:
                write_frame(stream, batch)
        except (OSError, ValueError) as exc:  # the helper died: the commit prepares the rest
            log.debug("record helper stopped taking input: %s", exc)
        finally:
            with contextlib.suppress(OSError):
                stream.close()

    def _read(self, stream: BinaryIO) -> None:
        try:
            while (replies := read_frame(stream)) is not None:
                assert isinstance(replies, list)
                self.results.update(replies)
        except Exception as exc:  # whatever went wrong, the commit prepares the rest
            log.debug("record helper reply unreadable: %s", exc)

    def finish(self) -> dict[str, Prepared]:
        """Send what is left, wait (bounded) for the replies and stop the helper."""
        with self._lock:
            batch, self._batch = self._batch, []
        if batch:
            self._outbox.put(batch)
        self._outbox.put(None)
        self._reader.join(RESULT_WAIT)
        self.close()
        return dict(self.results) if not self._reader.is_alive() else {}

    def close(self) -> None:
        """Stop the helper now (after a failed run, or once its replies are in)."""
        self._outbox.put(None)
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
