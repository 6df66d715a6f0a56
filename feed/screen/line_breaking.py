"""Chinese line breaking (禁则, kinsoku): the one rule for every screen, the kiosk's labels and the LED.

Kivy's label breaks only at ASCII spaces and splits CJK runs anywhere, and Pillow does not break at
all, so text is pre-wrapped here by measured width: a line never starts with closing punctuation
(`CLOSING_PUNCTUATION`) nor ends with opening punctuation (`OPENING_PUNCTUATION`), and a Latin word or
number stays whole unless it alone is wider than the line. Widths come from the caller's `Measure`
(a Kivy CoreLabel, a Pillow font), so this module draws nothing and imports no GUI.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Measure = Callable[[str], float]
"""Width in pixels of a short string as the label would draw it (e.g. CoreLabel extents)."""

# May not start a line (行首禁则).
CLOSING_PUNCTUATION = frozenset(
    "，。、；：？！）」』】〕》〉〗〙〛’”…—～·%‰℃°,.;:?!)]}>、ー々〻ゝゞヽヾ"
    "﹐﹑﹒﹔﹕﹖﹗﹚﹜﹞！％），．：；？］｝～｠｣"
)
# May not end a line (行尾禁则).
OPENING_PUNCTUATION = frozenset("（「『【〔《〈〖〘〚‘“([{<￥$＄£€（［｛｟｢")


_LATIN = "A-Za-z0-9"
# A Latin word or number, with the punctuation that lives inside one (URLs, dates, decimals, e-mail).
_TOKEN = re.compile(rf"[{_LATIN}](?:[{_LATIN}._\-/@:#&+%'~=?]*[{_LATIN}/%])?|[ \t]+|.", re.DOTALL)
_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def _join_lines(lines: list[str]) -> str:
    joined = ""
    for line in lines:
        if joined and line and joined[-1].isascii() and line[0].isascii():
            joined += " "
        joined += line
    return joined


def paragraphs(body: str) -> list[str]:
    """Split a plain-text body into paragraphs at blank lines.

    Single line breaks inside a paragraph are joined (with a space only between two Latin
    characters); whitespace is trimmed and empty paragraphs dropped. A leading full-width
    indent (「　　」) is kept, as Chinese documents use it.
    """
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    result = []
    for block in _BLANK_LINE.split(text):
        lines = [line.strip(" \t") for line in block.split("\n")]
        lines = [line for line in lines if line.strip()]
        if lines:
            lines = [lines[0].rstrip()] + [line.strip() for line in lines[1:]]
            result.append(_join_lines(lines))
    return result


class CachedMeasure:
    """Wraps a measure function with a per-string cache; keep one per font and size."""

    def __init__(self, measure: Measure, max_entries: int = 20_000) -> None:
        self._measure = measure
        self._cache: dict[str, float] = {}
        self._max_entries = max_entries
        self.calls = 0  # how often the wrapped function actually ran

    @property
    def widths(self) -> dict[str, float]:
        """The cache itself, for hot loops that look up before calling."""
        return self._cache

    def __call__(self, text: str) -> float:
        width = self._cache.get(text)
        if width is None:
            self.calls += 1
            width = float(self._measure(text))
            if len(self._cache) >= self._max_entries:
                self._cache.clear()
            self._cache[text] = width
        return width


def _no_break_between(before: str, after: str) -> bool:
    return after[0] in CLOSING_PUNCTUATION or before[-1] in OPENING_PUNCTUATION


def _split_oversized(text: str, width_px: float, measure: Measure) -> list[str]:
    """Break a group wider than the line by characters, still avoiding kinsoku breaks if possible."""
    pieces: list[str] = []
    current = ""
    current_width = 0.0
    for char in text:
        char_width = measure(char)
        if current and current_width + char_width > width_px:
            cut = len(current)
            # Back off to the nearest allowed break (at most a few characters).
            while cut > 1 and _no_break_between(current[cut - 1], (current[cut:] + char)[0]):
                cut -= 1
                if len(current) - cut > 4:
                    cut = len(current)
                    break
            pieces.append(current[:cut])
            current = current[cut:]
            current_width = sum(measure(c) for c in current)
        current += char
        current_width += char_width
    if current:
        pieces.append(current)
    return pieces


def _wrap_line(source: str, width_px: float, measure: CachedMeasure, out: list[str]) -> None:
    """Wrap one source line (no newlines) into `out`."""
    closing, opening = CLOSING_PUNCTUATION, OPENING_PUNCTUATION
    widths = measure.widths
    space_width = measure(" ")
    # Unbreakable groups: a token, plus the closing punctuation after it and whatever follows
    # an opening bracket. gaps[i]: a space separates group i from the one before.
    texts: list[str] = []
    group_widths: list[float] = []
    gaps: list[bool] = []
    spaced = False
    for token in _TOKEN.findall(source):
        first = token[0]
        if first in " \t":
            spaced = True
            continue
        width = widths.get(token)
        if width is None:
            width = measure(token)
        if texts and (first in closing or texts[-1][-1] in opening):
            if spaced:
                texts[-1] += " " + token
                group_widths[-1] += space_width + width
            else:
                texts[-1] += token
                group_widths[-1] += width
        else:
            gaps.append(spaced and bool(texts))
            texts.append(token)
            group_widths.append(width)
        spaced = False

    parts: list[str] = []
    line_width = 0.0
    start = len(out)
    for text, width, gap in zip(texts, group_widths, gaps, strict=True):
        if parts:
            needed = line_width + width + (space_width if gap else 0.0)
            if needed <= width_px:
                if gap:
                    parts.append(" ")
                parts.append(text)
                line_width = needed
                continue
            out.append("".join(parts))
        if width <= width_px:
            parts = [text]
            line_width = width
            continue
        pieces = _split_oversized(text, width_px, measure)
        out.extend(pieces[:-1])
        parts = [pieces[-1]]
        line_width = sum(measure(c) for c in pieces[-1])
    if parts or len(out) == start:
        out.append("".join(parts))


def wrap_cjk(text: str, width_px: float, measure: Measure) -> list[str]:
    """Break `text` into lines no wider than `width_px` (where possible), obeying kinsoku rules.

    Line breaks in `text` are kept (an empty line stays an empty line). `measure` is called on
    single characters and whole Latin words, and its answers are cached (pass one `CachedMeasure`
    per font and size to share the cache between calls), so a long body costs about one call per
    distinct character. Widths are summed, which ignores kerning: leave a little slack.
    A width of zero or less (a label not laid out yet) leaves the lines unwrapped.
    """
    source_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if width_px <= 0:
        return source_lines
    cached = measure if isinstance(measure, CachedMeasure) else CachedMeasure(measure)
    lines: list[str] = []
    for source in source_lines:
        _wrap_line(source, width_px, cached, lines)
    return lines


def wrap_paragraphs(body: str, width_px: float, measure: Measure) -> list[str]:
    """`paragraphs(body)` wrapped, with an empty line between paragraphs."""
    cached = measure if isinstance(measure, CachedMeasure) else CachedMeasure(measure)
    lines: list[str] = []
    for index, paragraph in enumerate(paragraphs(body)):
        if index:
            lines.append("")
        lines.extend(wrap_cjk(paragraph, width_px, cached))
    return lines


def is_wide(char: str) -> bool:
    """CJK ideographs, kana, full-width forms and CJK punctuation: one em wide in most fonts."""
    return bool(_WIDE.match(char))
