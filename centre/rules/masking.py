"""Masking a citizen's phone number wherever staff without the right to see it look: 138****1234."""

from __future__ import annotations

VISIBLE_HEAD = 3
VISIBLE_TAIL = 4


def mask_phone(phone: str | None) -> str | None:
    """`13812341234` → `138****1234`; a short number keeps only its last two digits; None stays None."""
    if phone is None:
        return None
    if len(phone) >= VISIBLE_HEAD + VISIBLE_TAIL + 1:
        hidden = len(phone) - VISIBLE_HEAD - VISIBLE_TAIL
        return phone[:VISIBLE_HEAD] + "*" * hidden + phone[-VISIBLE_TAIL:]
    return "*" * max(len(phone) - 2, 1) + phone[-2:]
