"""Chinese text for Kivy labels: markup escaping, paragraphs and line breaking with kinsoku rules.

Kivy's label breaks only at ASCII spaces and splits CJK runs anywhere, so body text is pre-wrapped
here by measured width: a line never starts with closing punctuation nor ends with opening
punctuation, and a Latin word or number stays whole unless it alone is wider than the line.
"""

from __future__ import annotations

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


def escape_markup(text: str) -> str:
    """Escape `&`, `[` and `]` so feed text shows literally in a label with markup=True."""
    return text.replace("&", "&amp;").replace("[", "&bl;").replace("]", "&br;")


def paragraphs(body: str) -> list[str]:
    """Split a plain-text body into paragraphs at blank lines.

    Single line breaks inside a paragraph are joined (with a space only between two Latin
    characters); whitespace is trimmed and empty paragraphs dropped.
    """
    raise NotImplementedError


def wrap_cjk(text: str, width_px: float, measure: Measure) -> list[str]:
    """Break `text` into lines no wider than `width_px` (where possible), obeying kinsoku rules.

    Line breaks in `text` are kept (an empty line stays an empty line). `measure` is called on
    single characters and words and its answers are cached, so a long body costs about one call
    per distinct character; widths are summed, which ignores kerning (leave a little slack).
    """
    raise NotImplementedError
