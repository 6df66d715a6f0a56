"""The centre under systemd (`Type=notify`, `WatchdogSec=`): READY=1 once the server accepts
connections, then WATCHDOG=1 from the event loop, so a loop that stops turning (a blocking call, a
deadlock) gets the process restarted. Outside systemd (no `NOTIFY_SOCKET`) nothing is sent.

Each uvicorn worker runs this in its lifespan; with several workers the unit needs `NotifyAccess=all`.
"""

from __future__ import annotations

import logging

import anyio

from feed import ServiceNotifier

log = logging.getLogger(__name__)

READY_PROBE_SECONDS = 0.05  # between connection attempts while uvicorn binds its socket
READY_PROBE_LIMIT = 600  # 30 s: then READY is sent anyway, and systemd's own start timeout decides


def probe_address(host: str, port: int) -> tuple[str, int]:
    """Where to connect to reach a server listening on (host, port): a wildcard means loopback."""
    wildcard = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}
    return wildcard.get(host, host), port


async def accepts_connections(address: tuple[str, int]) -> bool:
    try:
        stream = await anyio.connect_tcp(*address)
    except OSError:
        return False
    await stream.aclose()
    return True


async def notify_service_manager(
    listen: tuple[str, int] | None, notifier: ServiceNotifier | None = None
) -> None:
    """Run for the app's lifetime: READY=1 when `listen` (host, port) accepts a connection (at once
    when unknown), then a watchdog ping every quarter period. Returns at once outside systemd."""
    notifier = notifier if notifier is not None else ServiceNotifier()
    if notifier.address is None:
        return
    if listen is not None:
        address = probe_address(*listen)
        for _ in range(READY_PROBE_LIMIT):
            if await accepts_connections(address):
                break
            await anyio.sleep(READY_PROBE_SECONDS)
        else:
            log.warning(
                "the server did not accept connections on %s:%d; telling systemd it is ready", *address
            )
    notifier.frame()  # READY=1
    if notifier.watchdog_seconds is None:
        return
    while True:
        await anyio.sleep(notifier.watchdog_seconds / 8)
        notifier.frame()  # WATCHDOG=1 at most every quarter period: proof that the loop turns
