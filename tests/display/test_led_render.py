"""The renderer on the demo feed's real Chinese headlines: glyphs, static vs scroll, time-based scroll."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from PIL import Image

from display.render.fonts import FontSpec, fit_ui_font
from display.render.frames import Layout, scroll_offset
from display.render.setup import build_renderer
from display.render.text import StripCache, StripKey, text_width, wrap
from feed.schema import Headline
from feed.screen.line_breaking import CLOSING_PUNCTUATION, OPENING_PUNCTUATION
from tests.display.ledhelpers import NOTO_SC_FACE, missing_glyphs, pixel_section, wall_section

AMBER = (255, 176, 0)
BLACK = (0, 0, 0)


def lit(image: Image.Image) -> int:
    """Number of pixels that are not background black."""
    return sum(1 for pixel in image.getdata() if pixel != BLACK)


def test_pixel_font_has_every_glyph_of_the_demo_headlines(
    unifont: Path, demo_headlines: list[Headline]
) -> None:
    spec = FontSpec(unifont, 16, pixel=True)
    for headline in demo_headlines:
        assert missing_glyphs(spec, headline.text) == [], headline.id


def test_ui_font_has_every_glyph_of_the_demo_headlines(noto: Path, demo_headlines: list[Headline]) -> None:
    spec = fit_ui_font(noto, 240, NOTO_SC_FACE)
    for headline in demo_headlines:
        assert missing_glyphs(spec, headline.text) == [], headline.id


def test_missing_glyph_check_can_fail(unifont: Path, noto: Path) -> None:
    # Unifont covers the BMP only; a supplementary-plane CJK character is tofu there.
    assert missing_glyphs(FontSpec(unifont, 16, pixel=True), "办事𠀋") == ["𠀋"]
    # The Latin face of the Noto collection has no glyphs for a private-use code point.
    assert missing_glyphs(FontSpec(noto, 32, NOTO_SC_FACE), "a\ue000") == ["\ue000"]


def test_each_glyph_is_drawn_distinctly_without_antialiasing(
    unifont: Path, demo_headlines: list[Headline]
) -> None:
    spec = FontSpec(unifont, 16, pixel=True)
    text = demo_headlines[0].text
    strip = StripCache().get(StripKey(text, spec, AMBER, BLACK, 16))
    # Every character of a Unifont CJK line is one 16 px cell; no cell is empty or a copy of .notdef.
    colours = set(strip.getdata())
    assert colours == {AMBER, BLACK}  # fontmode "1": on or off, no grey edges
    cells = [strip.crop((x, 0, x + 16, 16)).tobytes() for x in range(0, strip.width, 16)]
    cjk = [cell for cell, char in zip(cells, text, strict=False) if ord(char) > 0x2E80]
    assert all(any(cell) for cell in cjk)


def test_short_text_is_static_and_centred(unifont: Path) -> None:
    renderer = build_renderer(pixel_section(panel="128x32"))
    program = renderer.text_program("请取号等候", AMBER, dwell=8.0)
    assert not program.scrolls and program.duration == 8.0
    first, later = program.frame(0.0), program.frame(5.0)
    assert first.tobytes() == later.tobytes()
    box = first.getbbox()
    assert box is not None
    left, right = box[0], 128 - box[2]
    assert abs(left - right) <= 2  # 5 × 16 px = 80 px centred in 128


def test_long_headline_scrolls_and_takes_one_full_pass(unifont: Path, demo_headlines: list[Headline]) -> None:
    section = pixel_section(panel="128x32", scroll_speed=32.0)
    renderer = build_renderer(section)
    text = demo_headlines[0].text
    program = renderer.text_program(text, AMBER, dwell=8.0)
    assert program.scrolls
    width = text_width(text, renderer.font)
    assert width > 128
    assert program.travel == 128 + width
    assert program.duration == pytest.approx((128 + width) / 32.0)
    assert lit(program.frame(0.0)) == 0  # enters from the right edge
    assert lit(program.frame(program.duration / 2)) > 0
    assert lit(program.frame(program.duration)) == 0  # has left at the left edge


def test_scroll_offset_is_a_function_of_elapsed_time(unifont: Path, demo_headlines: list[Headline]) -> None:
    renderer = build_renderer(pixel_section(panel="128x32", scroll_speed=30.0, fps=60.0))
    program = renderer.text_program(demo_headlines[1].text, AMBER, dwell=8.0)
    # Same time, same picture, however it is reached; 2 s at 30 px/s is 60 px.
    assert program.key(2.0) == 60
    assert program.frame(2.0).tobytes() == program.frame(2.0).tobytes()
    shifted = program.frame(2.0)
    earlier = program.frame(2.0 - 1 / 30)  # one pixel earlier
    assert shifted.crop((0, 0, 127, 32)).tobytes() == earlier.crop((1, 0, 128, 32)).tobytes()


def test_scroll_never_moves_more_than_one_pixel_per_frame() -> None:
    fps = 60.0
    offsets = [scroll_offset(k / fps, speed=300.0, fps=fps, travel=10_000) for k in range(600)]
    steps = {b - a for a, b in itertools.pairwise(offsets)}
    assert steps == {1}  # 300 px/s asked, 60 px/s delivered at 60 fps
    slow = [scroll_offset(k / fps, speed=25.0, fps=fps, travel=10_000) for k in range(600)]
    assert {b - a for a, b in itertools.pairwise(slow)} == {0, 1}
    assert slow[-1] == pytest.approx(599 / fps * 25.0, abs=1)


def test_text_that_fits_two_lines_is_wrapped_static_without_leading_punctuation(unifont: Path) -> None:
    spec = FontSpec(unifont, 16, pixel=True)
    text = "办事满意吗？请在窗口评价器或触摸屏上评价"
    rows = wrap(text, spec, 160, 2)
    assert rows is not None and len(rows) == 2 and "".join(rows) == text
    assert rows[1][0] not in "，。？！"
    assert wrap(text, spec, 96, 2) is None  # would need more lines: it scrolls instead
    renderer = build_renderer(pixel_section(panel="160x32", lines=2))
    program = renderer.text_program(text, AMBER, dwell=8.0)
    assert not program.scrolls
    frame = program.frame(0.0)
    assert lit(frame.crop((0, 0, 160, 16))) > 0 and lit(frame.crop((0, 16, 160, 32))) > 0


def test_closing_punctuation_is_carried_with_its_character(unifont: Path) -> None:
    spec = FontSpec(unifont, 16, pixel=True)
    rows = wrap("一二三四。五六", spec, 64, 2)  # four cells per row; "。" would start row two
    assert rows == ["一二三", "四。五六"]


def _breaks_obey_kinsoku(rows: list[str]) -> bool:
    """No row after the first starts with closing punctuation, none before the last ends with opening."""
    return not any(row[0] in CLOSING_PUNCTUATION for row in rows[1:]) and not any(
        row[-1] in OPENING_PUNCTUATION for row in rows[:-1]
    )


# What the panel once broke on and the kiosk never did: one table of line-breaking rules for both.
NEVER_START_ON_THE_PANEL = "〕〗％．］｝～ー々"
NEVER_END_ON_THE_PANEL = "〔〖［｛￥＄"


@pytest.mark.parametrize("closer", NEVER_START_ON_THE_PANEL)
def test_a_full_width_closer_never_starts_a_panel_line(unifont: Path, closer: str) -> None:
    spec = FontSpec(unifont, 16, pixel=True)
    rows = wrap(f"一二三四{closer}五六", spec, 64, 3)  # four cells per row: the closer would start row two
    assert rows is not None and "".join(rows) == f"一二三四{closer}五六"
    assert not rows[1].startswith(closer), rows


@pytest.mark.parametrize("opener", NEVER_END_ON_THE_PANEL)
def test_a_full_width_opener_never_ends_a_panel_line(unifont: Path, opener: str) -> None:
    spec = FontSpec(unifont, 16, pixel=True)
    rows = wrap(f"一二三{opener}四五六", spec, 64, 3)  # the opener would end row one
    assert rows is not None and "".join(rows) == f"一二三{opener}四五六"
    assert not rows[0].endswith(opener), rows


def test_the_panel_breaks_by_the_kiosks_rules_for_every_character_they_name(unifont: Path) -> None:
    spec = FontSpec(unifont, 16, pixel=True)
    for closer in sorted(CLOSING_PUNCTUATION):
        rows = wrap(f"一二三四{closer}五六", spec, 64, 3)
        assert rows is not None and _breaks_obey_kinsoku(rows), (closer, rows)
    for opener in sorted(OPENING_PUNCTUATION):
        rows = wrap(f"一二三{opener}四五六", spec, 64, 3)
        assert rows is not None and _breaks_obey_kinsoku(rows), (opener, rows)


def test_big_wall_uses_the_ui_font_and_fills_its_height(noto: Path, demo_headlines: list[Headline]) -> None:
    renderer = build_renderer(wall_section(panel="1920x240"))
    assert not renderer.font.pixel and renderer.font.size > 150
    program = renderer.text_program(demo_headlines[0].text, AMBER, dwell=8.0)
    frame = program.frame(program.duration / 2)
    box = frame.getbbox()
    assert box is not None and box[3] - box[1] > 150
    assert len(set(frame.getdata())) > 2  # anti-aliased edges on a big wall


def test_clock_zone_takes_its_own_area(unifont: Path) -> None:
    renderer = build_renderer(pixel_section(panel="128x32", clock={"position": "right"}))
    assert renderer.layout.clock_box is not None
    assert renderer.layout.clock_box[2] == 128 and renderer.layout.text_width < 128
    clock = renderer.clock_image("09:30", (64, 255, 128))
    assert clock is not None and lit(clock) > 0
    program = renderer.text_program("欢迎", AMBER, dwell=5.0, clock=clock)
    frame = program.frame(0.0)
    zone = frame.crop(renderer.layout.clock_box)
    assert (64, 255, 128) in set(zone.getdata())


def test_brightness_is_baked_into_the_colours(unifont: Path) -> None:
    renderer = build_renderer(pixel_section(panel="128x32", background="#204060"))
    bright = renderer.text_program("请取号", (200, 100, 50), dwell=5.0).frame(0.0)
    half = renderer.at_level(0.5).text_program("请取号", (200, 100, 50), dwell=5.0).frame(0.0)
    assert set(bright.getdata()) == {(200, 100, 50), (0x20, 0x40, 0x60)}
    assert set(half.getdata()) == {(100, 50, 25), (0x10, 0x20, 0x30)}
    assert renderer.at_level(1.0) is renderer


def test_brightness_schedule_and_dim_clock_apply_per_slot(unifont: Path) -> None:
    from datetime import datetime, time, timedelta, timezone

    from display.render.setup import SlotLook
    from display.schedule import Slot

    section = pixel_section(
        panel="128x32",
        brightness_schedule=[{"start": time(18), "end": time(21), "level": 0.25}],
        foreground="#ffffff",
    )
    look = SlotLook(section, build_renderer(section))
    evening = datetime(2026, 11, 25, 19, 0, tzinfo=timezone(timedelta(hours=8)))
    text = Headline(kind="headline", id="a", text="欢迎")
    assert max(look.program(Slot("headline", text), evening, None).frame(0.0).getdata()) == (64, 64, 64)
    assert max(look.program(Slot("headline", text), evening.replace(hour=9), None).frame(0.0).getdata()) == (
        255,
        255,
        255,
    )
    clock = look.program(Slot("clock", brightness=0.1), evening, None).frame(0.0)
    assert clock.getbbox() is not None and max(max(p) for p in clock.getdata()) <= 26
    assert look.program(Slot("dark", brightness=0.0), evening, None).frame(0.0).getbbox() is None


def test_strips_are_rendered_once_and_cached(unifont: Path) -> None:
    renderer = build_renderer(pixel_section(panel="128x32"))
    text = "二〇二七年度城乡居民养老保险开始缴费，可在网上缴纳"
    renderer.text_program(text, AMBER, dwell=8.0)
    renders = renderer.strips.renders
    for _ in range(5):
        renderer.text_program(text, AMBER, dwell=8.0)
    assert renderer.strips.renders == renders


def test_layout_without_room_for_the_clock_keeps_the_whole_panel() -> None:
    layout = Layout.build(64, 16, clock="left", clock_width=64)
    assert layout.clock_box is None and layout.text_width == 64


def _bundled_pixel_look() -> tuple[object, object]:
    from display.render.setup import SlotLook
    from feed.assets import led_font

    section = pixel_section(font=str(led_font()), panel="512x16", clock={"position": "none"})
    renderer = build_renderer(section)
    return SlotLook(section, renderer), renderer


def test_control_characters_reach_neither_the_panel_nor_the_log(caplog: pytest.LogCaptureFixture) -> None:
    """What a store could hold whatever the builder refuses: drawn and logged without them."""
    from datetime import datetime

    from display.schedule import Slot

    look, _ = _bundled_pixel_look()
    now = datetime(2026, 11, 25, 9, 0)
    raw = Headline.model_construct(id="ctl", text="办事\x00（请勿前往）\x1b[2J\U00031350")
    clean = Headline(kind="headline", id="clean", text="办事（请勿前往）[2J\U00031350")
    with caplog.at_level("WARNING"):
        drawn = look.program(Slot("headline", raw), now, None)  # type: ignore[attr-defined]
    expected = look.program(Slot("headline", clean), now, None)  # type: ignore[attr-defined]
    assert not drawn.scrolls and drawn.frame(0.0).getbbox() is not None
    assert drawn.frame(0.0).tobytes() == expected.frame(0.0).tobytes()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "ctl" in logged and "\U00031350" in logged  # the one character no font has is named
    assert not any(ord(c) < 0x20 and c != "\n" for c in logged)


def test_a_character_the_pixel_font_lacks_comes_from_the_ui_font() -> None:
    from feed.assets import led_font

    spec = FontSpec(led_font(), 16, pixel=True)
    strip = StripCache().get(StripKey("𬌗", spec, AMBER, BLACK, 16))
    box = StripCache().get(StripKey("\U0010fffd", spec, AMBER, BLACK, 16))  # in no font: 〓
    mark = StripCache().get(StripKey("〓", spec, AMBER, BLACK, 16))
    assert lit(strip) > 20 and strip.tobytes() != mark.tobytes()
    assert box.tobytes() == mark.tobytes()
