"""Feed text made safe for Kivy markup."""

from __future__ import annotations

from kiosk.logic.text import escape_markup


def test_escape_markup_neutralises_kivy_tags() -> None:
    hostile = "[b]通知[/b] & [color=ff0000]红色[/color] &bl;"
    escaped = escape_markup(hostile)
    assert "[" not in escaped and "]" not in escaped
    assert escaped == ("&bl;b&br;通知&bl;/b&br; &amp; &bl;color=ff0000&br;红色&bl;/color&br; &amp;bl;")
