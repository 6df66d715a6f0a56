"""`hall-feed send --config FILE [--once]`: deliver a device's outbox to the centre.

The config is the device's own (kiosk or display TOML): its `[centre]` section says where to and with
which token, `[device] id` whose rows, `[feed] cache_dir` which outbox; `--cache`, `--centre`,
`--token-file` and `--device` override it, or replace it altogether. With --once it delivers until
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

import msgspec

from feed.api import SyncStatus
from feed.config import CentreLinkConfig, DeviceConfig, FeedConfig, Section, load_config, validate
from feed.errors import ConfigError, FeedError
from feed.store.cachedir import STORE_NAME
from feed.store.reader import StoreReader
from feed.uplink.uplink import Uplink
from feed.uplink.wire import DeviceRole


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
    parser.add_argument("--config", type=Path, help="the device's config file (kiosk or display TOML)")
    parser.add_argument("--cache", type=Path, help="cache directory holding outbox.db (overrides [feed])")
    parser.add_argument("--centre", metavar="URL", help="the centre's root URL (overrides [centre] url)")
    parser.add_argument("--token-file", type=Path, help="the device token file (overrides [centre])")
    parser.add_argument("--device", help="this device's id (overrides [device] id)")
    parser.add_argument(
        "--role", choices=("kiosk", "display"), help="the device's role (default: from the config file)"
    )
    parser.add_argument("--once", action="store_true", help="deliver once and exit instead of looping")
    parser.set_defaults(func=run, parser=parser)


def _role(args: argparse.Namespace) -> DeviceRole:
    """--role, else from the file: a display's config has a [display] table and no [kiosk] one."""
    if args.role:
        return "display" if args.role == "display" else "kiosk"
    if args.config is None:
        return "kiosk"
    import tomllib

    with args.config.open("rb") as handle:
        tables = tomllib.load(handle)
    return "display" if "display" in tables and "kiosk" not in tables else "kiosk"


def _settings(args: argparse.Namespace) -> tuple[Path, str, CentreLinkConfig]:
    """(cache directory, device id, centre link): the command line over the config file."""
    cache_dir: Path | None = args.cache
    device_id: str | None = args.device
    link: dict[str, Any] = {}
    if args.config is not None:
        config = load_config(args.config, _DeviceAppConfig)
        cache_dir = cache_dir or config.feed.cache_dir
        device_id = device_id or config.device.id
        if config.centre is not None:
            link = msgspec.structs.asdict(config.centre)
    if args.centre is not None:
        link["url"] = args.centre
    if args.token_file is not None:
        link["token_file"] = args.token_file
    missing = [
        flag
        for flag, value in (
            ("--cache", cache_dir),
            ("--device", device_id),
            ("--centre", link.get("url")),
            ("--token-file", link.get("token_file")),
        )
        if value is None
    ]
    if missing:
        args.parser.error(f"{', '.join(missing)} required (or give --config with a [centre] section)")
    assert cache_dir is not None and device_id is not None
    try:
        return cache_dir, device_id, validate(link, CentreLinkConfig, origin="[centre]")
    except ConfigError as exc:
        args.parser.error(str(exc).replace("\n", "; "))
        raise


def run(args: argparse.Namespace) -> int:
    cache_dir, device_id, centre = _settings(args)
    reader: list[StoreReader] = []

    def sync_status() -> SyncStatus | None:
        if not reader:
            if not (cache_dir / STORE_NAME).is_file():
                return None
            reader.append(StoreReader.open(cache_dir, create=False))
        return reader[0].status()

    uplink = Uplink(centre, cache_dir, device_id=device_id, role=_role(args), sync_status=sync_status)
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
