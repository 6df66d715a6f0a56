"""Labels for the kiosk: `KLabel` for short text, `BodyText` for feed paragraphs with kinsoku wrapping.

Every label here draws feed text safely and completely:
- control characters and the like are removed first (`feed.screen.text`): a NUL would end the text;
- markup is off, so nothing in the text can act as markup; a character the UI font lacks is drawn
  from the fallback font through markup the label writes itself, around escaped text
  (`feed.screen.glyphs.font_runs`), and a character no bundled font has as 〓;
- body text is wrapped in Python (Kivy splits CJK anywhere), cut to `TEXT_LIMIT_CHARS` and laid out
  in labels of LINES_PER_CHUNK lines, so no texture grows past what a GPU holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.core.text.markup import MarkupLabel as CoreMarkupLabel
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.utils import get_hex_from_color

from feed import TEXT_LIMIT_CHARS, clip_text, screen_text
from kiosk.ui.fonts import FALLBACK_FONT_NAME, font_chain
from kiosk.ui.kv import load_kv_once

if TYPE_CHECKING:
    from feed import CachedMeasure

load_kv_once(__file__)

LINES_PER_CHUNK = 30
WRAP_SLACK_PX = 4.0
ELLIPSIS = "…"

_measurers: dict[tuple[str, float, bool], CachedMeasure] = {}


def measurer(font_name: str, font_size: float, bold: bool = False) -> CachedMeasure:
    """Width of a string as a label of that font, size and weight draws it. One per font, size and
    weight, with its widths cached: every guide re-wraps the same few thousand characters and words,
    and each uncached measurement is a call into SDL_ttf."""
    from feed import CachedMeasure

    key = (font_name, round(font_size, 2), bold)
    found = _measurers.get(key)
    if found is None:
        core = CoreLabel(font_name=font_name, font_size=font_size, bold=bold)

        def measure(text: str) -> float:
            return float(core.get_extents(text)[0])

        _measurers[key] = found = CachedMeasure(measure)
    return found


def kinsoku_text(
    text: str, width: float, font_name: str, font_size: float, bold: bool = False, *, max_lines: int = 0
) -> str:
    """`text` with line breaks where a label `width` px wide must break it, obeying kinsoku rules
    (no line starts with closing punctuation or ends with opening punctuation). Text that fits is
    returned as it is, without loading the wrapping code. With `max_lines` > 0, lines past it are
    dropped and the last one kept ends with "…" within the width."""
    measure = measurer(font_name, font_size, bold)
    if "\n" not in text and measure(text) <= width:
        return text
    from feed import wrap_cjk

    lines = wrap_cjk(text, width, measure)
    if 0 < max_lines < len(lines):
        last = lines[max_lines - 1]
        while last and measure(last + ELLIPSIS) > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + ELLIPSIS]
    return "\n".join(lines)


def fallback_markup(text: str) -> str | None:
    """Markup drawing `text` with each character the UI font lacks taken from the fallback font (and
    〓 for one no font has), the text itself escaped; None when the UI font has every character."""
    from feed import MISSING_MARK, font_runs, needs_fallback

    primary, fallback = font_chain()
    if not needs_fallback(text, primary):
        return None
    from kiosk.logic.text import escape_markup

    parts = []
    for index, run in font_runs(text, (primary, fallback)):
        if index == 0:
            parts.append(escape_markup(run))
        elif index == 1:
            parts.append(f"[font={FALLBACK_FONT_NAME}]{escape_markup(run)}[/font]")
        else:
            parts.append("".join(c if c.isspace() else MISSING_MARK for c in run))
    return "".join(parts)


class ScreenLabel(Label):
    """A plain-text Label that draws every character: sanitised, with per-character font fallback.

    `text` keeps what was set; only what the renderer is handed changes. Markup labels (the app's
    own strings) are left to Kivy.
    """

    def drawn_text(self) -> str:
        """The text handed to the renderer, before font fallback (subclasses add line breaks)."""
        return screen_text(self.text)

    def texture_update(self, *largs: Any) -> None:
        if self.markup or not self.text:
            super().texture_update(*largs)
            return
        drawn = self.drawn_text()
        markup = fallback_markup(drawn)
        self._label.text = drawn
        if markup is None:
            super().texture_update(*largs)
            return
        # Render through a markup core label with the same options; the plain one stays Kivy's.
        core = CoreMarkupLabel(text_size=self._label.usersize)
        core.options.update(self._label.options)
        color = self.disabled_color if self.disabled else self.color
        core.text = f"[color={get_hex_from_color(color)}]{markup}[/color]"
        core.refresh()
        self.texture = None
        texture = core.texture
        if texture is not None:
            self.texture = texture
            self.texture_size = list(texture.size)
        self.is_shortened = False


class KinsokuLabel(ScreenLabel):
    """A label that breaks wrapped lines with kinsoku rules instead of Kivy's anywhere-in-CJK breaks,
    and keeps to `max_lines` lines (0: any number) ending the last with "…" when the text is longer."""

    def drawn_text(self) -> str:
        text = screen_text(self.text)
        width = self.text_size[0]
        if width is None:
            return text
        padding = self.padding[0] + self.padding[2]
        return kinsoku_text(
            text,
            float(width) - padding - WRAP_SLACK_PX,
            self.font_name,
            self.font_size,
            self.bold,
            max_lines=int(self.max_lines),
        )


class KLabel(KinsokuLabel):
    """A label that wraps to its width and grows to its text's height (for short, plain text)."""

    role = StringProperty("body")  # small / body / button / heading / title
    muted = BooleanProperty(False)


class BodyText(BoxLayout):
    """Paragraphs of plain text, wrapped with kinsoku rules at the widget's width, in labels of
    LINES_PER_CHUNK lines; at most `limit_chars` characters (the rest is `clipped`)."""

    source = StringProperty("")
    font_size = NumericProperty(20)
    line_height = NumericProperty(1.4)
    color = ListProperty([0, 0, 0, 1])
    limit_chars = NumericProperty(TEXT_LIMIT_CHARS)
    clipped = BooleanProperty(False)  # the source was longer than limit_chars
    clip_notice = StringProperty("内容较长，此处仅显示开头部分，请扫码查看全文。")  # under a clipped text
    notice_color = ListProperty([0.7, 0.33, 0.03, 1])
    wrapped_lines = ListProperty([])  # the lines as drawn, for tests and the benchmark

    def __init__(self, **kwargs: Any) -> None:
        self._rewrap = Clock.create_trigger(self._layout_text, 0)
        super().__init__(**kwargs)
        self.bind(width=self._rewrap, source=self._rewrap, font_size=self._rewrap, line_height=self._rewrap)
        self.bind(limit_chars=self._rewrap)

    def _layout_text(self, *_: object) -> None:
        self.clear_widgets()
        text, self.clipped = clip_text(screen_text(self.source), int(self.limit_chars))
        if self.width < 50 or not text:
            self.wrapped_lines = []
            return
        from feed import paragraphs, wrap_cjk  # not needed for the attract screen
        from kiosk.ui.style import current_style

        style = current_style()
        measure = measurer(style.font_name, self.font_size)
        lines: list[str] = []
        chunks: list[list[str]] = []
        for paragraph in paragraphs(text):
            wrapped = wrap_cjk(paragraph, self.width - WRAP_SLACK_PX, measure)
            lines.extend(wrapped)
            for start in range(0, len(wrapped), LINES_PER_CHUNK):
                chunks.append(wrapped[start : start + LINES_PER_CHUNK])
        for chunk in chunks:
            self.add_widget(
                ScreenLabel(
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
        if self.clipped and self.clip_notice:
            self.add_widget(
                KinsokuLabel(
                    text=self.clip_notice,
                    font_name=style.font_name,
                    font_size=self.font_size,
                    color=self.notice_color,
                    size_hint_y=None,
                    text_size=(self.width, None),
                )
            )
        for child in self.children:
            child.bind(texture_size=_fit_height)
        self.wrapped_lines = lines


def _fit_height(label: Label, size: tuple[float, float]) -> None:
    label.height = size[1]
