"""`hall-kiosk`: start the touch app (production, demo, or a screenshot tour).

Kivy reads its configuration when first imported, so the window is configured here, before any
Kivy import: fullscreen, borderless, no cursor and no Kivy modules in production; a 1280×800 window
in demo mode; a window of `--size` for tours. SIGTERM and SIGINT stop it cleanly (kiosk.lifecycle).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from feed import (
    FeedError,
    ServiceNotifier,
    StopRequest,
    configure_logging,
    hand_kivy_logging_to_python,
    load_config,
)
from kiosk.config import KioskAppConfig, demo_config

if TYPE_CHECKING:
    from feed import Outbox, Poller, StoreReader, Uplink

log = logging.getLogger("hall-kiosk")

DEFAULT_CONFIG = Path("/etc/hall-kiosk/kiosk.toml")
DEMO_SIZE = (1280, 800)
LAYOUT_SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080), "tablet": (1280, 800)}


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1280x800, not {text!r}") from None
    if not (320 <= width <= 8192 and 240 <= height <= 8192):
        raise argparse.ArgumentTypeError(f"size {text!r} is out of range")
    return width, height


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hall-kiosk", description="政务服务触摸查询一体机")
    parser.add_argument("--config", type=Path, help=f"kiosk TOML config (default {DEFAULT_CONFIG})")
    parser.add_argument("--demo", action="store_true", help="windowed tablet demo on the bundled demo feed")
    parser.add_argument(
        "--tour", type=Path, metavar="DIR", help="write a PNG of every screen type, then exit"
    )
    parser.add_argument("--size", type=parse_size, metavar="WxH", help="window size, e.g. 1080x1920")
    parser.add_argument(
        "--layout", choices=("auto", "portrait", "landscape", "tablet"), help="override the configured layout"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details (Kivy's too)")
    parser.add_argument(
        "--hash-pin", action="store_true", help="read an admin PIN, print its hash for admin_pin_hash, exit"
    )
    return parser


def load_app_config(args: argparse.Namespace) -> KioskAppConfig:
    if args.demo:
        from feed import demo_centre_link, prepare_demo_cache

        config = demo_config(prepare_demo_cache(), centre=demo_centre_link("kiosk"))
    else:
        config = load_config(args.config or DEFAULT_CONFIG, KioskAppConfig)
    if args.layout:
        config = config.replace(kiosk=config.kiosk.replace(layout=args.layout))
    return config


def window_size(args: argparse.Namespace, config: KioskAppConfig) -> tuple[int, int] | None:
    """The window size to ask for, or None for fullscreen at the display's size."""
    if args.size:
        width, height = args.size
        return int(width), int(height)
    layout = config.kiosk.layout
    if args.tour or not config.kiosk.fullscreen:
        return LAYOUT_SIZES.get(layout, DEMO_SIZE)
    return None


def configure_kivy(size: tuple[int, int] | None, *, production: bool) -> None:
    """Set Kivy's window and input options; must run before anything imports kivy.core.window."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    hand_kivy_logging_to_python()
    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "keyboard_mode", "system")
    # No module from ~/.kivy/config.ini (inspector, screenshot, keybinding …) starts with the window.
    for module, _value in Config.items("modules"):
        Config.remove_option("modules", module)
    Config.set("input", "mouse", "mouse,multitouch_on_demand")  # no red multitouch dots
    Config.set("graphics", "resizable", "0" if production else "1")
    if size is None:
        Config.set("graphics", "fullscreen", "auto")
        Config.set("graphics", "borderless", "1")
        Config.set("graphics", "show_cursor", "0")
    else:
        Config.set("graphics", "fullscreen", "0")
        Config.set("graphics", "borderless", "0")
        Config.set("graphics", "width", str(size[0]))
        Config.set("graphics", "height", str(size[1]))
        Config.set("graphics", "show_cursor", "0" if production else "1")


# The feed's poller starts once the first frame is up: importing the HTTP stack takes about 0.1 s
# that a citizen walking up to a freshly started kiosk would otherwise wait for.
SYNC_START_DELAY_SECONDS = 1.0


class BackgroundSync:
    """The sync loop of `[feed]` and the delivery loop of `[centre]`, started after the first frame;
    "sync now" starts them at once."""

    def __init__(self, config: KioskAppConfig, reader: StoreReader) -> None:
        self.feed = config.feed
        self.centre = config.centre
        self.device_id = config.device.id
        self.reader = reader
        self.poller: Poller | None = None
        self.uplink: Uplink | None = None

    def start(self) -> None:
        if self.poller is None:
            from feed import Poller, SyncSettings

            # New records are prepared in a helper process, so the sync never stalls the UI thread.
            self.poller = Poller(SyncSettings.from_config(self.feed, helper_min_records=1))
            self.poller.start()  # its first poll runs at once
        if self.uplink is None and self.centre is not None:
            from feed import Uplink

            self.uplink = Uplink(
                self.centre,
                self.feed.cache_dir,
                device_id=self.device_id,
                role="kiosk",
                sync_status=self.reader.status,
            )
            self.uplink.start()

    def deliver_now(self) -> None:
        """A citizen just submitted: start a delivery round (the centre's Retry-After still holds)."""
        if self.uplink is not None:
            self.uplink.wake()

    def poll_now(self) -> None:
        if self.poller is None:
            self.start()
        else:
            self.poller.poll_now()

    def stop(self) -> None:
        if self.poller is not None:
            self.poller.stop()
        if self.uplink is not None:
            from feed import STOP_WAIT_SECONDS

            # As the poller: what is in flight is sent again next time, never twice (records go by id).
            self.uplink.stop(join_timeout=STOP_WAIT_SECONDS)


def open_content(config: KioskAppConfig) -> tuple[StoreReader, Outbox | None, str | None]:
    """The store to read (a damaged one is replaced, a read-only one read as it is) and the outbox,
    or None and why not: a kiosk that cannot take feedback still shows the content."""
    from feed import Outbox, StoreReader

    reader = StoreReader.open(config.feed.cache_dir, config.device)
    if reader.read_only is not None:
        log.warning("%s", reader.read_only)
    try:
        outbox = Outbox.open(config.feed.cache_dir, device_id=config.device.id)
    except FeedError as exc:
        log.warning("feedback cannot be taken: %s", exc)
        return reader, None, str(exc)
    return reader, outbox, None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.hash_pin:
        from kiosk.logic.admin import main as admin_main

        return admin_main(["hash-pin"])
    configure_logging(args.verbose)
    stop = StopRequest()
    stop.install()  # before SDL starts: it would turn SIGTERM into a close request the kiosk refuses
    try:
        config = load_app_config(args)
    except FeedError as exc:
        print(f"hall-kiosk: {exc}", file=sys.stderr)
        return 2
    production = config.kiosk.fullscreen and not args.demo and not args.tour
    configure_kivy(window_size(args, config), production=production)

    from feed import load_public_key
    from kiosk.app import KioskApp

    try:
        if config.feed.pubkey is not None:
            load_public_key(config.feed.pubkey)  # a bad key file stops here, not in the UI loop
        reader, outbox, outbox_problem = open_content(config)
    except FeedError as exc:
        print(f"hall-kiosk: {exc}", file=sys.stderr)
        return 2
    sync = None if args.tour else BackgroundSync(config, reader)
    app = KioskApp(
        config,
        reader,
        outbox,
        outbox_problem=outbox_problem,
        sync_now=sync.poll_now if sync else None,
        deliver_now=sync.deliver_now if sync else None,
    )
    if sync is not None:
        from kivy.clock import Clock

        Clock.schedule_once(lambda _dt: sync.start(), SYNC_START_DELAY_SECONDS)
    from kiosk.lifecycle import KioskLifecycle

    notifier = ServiceNotifier()
    lifecycle = KioskLifecycle(app, stop, notifier)  # kept: Kivy's clock holds its methods weakly
    lifecycle.start()
    tour = None
    if args.tour:
        from kiosk.tour import Tour

        tour = Tour(app, args.tour)
        tour.start()
    try:
        app.run()
    finally:
        if sync is not None:
            sync.stop()
        reader.close()
        if outbox is not None:
            outbox.close()
        lifecycle.notifier.close()
    if tour is not None:
        if tour.failed:
            print(f"hall-kiosk: tour failed at {tour.failed}", file=sys.stderr)
            return 1
        for path in tour.written:
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
