"""Admin PIN hashing, the PIN gate's lockout and the corner tap pattern."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.logic.admin import Corner, PinGate, TapPatternDetector, hash_pin, is_pin_hash, verify_pin

REPO = Path(__file__).resolve().parents[2]
FAST = 10_000  # iterations: the minimum, to keep tests quick


def test_hash_and_verify() -> None:
    stored = hash_pin("2468", iterations=FAST)
    assert is_pin_hash(stored)
    assert stored.startswith("pbkdf2_sha256$10000$")
    assert verify_pin("2468", stored)
    assert not verify_pin("2469", stored)
    assert not verify_pin("", stored)
    assert not verify_pin("24680", stored)


def test_salt_makes_equal_pins_hash_differently() -> None:
    assert hash_pin("2468", iterations=FAST) != hash_pin("2468", iterations=FAST)
    salt = b"0123456789abcdef"
    assert hash_pin("2468", salt, FAST) == hash_pin("2468", salt, FAST)


@pytest.mark.parametrize("pin", ["123", "abcd", "1234567890123", "１２３４", " 1234"])
def test_bad_pins_cannot_be_set(pin: str) -> None:
    with pytest.raises(ValueError):
        hash_pin(pin, iterations=FAST)


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "1234",
        "md5$1000$c2FsdHNhbHQ=$aGFzaA==",
        "pbkdf2_sha256$1$c2FsdHNhbHQ=$" + "A" * 43 + "=",  # too few iterations
        "pbkdf2_sha256$abc$c2FsdHNhbHQ=$" + "A" * 43 + "=",
        "pbkdf2_sha256$10000$not base64!$" + "A" * 43 + "=",
        "pbkdf2_sha256$10000$c2FsdHNhbHQ=$aGFzaA==",  # digest too short
    ],
)
def test_malformed_hashes_never_match(stored: str) -> None:
    assert not is_pin_hash(stored)
    assert not verify_pin("1234", stored)


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_pin_gate_locks_after_repeated_failures() -> None:
    clock = Clock()
    gate = PinGate(hash_pin("2468", iterations=FAST), max_failures=3, lockout_s=60, now=clock)
    assert gate.required
    assert gate.check("1111").outcome == "wrong"
    assert gate.check("2222").outcome == "wrong"
    locked = gate.check("3333")
    assert locked.outcome == "locked" and locked.retry_after_s == 60
    clock.t += 30
    assert gate.check("2468").outcome == "locked"  # even the right PIN waits
    clock.t += 31
    assert gate.check("2468").outcome == "ok"


def test_no_pin_configured_means_demo_open_gate() -> None:
    gate = PinGate(None)
    assert not gate.required and gate.check("").outcome == "ok"


PATTERN: tuple[Corner, ...] = ("top-left", "top-right", "top-left", "bottom-right")
SIZE = (1280.0, 800.0)
# Kivy coordinates: origin bottom-left.
TL, TR, BL, BR, MID = (10, 790), (1270, 790), (10, 10), (1270, 10), (640, 400)


def _taps(
    detector: TapPatternDetector, clock: Clock, points: list[tuple[int, int]], gap: float = 0.5
) -> list[bool]:
    results = []
    for x, y in points:
        clock.t += gap
        results.append(detector.tap(x, y, SIZE))
    return results


def test_tap_pattern_completes_only_in_order() -> None:
    clock = Clock()
    detector = TapPatternDetector(PATTERN, window_s=6, now=clock)
    assert _taps(detector, clock, [TL, TR, TL, BR]) == [False, False, False, True]
    assert _taps(detector, clock, [TR, TL, TL, BR]) == [False, False, False, False]
    assert _taps(detector, clock, [TL, TR, BL, BR]) == [False, False, False, False]


def test_tap_pattern_restarts_within_a_longer_sequence() -> None:
    clock = Clock()
    detector = TapPatternDetector(PATTERN, window_s=6, now=clock)
    assert _taps(detector, clock, [TL, TR, TL, TR, TL, BR]) == [False] * 5 + [True]


def test_tap_pattern_must_fit_the_time_window() -> None:
    clock = Clock()
    detector = TapPatternDetector(PATTERN, window_s=6, now=clock)
    assert _taps(detector, clock, [TL, TR, TL, BR], gap=2.5) == [False] * 4


def test_a_tap_elsewhere_breaks_the_pattern() -> None:
    clock = Clock()
    detector = TapPatternDetector(PATTERN, window_s=6, now=clock)
    assert _taps(detector, clock, [TL, TR, MID, TL, BR]) == [False] * 5


def test_corner_size_follows_the_shorter_side() -> None:
    detector = TapPatternDetector(PATTERN, corner_fraction=0.1)
    assert detector.corner_of(79, 721, SIZE) == "top-left"  # 0.1 × 800 = 80 px squares
    assert detector.corner_of(81, 721, SIZE) is None
    assert detector.corner_of(1201, 79, SIZE) == "bottom-right"
    assert detector.corner_of(-5, 10, SIZE) is None


def hash_pin_command(typed: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk.logic.admin", "hash-pin"],
        input=typed,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=REPO,
    )


def test_hash_pin_command_reads_stdin() -> None:
    done = hash_pin_command("135790\n")
    assert done.returncode == 0, done.stderr
    assert verify_pin("135790", done.stdout.strip())
    bad = hash_pin_command("12\n")
    assert bad.returncode == 1 and "PIN" in bad.stderr
