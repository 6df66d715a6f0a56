"""Load each .kv file once per process, however often its module is imported or the app rebuilt."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder


def load_kv_once(py_file: str) -> None:
    """Load the .kv file beside `py_file` (same stem) unless the Builder already holds it."""
    kv_path = str(Path(py_file).with_suffix(".kv"))
    if kv_path not in Builder.files:
        Builder.load_file(kv_path)
