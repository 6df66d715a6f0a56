"""A connected UDP socket to one receiver, resolved and checked when the driver opens."""

from __future__ import annotations

import ipaddress
import socket

from display.drivers.base import DriverSetupError


def open_udp(name: str, host: str, port: int, *, unicast_only: bool = False) -> socket.socket:
    """Resolve `host` and connect a UDP socket to it (so ICMP errors surface as send errors)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)
    except socket.gaierror as exc:
        raise DriverSetupError(f"{name}: cannot resolve receiver host {host!r}: {exc.strerror}") from exc
    family, kind, proto, _, address = infos[0]
    if unicast_only and ipaddress.ip_address(address[0]).is_multicast:
        raise DriverSetupError(f"{name}: {host} is a multicast address; give the receiver's unicast address")
    sock = socket.socket(family, kind, proto)
    try:
        sock.connect(address)
    except OSError as exc:
        sock.close()
        raise DriverSetupError(f"{name}: cannot reach {host}:{port}: {exc.strerror or exc}") from exc
    sock.setblocking(True)
    return sock
