"""The hidden way in for staff: a corner tap pattern, then a PIN checked against a salted hash.

The PIN is stored as `pbkdf2_sha256$ITERATIONS$SALT_B64$HASH_B64` (PBKDF2-HMAC-SHA256). Make one with
`python -m kiosk.logic.admin hash-pin` (the PIN is read from stdin) and put it in `[kiosk] admin_pin_hash`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

ALGORITHM = "pbkdf2_sha256"
DEFAULT_ITERATIONS = 310_000
MIN_ITERATIONS = 10_000
MAX_ITERATIONS = 10_000_000
SALT_BYTES = 16
PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 12

Corner = Literal["top-left", "top-right", "bottom-left", "bottom-right"]
Clock = Callable[[], float]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_pin(pin: str, salt: bytes | None = None, iterations: int = DEFAULT_ITERATIONS) -> str:
    """Hash a PIN of digits for the config file. A random salt is drawn when none is given."""
    raise NotImplementedError


def is_pin_hash(stored: str) -> bool:
    """Whether `stored` is a well-formed hash string (used to validate the config)."""
    raise NotImplementedError


def verify_pin(pin: str, stored: str) -> bool:
    """Constant-time check of `pin` against a stored hash; a malformed hash never matches."""
    raise NotImplementedError


@dataclass(frozen=True)
class PinCheck:
    outcome: Literal["ok", "wrong", "locked"]
    retry_after_s: float = 0.0


class PinGate:
    """Counts wrong PINs and locks entry for a while after too many, so guessing is slow."""

    def __init__(
        self,
        stored_hash: str | None,
        *,
        max_failures: int = 5,
        lockout_s: float = 300.0,
        now: Clock = time.monotonic,
    ) -> None:
        raise NotImplementedError

    @property
    def required(self) -> bool:
        """False when no PIN is configured (demo mode): the tap pattern alone opens the admin screen."""
        raise NotImplementedError

    def check(self, pin: str) -> PinCheck:
        raise NotImplementedError


class TapPatternDetector:
    """Recognises a sequence of taps in screen corners done within `window_s` seconds.

    Feed every touch-down with `tap(x, y, window_size)`. Coordinates follow Kivy: the origin is the
    bottom-left corner and y grows upwards. A tap outside the corners, or too late, breaks the
    sequence (a tap that fits the pattern's start begins a new attempt).
    """

    def __init__(
        self,
        pattern: Sequence[Corner],
        window_s: float = 6.0,
        corner_fraction: float = 0.12,
        now: Clock = time.monotonic,
    ) -> None:
        raise NotImplementedError

    def corner_of(self, x: float, y: float, window_size: tuple[float, float]) -> Corner | None:
        """Which corner square (side = corner_fraction × the shorter window side) holds the point."""
        raise NotImplementedError

    def tap(self, x: float, y: float, window_size: tuple[float, float]) -> bool:
        """Record a tap; True exactly when it completes the pattern (the detector then resets)."""
        raise NotImplementedError

    def reset(self) -> None:
        raise NotImplementedError


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m kiosk.logic.admin hash-pin`: read a PIN from stdin, print its hash."""
    raise NotImplementedError


if __name__ == "__main__":
    sys.exit(main())
