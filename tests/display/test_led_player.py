"""The player loop on a simulated monotonic clock: live content changes, emergencies, proof of play,
a receiver that goes away and comes back (real UDP on 127.0.0.1), and pacing on absolute deadlines."""

from __future__ import annotations

import socket
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from PIL import Image

from display.drivers.ddp import DdpDriver
from display.drivers.png import PngDriver
from display.pacing import FramePacer
from display.player import Player
from display.proof import PlayTally
from display.render.setup import build_renderer
from feed.schema import Headline
from tests.display.ledhelpers import StaticSource, pixel_section

CST = timezone(timedelta(hours=8))
WALL_START = datetime(2026, 11, 25, 10, 0, tzinfo=CST)


class SimulatedTime:
    """A monotonic clock whose sleep advances it, with things scheduled to happen during sleeps."""

    def __init__(self) -> None:
        self.now = 500.0
        self.start = self.now
        self.events: list[tuple[float, Callable[[], None]]] = []
        self.on_sleep: list[Callable[[], None]] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        due = [event for event in self.events if event[0] <= self.now - self.start]
        for event in due:
            self.events.remove(event)
            event[1]()
        for hook in self.on_sleep:
            hook()

    def wall(self) -> datetime:
        return WALL_START + timedelta(seconds=self.now - self.start)

    def at(self, seconds: float, action: Callable[[], None]) -> None:
        self.events.append((seconds, action))


class ListRecorder:
    """Stands where the outbox goes: keeps what it is asked to store."""

    def __init__(self) -> None:
        self.plays: list[tuple[str, datetime, float]] = []

    def record_play(self, headline_id: str, started_at: datetime, seconds: float) -> None:
        self.plays.append((headline_id, started_at, seconds))


def headline(hid: str, text: str, **fields: object) -> Headline:
    return Headline.model_validate({"kind": "headline", "id": hid, "text": text, **fields})


def make_player(
    source: StaticSource, time_: SimulatedTime, driver: object, **section: object
) -> tuple[Player, ListRecorder]:
    config = pixel_section(panel="128x32", fps=20.0, timezone="Asia/Shanghai", **section)
    recorder = ListRecorder()
    player = Player(
        source,
        config,
        build_renderer(config),
        driver,  # type: ignore[arg-type]
        recorder=PlayTally(durable=recorder),
        now=time_.wall,
        clock=time_.clock,
        sleep=time_.sleep,
    )
    return player, recorder


def shown(player: Player) -> list[tuple[float, str]]:
    start = player.stats.slots[0][0]
    return [(round(t - start, 3), s.headline.id if s.headline else s.kind) for t, s in player.stats.slots]


def test_emergency_takes_over_within_one_second_and_ends_at_expiry(tmp_path: Path, unifont: Path) -> None:
    time_ = SimulatedTime()
    welcome = headline("welcome", "欢迎光临", dwell_seconds=30)
    source = StaticSource([welcome])
    alarm = headline(
        "alarm",
        "暴雨红色预警",
        emergency=True,
        valid_until=WALL_START + timedelta(seconds=12),
        dwell_seconds=60,
    )
    time_.at(5.3, lambda: source.replace([welcome, alarm]))
    png = PngDriver(tmp_path, every=1)
    player, recorder = make_player(source, time_, png)
    player.run(duration=20.0)
    timeline = shown(player)
    assert timeline[0] == (0.0, "welcome")
    start_alarm = next(t for t, hid in timeline if hid == "alarm")
    assert 5.3 < start_alarm <= 6.3
    after = next(t for t, hid in timeline if t > start_alarm)
    assert after == 12.0  # cut at valid_until although its dwell is 60 s
    # The frames say the same: red from the cut on, amber again afterwards.
    red = (255, 32, 32)

    def frame_at(seconds: float) -> Image.Image:
        return Image.open(tmp_path / f"frame-{round(seconds * 20):06d}.png")

    assert red not in set(frame_at(5.0).getdata())
    assert red in set(frame_at(start_alarm + 0.1).getdata())
    assert red not in set(frame_at(12.5).getdata())
    # Proof of play: welcome cut short at the alarm, the alarm for its whole 12 - start seconds.
    assert recorder.plays[0][0] == "welcome" and recorder.plays[0][2] == start_alarm
    alarm_play = next(p for p in recorder.plays if p[0] == "alarm")
    assert alarm_play[2] == round(12.0 - start_alarm, 3)
    assert alarm_play[1] == WALL_START + timedelta(seconds=start_alarm)


def test_content_changes_take_effect_at_the_next_headline(unifont: Path, tmp_path: Path) -> None:
    time_ = SimulatedTime()
    source = StaticSource(
        [headline("old-a", "旧通知甲", dwell_seconds=4), headline("old-b", "旧通知乙", dwell_seconds=4)]
    )
    time_.at(2.0, lambda: source.replace([headline("new", "新通知", dwell_seconds=4)]))
    player, recorder = make_player(source, time_, PngDriver(tmp_path, every=1000))
    player.run(duration=10.0)
    assert shown(player) == [(0.0, "old-a"), (4.0, "new"), (8.0, "new")]
    assert [p[0] for p in recorder.plays] == ["old-a", "new", "new"]
    assert recorder.plays[0][2] == 4.0 and recorder.plays[-1][2] == 2.0  # last one cut by the end of the run
    assert player.tally.totals["new"].plays == 2  # type: ignore[attr-defined]


def test_first_content_replaces_the_fallback_within_a_second(unifont: Path, tmp_path: Path) -> None:
    time_ = SimulatedTime()
    source = StaticSource([])  # an empty store: the first sync has not landed yet
    time_.at(2.5, lambda: source.replace([headline("first", "首条通知", dwell_seconds=4)]))
    player, recorder = make_player(source, time_, PngDriver(tmp_path, every=1000))
    player.run(duration=6.0)
    timeline = shown(player)
    assert timeline[0] == (0.0, "fallback")
    assert timeline[1][1] == "first" and 2.5 < timeline[1][0] <= 3.5
    assert [p[0] for p in recorder.plays] == ["first"]


def test_withdrawn_emergency_ends_at_once(unifont: Path, tmp_path: Path) -> None:
    time_ = SimulatedTime()
    alarm = headline("alarm", "临时停电通知", emergency=True, valid_until=WALL_START + timedelta(hours=1))
    source = StaticSource([alarm, headline("a", "欢迎")])
    time_.at(3.0, lambda: source.replace([headline("a", "欢迎")]))
    player, _ = make_player(source, time_, PngDriver(tmp_path, every=1000))
    player.run(duration=6.0)
    timeline = shown(player)
    assert timeline[0] == (0.0, "alarm")
    assert timeline[1][1] == "a" and 3.0 < timeline[1][0] <= 4.0


def test_a_receiver_that_goes_away_does_not_stop_the_loop(unifont: Path) -> None:
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens on `port` yet
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)

    received = 0

    def receiver_comes_back() -> None:
        receiver.bind(("127.0.0.1", port))
        receiver.setblocking(False)
        time_.on_sleep.append(drain)

    def drain() -> None:
        nonlocal received
        try:
            while True:
                receiver.recv(2048)
                received += 1
        except BlockingIOError:
            pass

    time_ = SimulatedTime()
    time_.at(3.0, receiver_comes_back)
    source = StaticSource([headline("long", "“一次办专区”在A区，企业开办、个体户开店材料齐全一次办结")])
    driver = DdpDriver(f"ddp://127.0.0.1:{port}")
    player, _ = make_player(source, time_, driver, scroll_speed=20.0)
    try:
        stats = player.run(frames=120)  # 6 s at 20 fps
    finally:
        receiver.close()
    assert stats.ticks == 120
    assert stats.send_errors >= 1
    assert received >= 9 * 55  # frames after the receiver came back (9 packets per 128x32 frame)


def test_unchanged_frames_are_not_resent_to_the_network_but_repeated_each_second(unifont: Path) -> None:
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(0.5)
    time_ = SimulatedTime()
    source = StaticSource([headline("short", "请取号", dwell_seconds=100)])
    driver = DdpDriver(f"ddp://127.0.0.1:{receiver.getsockname()[1]}")
    player, _ = make_player(source, time_, driver)
    try:
        stats = player.run(duration=5.0)
    finally:
        receiver.close()
    assert stats.ticks == 100
    assert 5 <= stats.frames_sent <= 6  # the first frame, then one repeat a second


def test_pacer_keeps_absolute_deadlines_whatever_the_drawing_time() -> None:
    time_ = SimulatedTime()
    pacer = FramePacer(50.0, clock=time_.clock, sleep=time_.sleep)
    deadlines = []
    for index in range(10):
        time_.now += 0.004 if index % 2 else 0.015  # uneven drawing time, always under a period
        deadline = pacer.next_deadline()
        pacer.wait(deadline)
        deadlines.append(round(time_.now - time_.start, 6))
    assert deadlines == [round(0.02 * k, 6) for k in range(1, 11)]
    assert pacer.skipped == 0


def test_pacer_skips_missed_deadlines_instead_of_rushing() -> None:
    time_ = SimulatedTime()
    pacer = FramePacer(50.0, clock=time_.clock, sleep=time_.sleep)
    time_.now += 0.101  # a stall of five periods
    deadline = pacer.next_deadline()
    assert pacer.skipped == 4
    assert round(deadline - time_.start, 6) == 0.1
    pacer.wait(deadline)
    assert round(time_.now - time_.start, 3) == 0.101  # late deadlines do not sleep
