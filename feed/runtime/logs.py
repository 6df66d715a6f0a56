"""Logging for every program of the project (`hall-feed`, `hall-kiosk`, `hall-display`, `hall-centre`).

One call at start-up, `configure_logging(verbose)`, sends every logger's records to stderr as

    2026-03-02 09:15:04,113 WARNING feed.sync.engine: cached object 3fa2… is damaged; fetching it again

or, when stderr is connected to the systemd journal (`JOURNAL_STREAM` names stderr's device and
inode), as `<4>WARNING feed.sync.engine: …`: the journal stamps the time itself, and reads the
`<N>` syslog prefix as the entry's priority (`journalctl -p warning` finds it).

INFO and above are shown by default, DEBUG with `verbose`. The libraries' own chatter (Kivy's
start-up report, httpx's line per request, Alembic's migration steps) is shown from WARNING up
unless `verbose`.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO

# Loggers whose INFO records describe library internals rather than what the program did.
CHATTY_LIBRARIES = ("kivy", "httpx", "httpcore", "alembic")

# logging level → syslog priority (sd-daemon(3)); a level in between takes that of the level below it.
_PRIORITIES = ((logging.CRITICAL, 2), (logging.ERROR, 3), (logging.WARNING, 4), (logging.INFO, 6))
_DEBUG_PRIORITY = 7


def syslog_priority(levelno: int) -> int:
    """The syslog priority (0 emergency … 7 debug) of a logging level."""
    for level, priority in _PRIORITIES:
        if levelno >= level:
            return priority
    return _DEBUG_PRIORITY


def stream_is_journal(stream: TextIO) -> bool:
    """Whether `stream` is the journal's socket, as systemd.exec(5) says to check `JOURNAL_STREAM`."""
    expected = os.environ.get("JOURNAL_STREAM", "")
    if not expected:
        return False
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return expected == f"{info.st_dev}:{info.st_ino}"


class JournalFormatter(logging.Formatter):
    """`<priority>LEVEL logger: message`, without a timestamp (the journal adds its own)."""

    def __init__(self) -> None:
        super().__init__("%(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        # Each line becomes its own journal entry: prefix them all, so a traceback keeps its priority.
        prefix = f"<{syslog_priority(record.levelno)}>"
        return "\n".join(prefix + line for line in text.splitlines())


class _LibraryChatter(logging.Filter):
    """Drops the chatty libraries' records below WARNING."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        return not any(record.name == lib or record.name.startswith(lib + ".") for lib in CHATTY_LIBRARIES)


class _ProjectHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks the handler this module installed, so a second call replaces it instead of doubling lines."""


def configure_logging(verbose: bool = False, *, stream: TextIO | None = None) -> logging.Handler:
    """Route all logging to `stream` (default stderr) with level and logger name; returns the handler.

    Calling it again replaces the previous configuration (tests, or a program that re-reads flags).
    """
    stream = stream if stream is not None else sys.stderr
    handler = _ProjectHandler(stream)
    if stream_is_journal(stream):
        handler.setFormatter(JournalFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if not verbose:
        handler.addFilter(_LibraryChatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _ProjectHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return handler


def hand_kivy_logging_to_python() -> None:
    """Before Kivy is imported: let its records reach `configure_logging`'s handler like any other.

    By default Kivy installs its own console and file handlers on the root logger and replaces
    `sys.stderr`; `KIVY_NO_CONSOLELOG` turns its console output off whatever its value (Kivy only
    checks that the variable exists). In `PYTHON` mode it installs nothing.
    """
    os.environ["KIVY_LOG_MODE"] = "PYTHON"
    os.environ.setdefault("KIVY_NO_FILELOG", "1")  # the journal keeps the log; no files under ~/.kivy
