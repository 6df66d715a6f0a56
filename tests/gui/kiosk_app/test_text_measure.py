"""Body text measures each string once per font and size, across wraps and widgets."""

from __future__ import annotations

from feed.screen.line_breaking import CachedMeasure, wrap_cjk
from kiosk.ui.fonts import FONT_NAME, register_ui_font
from kiosk.ui.widgets.text import measurer


def test_measurer_is_one_shared_cache_per_font_and_size() -> None:
    register_ui_font()
    measure = measurer(FONT_NAME, 21.5)
    assert isinstance(measure, CachedMeasure)
    assert measurer(FONT_NAME, 21.5) is measure
    assert measurer(FONT_NAME, 23.5) is not measure

    text = "申请人应当提交身份证明材料，材料不全的，窗口一次性告知需要补正的全部内容。" * 3
    first = wrap_cjk(text, 300, measure)
    calls = measure.calls
    assert calls > 0
    assert wrap_cjk(text, 300, measurer(FONT_NAME, 21.5)) == first
    assert measure.calls == calls  # the second wrap measured nothing new
    assert measure("申") > 0
