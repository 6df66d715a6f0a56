"""朗读: a page read aloud, offline, title first and then section by section.

The voice is behind a small interface (`SpeechEngine`: text → a WAV file), so a better offline engine
can be configured later; the one shipped is Debian's espeak-ng with its Mandarin voice (`cmn`). The
WAV is played by a configured command (default sox's `play -q {wav}`). `ReadAloud` runs one reading at a time
on a thread of its own: starting another stops the first (never two voices), and `stop` ends the
running synthesis or playback at once (the citizen touched 停止, left the page, or the session
ended). Every process has a timeout.
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from feed import GuideView, ItemView
    from kiosk.config import SpeechSection

log = logging.getLogger(__name__)

MAX_PART_CHARS = 2000  # a longer section is read in pieces
PROCESS_TIMEOUT_S = 120.0


class SpeechEngine(Protocol):
    def command(self, wav: Path) -> list[str]:
        """The command that reads text on stdin (UTF-8) and writes it spoken as a WAV file `wav`."""


@dataclass(frozen=True)
class EspeakEngine:
    """espeak-ng: `voice` (`cmn`: Mandarin), `words_per_minute` (80-450)."""

    voice: str = "cmn"
    words_per_minute: int = 150

    def command(self, wav: Path) -> list[str]:
        return ["espeak-ng", "-v", self.voice, "-s", str(self.words_per_minute), "--stdin", "-w", str(wav)]


def reading_parts(title: str, sections: Sequence[tuple[str, str]]) -> list[str]:
    """What is read, in order: the title, then each section as its heading and text, long ones in
    pieces of at most MAX_PART_CHARS (cut after a sentence where there is one)."""
    parts = [title]
    for heading, text in sections:
        remaining = f"{heading}。{text}" if heading and text else heading or text
        while len(remaining) > MAX_PART_CHARS:
            cut = remaining.rfind("。", 0, MAX_PART_CHARS) + 1 or MAX_PART_CHARS
            parts.append(remaining[:cut])
            remaining = remaining[cut:]
        if remaining.strip():
            parts.append(remaining)
    return parts


def guide_parts(view: GuideView) -> list[str]:
    """A guide as it is read: title, summary, then its sections (the view the screen shows)."""
    sections = [
        (section.title, "；".join(_entry_text(e.label, e.text, e.note) for e in section.entries))
        for section in view.sections
    ]
    return reading_parts(view.title, ([("概要", view.summary)] if view.summary else []) + sections)


def item_parts(view: ItemView) -> list[str]:
    """An item as it is read: title, summary, then its text paragraph by paragraph."""
    body = [("", paragraph) for paragraph in view.paragraphs]
    return reading_parts(view.title, ([("摘要", view.summary)] if view.summary else []) + body)


def _entry_text(label: str, text: str, note: str) -> str:
    return "，".join(part for part in (label, text, note) if part)


class ReadAloud:
    """One reading at a time. `on_state(True)` when a reading starts, `on_state(False)` when it ends
    or is stopped; both from the reading's thread (the kiosk moves them onto its UI thread)."""

    def __init__(
        self, engine: SpeechEngine, player: Sequence[str], on_state: Callable[[bool], None] = lambda _on: None
    ) -> None:
        self.engine = engine
        self.player = list(player)
        self.on_state = on_state
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self.parts_played = 0  # of the current or last reading

    @property
    def reading(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, parts: Sequence[str]) -> None:
        """Read `parts` in order, after stopping any reading under way."""
        self.stop()
        self._stop = threading.Event()
        self.parts_played = 0
        self._thread = threading.Thread(
            target=self._run, args=(list(parts), self._stop), name="read-aloud", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """End the reading now (a no-op when none is under way); returns once it has ended."""
        self._stop.set()
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                self._process.kill()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=10)

    def _run(self, parts: list[str], stop: threading.Event) -> None:
        self.on_state(True)
        try:
            with tempfile.TemporaryDirectory(prefix="hall-speech-") as folder:
                wav = Path(folder) / "part.wav"
                for part in parts:
                    if stop.is_set() or not self._step(self.engine.command(wav), part.encode("utf-8"), stop):
                        return
                    play = [str(wav) if arg == "{wav}" else arg for arg in self.player]
                    if stop.is_set() or not self._step(play, None, stop):
                        return
                    self.parts_played += 1
        except Exception:  # a device never crashes: the reading just ends, the log says why
            log.exception("reading aloud failed")
        finally:
            self.on_state(False)

    def _step(self, command: list[str], stdin: bytes | None, stop: threading.Event) -> bool:
        """Run one synthesis or playback; False when it failed or was stopped."""
        with self._lock:
            if stop.is_set():
                return False
            try:
                process = subprocess.Popen(
                    command,
                    stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )
            except OSError as exc:
                log.warning("%s: cannot run: %s", command[0], exc.strerror)
                return False
            self._process = process
        try:
            _, error = process.communicate(stdin, timeout=PROCESS_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            log.warning("%s: no end within %g s", command[0], PROCESS_TIMEOUT_S)
            return False
        if process.returncode != 0 and not stop.is_set():
            log.warning("%s failed: %s", command[0], error.decode("utf-8", "replace").strip()[-200:])
            return False
        return process.returncode == 0


def read_aloud_for(section: SpeechSection, on_state: Callable[[bool], None]) -> ReadAloud:
    """The kiosk's reader as `[speech]` configures it."""
    engine = EspeakEngine(section.voice, section.words_per_minute)
    return ReadAloud(engine, section.player, on_state)
