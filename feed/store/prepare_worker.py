"""Records checked, and their row values and search entries computed, in a helper process while a
sync downloads.

A full sync spends seconds of CPU checking records (strict JSON, the schema) and on index entries
(pinyin, character tokens), while during the download the engine's process is busy in the HTTP
client and the machine's other CPU mostly waits. The engine therefore sends each record's bytes,
verified against their hash, to this helper as they arrive and gets back `Prepared` values holding
the checked record, so after the last download it is left with the SQL. The helper runs the same
check (`check_record`) and computes the same values from the same bytes with the same code; a record
it does not return (it failed its check, or the helper failed) is checked and prepared in the
engine's process as before, which reports the failure, so a helper that fails only costs time.

Protocol on stdin/stdout: frames of an 8-byte big-endian length and a pickle (pickles come only from
the parent and this child). Requests are lists of (sha256, kind, id, record bytes): the record as
its shard lists it; replies are lists of (sha256, Prepared). The helper exits at end of input.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from typing import BinaryIO

_LENGTH = 8
Request = tuple[str, str, str, bytes]  # sha256, kind, id, record bytes
HELPER_NICENESS = 10


def write_frame(stream: BinaryIO, value: object) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(payload).to_bytes(_LENGTH, "big") + payload)
    stream.flush()


def read_frame(stream: BinaryIO) -> object | None:
    """The next value, or None at end of input."""
    header = stream.read(_LENGTH)
    if len(header) < _LENGTH:
        return None
    size = int.from_bytes(header, "big")
    payload = stream.read(size)
    if len(payload) < size:
        return None
    value: object = pickle.loads(payload)
    return value


def main() -> int:
    from feed.format.manifest import ShardEntry
    from feed.format.validation import check_record
    from feed.store.snapshot import Prepared

    # Below the apps and the sync's downloads, yet not idle-only: the sync waits for these checks
    # before it can list the blobs, and at nice 19 a busy machine left the helper so little CPU
    # that the sync waited ~2 s for it (measured at load 3 on 2 cores; 0.15 s at nice 10).
    with contextlib.suppress(OSError, AttributeError):
        os.nice(HELPER_NICENESS)
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while (batch := read_frame(source)) is not None:
        assert isinstance(batch, list)
        replies = []
        for sha256, kind, record_id, data in batch:
            try:
                entry = ShardEntry(id=record_id, sha256=sha256, size=len(data))
                replies.append((sha256, Prepared(sha256, check_record(kind, entry, data))))
            except Exception:  # the engine checks what is not returned, and reports why it fails
                continue
        write_frame(sink, replies)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
