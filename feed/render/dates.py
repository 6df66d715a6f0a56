"""Dates as citizens read them, on the kiosk's screens, the phone pages and the printouts."""

from __future__ import annotations

from datetime import date


def date_text(day: date) -> str:
    """'2025年11月20日'."""
    return f"{day.year}年{day.month}月{day.day}日"
