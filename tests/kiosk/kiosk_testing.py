"""Helpers shared by the kiosk logic tests."""

from __future__ import annotations

from kiosk.logic.text import is_wide

EM = 20.0


def em_measure(text: str) -> float:
    """A fixed-pitch stand-in for a CJK font at 20 px: wide characters 1 em, the rest half an em."""
    return sum(EM if is_wide(char) else EM / 2 for char in text)
