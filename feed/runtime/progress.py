"""Progress of long command-line work (`hall-feed build`, a first `hall-feed sync` of a large feed).

The core reports through `Progress` (`begin(what, total)`, `advance(n)`, `end()`) and knows nothing of
terminals; `hall-feed` hands it `terminal_progress()`: a tqdm bar on stderr when stderr is a terminal,
and nothing at all otherwise (a log file, the journal, a pipe in a script). The apps pass nothing.
"""

from __future__ import annotations

import sys
import threading
from typing import TYPE_CHECKING, NoReturn, Protocol, TextIO

if TYPE_CHECKING:
    from tqdm import tqdm


class Progress(Protocol):
    def begin(self, what: str, total: int) -> None:
        """A phase of `total` steps starts (e.g. "fetching records", 10,000)."""

    def advance(self, count: int = 1) -> None:
        """`count` more steps are done; may be called from several threads."""

    def end(self) -> None:
        """The phase is over (also when it failed)."""


class NoProgress:
    def begin(self, what: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass

    def end(self) -> None:
        pass


class _TqdmProgress:
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._bar: tqdm[NoReturn] | None = None
        self._lock = threading.Lock()

    def begin(self, what: str, total: int) -> None:
        from tqdm import tqdm

        self.end()
        with self._lock:
            self._bar = tqdm(total=total, desc=what, unit="obj", file=self._stream, leave=False)

    def advance(self, count: int = 1) -> None:
        with self._lock:
            if self._bar is not None:
                self._bar.update(count)

    def end(self) -> None:
        with self._lock:
            bar, self._bar = self._bar, None
        if bar is not None:
            bar.close()


def terminal_progress(stream: TextIO | None = None) -> Progress:
    """A progress bar on `stream` (default stderr) if it is a terminal, else a silent reporter."""
    stream = stream if stream is not None else sys.stderr
    try:
        interactive = stream.isatty()
    except (AttributeError, ValueError):
        interactive = False
    return _TqdmProgress(stream) if interactive else NoProgress()
