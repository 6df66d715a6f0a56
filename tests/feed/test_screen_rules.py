"""The rules the publisher's check and both apps share: link syntax and QR fit, text sanitising and
bounds, font coverage with per-character fallback, image probing and decoding within bounds."""

from __future__ import annotations

import pytest

from feed.screen.glyphs import MISSING_MARK, Coverage, font_runs, led_coverage, parse_cmap, ui_coverage
from feed.screen.images import IMAGE_MAX_PIXELS, ImageError, decode_for_screen, probe_image
from feed.screen.links import MIN_MODULE_PX, UrlError, check_url, qr_fit
from feed.screen.text import TEXT_LIMIT_CHARS, clip_text, screen_text
from tests.screen_content import animated_gif, banded_png, huge_png


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.qinghe.example/a?b=1#c", "https://www.qinghe.example/a?b=1#c"),
        ("https://www.qinghe.example/指南", "https://www.qinghe.example/%E6%8C%87%E5%8D%97"),
        (
            "https://www.qinghe.example/a%20b/指",
            "https://www.qinghe.example/a%20b/%E6%8C%87",
        ),  # no double escape
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ],
)
def test_check_url_percent_encodes_only_what_is_not_ascii(url: str, expected: str) -> None:
    assert check_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://政务.中国/",
        "https://user@www.qinghe.example/",
        "ftp://www.qinghe.example/",
        "https://www.qinghe.example/a b",
        "https://www.qinghe.example:99999/",
        "https:///nohost",
        "https://a_b.example/",
    ],
)
def test_check_url_refuses_in_both_languages(url: str) -> None:
    with pytest.raises(UrlError) as caught:
        check_url(url)
    assert caught.value.english and caught.value.chinese


def test_qr_fit_is_by_whole_pixel_modules_not_length() -> None:
    short = qr_fit("https://www.qinghe.example/", 150)
    assert short.fits and short.module_px == 150 // short.modules and short.modules * short.module_px <= 150
    dense = qr_fit("https://www.qinghe.example/?q=" + "x" * 1200, 150)
    assert not dense.fits and dense.module_px < MIN_MODULE_PX
    assert qr_fit("https://www.qinghe.example/?q=" + "x" * 1200, dense.needs_px).fits
    assert not qr_fit("https://x.example/" + "x" * 5000, 10_000).fits  # no QR version holds it


def test_screen_text_removes_what_hides_text_and_keeps_the_rest() -> None:
    assert screen_text("甲\x00乙\x1b[31m丙\u202e丁\ud800") == "甲乙[31m丙丁"
    assert screen_text("一\r\n二\r三\u2028四") == "一\n二\n三\n四"
    assert screen_text("一\n二\t三", multiline=False) == "一 二 三"
    plain = "没有控制字符的文字"
    assert screen_text(plain) is plain


def test_clip_text_cuts_at_a_sentence_end_and_says_so() -> None:
    text = "第一句。" * 2000
    clipped, cut = clip_text(text)
    assert cut and clipped.endswith("。……") and len(clipped) <= TEXT_LIMIT_CHARS + 2
    assert clip_text("短。") == ("短。", False)


def test_bundled_fonts_fall_back_to_each_other_per_character() -> None:
    ui, led = ui_coverage(), led_coverage()
    assert ui is not None and led is not None
    for name in "王喆李堃陈赟䶮":
        assert ui.has(name) and led.has(name), name
    assert ui.has("𬌗") and not led.has("𬌗")  # 通用规范汉字表, outside the BMP: the UI font only
    assert led.has("\u9ff0") and not ui.has("\u9ff0")  # Unicode 14 ideograph: Unifont only
    assert font_runs("王喆𬌗\u9ff0", [led, ui]) == [(0, "王喆"), (1, "𬌗"), (0, "\u9ff0")]
    assert font_runs("甲 \U00031350乙", [ui, led]) == [(0, "甲 "), (None, "\U00031350"), (0, "乙")]
    assert MISSING_MARK == "〓" and ui.has(MISSING_MARK) and led.has(MISSING_MARK)


def test_cmap_listing_is_parsed_strictly() -> None:
    coverage = parse_cmap("x", "0041-005A\n4E00\n")
    assert (
        isinstance(coverage, Coverage) and coverage.has("Q") and coverage.has("一") and not coverage.has("a")
    )
    assert coverage.size == 27
    with pytest.raises(ValueError, match="line 2"):
        parse_cmap("x", "0041-005A\n0042\n")


def test_probe_refuses_what_no_screen_draws_from_the_header_alone() -> None:
    assert probe_image(banded_png(750, 6000)).pixels == 750 * 6000
    assert probe_image(animated_gif()).animated
    for data in (huge_png(), huge_png(7000)):
        with pytest.raises(ImageError) as caught:
            probe_image(data)
        assert f"{IMAGE_MAX_PIXELS:,}" in caught.value.english and caught.value.chinese


@pytest.mark.slow
def test_decode_for_screen_scales_down_and_cuts_bands() -> None:
    decoded = decode_for_screen(banded_png(750, 20000), 500, 4096)
    assert decoded.width == 500 and decoded.height == round(20000 * 500 / 750)
    assert [rows for rows, _ in decoded.bands][:-1] == [4096] * (len(decoded.bands) - 1)
    assert all(len(data) == rows * 500 * 4 for rows, data in decoded.bands)
    small = decode_for_screen(banded_png(100, 50), 500, 4096)
    assert (small.width, small.height) == (100, 50)  # never scaled up
