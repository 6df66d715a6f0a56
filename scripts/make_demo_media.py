#!/usr/bin/env python3
"""Draw the demo feed's pictures and small PDF files (fictional 青禾市政务服务中心).

The outputs are committed under assets/demo/media/; rerun this script after changing a drawing.
Output is byte-for-byte reproducible for a given Pillow version and font file.

    .venv/bin/python scripts/make_demo_media.py [--out assets/demo/media] [--font PATH]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "assets" / "demo" / "media"
SYSTEM_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SHIPPED_UI_FONT = REPO / "assets" / "fonts" / "NotoSansSC-Subset.ttf"
SC_FAMILY = "Noto Sans CJK SC"
# A fixed date keeps the PDFs identical from run to run.
PDF_DATE = datetime(2026, 1, 1, 0, 0, 0)
MAX_PNG_BYTES = 200 * 1024

INK = (34, 40, 49)
MUTED = (96, 104, 115)
WHITE = (255, 255, 255)
RED = (200, 40, 40)
ZONE_COLOURS = {
    "A": ((220, 235, 252), (37, 99, 175)),
    "B": ((222, 244, 228), (30, 128, 70)),
    "C": ((253, 236, 214), (190, 100, 20)),
}

Colour = int | tuple[int, int, int]
Font = ImageFont.FreeTypeFont
FontMaker = Callable[[int], Font]


def font_maker(explicit: Path | None) -> FontMaker:
    """A size -> font function for the first usable CJK font (the SC face of a collection)."""
    if explicit is not None:
        return lambda size: ImageFont.truetype(str(explicit), size)
    if SYSTEM_CJK.exists():
        index = _face_index(SYSTEM_CJK, SC_FAMILY)
        return lambda size: ImageFont.truetype(str(SYSTEM_CJK), size, index=index)
    if SHIPPED_UI_FONT.exists():
        return lambda size: ImageFont.truetype(str(SHIPPED_UI_FONT), size)
    sys.exit("no CJK font found: install fonts-noto-cjk or pass --font")


def _face_index(collection: Path, family: str) -> int:
    for index in range(32):
        try:
            face = ImageFont.truetype(str(collection), 12, index=index)
        except OSError:
            break
        if face.getname()[0] == family:
            return index
    sys.exit(f"{collection} has no face named {family!r}")


def centred(draw: ImageDraw.ImageDraw, box: Sequence[float], text: str, font: Font, fill: Colour) -> None:
    x0, y0, x1, y1 = box
    centre = ((x0 + x1) / 2, (y0 + y1) / 2)
    draw.multiline_text(centre, text, font=font, fill=fill, anchor="mm", align="center", spacing=8)


def arrow(draw: ImageDraw.ImageDraw, start: tuple[int, int], end: tuple[int, int], colour: Colour) -> None:
    """A straight horizontal or vertical arrow with a filled head."""
    draw.line([start, end], fill=colour, width=5)
    (x0, y0), (x1, y1) = start, end
    if y0 == y1:
        sign = 1 if x1 > x0 else -1
        head = [(x1, y1), (x1 - sign * 18, y1 - 11), (x1 - sign * 18, y1 + 11)]
    else:
        sign = 1 if y1 > y0 else -1
        head = [(x1, y1), (x1 - 11, y1 - sign * 18), (x1 + 11, y1 - sign * 18)]
    draw.polygon(head, fill=colour)


def save_png(image: Image.Image, path: Path) -> None:
    """Flat drawings compress far better as a 64-colour palette image."""
    palette = image.convert("RGB").quantize(
        colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    palette.save(path, format="PNG", optimize=True)
    size = path.stat().st_size
    if size > MAX_PNG_BYTES:
        sys.exit(f"{path.name} is {size} bytes, over the {MAX_PNG_BYTES} byte budget")


def save_pdf(page: Image.Image, path: Path, title: str) -> None:
    # Bilevel pages are stored with CCITT G4 compression: a few KiB per page.
    page.point(lambda v: 255 if v > 160 else 0).convert("1", dither=Image.Dither.NONE).save(
        path,
        format="PDF",
        resolution=float(PDF_DPI),
        title=title,
        author="青禾市政务服务中心（演示）",
        creator="make_demo_media.py",
        producer="make_demo_media.py",
        creationDate=PDF_DATE.timetuple(),
        modDate=PDF_DATE.timetuple(),
    )


# ----------------------------------------------------------------------------- drawings


def floor_plan(font: FontMaker) -> Image.Image:
    width, height = 1400, 900
    image = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width, 80], fill=(25, 65, 120))
    centred(draw, (0, 0, width, 80), "青禾市政务服务中心 一楼平面示意图", font(40), WHITE)

    hall = (60, 120, 1340, 800)
    draw.rectangle(hall, outline=INK, width=6)
    zones = [
        ("A", "A区 企业服务区", (80, 140, 500, 520), range(1, 10)),
        ("B", "B区 不动产和社保区", (520, 140, 1000, 520), range(10, 23)),
        ("C", "C区 个人事务区", (1020, 140, 1320, 520), range(23, 31)),
    ]
    for key, label, box, numbers in zones:
        fill, edge = ZONE_COLOURS[key]
        draw.rounded_rectangle(box, radius=16, fill=fill, outline=edge, width=4)
        x0, y0, x1, _ = box
        draw.text((x0 + 18, y0 + 14), label, font=font(30), fill=edge)
        per_row = 5 if key != "C" else 4
        cell_w = (x1 - x0 - 36) / per_row
        for i, number in enumerate(numbers):
            row, col = divmod(i, per_row)
            cx0 = x0 + 18 + col * cell_w
            cy0 = y0 + 70 + row * 78
            cell = (cx0 + 4, cy0, cx0 + cell_w - 4, cy0 + 62)
            draw.rounded_rectangle(cell, radius=8, fill=WHITE, outline=edge, width=2)
            centred(draw, cell, f"{number}号", font(22), INK)

    features = [
        ((120, 580, 400, 680), "综合服务台\n取号机"),
        ((440, 580, 720, 680), "触摸查询一体机\n自助服务区"),
        ((760, 580, 1000, 680), "等候区"),
        ((1040, 580, 1300, 680), "母婴室 · 爱心座椅\n饮水点"),
    ]
    for box, text in features:
        draw.rounded_rectangle(box, radius=12, fill=(240, 242, 245), outline=MUTED, width=2)
        centred(draw, box, text, font(24), INK)
    # Doors: gaps in the outer wall with labels.
    draw.rectangle([620, 794, 780, 806], fill=WHITE)
    draw.text((730, 816), "南门（主入口）", font=font(26), fill=INK)
    draw.rectangle([1334, 600, 1346, 700], fill=WHITE)
    draw.text((1250, 710), "东门", font=font(24), fill=MUTED)
    arrow(draw, (700, 880), (700, 815), RED)
    draw.text((80, 820), "示意图，非实际比例", font=font(20), fill=MUTED)
    return image


def tolerance_process(font: FontMaker) -> Image.Image:
    width, height = 1400, 720
    image = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(image)
    centred(draw, (0, 20, width, 100), "容缺受理流程", font(48), (25, 65, 120))
    centred(draw, (0, 100, width, 140), "主要材料齐全、次要材料暂缺，书面承诺后先行受理", font(26), MUTED)
    steps = [
        "审核主要材料",
        "签署容缺\n受理承诺书",
        "窗口先行受理\n进入审查",
        "限期补正材料\n（≤5个工作日）",
        "按时出具\n办理结果",
    ]
    box_w, box_h, gap, top = 220, 150, 55, 210
    left = (width - (len(steps) * box_w + (len(steps) - 1) * gap)) // 2
    blue_fill, blue_edge = ZONE_COLOURS["A"]
    centres: list[int] = []
    for i, text in enumerate(steps):
        x0 = left + i * (box_w + gap)
        box = (x0, top, x0 + box_w, top + box_h)
        draw.rounded_rectangle(box, radius=18, fill=blue_fill, outline=blue_edge, width=4)
        draw.ellipse((x0 - 18, top - 18, x0 + 26, top + 26), fill=blue_edge)
        centred(draw, (x0 - 18, top - 18, x0 + 26, top + 26), str(i + 1), font(26), WHITE)
        centred(draw, box, text, font(26), INK)
        centres.append(x0 + box_w // 2)
        if i:
            arrow(draw, (x0 - gap + 6, top + box_h // 2), (x0 - 6, top + box_h // 2), blue_edge)
    # Branch from step 4: missed deadline.
    bx = centres[3]
    arrow(draw, (bx, top + box_h + 6), (bx, top + box_h + 110), RED)
    stop = (bx - 150, top + box_h + 116, bx + 150, top + box_h + 226)
    draw.rounded_rectangle(stop, radius=18, fill=(253, 228, 228), outline=RED, width=4)
    centred(draw, stop, "逾期未补正\n终止办理，记入信用记录", font(24), RED)
    draw.text(
        (60, height - 70),
        "不适用：涉及国家安全、公共安全、生态环境保护和人身健康、生命财产安全的事项",
        font=font(22),
        fill=MUTED,
    )
    return image


def winter_poster(font: FontMaker) -> Image.Image:
    width, height = 900, 1270
    image = Image.new("RGB", (width, height), (244, 248, 252))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width, 330], fill=(25, 65, 120))
    centred(draw, (0, 40, width, 130), "青禾市政务服务中心", font(40), (200, 220, 245))
    centred(draw, (0, 130, width, 240), "冬季延时服务", font(88), WHITE)
    centred(draw, (0, 240, width, 300), "2026年11月1日 — 2027年3月31日", font(34), (255, 214, 102))
    sections = [
        ("工作日延时", "每周二、周四 17:30—19:30", "企业开办 · 不动产登记 · 社保 · 医保"),
        ("午间不间断", "每个工作日 12:00—13:30", "综合受理窗口 · 企业开办专区"),
        ("周六预约", "每周六 9:00—12:00", "提前一个工作日电话或小程序预约"),
    ]
    y = 380
    for title, when, what in sections:
        card = (60, y, width - 60, y + 220)
        draw.rounded_rectangle(card, radius=24, fill=WHITE, outline=(190, 205, 225), width=3)
        draw.rounded_rectangle((60, y, 80, y + 220), radius=8, fill=(37, 99, 175))
        draw.text((110, y + 28), title, font=font(46), fill=(25, 65, 120))
        draw.text((110, y + 100), when, font=font(38), fill=INK)
        draw.text((110, y + 160), what, font=font(28), fill=MUTED)
        y += 250
    draw.rectangle([0, height - 120, width, height], fill=(25, 65, 120))
    centred(draw, (0, height - 120, width, height - 60), "预约电话 0000-6123456", font(36), WHITE)
    centred(
        draw,
        (0, height - 64, width, height - 16),
        "18:50后停止取号 · 请从南门进出",
        font(26),
        (200, 220, 245),
    )
    return image


# ----------------------------------------------------------------------------- PDF pages
# Pages are laid out in A4 units of 1/100 inch and drawn at PDF_DPI, then stored bilevel.

PDF_DPI = 200
_S = PDF_DPI / 100


def _k(*values: float) -> tuple[float, ...]:
    """Layout units to pixels."""
    return tuple(v * _S for v in values)


def _scaled(font: FontMaker) -> FontMaker:
    """A font maker taking sizes in layout units."""
    return lambda size: font(round(size * _S))


def _xy(x: float, y: float) -> tuple[float, float]:
    """A layout point to pixels."""
    return (x * _S, y * _S)


def _a4_page() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    page = Image.new("L", (round(827 * _S), round(1169 * _S)), 255)
    return page, ImageDraw.Draw(page)


def _form(font: FontMaker, title: str, fields: Sequence[str], note: str) -> Image.Image:
    page, draw = _a4_page()
    pt = _scaled(font)
    line = round(2 * _S)
    centred(draw, _k(0, 60, 827, 120), title, pt(34), 0)
    draw.text(_xy(70, 130), "（演示用空白表格，内容虚构）", font=pt(18), fill=90)
    y = 180
    for label in fields:
        draw.rectangle(_k(70, y, 757, y + 64), outline=0, width=line)
        draw.line(_k(250, y, 250, y + 64), fill=0, width=line)
        centred(draw, _k(70, y, 250, y + 64), label, pt(20), 0)
        y += 64
    draw.rectangle(_k(70, y, 757, y + 220), outline=0, width=line)
    draw.text(_xy(86, y + 12), "申请内容描述：", font=pt(20), fill=0)
    y += 250
    draw.multiline_text(_xy(70, y), note, font=pt(18), fill=0, spacing=round(10 * _S))
    draw.text(_xy(470, 1050), "申请人签字：__________", font=pt(20), fill=0)
    draw.text(_xy(470, 1090), "日期：____年__月__日", font=pt(20), fill=0)
    return page


def info_request_form(font: FontMaker) -> Image.Image:
    return _form(
        font,
        "政府信息公开申请表",
        ["申请人姓名/名称", "证件类型及号码", "联系电话", "通信地址", "电子邮箱", "获取信息方式"],
        "1. 受理机构：青禾市政务服务管理局政务公开科（C区30号窗口）。\n"
        "2. 能当场答复的当场答复；不能当场答复的，20个工作日内答复。\n"
        "3. 依申请提供政府信息不收取费用。",
    )


def individual_business_form(font: FontMaker) -> Image.Image:
    return _form(
        font,
        "个体工商户登记（备案）申请书",
        ["经营者姓名", "身份证件号码", "个体户名称", "经营场所", "组成形式", "经营范围"],
        "1. 经营者本人签字；委托他人办理的，另附授权委托书。\n"
        "2. 材料齐全、符合法定形式的当场登记。\n"
        "3. 咨询电话：0000-6123412（A区7-8号窗口）。",
    )


def one_visit_list(font: FontMaker) -> Image.Image:
    page, draw = _a4_page()
    pt = _scaled(font)
    line = round(2 * _S)
    centred(draw, _k(0, 50, 827, 110), "青禾市一次办事项清单（2026年版·节选）", pt(30), 0)
    draw.text(_xy(70, 115), "（演示用，内容虚构）", font=pt(18), fill=90)
    rows = [
        ("序号", "事项名称", "实施部门", "承诺时限"),
        ("1", "企业设立登记", "市场监管局", "1个工作日"),
        ("2", "企业注销登记", "市场监管局", "1个工作日"),
        ("3", "个体工商户设立登记", "市场监管局", "即办"),
        ("4", "食品经营许可", "市场监管局", "5个工作日"),
        ("5", "不动产转移登记", "不动产登记中心", "5个工作日"),
        ("6", "不动产抵押权首次登记", "不动产登记中心", "1个工作日"),
        ("7", "城乡居民养老保险待遇申领", "人社局", "5个工作日"),
        ("8", "住房公积金提取", "住房公积金中心", "即办"),
        ("9", "城乡居民医保参保登记", "医保局", "即办"),
        ("10", "新生儿出生一件事", "卫健委", "5个工作日"),
    ]
    columns = (70, 150, 470, 640, 757)
    y = 160
    for index, row in enumerate(rows):
        shade = 215 if index == 0 else 255
        draw.rectangle(_k(columns[0], y, columns[-1], y + 56), outline=0, width=line, fill=shade)
        for c, text in enumerate(row):
            if c:
                draw.line(_k(columns[c], y, columns[c], y + 56), fill=0, width=line)
            centred(draw, _k(columns[c], y, columns[c + 1], y + 56), text, pt(20), 0)
        y += 56
    draw.text(_xy(70, y + 30), "完整清单共300项，请在触摸查询一体机“办事指南”中查询。", font=pt(20), fill=0)
    return page


PNGS: dict[str, Callable[[FontMaker], Image.Image]] = {
    "hall-floor-plan.png": floor_plan,
    "tolerance-process.png": tolerance_process,
    "winter-hours-poster.png": winter_poster,
}
PDFS: dict[str, tuple[str, Callable[[FontMaker], Image.Image]]] = {
    "info-request-form.pdf": ("政府信息公开申请表", info_request_form),
    "individual-business-form.pdf": ("个体工商户登记（备案）申请书", individual_business_form),
    "one-visit-list.pdf": ("青禾市一次办事项清单", one_visit_list),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument("--font", type=Path, default=None, help="a CJK font file to draw with")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    font = font_maker(args.font)
    for name, draw_png in PNGS.items():
        save_png(draw_png(font), out / name)
    for name, (title, draw_pdf) in PDFS.items():
        save_pdf(draw_pdf(font), out / name, title)
    for name in [*PNGS, *PDFS]:
        print(f"{name}: {(out / name).stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
