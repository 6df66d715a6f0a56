"""朗读 in a real kiosk window with espeak-ng: the button reads the guide and shows 停止 while it
does, returns when the reading ends, stops when touched, when the citizen leaves the page and when
the session ends; it is larger in 长辈模式; without [speech] there is no button."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import SpeechSection, demo_config
from kiosk.logic.navigation import Route
from tests.gui.kiosk_app.kiosk_harness import Kiosk, make_kiosk

pytestmark = pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("sox")), reason="needs espeak-ng, sox"
)
NULL_PLAYER = ["sox", "-q", "{wav}", "-t", "null", "-"]  # a real player, to a sink (no sound card here)
# A sink plays faster than a loudspeaker would, so a test that stops a reading half-way could find it
# already over on a busy machine; this one takes each part's real duration, as a sound card does.
REAL_TIME_PLAYER = ["sh", "-c", 'sox -q "$1" -t null - && sleep "$(soxi -D "$1")"', "player", "{wav}"]


def make_speaking(cache_copy: Path, player: list[str]) -> Kiosk:
    return make_kiosk(cache_copy, demo_config(cache_copy).replace(speech=SpeechSection(player=player)))


@pytest.fixture
def speaking(cache_copy: Path) -> Iterator[Kiosk]:
    harness = make_speaking(cache_copy, NULL_PLAYER)
    try:
        yield harness
    finally:
        harness.close()


@pytest.fixture
def speaking_aloud(cache_copy: Path) -> Iterator[Kiosk]:
    harness = make_speaking(cache_copy, REAL_TIME_PLAYER)
    try:
        yield harness
    finally:
        harness.close()


def open_guide(kiosk: Kiosk, guide: str = "realestate-transfer") -> object:
    kiosk.app.start_session()
    kiosk.app.navigate(Route("guide", {"id": guide}))
    kiosk.settle(seconds=0.2, frames=6)
    return kiosk.app.screen("guide").ids.read_button


def test_no_voice_no_button(kiosk: Kiosk) -> None:
    button = open_guide(kiosk)
    assert not button.available and button.height == 0 and "朗读" not in kiosk.texts()


def test_the_button_follows_the_reading_to_its_end(speaking: Kiosk) -> None:
    button = open_guide(speaking)
    assert button.available and button.text == "朗读"
    speaking.tap(button)
    assert speaking.settle_until(lambda: button.reading, timeout=10)
    assert button.text == "停止" and "停止" in speaking.texts() and speaking.app.speech.reading
    assert speaking.settle_until(lambda: not button.reading, timeout=120)
    assert button.text == "朗读" and not speaking.app.speech.reading
    assert speaking.app.speech.parts_played > 5  # title, summary and every section


def test_touching_stop_leaving_the_page_or_ending_the_session_stops_it(speaking_aloud: Kiosk) -> None:
    speaking = speaking_aloud
    button = open_guide(speaking)
    speech = speaking.app.speech
    for stop in ("touch", "leave", "session"):
        speaking.tap(button)
        assert speaking.settle_until(lambda b=button: b.reading, timeout=10), stop
        if stop == "touch":
            speaking.tap(button)
        elif stop == "leave":
            speaking.tap(speaking.app.chrome.footer.ids.home)
        else:
            speaking.app.session.reset()
        assert not speech.reading, stop  # at once: no voice goes on
        assert speaking.settle_until(lambda b=button: not b.reading, timeout=10), stop
        played = speech.parts_played
        speaking.settle(seconds=1.5)
        assert speech.parts_played == played < 5, stop  # nothing more is read after the stop
        button = open_guide(speaking)


def test_the_button_is_larger_in_elderly_mode(speaking: Kiosk) -> None:
    button = open_guide(speaking)
    normal = button.height
    speaking.app.session.set_elderly(True)
    speaking.settle(frames=6)
    assert button.height > normal * 1.2
