"""Output drivers, chosen by `--output` or `[display] output`: window, terminal, png:DIR, ddp://, sacn://.

The table below maps a spec's scheme (the part before ":", or the bare name) to the module that
drives it; modules load only when chosen (the window driver brings Kivy). Each module offers `FORM`
(how its spec is written, for messages) and `from_spec(spec, section)`, and its driver says itself
whether it wants every frame (`every_frame`). A new output is one module and one line here.
"""

from __future__ import annotations

import importlib

from display.config import DisplaySection
from display.drivers.base import DriverSetupError, OutputDriver

DRIVERS: dict[str, str] = {
    "window": "display.drivers.window",
    "terminal": "display.drivers.terminal",
    "png": "display.drivers.png",
    "ddp": "display.drivers.ddp",
    "sacn": "display.drivers.sacn",
}


def output_forms() -> str:
    """Every accepted form of an output spec, for help and error messages."""
    return ", ".join(importlib.import_module(module).FORM for module in DRIVERS.values())


def make_driver(spec: str, section: DisplaySection) -> OutputDriver:
    """The driver for an output spec; raises DriverSetupError naming the accepted forms."""
    spec = spec.strip()
    module = DRIVERS.get(spec.partition(":")[0])
    if module is None:
        raise DriverSetupError(f"unknown output {spec!r}; use one of: {output_forms()}")
    driver: OutputDriver = importlib.import_module(module).from_spec(spec, section)
    return driver


__all__ = ["DRIVERS", "DriverSetupError", "OutputDriver", "make_driver", "output_forms"]
