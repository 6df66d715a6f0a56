"""Long CLI work shows a progress bar on a terminal and stays quiet when not on one."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from feed.dev.demo import demo_key_paths, demo_source_dir
from tests.feed.authoring_kit import write_tiny_source

HALL_FEED = [sys.executable, "-m", "feed.cli"]


def run_on_terminal(argv: list[str]) -> tuple[int, str]:
    """Run with stderr on a pseudo-terminal, as at an IT staff member's shell; returns (code, stderr)."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a 100-column terminal
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=terminal, stdin=subprocess.DEVNULL)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the program closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    return proc.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


def test_build_and_a_first_sync_show_progress_on_a_terminal(tmp_path: Path) -> None:
    secret, public = demo_key_paths()
    code, shown = run_on_terminal(
        [*HALL_FEED, "build", str(demo_source_dir()), str(tmp_path / "feed"), "--key", str(secret)]
    )
    assert code == 0, shown
    # The bar (drawn again at most every 0.1 s, so a fast build may show only its start) is wiped at the end.
    assert re.search(r"\rwriting objects: +\d+%\|.*\| \d+/8\d \[", shown), shown
    assert shown.endswith("\r" + " " * 99 + "\r"), shown
    feed, cache = str(tmp_path / "feed"), str(tmp_path / "cache")
    code, shown = run_on_terminal(
        [*HALL_FEED, "sync", "--once", "--source", feed, "--cache", cache, "--pubkey", str(public)]
    )
    assert code == 0, shown
    assert re.search(r"\rfetching records: +\d+%\|.*\| \d+/7\d \[", shown), shown
    assert re.search(r"\rfetching blobs: +\d+%\|.*\| \d+/6 \[", shown), shown


@pytest.mark.slow
def test_no_progress_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    src = write_tiny_source(tmp_path / "src")
    run = subprocess.run(
        [*HALL_FEED, "build", str(src), str(tmp_path / "feed"), "--unsigned"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0 and run.stderr == "", run.stderr
    assert run.stdout.startswith("built tiny-feed sequence ")
    feed, cache = str(tmp_path / "feed"), str(tmp_path / "cache")
    run = subprocess.run(
        [*HALL_FEED, "sync", "--once", "--allow-unsigned", "--source", feed, "--cache", cache],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0 and run.stderr == "", run.stderr
