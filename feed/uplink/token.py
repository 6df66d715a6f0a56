"""Reading a device's token file (written by the operator from `hall-centre devices add`)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from feed.errors import ConfigError

MAX_TOKEN_BYTES = 512


def read_token(path: Path) -> str:
    """The token in `path` (one line); ConfigError saying what is wrong with the file otherwise.

    Read at every delivery, so a rotated token takes effect without a restart.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the centre token file ({exc.strerror or exc})") from exc
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise ConfigError(f"{path}: the centre token file is not a regular file")
        raw = handle.read(MAX_TOKEN_BYTES + 1)
    if len(raw) > MAX_TOKEN_BYTES:
        raise ConfigError(f"{path}: the centre token file is larger than a token")
    try:
        token = raw.decode("ascii").strip()
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the centre token file is not plain ASCII text") from None
    if not token or any(ch.isspace() for ch in token):
        raise ConfigError(f"{path}: the centre token file must hold exactly one token on one line")
    return token
