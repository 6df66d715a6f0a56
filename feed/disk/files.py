"""Reading files that someone else may have put there: only regular files, never blocking on open.

Opening a FIFO for reading waits for a writer, for ever; reading a character device (a `/dev/zero`
symlink) never ends. A feed on a USB stick, a file in the cache or a key named on a command line can
be any of those, so files are opened with O_NONBLOCK (a FIFO then opens at once) and refused unless
fstat says they are regular files, before a single byte is read.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
from pathlib import Path

_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a directory",
}


class NotRegularFileError(OSError):
    """The path is a FIFO, a device, a socket or a directory (`strerror` says which)."""


class FileTooLargeError(OSError):
    """The file holds more bytes than the caller's bound."""


def open_regular(path: Path | str) -> int:
    """A file descriptor for reading `path`, which must be a regular file (symlinks are followed).

    Raises NotRegularFileError for anything else, OSError when it cannot be opened."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
            raise NotRegularFileError(errno.EINVAL, f"is {kind}, not a regular file", str(path))
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_binary(path: Path | str) -> io.BufferedReader:
    """`open(path, "rb")` for a regular file only (see `open_regular`)."""
    return os.fdopen(open_regular(path), "rb")


def read_regular(path: Path | str, max_bytes: int) -> bytes:
    """The whole of the regular file `path`; FileTooLargeError past `max_bytes` (checked before
    reading from its size, and again while reading in case it grows)."""
    with open_binary(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise FileTooLargeError(errno.EFBIG, f"too large ({size} bytes, limit {max_bytes})", str(path))
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileTooLargeError(errno.EFBIG, f"too large (more than {max_bytes} bytes)", str(path))
    return data


def sha256_of_file(path: Path | str) -> str:
    """SHA-256 (hex) of the regular file `path`, read in chunks: memory stays flat whatever its size."""
    with open_binary(path) as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
