"""Atomic file writes: write a temporary file beside the target, fsync, then rename over it.

A reader (or a crash) sees either the old file or the new one, never a torn one. The file gets the
mode a plain `open()` would give it (0666 less the umask), so a feed written for a web server stays
readable by the server's own user; a secret asks for `mode=0o600` and is never readable by others,
not even for a moment.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

PUBLIC_MODE = 0o666  # the kernel takes the umask off, as for any file a normal tool creates
PRIVATE_MODE = 0o600
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def write_atomic(path: Path, data: bytes, *, durable: bool = True, mode: int = PUBLIC_MODE) -> None:
    """Replace `path` with `data` in one step.

    `mode` is passed to `open(2)`, so the umask applies (0666 → 0644 under the usual umask 022).
    `durable` also fsyncs the file and its directory. Raises OSError; nothing is left behind then.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # tempfile.mkstemp would create the file 0600 whatever the umask: name it ourselves instead.
    tmp_path = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp_path, _CREATE_FLAGS, mode)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            if durable:
                tmp.flush()
                os.fsync(tmp.fileno())
        os.replace(tmp_path, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_path)
        raise
    if durable:
        fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    """Make a rename in `directory` durable (POSIX needs the directory entry flushed too)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
