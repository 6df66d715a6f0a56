"""The shipped UI and LED fonts cover everything the apps and the demo content show (no Kivy here)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

from feed.assets import led_font, ui_font

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "make_font_subsets.py"
FONTS = {"ui": ui_font(), "led": led_font()}


@pytest.fixture(scope="module")
def subsets() -> ModuleType:
    """scripts/make_font_subsets.py: its scanners define what the fonts must cover."""
    spec = importlib.util.spec_from_file_location("make_font_subsets", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _cmap(path: Path) -> dict[int, str]:
    cmap: dict[int, str] = TTFont(str(path), lazy=True).getBestCmap()
    return cmap


def _show(missing: set[str]) -> str:
    return " ".join(f"{c}(U+{ord(c):04X})" for c in sorted(missing))


@pytest.mark.parametrize(
    ("which", "flavour"),
    [
        ("ui", b"\x00\x01\x00\x00"),  # TrueType outlines: FreeType opens them ~5x faster than CFF
        ("led", b"OTTO"),
    ],
)
def test_font_is_a_single_face_file_of_its_flavour(which: str, flavour: bytes) -> None:
    path = FONTS[which]
    assert path.read_bytes()[:4] == flavour, "a single face of the expected outline flavour, not a collection"
    assert (path.parent / {"ui": "LICENSE-NotoSansCJK.txt", "led": "LICENSE-Unifont.txt"}[which]).exists()


def test_truetype_outlines_stay_within_a_thousandth_of_an_em_of_the_source(subsets: ModuleType) -> None:
    """The UI font's quadratic outlines, compared with the cubic ones of the Noto face they came from."""
    if not subsets.NOTO_COLLECTION.exists():
        pytest.skip("fonts-noto-cjk is not installed (only needed to regenerate the fonts)")
    from fontTools.pens.boundsPen import BoundsPen

    source = subsets.noto_sc_face()
    shipped = TTFont(str(FONTS["ui"]))
    source_glyphs, shipped_glyphs = source.getGlyphSet(), shipped.getGlyphSet()
    source_cmap, shipped_cmap = source.getBestCmap(), shipped.getBestCmap()
    for char in "政务服务中心办事指南（）“”，。0aA@":
        bounds = []
        for glyphs, cmap in ((source_glyphs, source_cmap), (shipped_glyphs, shipped_cmap)):
            pen = BoundsPen(glyphs)
            glyphs[cmap[ord(char)]].draw(pen)
            bounds.append(pen.bounds)
        assert bounds[0] is not None and bounds[1] is not None, char
        assert max(abs(a - b) for a, b in zip(bounds[0], bounds[1], strict=True)) <= 1.5, char
        assert shipped["hmtx"][shipped_cmap[ord(char)]][0] == source["hmtx"][source_cmap[ord(char)]][0], char


def test_scanners_find_the_content_and_the_app_strings(subsets: ModuleType) -> None:
    demo: set[str] = subsets.demo_characters()
    code: set[str] = subsets.code_characters()
    assert {"青", "禾", "“", "”", "—", "〔", "〕", "[", "&"} <= demo
    assert sum(1 for c in code if "\u4e00" <= c <= "\u9fff") > 50, "the apps' Chinese UI text"
    assert "\n" not in demo | code


@pytest.mark.parametrize("which", sorted(FONTS))
def test_every_character_of_the_content_and_the_apps_is_in_the_font(subsets: ModuleType, which: str) -> None:
    """Scans assets/demo, kiosk/ and display/ now, so new UI strings are checked as they land."""
    needed: set[str] = subsets.demo_characters() | subsets.code_characters()
    cmap = _cmap(FONTS[which])
    missing = {c for c in needed if ord(c) not in cmap}
    assert not missing, f"run scripts/make_font_subsets.py; missing: {_show(missing)}"


@pytest.mark.parametrize("which", sorted(FONTS))
def test_gb2312_level_1_hanzi_are_covered(which: str) -> None:
    level_1 = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                level_1.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    assert len(level_1) == 3755
    cmap = _cmap(FONTS[which])
    missing = {c for c in level_1 if ord(c) not in cmap}
    assert not missing, _show(missing)


def _render(font: ImageFont.FreeTypeFont, text: str, mode: str) -> Image.Image:
    width = int(font.getlength(text)) + 4
    ascent, descent = font.getmetrics()
    image = Image.new("L", (width, ascent + descent), 0)
    draw = ImageDraw.Draw(image)
    draw.fontmode = mode
    draw.text((0, 0), text, font=font, fill=255)
    return image


def test_led_font_draws_crisp_pixels_at_16_px() -> None:
    """Unifont's outlines sit on the pixel grid: even an anti-aliased render has no grey pixels."""
    font = ImageFont.truetype(str(led_font()), 16)
    ascent, descent = font.getmetrics()
    assert ascent + descent == 16
    text = "【紧急提示】青禾市政务服务中心 9:00—17:30 A区3-5号窗口"
    smooth = _render(font, text, "L")
    sharp = _render(font, text, "1")
    assert set(smooth.getdata()) == {0, 255}
    assert smooth.tobytes() == sharp.tobytes()


def test_ui_font_draws_real_glyphs_not_boxes() -> None:
    font = ImageFont.truetype(str(ui_font()), 48)
    notdef = _render(font, "\U0010fffd", "L").tobytes()
    for text in ("青", "禾", "办", "A", "“"):
        glyph = _render(font, text, "L")
        assert glyph.getbbox() is not None and glyph.tobytes() != notdef, text


def test_check_mode_passes_on_the_shipped_fonts() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr


def test_check_mode_names_a_missing_character(tmp_path: Path) -> None:
    for path in FONTS["ui"].parent.iterdir():
        shutil.copy(path, tmp_path / path.name)
    font = TTFont(str(tmp_path / FONTS["ui"].name))
    for table in font["cmap"].tables:
        table.cmap.pop(ord("禾"), None)
    font.save(str(tmp_path / FONTS["ui"].name))
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--fonts-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "U+79BE" in result.stderr and FONTS["ui"].name in result.stderr
    assert "U+79BE" not in result.stdout  # the LED font still has it and says so


def test_licence_files_carry_the_licence_texts() -> None:
    noto = (ui_font().parent / "LICENSE-NotoSansCJK.txt").read_text(encoding="utf-8")
    unifont = (led_font().parent / "LICENSE-Unifont.txt").read_text(encoding="utf-8")
    for text in (noto, unifont):
        assert "SIL OPEN FONT LICENSE Version 1.1" in text and "TERMINATION" in text
    assert "Adobe" in noto
    assert "GNU GENERAL PUBLIC LICENSE" in unifont and "As a special exception" in unifont


@pytest.mark.parametrize("which", sorted(FONTS))
def test_cmap_listing_beside_each_font_is_its_code_points(subsets: ModuleType, which: str) -> None:
    """feed/screen/glyphs.py trusts the listing instead of parsing the font: it must be the font's cmap."""
    path = FONTS[which]
    listed = path.with_name(path.name + ".cmap").read_text(encoding="ascii")
    assert listed == subsets.cmap_text(sorted(_cmap(path)))


def test_the_tongyong_guifan_list_and_gb18030_level_2_are_covered(subsets: ModuleType) -> None:
    """All 8,105 characters of the 通用规范汉字表 in the UI font, its BMP part in the LED font (which
    falls back to the UI font for the 196 outside it), and every ideograph GB 18030-2022 level 1 lists
    in the BMP (U+4E00-U+9FEF, Extension A U+3400-U+4DB5) in both."""
    tongyong = subsets.tongyong_characters()
    assert len(tongyong) == 8105
    assert sum(1 for c in tongyong if ord(c) > 0xFFFF) == 196
    level_1 = {chr(c) for c in (*range(0x3400, 0x4DB6), *range(0x4E00, 0x9FF0))}
    ui, led = _cmap(FONTS["ui"]), _cmap(FONTS["led"])
    assert not {c for c in tongyong | level_1 if ord(c) not in ui}
    assert not {c for c in tongyong | level_1 if ord(c) <= 0xFFFF and ord(c) not in led}
    assert {ord(c) for c in "王喆李堃陈赟"} <= set(ui) & set(led)
