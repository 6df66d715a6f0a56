"""Feed text made safe for a Kivy label with markup=True."""

from __future__ import annotations


def escape_markup(text: str) -> str:
    """Escape `&`, `[` and `]` so feed text shows literally in a label with markup=True."""
    return text.replace("&", "&amp;").replace("[", "&bl;").replace("]", "&br;")
