"""The dead-code check of `make lint`: vulture over the code, with every name a Kivy `.kv` file or a
Jinja template uses counted as used (vulture reads Python only, and the rules files call screens'
methods, read their properties and name their classes, as the desk's and phone pages' templates read
the rows' properties), beside the frameworks' names in `lint/vulture_whitelist.py`.

    python lint/dead_code.py        # exit status 0 when nothing is dead, vulture's report otherwise
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Kivy calls these by name on any widget, app or handler: events (`on_*`), layout hints read by the
# parent layout, the settings switch and the exception handler's hook.
KIVY_CALLBACKS = ["on_*", "size_hint*", "pos_hint", "use_kivy_settings", "open_settings", "handle_exception"]


PACKAGES = ("feed", "kiosk", "display", "centre")


def template_names() -> set[str]:
    """Every identifier in the project's `.kv` files and Jinja templates (`templates/*.html`)."""
    paths = [
        path
        for package in PACKAGES
        for pattern in ("*.kv", "templates/*.html")
        for path in (REPO / package).rglob(pattern)
    ]
    return {name for path in paths for name in IDENTIFIER.findall(path.read_text("utf-8"))}


def main() -> int:
    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["vulture"]
    ignored = sorted({*config.get("ignore_names", []), *KIVY_CALLBACKS, *template_names()})
    command = [sys.executable, "-m", "vulture", "--ignore-names", ",".join(ignored)]
    return subprocess.run(command, cwd=REPO, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
