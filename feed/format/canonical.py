"""Canonical JSON: the exact bytes that are hashed and signed.

Sorted keys, no insignificant whitespace, UTF-8 without escaping non-ASCII, no floats in signed data.
Any publisher that emits the same bytes for the same value interoperates with this client.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_bytes(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
