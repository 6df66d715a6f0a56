"""Kiosk logic layer: line wrapping of long bodies and QR code generation.

Run: .venv/bin/python -m benchmarks.bench_kiosk_logic
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from PIL import ImageFont

from benchmarks.report import report
from feed.assets import ui_font
from feed.screen.line_breaking import CachedMeasure, is_wide, wrap_cjk, wrap_paragraphs
from kiosk.logic.qr import qr_png

SENTENCE = (
    "申请人应当提交身份证明材料（原件），经窗口审核后当场办理。咨询电话0000-6123420，"
    "网址https://zwfw.qinghe.example/guide/000173002000。材料不全的，窗口一次性告知需要补正的全部内容；"
    "详见《不动产登记暂行条例》第二十条……\n\n"
)
SYSTEM_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def _cheap(text: str) -> float:
    return sum(24.0 if is_wide(c) else 12.0 for c in text)


def _timed(key: str, label: str, runs: int, work: Callable[[], object]) -> None:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    report(
        f"kiosk.{key}",
        f"kiosk: {label}",
        statistics.median(samples) * 1000,
        "ms",
        detail=f"median of {runs}, max {max(samples) * 1000:.3g} ms",
    )


def main() -> None:
    body = (SENTENCE * 1000)[:100_000]
    print(f"body: {len(body):,} characters")
    _timed("wrap_cheap", "wrap_cjk 100k chars, 600 px, cheap measure", 5, lambda: wrap_cjk(body, 600, _cheap))
    _timed(
        "wrap_paragraphs_cheap",
        "wrap_paragraphs 100k chars, 600 px, cheap measure",
        5,
        lambda: wrap_paragraphs(body, 600, _cheap),
    )
    font_path = ui_font() if ui_font().exists() else SYSTEM_CJK
    if font_path.exists():
        index = 2 if font_path.suffix == ".ttc" else 0
        font = ImageFont.truetype(str(font_path), 24, index=index)
        _timed(
            "wrap_freetype_cold",
            f"wrap_cjk 100k chars, FreeType measure ({font_path.name}), cold",
            3,
            lambda: wrap_cjk(body, 600, font.getlength),
        )
        shared = CachedMeasure(font.getlength)
        wrap_cjk(body, 600, shared)
        _timed(
            "wrap_freetype_warm",
            "wrap_cjk 100k chars, FreeType measure, warm cache",
            5,
            lambda: wrap_cjk(body, 600, shared),
        )
    urls = [f"https://zwfw.qinghe.example/guide/{n:012d}" for n in range(50)]
    _timed("qr_cold", "qr_png 50 distinct URLs (cold)", 1, lambda: [qr_png(u) for u in urls])
    _timed("qr_cached", "qr_png 50 URLs again (LRU cache)", 5, lambda: [qr_png(u) for u in urls])


if __name__ == "__main__":
    main()
