"""E1.31 (streaming ACN) over UDP unicast: 170 RGB pixels (510 of 512 slots) per universe.

The panel's pixels, row by row, fill consecutive universes starting at `universe`. Every packet is
root layer + framing layer + DMP layer; the slot count is what the universe carries (the last one
may be short). Closing the driver sends each universe a "stream terminated" packet so a receiver
lets go at once instead of waiting for its timeout.
"""

from __future__ import annotations

import socket
import struct
import uuid
from urllib.parse import parse_qs, urlsplit

from PIL import Image

from display.config import DisplaySection
from display.drivers.base import DriverSetupError, check_bandwidth
from display.drivers.udp import open_udp

SACN_PORT = 5568
PIXELS_PER_UNIVERSE = 170
MAX_UNIVERSE = 63_999
ACN_IDENTIFIER = b"ASC-E1.17\x00\x00\x00"
VECTOR_ROOT_DATA = 0x00000004
VECTOR_FRAMING_DATA = 0x00000002
VECTOR_DMP_SET_PROPERTY = 0x02
OPTION_STREAM_TERMINATED = 0x40
DEFAULT_PRIORITY = 100
HEADER_SIZE = 126  # everything before the DMX start code's data slots


def _flags_length(length: int) -> int:
    return 0x7000 | (length & 0x0FFF)


def sacn_packet(
    universe: int, slots: bytes, sequence: int, *, cid: bytes, source: str, options: int = 0
) -> bytes:
    """One E1.31 data packet carrying `slots` (at most 512 DMX slot values) for `universe`."""
    name = source.encode("utf-8")[:63].ljust(64, b"\x00")
    dmp_length = 10 + 1 + len(slots)
    framing_length = 77 + dmp_length
    root_length = 22 + framing_length
    root = struct.pack(
        ">HH12sHI16s", 0x0010, 0x0000, ACN_IDENTIFIER, _flags_length(root_length), VECTOR_ROOT_DATA, cid
    )
    framing = struct.pack(
        ">HI64sBHBBH",
        _flags_length(framing_length),
        VECTOR_FRAMING_DATA,
        name,
        DEFAULT_PRIORITY,
        0,  # synchronisation address: none
        sequence,
        options,
        universe,
    )
    dmp = struct.pack(
        ">HBBHHH", _flags_length(dmp_length), VECTOR_DMP_SET_PROPERTY, 0xA1, 0, 1, len(slots) + 1
    )
    return root + framing + dmp + b"\x00" + slots


def parse_sacn_url(url: str) -> tuple[str, int, int]:
    parts = urlsplit(url)
    if parts.scheme != "sacn" or not parts.hostname:
        raise DriverSetupError(f"output {url!r}: expected sacn://HOST[:PORT]?universe=N")
    query = parse_qs(parts.query)
    try:
        port = parts.port or SACN_PORT
        universe = int(query.get("universe", ["1"])[0])
    except ValueError as exc:
        raise DriverSetupError(f"output {url!r}: port and universe must be numbers") from exc
    if not 1 <= universe <= MAX_UNIVERSE:
        raise DriverSetupError(f"output {url!r}: universe must be 1..{MAX_UNIVERSE}")
    return parts.hostname, port, universe


FORM = "sacn://HOST[:PORT]?universe=N"


def from_spec(spec: str, section: DisplaySection) -> SacnDriver:
    return SacnDriver(spec, max_bytes_per_second=section.max_bytes_per_second)


class SacnDriver:
    name = "sacn"
    every_frame = False

    def __init__(
        self, url: str, *, max_bytes_per_second: int = 12_500_000, source: str = "hall-display"
    ) -> None:
        self.host, self.port, self.first_universe = parse_sacn_url(url)
        self.budget = max_bytes_per_second
        self.source = source
        self.cid = uuid.uuid4().bytes
        self.universes = 0
        self.packets_sent = 0
        self._sequences: dict[int, int] = {}
        self._socket: socket.socket | None = None

    def open(self, width: int, height: int, fps: float) -> None:
        pixels = width * height
        self.universes = -(-pixels // PIXELS_PER_UNIVERSE)
        last = self.first_universe + self.universes - 1
        if last > MAX_UNIVERSE:
            raise DriverSetupError(
                f"sacn: a {width}x{height} panel needs {self.universes} universes; starting at "
                f"{self.first_universe} the last would be {last}, beyond {MAX_UNIVERSE}"
            )
        check_bandwidth("sacn", pixels * 3 + self.universes * HEADER_SIZE, fps, self.budget)
        self._socket = open_udp("sacn", self.host, self.port, unicast_only=True)

    def _send_all(self, data: bytes, options: int) -> None:
        if self._socket is None:
            raise RuntimeError("sacn driver used before open()")
        chunk = PIXELS_PER_UNIVERSE * 3
        for index in range(self.universes):
            universe = self.first_universe + index
            sequence = (self._sequences.get(universe, 0) + 1) % 256
            self._sequences[universe] = sequence
            slots = data[index * chunk : (index + 1) * chunk]
            self._socket.send(
                sacn_packet(universe, slots, sequence, cid=self.cid, source=self.source, options=options)
            )
            self.packets_sent += 1

    def send(self, frame: Image.Image) -> None:
        self._send_all(frame.tobytes(), 0)

    def close(self) -> None:
        if self._socket is None:
            return
        try:
            blank = bytes(self.universes * PIXELS_PER_UNIVERSE * 3)
            for _ in range(3):  # E1.31 asks for three terminating packets
                self._send_all(blank, OPTION_STREAM_TERMINATED)
        except OSError:
            pass  # the receiver is gone already; nothing to let go of
        self._socket.close()
        self._socket = None
