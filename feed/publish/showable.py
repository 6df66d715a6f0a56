"""Content the screens cannot show: one check for `hall-feed build` and `hall-feed verify`.

Errors are what cannot work on any screen (an image no kiosk decodes or that is too big to decode,
an animated image the kiosk would freeze on its first frame); warnings are what will look wrong
(a link whose QR code is too dense for the smallest kiosk layout and will be withheld, characters
no bundled font draws, a text the kiosk cuts). Each finding names the record and the field.

The rules themselves live with the apps' own use of them, in `feed.screen`: `images` (formats, pixel
bound), `links` (link syntax, QR fit), `glyphs` (font coverage), `text` (text bound).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from feed.schema import Headline, Item, Record
from feed.screen.glyphs import MISSING_MARK, Coverage, led_coverage, ui_coverage
from feed.screen.images import ImageError, probe_image
from feed.screen.links import SMALLEST_QR_SPACE_PX, UrlError, check_url, qr_fit
from feed.screen.text import TEXT_LIMIT_CHARS

Severity = Literal["error", "warning"]
BlobReader = Callable[[str], bytes | None]
"""The bytes of a blob by SHA-256 (None when the feed lacks it; other checks report that)."""


@dataclass(frozen=True)
class Finding:
    severity: Severity
    kind: str
    record_id: str
    field: str  # "images[0].blob"
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id!r}: {self.field}: {self.message}"


def _strings(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """(field path, text) for every string of a record, e.g. ("steps[2].description", "…")."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, list | tuple):
        for index, element in enumerate(value):
            yield from _strings(element, f"{path}[{index}]")


def _is_link(path: str) -> bool:
    name = path.rsplit(".", 1)[-1]
    return name == "url" or name.endswith("_url")


class _Check:
    def __init__(self, blob: BlobReader) -> None:
        self.blob = blob
        self.findings: list[Finding] = []
        self.kiosk_fonts: tuple[Coverage | None, ...] = (ui_coverage(), led_coverage())
        self.led_fonts: tuple[Coverage | None, ...] = (led_coverage(), ui_coverage())

    def add(self, severity: Severity, record: Record, field: str, message: str) -> None:
        self.findings.append(Finding(severity, record.kind, record.id, field, message))

    def record(self, record: Record) -> None:
        fonts = self.led_fonts if isinstance(record, Headline) else self.kiosk_fonts
        screen = "the LED screen" if isinstance(record, Headline) else "the kiosk"
        for path, text in _strings(record):
            if _is_link(path):
                self.link(record, path, text)
                continue
            self.glyphs(record, path, text, fonts, screen)
            if len(text) > TEXT_LIMIT_CHARS:
                self.add(
                    "warning",
                    record,
                    path,
                    f"{len(text):,} characters: the kiosk shows the first {TEXT_LIMIT_CHARS:,} and "
                    "offers the rest through the page's QR code",
                )
        if isinstance(record, Item):
            for index, image in enumerate(record.images):
                self.image(record, f"images[{index}].blob", image.blob.sha256, image.blob.media_type)

    def glyphs(
        self, record: Record, path: str, text: str, fonts: tuple[Coverage | None, ...], screen: str
    ) -> None:
        if text.isascii() or any(font is None for font in fonts):
            return
        lacking = "".join(
            c for c in dict.fromkeys(text) if not c.isspace() and not any(f and f.has(c) for f in fonts)
        )
        if lacking:
            self.add(
                "warning",
                record,
                path,
                f"no font of {screen} has {lacking} (U+{', U+'.join(f'{ord(c):04X}' for c in lacking)}); "
                f"each shows as {MISSING_MARK}",
            )

    def link(self, record: Record, path: str, url: str) -> None:
        try:
            normalised = check_url(url)
        except UrlError as exc:
            self.add("error", record, path, f"{exc.english}; the kiosk shows no QR code for it")
            return
        fit = qr_fit(normalised, SMALLEST_QR_SPACE_PX)
        if not fit.fits:
            detail = (
                f"its QR code (version {fit.version}, {fit.modules} modules with the margin) needs "
                f"{fit.needs_px} px"
                if fit.version
                else "it is too long for any QR code"
            )
            self.add(
                "warning",
                record,
                path,
                f"{detail}, more than the {SMALLEST_QR_SPACE_PX} px a tablet-size kiosk gives a code; "
                "kiosks that cannot draw it readably withhold it (shorten the link)",
            )

    def image(self, record: Record, path: str, sha256: str, media_type: str) -> None:
        data = self.blob(sha256)
        if data is None:
            return
        try:
            info = probe_image(data)
        except ImageError as exc:
            self.add("error", record, path, exc.english)
            return
        if info.animated:
            self.add(
                "error",
                record,
                path,
                f"is an animated {info.format}: the kiosk shows still pictures only; "
                "publish the frame to show as a PNG or JPEG",
            )
        elif info.media_type != media_type:
            self.add("warning", record, path, f"is declared {media_type} but holds {info.media_type}")


def check_showable(records: Iterable[Record], blob: BlobReader) -> list[Finding]:
    """Every finding for `records`, errors and warnings in record order."""
    check = _Check(blob)
    for record in records:
        check.record(record)
    return check.findings
