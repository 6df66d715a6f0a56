"""DDP (Distributed Display Protocol, 3waylabs) over UDP: what WLED, FPP and xLights receive.

Each frame is the panel's RGB bytes, row by row, split into packets of at most 1440 data bytes (480
pixels). Header (10 bytes, big-endian): flags (version 1, push on the last packet of the frame —
also when that packet is exactly full), sequence (1..15, one per frame), data type (RGB, 8 bit),
destination (1 = default output), byte offset into the frame, payload length.
"""

from __future__ import annotations

import socket
import struct
from urllib.parse import urlsplit

from PIL import Image

from display.config import DisplaySection
from display.drivers.base import DriverSetupError, check_bandwidth
from display.drivers.udp import open_udp

DDP_PORT = 4048
MAX_PAYLOAD = 1440
HEADER = struct.Struct(">BBBBIH")
FLAG_VERSION_1 = 0x40
FLAG_PUSH = 0x01
TYPE_RGB8 = 0x0B
DEST_DEFAULT = 1


def ddp_packets(frame: bytes, sequence: int) -> list[bytes]:
    """The packets of one frame; the last one carries the push flag."""
    packets = []
    offsets = range(0, max(1, len(frame)), MAX_PAYLOAD)
    for offset in offsets:
        payload = frame[offset : offset + MAX_PAYLOAD]
        last = offset + MAX_PAYLOAD >= len(frame)
        flags = FLAG_VERSION_1 | (FLAG_PUSH if last else 0)
        packets.append(HEADER.pack(flags, sequence, TYPE_RGB8, DEST_DEFAULT, offset, len(payload)) + payload)
    return packets


def parse_ddp_url(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme != "ddp" or not parts.hostname:
        raise DriverSetupError(f"output {url!r}: expected ddp://HOST[:PORT]")
    try:
        port = parts.port or DDP_PORT
    except ValueError as exc:
        raise DriverSetupError(f"output {url!r}: bad port") from exc
    return parts.hostname, port


FORM = "ddp://HOST[:PORT]"


def from_spec(spec: str, section: DisplaySection) -> DdpDriver:
    return DdpDriver(spec, max_bytes_per_second=section.max_bytes_per_second)


class DdpDriver:
    name = "ddp"
    every_frame = False

    def __init__(self, url: str, *, max_bytes_per_second: int = 12_500_000) -> None:
        self.host, self.port = parse_ddp_url(url)
        self.budget = max_bytes_per_second
        self.sequence = 0
        self.packets_sent = 0
        self.bytes_sent = 0
        self._socket: socket.socket | None = None

    def open(self, width: int, height: int, fps: float) -> None:
        frame_bytes = width * height * 3
        packets = -(-frame_bytes // MAX_PAYLOAD)
        check_bandwidth(
            f"ddp://{self.host}:{self.port}", frame_bytes + packets * HEADER.size, fps, self.budget
        )
        self._socket = open_udp("ddp", self.host, self.port)

    def send(self, frame: Image.Image) -> None:
        if self._socket is None:
            raise RuntimeError("ddp driver used before open()")
        self.sequence = self.sequence % 15 + 1
        for packet in ddp_packets(frame.tobytes(), self.sequence):
            self._socket.send(packet)
            self.packets_sent += 1
            self.bytes_sent += len(packet)

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
