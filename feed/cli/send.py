"""`hall-feed send --config FILE [--once]`: deliver a device's outbox to the centre.

The config is the device's own (kiosk or display TOML): its `[centre]` section says where to and with
which token, `[device] id` whose rows, `[feed] cache_dir` which outbox. With --once it delivers until
nothing is left (or a failure) and sends one heartbeat; exit 0 when everything went, 1 when something
is left or failed (the reason on stderr). Without --once it runs the loop the apps run, until
SIGINT/SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
from pathlib import Path
from types import FrameType
from typing import Any

from feed.api import SyncStatus
from feed.config import CentreLinkConfig, DeviceConfig, FeedConfig, Section, load_config
from feed.errors import ConfigError, FeedError
from feed.store.cachedir import STORE_NAME
from feed.store.reader import StoreReader
from feed.uplink.uplink import Uplink


class _DeviceAppConfig(Section, frozen=True, forbid_unknown_fields=False):
    """Any device app's config file: only `[feed]`, `[device]` and `[centre]` matter here."""

    feed: FeedConfig
    device: DeviceConfig = DeviceConfig()
    centre: CentreLinkConfig | None = None


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "send",
        help="deliver the outbox to the centre",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("--config", type=Path, required=True, help="the device's config file")
    parser.add_argument(
        "--role", choices=("kiosk", "display"), help="the device's role (default: from the config file)"
    )
    parser.add_argument("--once", action="store_true", help="deliver once and exit instead of looping")
    parser.set_defaults(func=run)


def _role(args: argparse.Namespace, path: Path) -> str:
    """--role, else from the file: a display's config has a [display] table and no [kiosk] one."""
    if args.role:
        return str(args.role)
    import tomllib

    with path.open("rb") as handle:
        tables = tomllib.load(handle)
    return "display" if "display" in tables and "kiosk" not in tables else "kiosk"


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config, _DeviceAppConfig)
    if config.centre is None:
        raise ConfigError(f"{args.config}: no [centre] section: where should the outbox go?")
    cache_dir = config.feed.cache_dir
    reader: list[StoreReader] = []

    def sync_status() -> SyncStatus | None:
        if not reader:
            if not (cache_dir / STORE_NAME).is_file():
                return None
            reader.append(StoreReader.open(cache_dir, create=False))
        return reader[0].status()

    uplink = Uplink(
        config.centre,
        cache_dir,
        device_id=config.device.id,
        role="display" if _role(args, args.config) == "display" else "kiosk",
        sync_status=sync_status,
    )
    try:
        if args.once:
            delivery = uplink.deliver()
            uplink.heartbeat()
            if delivery.error:
                raise FeedError(delivery.error)
            print(
                f"delivered {delivery.sent} record(s)"
                + (f", {delivery.rejected} set aside" if delivery.rejected else "")
            )
            return 0

        def _stop(signum: int, frame: FrameType | None) -> None:
            uplink.request_stop()

        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        uplink.run()
        return 0
    finally:
        uplink.stop()
        for opened in reader:
            opened.close()
