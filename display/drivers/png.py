"""Frames to PNG files (every frame, or every Nth), for tests, docs and checking a layout by eye."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from display.config import DisplaySection
from display.drivers.base import DriverSetupError

FORM = "png:DIR[?every=N]"


def from_spec(spec: str, section: DisplaySection) -> PngDriver:
    """`png:DIR` or `png:DIR?every=N` (default `[display] png_every`)."""
    directory, _, every = spec[len("png:") :].partition("?every=")
    if not directory:
        raise DriverSetupError("output png: needs a directory, e.g. png:/tmp/frames")
    if every and not every.isdigit():
        raise DriverSetupError(f"output {spec!r}: every=N needs a whole number")
    return PngDriver(Path(directory).expanduser(), every=int(every) if every else section.png_every)


class PngDriver:
    name = "png"
    every_frame = True

    def __init__(self, directory: Path, every: int = 1) -> None:
        self.directory = directory
        self.every = max(1, every)
        self.frame_index = 0
        self.written: list[Path] = []

    def open(self, width: int, height: int, fps: float) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DriverSetupError(f"png: cannot create {self.directory}: {exc.strerror or exc}") from exc

    def send(self, frame: Image.Image) -> None:
        if self.frame_index % self.every == 0:
            path = self.directory / f"frame-{self.frame_index:06d}.png"
            frame.save(path, compress_level=1)
            self.written.append(path)
        self.frame_index += 1

    def close(self) -> None:
        pass
