"""Images as the screens can show them: which formats, how many pixels, and decoding within bounds.

One rule for the publisher's check and the kiosk: `probe_image` reads only an image's header and
refuses what no screen can draw (a format the kiosk does not decode, more than IMAGE_MAX_PIXELS
pixels); `decode_for_screen` decodes an accepted image no wider than asked and cuts it into
horizontal bands a GPU can hold as textures. Pillow does the decoding; nothing here touches Kivy, so
the kiosk runs it in a worker thread (Pillow releases the GIL while it decodes and resamples).
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

IMAGE_MAX_PIXELS = 40_000_000
"""Largest image (width × height) a screen decodes: 160 MB of RGBA while it is scaled down. It holds a
600-dpi A3 scan or a 750 × 20,000 一图读懂 infographic; a 16,000 × 16,000 PNG (256 million pixels, 1 GB
decoded, though the file is 1 MB) is refused at build and not decoded by the kiosk."""

# Pillow format name → the media type the feed declares for it. All decode to still pictures; an
# animated GIF, WebP or PNG shows its first frame, so the publisher's check refuses animation.
SCREEN_FORMATS: dict[str, str] = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}


class ImageError(ValueError):
    """An image no screen can show; `english` for publishers, `chinese` for the kiosk's admin screen."""

    def __init__(self, english: str, chinese: str) -> None:
        super().__init__(english)
        self.english = english
        self.chinese = chinese


@dataclass(frozen=True)
class ImageInfo:
    format: str  # Pillow's name: PNG, JPEG, GIF, WEBP
    width: int
    height: int
    animated: bool

    @property
    def media_type(self) -> str:
        return SCREEN_FORMATS[self.format]

    @property
    def pixels(self) -> int:
        return self.width * self.height


def _open(source: bytes | Path) -> object:
    from PIL import Image

    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own bound is lower
        return Image.open(stream)


def probe_image(source: bytes | Path) -> ImageInfo:
    """Format, size and animation of an image, from its header; raises ImageError when no screen
    can show it (not an image, a format outside SCREEN_FORMATS, over IMAGE_MAX_PIXELS pixels)."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = _open(source)
    except Image.DecompressionBombError as exc:
        # Pillow refuses past twice its own bound before giving the size; its message has the count.
        count = re.search(r"\((\d+) pixels\)", str(exc))
        raise _too_big(None, int(count.group(1)) if count else None) from None
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ImageError(f"cannot be decoded as an image ({exc})", "无法解码的图片") from None
    assert isinstance(image, Image.Image)
    with image:
        name = str(image.format)
        if name not in SCREEN_FORMATS:
            known = ", ".join(SCREEN_FORMATS)
            raise ImageError(
                f"is {name}, which the kiosk does not show (use {known})", f"不支持的图片格式 {name}"
            )
        width, height = image.size
        if width < 1 or height < 1:
            raise ImageError("has no pixels", "图片没有像素")
        if width * height > IMAGE_MAX_PIXELS:
            raise _too_big((width, height))
        animated = bool(getattr(image, "is_animated", False))
    return ImageInfo(name, width, height, animated)


def _too_big(size: tuple[int, int] | None, pixels: int | None = None) -> ImageError:
    if size is not None:
        shown = f"{size[0]}×{size[1]} = {size[0] * size[1]:,} pixels"
    else:
        shown = f"{pixels:,} pixels" if pixels else "over 178 million pixels"
    return ImageError(
        f"is {shown}, over the {IMAGE_MAX_PIXELS:,}-pixel limit of the screens; scale it down",
        "图片像素过多，无法显示",
    )


@dataclass(frozen=True)
class ScreenImage:
    """A decoded image ready for textures: RGBA bands top to bottom, each `width` × its height."""

    width: int
    height: int
    bands: tuple[tuple[int, bytes], ...]  # (height in rows, RGBA bytes), top band first
    source: ImageInfo

    @property
    def nbytes(self) -> int:
        return sum(len(data) for _, data in self.bands)


def decode_for_screen(source: bytes | Path, max_width: int, band_rows: int) -> ScreenImage:
    """Decode the first frame of an image `probe_image` accepts, scaled down (never up) to at most
    `max_width` px wide, as RGBA bands of at most `band_rows` rows (both ≥ 1; pass the GPU's texture
    limit or less). Raises ImageError as `probe_image` does, or when the data is damaged.

    Memory: a JPEG is decoded at the smallest power-of-two reduction still `max_width` wide; other
    formats need the full picture once (at most IMAGE_MAX_PIXELS × 4 bytes), then only the result.
    """
    from PIL import Image

    info = probe_image(source)
    max_width, band_rows = max(1, int(max_width)), max(1, int(band_rows))
    image = _open(source)
    assert isinstance(image, Image.Image)
    try:
        with image:
            if info.format == "JPEG" and info.width > max_width:
                image.draft("RGB", (max_width, max(1, info.height * max_width // info.width)))
            image.seek(0)
            image.load()
            picture = image.convert("RGBA")
    except (OSError, ValueError, EOFError) as exc:
        raise ImageError(f"is damaged ({exc})", "图片已损坏") from None
    if picture.width > max_width:
        height = max(1, round(picture.height * max_width / picture.width))
        picture = picture.resize((max_width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    bands = []
    for top in range(0, picture.height, band_rows):
        bottom = min(picture.height, top + band_rows)
        bands.append((bottom - top, picture.crop((0, top, picture.width, bottom)).tobytes()))
    return ScreenImage(picture.width, picture.height, tuple(bands), info)
