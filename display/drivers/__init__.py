"""Output drivers, chosen by `--output` or `[display] output`: window, terminal, png:DIR, ddp://, sacn://."""

from __future__ import annotations

from pathlib import Path

from display.config import DisplaySection
from display.drivers.base import DriverSetupError, OutputDriver

OUTPUT_FORMS = "window, terminal, png:DIR[?every=N], ddp://HOST[:PORT], sacn://HOST[:PORT]?universe=N"


def make_driver(spec: str, section: DisplaySection) -> OutputDriver:
    """The driver for an output spec; raises DriverSetupError naming the accepted forms."""
    spec = spec.strip()
    if spec == "terminal":
        from display.drivers.terminal import TerminalDriver

        return TerminalDriver()
    if spec == "window":
        from display.drivers.window import WindowDriver

        return WindowDriver(section.window)
    if spec.startswith("png:"):
        from display.drivers.png import PngDriver

        directory, _, every = spec[len("png:") :].partition("?every=")
        if not directory:
            raise DriverSetupError("output png: needs a directory, e.g. png:/tmp/frames")
        if every and not every.isdigit():
            raise DriverSetupError(f"output {spec!r}: every=N needs a whole number")
        return PngDriver(Path(directory).expanduser(), every=int(every) if every else section.png_every)
    if spec.startswith("ddp://"):
        from display.drivers.ddp import DdpDriver

        return DdpDriver(spec, max_bytes_per_second=section.max_bytes_per_second)
    if spec.startswith("sacn://"):
        from display.drivers.sacn import SacnDriver

        return SacnDriver(spec, max_bytes_per_second=section.max_bytes_per_second)
    raise DriverSetupError(f"unknown output {spec!r}; use one of: {OUTPUT_FORMS}")


__all__ = ["OUTPUT_FORMS", "DriverSetupError", "OutputDriver", "make_driver"]
