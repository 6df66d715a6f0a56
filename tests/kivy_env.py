"""The Kivy environment of every GUI test process and benchmark child, set up one way.

Kivy reads its environment when it is first imported, so `use_quiet_kivy()` runs before
anything imports it: no argv parsing (pytest's flags are not Kivy's), no console or file log (records
go to Python logging), a Kivy home of its own (nothing read from or written to ~/.kivy).
`configure_test_window()` then gives a window of a fixed size that takes only the touches a test
makes. Nothing here imports Kivy at module level.
"""

from __future__ import annotations

import os
import tempfile

QUIET_KIVY = {
    "KIVY_NO_ARGS": "1",
    "KIVY_NO_CONSOLELOG": "1",
    "KIVY_NO_FILELOG": "1",
    "KIVY_LOG_MODE": "PYTHON",
}


def child_environment() -> dict[str, str]:
    """The process environment with quiet Kivy and a fresh, private Kivy home (for a child process)."""
    return dict(os.environ, KIVY_HOME=tempfile.mkdtemp(prefix="kivy-home-"), **QUIET_KIVY)


def use_quiet_kivy(*, default_config: bool = False) -> None:
    """Set quiet Kivy and a private Kivy home in this process, before Kivy is imported;
    `default_config`: Kivy's built-in defaults, not a config file."""
    os.environ.update(QUIET_KIVY, KIVY_HOME=tempfile.mkdtemp(prefix="kivy-home-"))
    if default_config:
        os.environ["KIVY_USE_DEFAULTCONFIG"] = "1"


def configure_test_window(width: int = 1280, height: int = 800) -> None:
    """A window of `width`×`height` that Escape does not close, with no input provider but the
    touches a test or a benchmark driver makes; before Kivy's window is created."""
    from kivy.config import Config

    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("kivy", "exit_on_escape", "0")
    for option, _value in Config.items("input"):
        Config.remove_option("input", option)
