"""The logic layer must stay importable without Kivy (non-GUI processes never load it)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import kiosk.logic

REPO = Path(__file__).resolve().parents[2]


def test_no_logic_module_imports_kivy() -> None:
    modules = ["kiosk.config"] + [
        f"kiosk.logic.{info.name}" for info in pkgutil.iter_modules(kiosk.logic.__path__)
    ]
    assert len(modules) >= 15
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'kivy' or m.startswith('kivy.'))\n"
        "print(','.join(loaded))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
