"""Decoding JSON from the feed strictly, so every reader gets the same value from the same bytes.

Refused, each with a one-line reason: bytes that are not UTF-8 (a byte order mark included), a
member name twice in one object (parsers disagree on which one wins, and the signature covers the
decoded value), `NaN`, `Infinity` and numbers too large for a double (none of them is JSON), lone
surrogate escapes such as `\\ud800` (no character; they cannot be written as UTF-8), integers of more
than 4,300 digits and nesting too deep to decode (both are Python's own bounds).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class StrictJsonError(ValueError):
    """The bytes are not JSON this protocol accepts; the message says why in one line."""


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    members = dict(pairs)
    if len(members) != len(pairs):
        seen: set[str] = set()
        for name, _ in pairs:
            if name in seen:
                raise StrictJsonError(f"member {name[:40]!r} appears twice in one object")
            seen.add(name)
    return members


def _no_constant(name: str) -> Any:
    raise StrictJsonError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise StrictJsonError(f"number {text[:40]} is too large")
    return value


def decode_json(raw: bytes) -> Any:
    """The value of `raw`; raises StrictJsonError."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StrictJsonError(f"not UTF-8 (byte {exc.start})") from exc
    if text.startswith("\ufeff"):
        raise StrictJsonError("starts with a byte order mark")
    try:
        value = json.loads(
            text, object_pairs_hook=_unique_members, parse_constant=_no_constant, parse_float=_finite
        )
    except StrictJsonError:
        raise
    except RecursionError as exc:
        raise StrictJsonError("nested too deeply") from exc
    except ValueError as exc:  # JSONDecodeError, and int() past its digit limit
        raise StrictJsonError(str(exc).splitlines()[0][:120]) from exc
    if _SURROGATE_ESCAPE.search(raw):  # rare: only then is the whole value re-encoded to find out
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise StrictJsonError("a string holds a lone surrogate escape (\\ud800–\\udfff)") from exc
    return value
