"""The hidden way in for staff: a corner tap pattern, then a PIN checked against a salted hash.

The PIN is stored as `pbkdf2_sha256$ITERATIONS$SALT_B64$HASH_B64` (PBKDF2-HMAC-SHA256). Make one with
`python -m kiosk.logic.admin hash-pin` (the PIN is read from stdin) and put it in `[kiosk] admin_pin_hash`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import sys
import time
from collections import deque
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


def _derive(pin: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations)


def _check_pin_shape(pin: str) -> None:
    if not (pin.isascii() and pin.isdigit() and PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS):
        raise ValueError(f"a PIN is {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits")


def hash_pin(pin: str, salt: bytes | None = None, iterations: int = DEFAULT_ITERATIONS) -> str:
    """Hash a PIN of digits for the config file. A random salt is drawn when none is given."""
    _check_pin_shape(pin)
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        raise ValueError(f"iterations must be {MIN_ITERATIONS}..{MAX_ITERATIONS}")
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    if len(salt) < 8:
        raise ValueError("salt must be at least 8 bytes")
    return f"{ALGORITHM}${iterations}${_b64(salt)}${_b64(_derive(pin, salt, iterations))}"


def _parse(stored: str) -> tuple[int, bytes, bytes] | None:
    parts = stored.split("$")
    if len(parts) != 4 or parts[0] != ALGORITHM or not parts[1].isascii() or not parts[1].isdigit():
        return None
    iterations = int(parts[1])
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        return None
    try:
        salt = base64.b64decode(parts[2], validate=True)
        digest = base64.b64decode(parts[3], validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(salt) < 8 or len(digest) != 32:
        return None
    return iterations, salt, digest


def is_pin_hash(stored: str) -> bool:
    """Whether `stored` is a well-formed hash string (used to validate the config)."""
    return _parse(stored) is not None


def verify_pin(pin: str, stored: str) -> bool:
    """Constant-time check of `pin` against a stored hash; a malformed hash never matches."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    iterations, salt, digest = parsed
    # Derive even for a badly shaped PIN, so timing does not tell shapes apart.
    candidate = _derive(pin, salt, iterations)
    return hmac.compare_digest(candidate, digest)


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
        self._stored = stored_hash
        self._max_failures = max_failures
        self._lockout_s = lockout_s
        self._now = now
        self._failures = 0
        self._locked_until: float | None = None

    @property
    def required(self) -> bool:
        """False when no PIN is configured (demo mode): the tap pattern alone opens the admin screen."""
        return self._stored is not None

    def check(self, pin: str) -> PinCheck:
        if self._stored is None:
            return PinCheck("ok")
        now = self._now()
        if self._locked_until is not None:
            if now < self._locked_until:
                return PinCheck("locked", self._locked_until - now)
            self._locked_until = None
            self._failures = 0
        if verify_pin(pin, self._stored):
            self._failures = 0
            return PinCheck("ok")
        self._failures += 1
        if self._failures >= self._max_failures:
            self._locked_until = now + self._lockout_s
            return PinCheck("locked", self._lockout_s)
        return PinCheck("wrong")


class TapPatternDetector:
    """Recognises a sequence of taps in screen corners done within `window_s` seconds.

    Feed every touch-down with `tap(x, y, window_size)`. Coordinates follow Kivy: the origin is the
    bottom-left corner and y grows upwards. A tap outside the corners breaks the sequence; the
    whole pattern must fit in `window_s` seconds.
    """

    def __init__(
        self,
        pattern: Sequence[Corner],
        window_s: float = 6.0,
        corner_fraction: float = 0.12,
        now: Clock = time.monotonic,
    ) -> None:
        if len(pattern) < 2:
            raise ValueError("a tap pattern needs at least two taps")
        if not 0 < corner_fraction <= 0.5:
            raise ValueError("corner_fraction must be in (0, 0.5]")
        self._pattern = tuple(pattern)
        self._window_s = window_s
        self._fraction = corner_fraction
        self._now = now
        # The last len(pattern) corner taps: the pattern is done when they match it, in time.
        self._recent: deque[tuple[Corner, float]] = deque(maxlen=len(self._pattern))

    def corner_of(self, x: float, y: float, window_size: tuple[float, float]) -> Corner | None:
        """Which corner square (side = corner_fraction × the shorter window side) holds the point."""
        width, height = window_size
        side = self._fraction * min(width, height)
        if not (0 <= x <= width and 0 <= y <= height):
            return None
        horizontal = "left" if x <= side else "right" if x >= width - side else None
        vertical = "top" if y >= height - side else "bottom" if y <= side else None
        if horizontal is None or vertical is None:
            return None
        corner: Corner
        if vertical == "top":
            corner = "top-left" if horizontal == "left" else "top-right"
        else:
            corner = "bottom-left" if horizontal == "left" else "bottom-right"
        return corner

    def tap(self, x: float, y: float, window_size: tuple[float, float]) -> bool:
        """Record a tap; True exactly when it completes the pattern (the detector then resets)."""
        corner = self.corner_of(x, y, window_size)
        if corner is None:
            self._recent.clear()
            return False
        now = self._now()
        self._recent.append((corner, now))
        if len(self._recent) < len(self._pattern):
            return False
        corners = tuple(c for c, _ in self._recent)
        if corners == self._pattern and now - self._recent[0][1] <= self._window_s:
            self._recent.clear()
            return True
        return False

    def reset(self) -> None:
        self._recent.clear()


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m kiosk.logic.admin hash-pin`: read a PIN from stdin, print its hash."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args != ["hash-pin"]:
        print("usage: python -m kiosk.logic.admin hash-pin  (reads the PIN from stdin)", file=sys.stderr)
        return 2
    if sys.stdin.isatty():
        import getpass

        pin = getpass.getpass("PIN (digits): ")
    else:
        pin = sys.stdin.readline().strip()
    try:
        print(hash_pin(pin))
    except ValueError as exc:
        print(f"hash-pin: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
