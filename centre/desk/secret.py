"""The secret that signs the desk's session cookies: one file, created once, shared by all workers."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from feed import ConfigError

SECRET_BYTES = 32
MIN_SECRET_CHARS = 32


def session_secret(path: Path) -> str:
    """The secret in `path`, creating the file (mode 0600, atomically) when it does not exist yet.
    ConfigError when it cannot be read or created, or holds too short a secret."""
    if not path.exists():
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                handle.write(secrets.token_urlsafe(SECRET_BYTES) + "\n")
            with contextlib.suppress(FileExistsError):  # another worker was first: use its secret
                os.link(temporary, path)
        except OSError as exc:
            raise ConfigError(f"{path}: cannot create the session secret: {exc.strerror}") from None
        finally:
            with contextlib.suppress(OSError):
                temporary.unlink()
    try:
        secret = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the session secret: {exc}") from None
    if len(secret) < MIN_SECRET_CHARS:
        raise ConfigError(f"{path}: the session secret is shorter than {MIN_SECRET_CHARS} characters")
    return secret
