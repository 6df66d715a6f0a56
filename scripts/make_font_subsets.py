#!/usr/bin/env python3
"""Subset the shipped fonts to the characters hall-kiosk can show, or check that they still cover them.

Two fonts are cut from Debian packages with fontTools:

- UI font  assets/fonts/NotoSansSC-Subset.ttf  from the SC face of fonts-noto-cjk's NotoSansCJK-Regular.ttc
- LED font assets/fonts/unifont-subset.otf     from fonts-unifont's unifont.otf (16 px pixel font)

The character set is printable ASCII, Latin-1, General Punctuation, CJK Symbols and Punctuation,
Halfwidth and Fullwidth Forms, all of GB2312, the 8,105 characters of the 通用规范汉字表 (read from the
kTGH field of Debian's unicode-data Unihan files), every CJK Unified Ideograph of the BMP and of
Extension A (GB 18030-2022 level 1), every ideograph of Extensions B-G the source font has (which
holds the 196 通用规范汉字表 characters that GB 18030-2022 level 2 adds), every character of the demo
content (assets/demo) and every character in string literals under kiosk/ and display/ (*.py, *.kv).
Each font keeps what its source has; the apps fall back per character to the other font (see
feed/screen/glyphs.py), so Unifont (BMP only) lends the UI font nothing outside the BMP and vice versa.
The UI font's cubic (CFF) outlines are converted to quadratic TrueType ones: FreeType opens a CFF face
of this size in ~7 ms and a TrueType face in ~1.5 ms, and Kivy opens one face per size and weight it
draws (seven on the attract screen alone). Beside each font a `.cmap` file lists the code points it
maps, so an app knows what it can draw without parsing the font at start-up. The licence files
beside the fonts are written from the packages' own licence texts. Running it twice gives identical
files.

    .venv/bin/python scripts/make_font_subsets.py            # regenerate fonts and licence files
    .venv/bin/python scripts/make_font_subsets.py --check    # exit 1, listing what is missing
"""

from __future__ import annotations

import argparse
import ast
import bz2
import logging
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

REPO = Path(__file__).resolve().parent.parent
FONTS_DIR = REPO / "assets" / "fonts"
DEMO_DIR = REPO / "assets" / "demo"
CODE_DIRS = ("kiosk", "display")
DEMO_TEXT_SUFFIXES = {".yaml", ".yml", ".md", ".txt", ".json", ".toml"}

NOTO_COLLECTION = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_FAMILY = "Noto Sans CJK SC"
NOTO_COPYRIGHT_FILE = Path("/usr/share/doc/fonts-noto-cjk/copyright")
UNIFONT = Path("/usr/share/fonts/opentype/unifont/unifont.otf")
GPL2_FILE = Path("/usr/share/common-licenses/GPL-2")
UNIHAN_MAPPINGS = Path("/usr/share/unicode/Unihan_OtherMappings.txt.bz2")

BLOCKS = (
    (0x0020, 0x007E),  # printable ASCII
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x2000, 0x206F),  # General Punctuation
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
)
# CJK Unified Ideographs: Extension A and the BMP block (GB 18030-2022 level 1), then Extensions B-G.
IDEOGRAPH_BLOCKS_BMP = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))
IDEOGRAPH_BLOCKS_SUPPLEMENTARY = ((0x20000, 0x2FA1F), (0x30000, 0x3134F))
# Vertical metrics and the Windows signature serve nothing a horizontal-only Kivy/Pillow app draws.
DROPPED_TABLES = ["VORG", "vhea", "vmtx", "DSIG"]
# Shaping features worth keeping for horizontal Chinese and Latin text. `locl` is left out on purpose:
# the SC face's cmap already gives Simplified Chinese forms, and keeping the JP/KR/TC alternates
# `locl` reaches would add ~5,800 glyphs (1.9 MB -> 3.4 MB) nobody asks for.
LAYOUT_FEATURES = ["ccmp", "kern", "liga", "calt", "mark", "mkmk"]
# Largest distance, in font units (1000 per em), of a quadratic outline from the cubic one it replaces:
# a thousandth of the type size, under a pixel at any size the kiosk draws.
MAX_CURVE_ERROR = 1.0
# The OFL 1.1 text starts with this line in the Debian copyright file.
OFL_FIRST_LINE = "SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007"
# The GNU font embedding exception Unifont's GPL option comes with (quoted from the FSF font FAQ).
FONT_EXCEPTION = (
    "As a special exception, if you create a document which uses this font, and embed this font or "
    "unaltered portions of this font into the document, this font does not by itself cause the "
    "resulting document to be covered by the GNU General Public License. This exception does not "
    "however invalidate any other reasons why the document might be covered by the GNU General Public "
    "License. If you modify this font, you may extend this exception to your version of the font, but "
    "you are not obligated to do so. If you do not wish to do so, delete this exception statement from "
    "your version."
)


@dataclass(frozen=True)
class FontJob:
    output: str
    licence: str
    family: str
    postscript: str
    truetype: bool  # convert CFF outlines to TrueType ones
    bmp_only: bool = False  # the source font has no supplementary planes: only BMP characters are needed

    def needs(self, characters: set[str]) -> set[str]:
        return {c for c in characters if ord(c) <= 0xFFFF} if self.bmp_only else characters


UI = FontJob(
    "NotoSansSC-Subset.ttf",
    "LICENSE-NotoSansCJK.txt",
    "Noto Sans SC Subset",
    "NotoSansSC-Subset",
    truetype=True,
)
LED = FontJob(
    "unifont-subset.otf",
    "LICENSE-Unifont.txt",
    "Unifont Subset",
    "Unifont-Subset",
    truetype=False,
    bmp_only=True,
)


# ----------------------------------------------------------------------------- character sets


def gb2312_characters(level: int | None = None) -> set[str]:
    """Every character of GB2312 (level 1 hanzi: rows 16-55; level 2: rows 56-87), via Python's codec."""
    rows = {1: range(0xB0, 0xD8), 2: range(0xD8, 0xF8)}.get(level or 0, range(0xA1, 0xF8))
    found: set[str] = set()
    for lead in rows:
        for trail in range(0xA1, 0xFF):
            try:
                found.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return found


def block_characters() -> set[str]:
    return {chr(code) for start, end in BLOCKS for code in range(start, end + 1)}


def ideograph_characters() -> set[str]:
    """Every code point of the CJK Unified Ideographs blocks (BMP, Extension A, Extensions B-G)."""
    blocks = IDEOGRAPH_BLOCKS_BMP + IDEOGRAPH_BLOCKS_SUPPLEMENTARY
    return {chr(code) for start, end in blocks for code in range(start, end + 1)}


def tongyong_characters(unihan: Path = UNIHAN_MAPPINGS) -> set[str]:
    """The 8,105 characters of the 通用规范汉字表 (2013), from Unihan's kTGH field."""
    if not unihan.is_file():
        raise SystemExit(f"{unihan}: missing; install Debian's unicode-data package")
    found: set[str] = set()
    with bz2.open(unihan, "rt", encoding="utf-8") as handle:
        for line in handle:
            if "\tkTGH\t" in line:
                found.add(chr(int(line.split("\t", 1)[0].removeprefix("U+"), 16)))
    return found


def _drawable(characters: Iterable[str]) -> set[str]:
    """Drop controls and line breaks, surrogates, private-use and unassigned code points.

    Code can hold a private-use character on purpose (e.g. a probe no font draws); no font owes it.
    """
    return {c for c in characters if unicodedata.category(c) not in ("Cc", "Cs", "Co", "Cn")}


def demo_characters(demo_dir: Path = DEMO_DIR) -> set[str]:
    found: set[str] = set()
    for path in sorted(demo_dir.rglob("*")):
        if path.is_file() and path.suffix.lower() in DEMO_TEXT_SUFFIXES:
            found.update(path.read_text(encoding="utf-8"))
    return _drawable(found)


def _python_literals(source: str, path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def code_characters(repo: Path = REPO) -> set[str]:
    """Characters in string literals of the apps (Python) and in their .kv rules (whole file)."""
    found: set[str] = set()
    for folder in CODE_DIRS:
        root = repo / folder
        for path in sorted(root.rglob("*.py")):
            for literal in _python_literals(path.read_text(encoding="utf-8"), path):
                found.update(literal)
        for path in sorted(root.rglob("*.kv")):
            found.update(path.read_text(encoding="utf-8"))
    return _drawable(found)


def needed_characters(repo: Path = REPO) -> set[str]:
    """What the fonts must draw: content and UI strings, GB2312 and the 通用规范汉字表 (strict)."""
    return (
        demo_characters(repo / "assets" / "demo")
        | code_characters(repo)
        | gb2312_characters()
        | tongyong_characters()
    )


def wanted_characters(repo: Path = REPO) -> set[str]:
    """What the fonts should carry when the source font has it."""
    return needed_characters(repo) | _drawable(block_characters() | ideograph_characters())


# ----------------------------------------------------------------------------- subsetting


def noto_sc_face(collection: Path = NOTO_COLLECTION) -> TTFont:
    """The SC face of the Noto CJK collection, found by its name table rather than by position."""
    for face in TTCollection(str(collection)).fonts:
        names = face["name"]
        if NOTO_FAMILY in (names.getDebugName(16), names.getDebugName(1)):
            face.recalcTimestamp = False
            return face
    raise SystemExit(f"{collection}: no face named {NOTO_FAMILY!r}")


def unifont_face(path: Path = UNIFONT) -> TTFont:
    return TTFont(str(path), recalcTimestamp=False)


def _options() -> subset.Options:
    options = subset.Options()
    options.layout_features = LAYOUT_FEATURES
    options.drop_tables = [*options.drop_tables, *DROPPED_TABLES]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.recalc_bounds = True
    options.recalc_timestamp = False  # identical output on every run
    return options


def _rename(font: TTFont, job: FontJob) -> None:
    """A subset is a Modified Version: give it its own names so it is never mistaken for the original."""
    names = font["name"]
    for name_id, value in (
        (1, job.family),
        (3, f"{job.postscript};hall-kiosk"),
        (4, job.family),
        (6, job.postscript),
        (16, job.family),
    ):
        if name_id in (1, 3, 4, 6) or names.getName(name_id, 3, 1, 0x409) is not None:
            names.setName(value, name_id, 3, 1, 0x409)
            if names.getName(name_id, 1, 0, 0) is not None:
                names.setName(value, name_id, 1, 0, 0)
    if "CFF " in font:
        cff = font["CFF "].cff
        top = cff[cff.fontNames[0]]
        cff.fontNames = [job.postscript]
        for attribute in ("FullName", "FamilyName"):
            if hasattr(top, attribute):
                setattr(top, attribute, job.family)


def to_truetype(font: TTFont, max_error: float = MAX_CURVE_ERROR) -> None:
    """Replace the CFF outlines of `font` with quadratic TrueType outlines, in place (no hints)."""
    glyph_set = font.getGlyphSet()
    order = font.getGlyphOrder()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        # CFF contours run counter-clockwise, TrueType ones clockwise.
        glyph_set[name].draw(Cu2QuPen(pen, max_error, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    del font["CFF "]
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000  # the TrueType maxp; point and contour maxima are recomputed on save
    maxp.maxZones = 1
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxComponentDepth",
    ):
        setattr(maxp, field, 0)
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0  # no glyph names: nothing looks glyphs up by name
    font.sfntVersion = "\x00\x01\x00\x00"


def make_subset(font: TTFont, characters: set[str], job: FontJob, out_dir: Path) -> tuple[Path, set[str]]:
    """Subset `font` in place to `characters` it has; returns the file and the characters it lacked."""
    cmap = font.getBestCmap()
    present = {c for c in characters if ord(c) in cmap}
    subsetter = subset.Subsetter(_options())
    subsetter.populate(unicodes=sorted(ord(c) for c in present))
    subsetter.subset(font)
    _rename(font, job)
    if job.truetype:
        to_truetype(font)
    target = out_dir / job.output
    partial = target.with_name(target.name + ".part")
    font.save(str(partial))
    partial.replace(target)
    _write_if_changed(cmap_path(target), cmap_text(sorted(font.getBestCmap())))
    return target, characters - present


def cmap_path(font: Path) -> Path:
    """The code point list beside a font: feed/screen/glyphs.py reads it (format described there)."""
    return font.with_name(font.name + ".cmap")


def cmap_text(codes: Sequence[int]) -> str:
    """Sorted code points as ranges, one per line: `4E00-9FEF`, or `3007` for a single one."""
    lines: list[str] = []
    start = previous = -2
    for code in [*codes, -1]:
        if code == previous + 1:
            previous = code
            continue
        if start >= 0:
            lines.append(f"{start:04X}" if start == previous else f"{start:04X}-{previous:04X}")
        start = previous = code
    return "".join(f"{line}\n" for line in lines)


# ----------------------------------------------------------------------------- licence files


def ofl_text(copyright_file: Path = NOTO_COPYRIGHT_FILE) -> str:
    """The OFL 1.1 text as Debian ships it in the copyright file, unindented."""
    lines = copyright_file.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == OFL_FIRST_LINE)
    start -= 1  # the dashed rule above the title
    body: list[str] = []
    for line in lines[start:]:
        if line and not line.startswith(" "):
            break  # the next stanza ("License: …") of the copyright file
        body.append("" if line.strip() == "." else line[1:])
    return "\n".join(body).strip("\n") + "\n"


def _font_notice(font: TTFont) -> str:
    names = font["name"]
    return "\n".join(
        text for text in (names.getDebugName(0), names.getDebugName(7), names.getDebugName(13)) if text
    )


def noto_licence(source: TTFont) -> str:
    return (
        f"{UI.output} is a subset of {NOTO_FAMILY} ({source['name'].getDebugName(5)}), cut from the\n"
        f"Debian package fonts-noto-cjk ({NOTO_COLLECTION.name}) by scripts/make_font_subsets.py,\n"
        "with its cubic (CFF) outlines converted to quadratic (TrueType) ones.\n"
        "It is a Modified Version under the licence below and is distributed under the same licence.\n\n"
        f"{_font_notice(source)}\n\n{ofl_text()}"
    )


def unifont_licence(source: TTFont) -> str:
    return (
        f"{LED.output} is a subset of GNU Unifont ({source['name'].getDebugName(5)}), cut from the\n"
        f"Debian package fonts-unifont ({UNIFONT.name}) by scripts/make_font_subsets.py.\n\n"
        f"{_font_notice(source)}\n\n"
        "Either licence may be chosen. Both texts follow: first the SIL Open Font License 1.1, then the\n"
        "GNU General Public License version 2 (as shipped in Debian's common-licenses) and the GNU font\n"
        "embedding exception, which this modified version extends to its users.\n\n"
        f"{'=' * 72}\n\n{ofl_text()}\n{'=' * 72}\n\n{FONT_EXCEPTION}\n\n"
        + GPL2_FILE.read_text(encoding="utf-8")
    )


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


# ----------------------------------------------------------------------------- commands


def _show(characters: Iterable[str]) -> str:
    return " ".join(f"{c}(U+{ord(c):04X})" for c in sorted(characters))


def build(out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    needed, wanted = needed_characters(), wanted_characters()
    failed = False
    for job, load, licence in (
        (UI, noto_sc_face, noto_licence),
        (LED, unifont_face, unifont_licence),
    ):
        source = load()
        _write_if_changed(out_dir / job.licence, licence(source))
        target, lacking = make_subset(source, wanted, job, out_dir)
        strict = lacking & job.needs(needed)
        print(f"{target.name}: {target.stat().st_size:,} bytes, {len(wanted - lacking):,} characters")
        if strict:
            failed = True
            print(f"  error: the source font lacks needed characters: {_show(strict)}", file=sys.stderr)
        elif lacking:
            print(f"  ({len(lacking):,} optional block characters not in the source font)")
    return 1 if failed else 0


def check(out_dir: Path) -> int:
    needed = needed_characters()
    status = 0
    for job in (UI, LED):
        path = out_dir / job.output
        if not path.exists():
            print(f"{path}: missing (run scripts/make_font_subsets.py)", file=sys.stderr)
            status = 1
            continue
        cmap = TTFont(str(path), lazy=True).getBestCmap()
        missing = {c for c in job.needs(needed) if ord(c) not in cmap}
        if missing:
            print(f"{path.name}: {len(missing)} needed characters missing: {_show(missing)}", file=sys.stderr)
            status = 1
        else:
            print(f"{path.name}: covers all {len(job.needs(needed)):,} needed characters")
        listed = cmap_path(path)
        if not listed.exists() or listed.read_text(encoding="utf-8") != cmap_text(sorted(cmap)):
            print(f"{listed.name}: missing or not the font's code points", file=sys.stderr)
            status = 1
        if not (out_dir / job.licence).exists():
            print(f"{job.licence}: missing", file=sys.stderr)
            status = 1
    return status


def main(argv: Sequence[str] | None = None) -> int:
    # Unifont's head table has 1970 timestamps; fontTools warns about them on every load.
    logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description="Subset (or check) the UI and LED fonts.")
    parser.add_argument("--check", action="store_true", help="only verify the shipped fonts; exit 1 if short")
    parser.add_argument("--fonts-dir", type=Path, default=FONTS_DIR, help="where the fonts live")
    args = parser.parse_args(argv)
    return check(args.fonts_dir) if args.check else build(args.fonts_dir)


if __name__ == "__main__":
    raise SystemExit(main())
