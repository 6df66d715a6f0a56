"""How much of the shown content the UI font can draw (a subset font may miss rare characters)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from feed.api import ContentReader


@dataclass(frozen=True)
class Coverage:
    checked: int
    missing: str  # up to 20 characters the font lacks

    @property
    def text(self) -> str:
        if self.checked == 0:
            return "未检查"
        if not self.missing:
            return f"完整（已检查 {self.checked} 个字符）"
        return f"缺字 {len(self.missing)} 个：{self.missing}"


@lru_cache(maxsize=4)
def _codepoints(font: Path) -> frozenset[int] | None:
    try:
        from fontTools.ttLib import TTFont
    except ImportError:
        return None
    with TTFont(str(font), lazy=True) as face:
        return frozenset(face.getBestCmap())


def sample_text(reader: ContentReader) -> Iterable[str]:
    """The text a citizen meets first: hall, catalogue, hot guides, featured items, their details."""
    hall = reader.hall()
    if hall is not None:
        yield hall.name
        yield from hall.hours
    catalog = reader.catalog()
    if catalog is not None:
        yield from (node.title for node in catalog.nodes)
    for guide in reader.hot_guides(20):
        yield guide.title
        yield guide.department
    for summary in reader.featured_items(10):
        item = reader.item(summary.id)
        if item is not None:
            yield item.title
            yield item.body[:3000]


def coverage(font: Path | None, texts: Iterable[str]) -> Coverage:
    if font is None:
        return Coverage(0, "")
    points = _codepoints(font)
    if points is None:
        return Coverage(0, "")
    seen: set[str] = set()
    for text in texts:
        seen.update(ch for ch in text if not ch.isspace())
    missing = sorted(ch for ch in seen if ord(ch) not in points)
    return Coverage(len(seen), "".join(missing[:20]))
