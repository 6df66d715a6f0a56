"""What a printed guide must show, read back from the PDF with poppler (pdftotext, pdftoppm, pdffonts)
and zbar: shared by the renderer's test and the test that prints through a real CUPS server."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image

from feed.schema import Guide
from feed.screen.line_breaking import CLOSING_PUNCTUATION


def pdf_text(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def qr_codes(pdf: Path, workdir: Path) -> set[str]:
    """Every QR code on every page, rasterised at 150 dpi into `workdir`."""
    workdir.mkdir(parents=True, exist_ok=True)
    from pyzbar.pyzbar import decode

    prefix = workdir / "page"
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(prefix)], check=True, capture_output=True)
    found: set[str] = set()
    for page in sorted(workdir.glob("page*.png")):
        with Image.open(page) as image:
            found |= {symbol.data.decode("utf-8") for symbol in decode(image.convert("L"))}
    return found


def embedded_fonts(pdf: Path) -> list[tuple[str, str]]:
    """(name, emb) of every font pdffonts lists."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in lines.splitlines()[2:] if line.strip()]
    return [(row[0], row[-5]) for row in rows]


def check_guide_printout(
    pdf: Path, guide: Guide, *, hall: str, url: str, printed: str, workdir: Path
) -> None:
    """Title, every material, the steps in order, the hall and the day, no line opening with closing
    punctuation, the bundled font embedded, and a QR code that opens `url`."""
    text = pdf_text(pdf)
    flat = text.replace("\n", "")
    assert guide.title in flat
    for material in guide.materials:
        assert material.name in flat, material.name
    steps = flat[flat.index("办理流程") :]
    positions = [steps.index(step.name) for step in guide.steps]
    assert positions == sorted(positions) and len(positions) == len(guide.steps)
    assert hall in text and f"打印于 {printed}" in text
    starts = [line.strip()[:1] for line in text.splitlines() if line.strip()]
    assert not [c for c in starts if c in CLOSING_PUNCTUATION]
    fonts = embedded_fonts(pdf)
    assert fonts and all(emb == "yes" for _, emb in fonts), fonts
    assert all(name.split("+")[-1].startswith("Hall-Sans") for name, _ in fonts), fonts
    assert qr_codes(pdf, workdir) == {url}


def page_images(pdf: Path, workdir: Path, dpi: int = 50) -> list[Image.Image]:
    workdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(workdir / "p")],
        check=True,
        capture_output=True,
    )
    images = []
    for page in sorted(workdir.glob("p*.png")):
        with Image.open(page) as image:
            images.append(image.convert("L"))
    return images


def ink_overlaps(printed: Path, submitted: Path, workdir: Path) -> list[float]:
    """Per page (as many as both have), how far the ink of what the printer produced covers the ink
    of what was sent: intersection over union of their dark pixels, both rasterised at 50 dpi and
    slightly blurred (a printer's PostScript path antialiases glyphs differently). 1.0: the same."""
    from PIL import ImageChops, ImageFilter

    def ink(image: Image.Image) -> Image.Image:
        return image.filter(ImageFilter.GaussianBlur(1.5)).point(lambda v: 255 if v < 200 else 0).convert("1")

    overlaps = []
    for sent, out in zip(
        page_images(submitted, workdir / "sent"), page_images(printed, workdir / "printed"), strict=False
    ):
        a, b = ink(sent), ink(out.resize(sent.size))
        both = ImageChops.logical_and(a, b).histogram()[-1]
        either = ImageChops.logical_or(a, b).histogram()[-1]
        overlaps.append(both / either if either else 1.0)
    return overlaps
