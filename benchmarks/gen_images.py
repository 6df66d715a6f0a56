"""Images that strain a screen, for the image benchmark and the tests: long banded infographics, a
16,000 × 16,000 PNG of about 1 MB, an animated GIF.

The huge PNG is compressed row by row straight into a valid file, so making it never holds the
256 MB picture; everything else is drawn with Pillow.
"""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

# Colours of the bands of the long images, top to bottom; each band is BAND_PX tall.
BAND_COLOURS = ((200, 30, 30), (30, 150, 60), (30, 60, 200), (230, 180, 20), (120, 40, 160))
BAND_PX = 500


def banded_png(width: int, height: int) -> bytes:
    """A PNG of horizontal BAND_PX bands cycling through BAND_COLOURS, a thin dark rule in each."""
    image = Image.new("RGB", (width, height))
    for index, top in enumerate(range(0, height, BAND_PX)):
        colour = BAND_COLOURS[index % len(BAND_COLOURS)]
        image.paste(colour, (0, top, width, min(height, top + BAND_PX)))
        image.paste((20, 20, 20), (40, top + 40, width - 40, min(height, top + 44)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def huge_png(side: int = 16000) -> bytes:
    """A valid greyscale PNG `side` × `side`, all black, built row by row (about 1 MB at 16,000)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    row = b"\x00" * (side + 1)  # filter byte 0, then black pixels
    body = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def animated_gif() -> bytes:
    """Two frames: red, then blue."""
    frames = [Image.new("RGB", (120, 80), colour) for colour in ((220, 20, 20), (20, 20, 220))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=300, loop=0)
    return out.getvalue()
