"""朗读 with Debian's espeak-ng: a known guide synthesised to audio of plausible length (soxi), the
reading's state following the real processes, a stop that ends it at once, never two voices."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from feed.assets import assets_dir
from feed.publish.source import load_source
from feed.render.guide_view import guide_view
from feed.schema import Guide
from kiosk.logic.speech import EspeakEngine, ReadAloud, guide_parts

pytestmark = pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("sox") and shutil.which("soxi")),
    reason="needs espeak-ng and sox (scripts/install-system-deps.sh)",
)
NULL_PLAYER = ["sox", "-q", "{wav}", "-t", "null", "-"]  # a real player, to a sink (no sound card here)


@pytest.fixture(scope="module")
def parts() -> list[str]:
    guide = next(r for r in load_source(assets_dir() / "demo").records if r.id == "realestate-transfer")
    assert isinstance(guide, Guide)
    return guide_parts(guide_view(guide))


def seconds(wav: Path) -> float:
    return float(subprocess.run(["soxi", "-D", str(wav)], capture_output=True, text=True, check=True).stdout)


def test_a_known_guide_is_read_title_first_to_audio_of_plausible_length(
    parts: list[str], tmp_path: Path
) -> None:
    assert parts[0] == "不动产转移登记（存量房买卖）" and parts[1].startswith("概要。交易、缴税")
    assert parts[2].startswith("基本信息。事项类型，行政确认")
    engine = EspeakEngine()
    total_chars, total_seconds = 0, 0.0
    for index, part in enumerate(parts[:4]):
        wav = tmp_path / f"{index}.wav"
        subprocess.run(engine.command(wav), input=part.encode(), check=True, timeout=60)
        length = seconds(wav)
        total_chars += len(part)
        total_seconds += length
        stats = subprocess.run(
            ["sox", str(wav), "-n", "stat"], capture_output=True, text=True, check=True
        ).stderr
        rms = float(
            next(line for line in stats.splitlines() if line.startswith("RMS     amplitude")).split()[-1]
        )
        assert rms > 0.01, f"part {index} is silent"
    # Mandarin is spoken at roughly 3 to 6 characters a second; espeak-ng at 150 words a minute too
    assert total_chars / 8 < total_seconds < total_chars / 1.5, (total_chars, total_seconds)


def test_the_state_follows_the_reading_and_stop_ends_it_at_once(parts: list[str]) -> None:
    states: list[bool] = []
    reader = ReadAloud(EspeakEngine(), NULL_PLAYER, states.append)
    reader.start(parts[:3])
    deadline = time.monotonic() + 60
    while reader.reading and time.monotonic() < deadline:
        time.sleep(0.02)
    assert states == [True, False] and reader.parts_played == 3

    states.clear()
    reader.start(parts)
    time.sleep(0.05)
    started = time.monotonic()
    reader.stop()
    assert time.monotonic() - started < 2 and not reader.reading
    assert states == [True, False] and reader.parts_played < len(parts)


def test_never_two_voices_at_once(parts: list[str]) -> None:
    states: list[bool] = []
    lock = threading.Lock()
    active = [0, 0]  # readings under way now, the most at any moment

    def track(on: bool) -> None:
        with lock:
            states.append(on)
            active[0] += 1 if on else -1
            active[1] = max(active[1], active[0])

    reader = ReadAloud(EspeakEngine(), NULL_PLAYER, track)
    for _ in range(4):
        reader.start(parts)
        time.sleep(0.03)
    reader.stop()
    assert active[1] == 1 and states == [True, False] * 4


def test_a_missing_engine_ends_the_reading_quietly(parts: list[str]) -> None:
    states: list[bool] = []
    reader = ReadAloud(EspeakEngine(), ["no-such-player-here", "{wav}"], states.append)
    reader.start(parts[:2])
    reader._thread.join(30)  # type: ignore[union-attr]
    assert states == [True, False] and reader.parts_played == 0
