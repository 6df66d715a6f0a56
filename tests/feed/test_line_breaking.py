"""Paragraphs and kinsoku line breaking on real Chinese text (the rule every screen uses)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from PIL import ImageFont

from feed.assets import ui_font
from feed.screen.line_breaking import (
    CLOSING_PUNCTUATION,
    OPENING_PUNCTUATION,
    CachedMeasure,
    is_wide,
    paragraphs,
    wrap_cjk,
    wrap_paragraphs,
)

BODY = (
    "申请人应当提交身份证明材料（原件），经窗口审核后当场办理。不动产登记中心地址："
    "青禾市民和路88号，咨询电话0000-6123420。材料不全的，窗口一次性告知需要补正的全部内容；"
    "符合容缺受理条件的，可先行受理。详见《不动产登记暂行条例》第二十条、"
    "“一窗受理”工作规范……办理结果可选择邮寄送达。"
)


EM = 20.0
_SYSTEM_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def em_measure(text: str) -> float:
    """A fixed-pitch stand-in for a CJK font at 20 px: wide characters 1 em, the rest half an em."""
    return sum(EM if is_wide(char) else EM / 2 for char in text)


@pytest.fixture(scope="session")
def font_measure() -> Callable[[str], float]:
    """Widths from a real CJK font drawn by FreeType (the bundled subset, or Debian's Noto CJK)."""
    if ui_font().exists():
        font = ImageFont.truetype(str(ui_font()), 24)
    elif _SYSTEM_CJK.exists():
        font = ImageFont.truetype(str(_SYSTEM_CJK), 24, index=2)  # index 2: Noto Sans CJK SC
    else:
        pytest.skip("no CJK font installed (run `make fonts` or install fonts-noto-cjk)")
    return font.getlength


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _check_kinsoku(lines: list[str]) -> None:
    """At every break the wrapper made (the text itself may start with a closer or end with an opener)."""
    for number in range(len(lines) - 1):
        before, after = lines[number], lines[number + 1]
        if before and after:
            assert before[-1] not in OPENING_PUNCTUATION, f"line {number} ends with {before[-1]!r}: {lines}"
            assert after[0] not in CLOSING_PUNCTUATION, f"line {number + 1} starts with {after[0]!r}: {lines}"


def test_paragraphs_split_at_blank_lines_and_join_wrapped_lines() -> None:
    body = "　　第一段第一行\n第一段第二行。\n\n  \nEnglish words\nwrapped here\n\n\n\n第三段\r\n结束"
    assert paragraphs(body) == ["　　第一段第一行第一段第二行。", "English words wrapped here", "第三段结束"]
    assert paragraphs("") == []
    assert paragraphs("\n\n \n") == []


def test_every_width_keeps_text_and_obeys_kinsoku() -> None:
    for ems in range(3, 30):
        width = ems * EM
        lines = wrap_cjk(BODY, width, em_measure)
        assert _squash("".join(lines)) == _squash(BODY)
        _check_kinsoku(lines)
        assert all(em_measure(line) <= width for line in lines), (ems, lines)


def test_closing_punctuation_pulls_the_previous_character_down() -> None:
    # Six characters fit; the seventh is "，" which may not start a line, so "料" goes with it;
    # the same happens to "核" and the final "。".
    lines = wrap_cjk("提交申请材料，等待审核。", 6 * EM, em_measure)
    assert lines == ["提交申请材", "料，等待审", "核。"]


def test_opening_punctuation_moves_to_the_next_line() -> None:
    # "（" would be the last character of the first line: it goes down with what it opens.
    lines = wrap_cjk("携带身份证（原件）办理", 6 * EM, em_measure)
    assert lines == ["携带身份证", "（原件）办理"]


def test_ellipsis_and_dash_stay_whole_and_never_start_a_line() -> None:
    lines = wrap_cjk("等待中……请稍候——马上就好", 4 * EM, em_measure)
    _check_kinsoku(lines)
    assert not any(line.startswith(("…", "—")) for line in lines)
    assert "……" in "".join(lines) and all("…" not in line or "……" in line for line in lines)


def test_latin_words_and_numbers_are_not_split() -> None:
    text = "请拨打电话0571-88886666或访问zwfw.qinghe.example查询办理进度"
    lines = wrap_cjk(text, 12 * EM, em_measure)
    joined_words = [w for line in lines for w in re.findall(r"[A-Za-z0-9.\-]+", line)]
    assert "0571-88886666" in joined_words
    assert "zwfw.qinghe.example" in joined_words


def test_a_word_wider_than_the_line_is_split_as_a_last_resort() -> None:
    url = "https://zwfw.qinghe.example/guide/000173002000/materials"
    lines = wrap_cjk(url, 10 * EM, em_measure)
    assert len(lines) > 1
    assert "".join(lines) == url
    assert all(em_measure(line) <= 10 * EM for line in lines)


def test_spaces_break_latin_text_and_vanish_at_line_ends() -> None:
    lines = wrap_cjk("Service hall opening hours are 9 to 5", 10 * EM, em_measure)
    assert lines == ["Service hall opening", "hours are 9 to 5"]


def test_line_breaks_in_the_text_are_kept() -> None:
    assert wrap_cjk("第一行\n\n第三行", 10 * EM, em_measure) == ["第一行", "", "第三行"]


def test_zero_width_means_not_laid_out_yet() -> None:
    assert wrap_cjk("一二三\n四五", 0, em_measure) == ["一二三", "四五"]


def test_wrap_paragraphs_separates_paragraphs_with_an_empty_line() -> None:
    lines = wrap_paragraphs("第一段内容比较长需要换行。\n\n第二段。", 6 * EM, em_measure)
    assert lines == ["第一段内容比", "较长需要换", "行。", "", "第二段。"]


def test_real_font_widths(font_measure: Callable[[str], float]) -> None:
    width = 360.0
    lines = wrap_cjk(BODY, width, font_measure)
    _check_kinsoku(lines)
    assert _squash("".join(lines)) == _squash(BODY)
    # Summed per-character widths vs. the font's own measure of the line: within kerning slack.
    assert all(font_measure(line) <= width + 4 for line in lines)
    # And the lines are filled: none but the last is shorter than the line minus two characters.
    assert all(font_measure(line) > width - 3 * 24 for line in lines[:-1])


def test_long_body_costs_one_measure_per_distinct_token() -> None:
    body = (BODY * 400)[:100_000]
    measure = CachedMeasure(em_measure)
    lines = wrap_cjk(body, 30 * EM, measure)
    distinct = set(body) | set(re.findall(r"[A-Za-z0-9][A-Za-z0-9.\-]*", body)) | {" "}
    assert measure.calls <= len(distinct)
    assert _squash("".join(lines)) == _squash(body)


_CJK = list("办理申请材料登记窗口审核不动产社保公积金")
_CLOSERS = list("，。、；：？！）」』】》…")
_OPENERS = list("（「『【《")


@st.composite
def _chinese_text(draw: st.DrawFn) -> str:
    tokens = draw(
        st.lists(
            st.one_of(
                st.sampled_from(_CJK),
                st.sampled_from(_CLOSERS),
                st.sampled_from(_OPENERS),
                st.from_regex(r"[A-Za-z0-9]{1,6}", fullmatch=True),
                st.just(" "),
            ),
            max_size=120,
        )
    )
    return "".join(tokens)


@settings(max_examples=300, deadline=None)
@given(_chinese_text(), st.integers(min_value=8, max_value=40))
def test_wrapping_any_text(text: str, ems: int) -> None:
    # Runs of punctuation longer than the line cannot obey kinsoku; real text has none.
    assume(not re.search(r"[（「『【《，。、；：？！）」』】》…]{4,}", text))
    width = ems * EM
    lines = wrap_cjk(text, width, em_measure)
    assert _squash("".join(lines)) == _squash(text)
    _check_kinsoku(lines)
    assert all(em_measure(line) <= width for line in lines)
