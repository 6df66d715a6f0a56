"""DDP and E1.31 drivers against real UDP receivers on 127.0.0.1 (unicast only, bounded sends)."""

from __future__ import annotations

import importlib
import socket
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from display.drivers import DRIVERS, DriverSetupError, make_driver, output_forms
from display.drivers.ddp import HEADER, MAX_PAYLOAD, DdpDriver
from display.drivers.sacn import ACN_IDENTIFIER, PIXELS_PER_UNIVERSE, SacnDriver
from display.render.setup import build_renderer
from tests.display.ledhelpers import pixel_section

AMBER = (255, 176, 0)


@pytest.fixture
def receiver() -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(2.0)
    yield sock
    sock.close()


def port_of(sock: socket.socket) -> int:
    port: int = sock.getsockname()[1]
    return port


def receive_ddp_frame(sock: socket.socket, size: int) -> tuple[bytes, list[int]]:
    """Reassemble one DDP frame by offset until the push flag; also return each packet's length."""
    frame = bytearray(size)
    lengths = []
    while True:
        packet = sock.recv(2048)
        flags, sequence, data_type, destination, offset, length = HEADER.unpack_from(packet)
        assert flags & 0xC0 == 0x40  # version 1
        assert 1 <= sequence <= 15 and data_type == 0x0B and destination == 1
        payload = packet[HEADER.size :]
        assert len(payload) == length <= MAX_PAYLOAD
        frame[offset : offset + length] = payload
        lengths.append(length)
        if flags & 0x01:
            return bytes(frame), lengths


def rendered_frames(panel: str, count: int) -> list[Image.Image]:
    renderer = build_renderer(pixel_section(panel=panel, scroll_speed=60.0))
    program = renderer.text_program("民生服务“一件事”集成办理，请到A区综合受理窗口咨询", AMBER, dwell=8.0)
    return [program.frame(k / 60.0 + 1.0).copy() for k in range(count)]


@pytest.mark.parametrize(
    ("panel", "expected_packets"),
    [("128x32", 9), ("96x30", 6), ("256x64", 35)],  # 96x30 = 8640 bytes: the last packet is exactly full
)
def test_ddp_frames_reassemble_pixel_for_pixel(
    unifont: Path, receiver: socket.socket, panel: str, expected_packets: int
) -> None:
    frames = rendered_frames(panel, 5)
    width, height = frames[0].size
    driver = DdpDriver(f"ddp://127.0.0.1:{port_of(receiver)}")
    driver.open(width, height, 60.0)
    try:
        for frame in frames:
            driver.send(frame)
            received, lengths = receive_ddp_frame(receiver, width * height * 3)
            assert Image.frombytes("RGB", (width, height), received).tobytes() == frame.tobytes()
            assert len(lengths) == expected_packets
    finally:
        driver.close()
    assert frames[0].tobytes() != frames[-1].tobytes()  # the frames really scrolled


def test_ddp_push_flag_only_on_last_packet_and_sequence_cycles(receiver: socket.socket) -> None:
    driver = DdpDriver(f"ddp://127.0.0.1:{port_of(receiver)}")
    driver.open(960, 1, 60.0)  # 2880 bytes: two full packets
    sequences = []
    try:
        for _ in range(17):
            driver.send(Image.new("RGB", (960, 1), (1, 2, 3)))
            first, second = receiver.recv(2048), receiver.recv(2048)
            assert first[0] == 0x40 and second[0] == 0x41
            assert struct.unpack(">I", second[4:8])[0] == MAX_PAYLOAD
            sequences.append(first[1])
    finally:
        driver.close()
    assert sequences[:16] == [*range(1, 16), 1]


def receive_sacn_frame(sock: socket.socket, first_universe: int, universes: int) -> bytes:
    slots: dict[int, bytes] = {}
    while len(slots) < universes:
        packet = sock.recv(1024)
        assert packet[4:16] == ACN_IDENTIFIER
        assert struct.unpack(">I", packet[18:22])[0] == 4  # root vector: E1.31 data
        assert struct.unpack(">I", packet[40:44])[0] == 2  # framing vector: data packet
        universe = struct.unpack(">H", packet[113:115])[0]
        assert packet[117] == 0x02 and packet[118] == 0xA1  # DMP set-property, address and data type
        count = struct.unpack(">H", packet[123:125])[0]
        assert packet[125] == 0  # DMX start code
        data = packet[126:]
        assert len(data) == count - 1 <= 510
        root_length = struct.unpack(">H", packet[16:18])[0] & 0x0FFF
        assert root_length == len(packet) - 16
        slots[universe - first_universe] = data
    return b"".join(slots[index] for index in range(universes))


@pytest.mark.parametrize("panel", ["128x32", "64x16"])
def test_sacn_universes_reassemble_pixel_for_pixel(
    unifont: Path, receiver: socket.socket, panel: str
) -> None:
    frames = rendered_frames(panel, 3)
    width, height = frames[0].size
    driver = SacnDriver(f"sacn://127.0.0.1:{port_of(receiver)}?universe=7")
    driver.open(width, height, 60.0)
    assert driver.universes == -(-width * height // PIXELS_PER_UNIVERSE)
    try:
        for frame in frames:
            driver.send(frame)
            assert receive_sacn_frame(receiver, 7, driver.universes) == frame.tobytes()
    finally:
        driver.close()
    # Closing says goodbye: three stream-terminated packets per universe.
    terminated = [receiver.recv(1024) for _ in range(3 * driver.universes)]
    assert all(packet[112] & 0x40 for packet in terminated)


def test_sacn_refuses_multicast_and_universes_beyond_the_range() -> None:
    with pytest.raises(DriverSetupError, match="multicast"):
        SacnDriver("sacn://239.255.0.1?universe=1").open(16, 1, 30.0)
    with pytest.raises(DriverSetupError, match="63999"):
        SacnDriver("sacn://127.0.0.1:9?universe=63990").open(256, 64, 1.0)
    with pytest.raises(DriverSetupError, match="universe"):
        SacnDriver("sacn://127.0.0.1?universe=0")


def test_ddp_refuses_a_panel_the_network_budget_cannot_carry() -> None:
    with pytest.raises(DriverSetupError, match=r"MB/s.*window driver"):
        DdpDriver("ddp://127.0.0.1:9").open(1920, 240, 60.0)


def test_unknown_output_and_unresolvable_host_are_explained() -> None:
    section = pixel_section()
    with pytest.raises(DriverSetupError, match=r"unknown output 'hdmi'.*ddp://"):
        make_driver("hdmi", section)
    driver = make_driver("ddp://no-such-receiver.invalid", section)
    with pytest.raises(DriverSetupError, match="cannot resolve receiver host"):
        driver.open(128, 32, 60.0)


def test_each_output_is_found_by_its_scheme_and_says_whether_it_wants_every_frame(tmp_path: Path) -> None:
    section = pixel_section()
    specs = {
        "window": "window",
        "terminal": "terminal",
        "png": f"png:{tmp_path}?every=3",
        "ddp": "ddp://127.0.0.1:4048",
        "sacn": "sacn://127.0.0.1?universe=2",
    }
    assert set(specs) == set(DRIVERS)  # a new output needs a case here
    drivers = {scheme: make_driver(spec, section) for scheme, spec in specs.items()}
    assert {scheme: driver.name for scheme, driver in drivers.items()} == {s: s for s in specs}
    wants = {scheme: driver.every_frame for scheme, driver in drivers.items()}
    assert wants == {"window": True, "png": True, "terminal": False, "ddp": False, "sacn": False}
    assert all(importlib.import_module(module).FORM in output_forms() for module in DRIVERS.values())


def test_a_missing_receiver_surfaces_as_a_send_error_not_a_crash(receiver: socket.socket) -> None:
    port = port_of(receiver)
    receiver.close()  # nobody listens on that port any more
    driver = DdpDriver(f"ddp://127.0.0.1:{port}")
    driver.open(16, 1, 60.0)
    errors = 0
    for _ in range(4):
        try:
            driver.send(Image.new("RGB", (16, 1)))
        except ConnectionRefusedError:
            errors += 1
    driver.close()
    assert errors >= 1
