"""Row values and search entries for records, computed in a helper process while a sync downloads.

A full sync spends seconds of CPU on index entries (pinyin, character tokens) after the last object
arrives, while during the download this process is busy in the HTTP client and the machine's other
CPU mostly waits. The engine therefore sends each record's verified bytes to this helper as they
arrive and gets back `Prepared` values, so the commit is left with the SQL. The helper computes the
same values from the same bytes with the same code; anything it does not return is computed in the
engine's process as before, so a helper that fails only costs time.

Protocol on stdin/stdout: frames of an 8-byte big-endian length and a pickle (pickles come only from
the parent and this child). Requests are lists of (sha256, record bytes); replies are lists of
(sha256, Prepared). The helper exits at end of input.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from typing import BinaryIO

_LENGTH = 8


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
    from feed.schema import parse_record
    from feed.store.snapshot import Prepared

    # Only spare CPU is wanted: the sync's downloads (and a server on the same machine) come first.
    with contextlib.suppress(OSError, AttributeError):
        os.nice(19)
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while (batch := read_frame(source)) is not None:
        assert isinstance(batch, list)
        replies = []
        for sha256, data in batch:
            try:
                replies.append((sha256, Prepared(sha256, parse_record(data))))
            except Exception:  # the engine rejects bad records itself; skip them here
                continue
        write_frame(sink, replies)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
