"""Labels for the kiosk: `KLabel` for short text, `BodyText` for feed paragraphs with kinsoku wrapping.

Feed text is shown with markup off, so nothing in it can act as markup. Body text is wrapped in
Python (Kivy splits CJK anywhere) and cut into label chunks so no texture grows past GPU limits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from kiosk.ui.kv import load_kv_once

if TYPE_CHECKING:
    from kiosk.logic.text import CachedMeasure

load_kv_once(__file__)

LINES_PER_CHUNK = 30
WRAP_SLACK_PX = 4.0

_measurers: dict[tuple[str, float, bool], CachedMeasure] = {}


def measurer(font_name: str, font_size: float, bold: bool = False) -> CachedMeasure:
    """Width of a string as a label of that font, size and weight draws it. One per font, size and
    weight, with its widths cached: every guide re-wraps the same few thousand characters and words,
    and each uncached measurement is a call into SDL_ttf."""
    from kiosk.logic.text import CachedMeasure

    key = (font_name, round(font_size, 2), bold)
    found = _measurers.get(key)
    if found is None:
        core = CoreLabel(font_name=font_name, font_size=font_size, bold=bold)

        def measure(text: str) -> float:
            return float(core.get_extents(text)[0])

        _measurers[key] = found = CachedMeasure(measure)
    return found


def kinsoku_text(text: str, width: float, font_name: str, font_size: float, bold: bool = False) -> str:
    """`text` with line breaks where a label `width` px wide must break it, obeying kinsoku rules
    (no line starts with closing punctuation or ends with opening punctuation). Text that fits is
    returned as it is, without loading the wrapping code."""
    measure = measurer(font_name, font_size, bold)
    if "\n" not in text and measure(text) <= width:
        return text
    from kiosk.logic.text import wrap_cjk

    return "\n".join(wrap_cjk(text, width, measure))


class KinsokuLabel(Label):
    """A Label that breaks wrapped lines with kinsoku rules instead of Kivy's anywhere-in-CJK breaks.

    `text` keeps what was set; only the lines handed to the renderer carry the breaks. Markup labels
    are left to Kivy (their tags would be measured as text).
    """

    def texture_update(self, *largs: Any) -> None:
        width = self.text_size[0]
        if width is not None and self.text and not self.markup:
            padding = self.padding[0] + self.padding[2]
            self._label.text = kinsoku_text(
                self.text, float(width) - padding - WRAP_SLACK_PX, self.font_name, self.font_size, self.bold
            )
        super().texture_update(*largs)


class KLabel(KinsokuLabel):
    """A label that wraps to its width and grows to its text's height (for short, plain text)."""

    role = StringProperty("body")  # small / body / button / heading / title
    muted = BooleanProperty(False)


class BodyText(BoxLayout):
    """Paragraphs of plain text, wrapped with kinsoku rules at the widget's width."""

    source = StringProperty("")
    font_size = NumericProperty(20)
    line_height = NumericProperty(1.4)
    color = ListProperty([0, 0, 0, 1])
    wrapped_lines = ListProperty([])  # the lines as drawn, for tests and the benchmark

    def __init__(self, **kwargs: Any) -> None:
        self._rewrap = Clock.create_trigger(self._layout_text, 0)
        super().__init__(**kwargs)
        self.bind(width=self._rewrap, source=self._rewrap, font_size=self._rewrap, line_height=self._rewrap)

    def _layout_text(self, *_: object) -> None:
        self.clear_widgets()
        if self.width < 50 or not self.source:
            self.wrapped_lines = []
            return
        from kiosk.logic.text import paragraphs, wrap_cjk  # not needed for the attract screen
        from kiosk.ui.style import current_style

        style = current_style()
        measure = measurer(style.font_name, self.font_size)
        lines: list[str] = []
        chunks: list[list[str]] = []
        for paragraph in paragraphs(self.source):
            wrapped = wrap_cjk(paragraph, self.width - WRAP_SLACK_PX, measure)
            lines.extend(wrapped)
            for start in range(0, len(wrapped), LINES_PER_CHUNK):
                chunks.append(wrapped[start : start + LINES_PER_CHUNK])
        for chunk in chunks:
            self.add_widget(
                Label(
                    text="\n".join(chunk),
                    font_name=style.font_name,
                    font_size=self.font_size,
                    line_height=self.line_height,
                    color=self.color,
                    halign="left",
                    valign="top",
                    size_hint_y=None,
                    text_size=(self.width, None),
                    markup=False,
                )
            )
        for child in self.children:
            child.bind(texture_size=_fit_height)
        self.wrapped_lines = lines


def _fit_height(label: Label, size: tuple[float, float]) -> None:
    label.height = size[1]
