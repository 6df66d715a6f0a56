"""Device tokens: random secrets shown once, stored only as a hash.

A token is 32 random bytes in URL-safe base64 behind a `hk1_` prefix (so a leaked one is easy to
recognise in a log or a repository scan). Being random and long, it needs no slow password hash: the
centre stores its SHA-256 and looks a request's token up by that hash.
"""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "hk1_"
TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 200


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """SHA-256 (hex) of a token as presented; what the devices table keeps."""
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


def plausible(token: str) -> bool:
    """A cheap shape check before any lookup (the lookup decides)."""
    return token.startswith(PREFIX) and len(token) <= MAX_TOKEN_LENGTH and token.isascii()
