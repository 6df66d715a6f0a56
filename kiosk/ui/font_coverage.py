"""How much of the shown content the kiosk's fonts can draw (the UI font, then its fallback)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from feed import ContentReader, coverage_of, led_coverage


@dataclass(frozen=True)
class Coverage:
    checked: int
    missing: str  # up to 20 characters neither the font nor its fallback has

    @property
    def text(self) -> str:
        if self.checked == 0:
            return "未检查"
        if not self.missing:
            return f"完整（已检查 {self.checked} 个字符）"
        return f"缺字 {len(self.missing)} 个：{self.missing}"


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
    """Characters of `texts` that neither `font` nor the fallback font draws (`feed.screen.glyphs`); not
    checked when `font` has no code point listing (a configured or system font)."""
    primary = coverage_of(font) if font is not None else None
    if primary is None:
        return Coverage(0, "")
    fallback = led_coverage()
    seen: set[str] = set()
    for text in texts:
        seen.update(ch for ch in text if not ch.isspace())
    missing = sorted(ch for ch in seen if not primary.has(ch) and not (fallback and fallback.has(ch)))
    return Coverage(len(seen), "".join(missing[:20]))
