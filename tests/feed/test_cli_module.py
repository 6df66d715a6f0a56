"""`python -m feed.cli` runs the same entry point as the `hall-feed` console script."""

from __future__ import annotations

import subprocess
import sys

from feed import __version__


def test_python_dash_m_runs_hall_feed() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "feed.cli", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (0, f"hall-feed {__version__}")
    usage = subprocess.run(
        [sys.executable, "-m", "feed.cli"], capture_output=True, text=True, timeout=120, check=False
    )
    assert usage.returncode == 2 and "COMMAND" in usage.stderr
