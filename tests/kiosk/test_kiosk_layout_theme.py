"""Layout choice for the three screen shapes; theme contrast and the MIIT ageing-friendly numbers."""

from __future__ import annotations

import pytest

from feed.screen.colours import parse_hex
from kiosk.logic.layout import LAYOUTS, choose_layout, rows_per_page
from kiosk.logic.theme import ELDERLY, STANDARD, Theme, contrast_ratio, kivy_rgba, theme_for


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((1080, 1920), "portrait"),
        ((1920, 1080), "landscape"),
        ((1280, 800), "tablet"),
        ((3840, 2160), "landscape"),
        ((768, 1366), "portrait"),
        ((1024, 768), "tablet"),
        ((2560, 1600), "tablet"),
        ((0, 0), "tablet"),
    ],
)
def test_auto_layout_from_window_size(size: tuple[int, int], expected: str) -> None:
    assert choose_layout("auto", size).name == expected


def test_named_layout_wins_over_window_size() -> None:
    assert choose_layout("portrait", (1920, 1080)).name == "portrait"
    with pytest.raises(ValueError):
        choose_layout("square", (100, 100))


def test_layouts_match_their_design_sizes() -> None:
    assert LAYOUTS["portrait"].size == (1080, 1920)
    assert LAYOUTS["landscape"].size == (1920, 1080)
    assert LAYOUTS["tablet"].size == (1280, 800)
    for layout in LAYOUTS.values():
        assert choose_layout("auto", layout.size) is layout
        assert layout.font_scale >= 1.0
        assert layout.row_height_dp >= STANDARD.touch_target_dp


def test_a_page_holds_the_rows_that_fit_whole() -> None:
    assert rows_per_page(573.0, 96.0, most=8) == 5  # 5.97 rows: the sixth would be cut off
    assert rows_per_page(576.0, 96.0, most=8) == 6  # exactly six
    assert rows_per_page(2000.0, 96.0, most=8) == 8  # room to spare: the layout's most
    assert rows_per_page(40.0, 96.0, most=8) == 1  # less than a row: one row, scrolled
    assert rows_per_page(-10.0, 96.0, most=8) == 1  # not laid out yet
    assert rows_per_page(500.0, 0.0, most=8) == 8  # nothing measured yet


def test_wcag_contrast_formula() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#ff0000", "#ffffff") == pytest.approx(4.0, abs=0.01)
    assert contrast_ratio("#123456", "#fedcba") == contrast_ratio("#fedcba", "#123456")


@pytest.mark.parametrize("theme", [STANDARD, ELDERLY], ids=lambda t: t.name)
def test_every_text_pair_meets_4_5_to_1(theme: Theme) -> None:
    pairs = theme.palette.text_pairs()
    assert len(pairs) >= 10
    for name, fg, bg in pairs:
        assert contrast_ratio(fg, bg) >= 4.5, f"{name}: {fg} on {bg}"


def test_elderly_theme_meets_the_miit_numbers_with_margin() -> None:
    fonts = ELDERLY.fonts
    assert min(fonts.small, fonts.body, fonts.button, fonts.heading) >= 24  # rule: body ≥ 18 dp
    assert fonts.title >= 30
    assert ELDERLY.line_height >= 1.3
    assert ELDERLY.touch_target_dp >= 60
    for name, fg, bg in ELDERLY.palette.text_pairs():
        assert contrast_ratio(fg, bg) >= 7.0, f"{name}: elderly mode aims at AAA"


def test_elderly_is_larger_than_standard_everywhere() -> None:
    for field in ("small", "body", "button", "heading", "title"):
        assert getattr(ELDERLY.fonts, field) > getattr(STANDARD.fonts, field)
    assert ELDERLY.touch_target_dp > STANDARD.touch_target_dp


def test_scaling_only_enlarges() -> None:
    assert theme_for(True, 0.5) is ELDERLY
    big = theme_for(True, 1.5)
    assert big.fonts.body == ELDERLY.fonts.body * 1.5 and big.touch_target_dp == ELDERLY.touch_target_dp * 1.5
    assert theme_for(False) is STANDARD


def test_colour_helpers() -> None:
    assert parse_hex("#1a2b3c") == (26, 43, 60)
    assert kivy_rgba("#ff0000", 0.5) == (1.0, 0.0, 0.0, 0.5)
    with pytest.raises(ValueError):
        parse_hex("red")
