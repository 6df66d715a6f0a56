"""One titled section of a guide or item: fields, lists, numbered steps or questions and answers."""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout

from feed import GuideEntry, GuideSection
from kiosk.ui.kv import load_kv_once
from kiosk.ui.widgets.text import BodyText, KLabel

load_kv_once(__file__)

# A note up to this long is one label (≈ 50 lines at the narrowest column); a longer one (a step
# description or a legal text can hold 100,000 characters) is laid out in chunks by BodyText.
SHORT_NOTE_CHARS = 1000


class EntryView(BoxLayout):
    """A label over its text (stacked, so long Chinese labels never squeeze the text)."""

    label = StringProperty("")
    note = StringProperty("")
    style_name = StringProperty("fields")

    def __init__(self, entry: GuideEntry, style_name: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.style_name = style_name
        self.label = entry.label
        self.note = entry.note
        self.ids.text.source = entry.text
        if entry.note:
            if len(entry.note) > SHORT_NOTE_CHARS:
                self.add_widget(Factory.LongEntryNote(source=entry.note))
            else:
                self.add_widget(Factory.EntryNote(text=entry.note))


class SectionView(BoxLayout):
    title = StringProperty("")
    key = StringProperty("")

    def show(self, section: GuideSection) -> None:
        self.title = section.title
        self.key = section.key
        box = self.ids.entries
        box.clear_widgets()
        for entry in section.entries:
            box.add_widget(EntryView(entry, section.style))


class Paragraphs(BoxLayout):
    """Plain paragraphs under a heading (item bodies)."""

    title = StringProperty("")


__all__ = ["BodyText", "EntryView", "KLabel", "Paragraphs", "SectionView"]
