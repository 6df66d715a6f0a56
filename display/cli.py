"""`hall-display`: drive the hall's LED screen from the synced feed.

hall-display --config config/display.toml
hall-display --config config/display.toml --output ddp://10.0.0.50 --panel 256x64
hall-display --demo                     # bundled demo feed, terminal or window preview
hall-display --demo --output png:/tmp/led --frames 120

SIGTERM or SIGINT ends it after the current frame (the headline shown so far is recorded); under
systemd it reports readiness after its first frame and pings the watchdog from the frame loop.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from display.config import DisplayConfig, DisplaySection, load_display_config
from display.drivers import make_driver, output_forms
from display.feedlink import demo_source, open_play_recorder, open_store, start_own_sync, start_uplink
from display.player import Player
from display.proof import PlayRecorder, PlayTally
from display.render.setup import build_renderer
from display.source import HeadlineSource
from feed import ConfigError, FeedError, ServiceNotifier, StopRequest, configure_logging, with_overrides

log = logging.getLogger("hall-display")

DEMO_ZONE = "Asia/Shanghai"  # the demo feed's hall keeps China Standard Time
FLAGS = {"panel": "--panel", "fps": "--fps", "output": "--output"}  # [display] key → its override


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="hall-display", description="LED headline screen of the service hall"
    )
    parser.add_argument("--config", type=Path, help="display TOML config (see config/display.toml)")
    parser.add_argument("--demo", action="store_true", help="play the bundled demo feed")
    parser.add_argument("--output", help=f"output driver, overrides the config: {output_forms()}")
    parser.add_argument("--panel", help="panel size WIDTHxHEIGHT, overrides the config")
    parser.add_argument("--fps", type=float, help="frames per second, overrides the config")
    parser.add_argument("--frames", type=int, help="stop after this many frames")
    parser.add_argument("--duration", type=float, help="stop after this many seconds")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    return parser.parse_args(argv)


def has_screen() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def effective_config(args: argparse.Namespace) -> DisplayConfig:
    """The config file (or defaults in demo mode) with the command-line overrides applied."""
    if args.config is not None:
        config = load_display_config(args.config)
    elif args.demo:
        config = DisplayConfig()
    else:
        raise ConfigError("give --config FILE (see config/display.toml) or --demo")
    changes: dict[str, object] = {}
    if args.panel is not None:
        changes["panel"] = args.panel
    if args.fps is not None:
        changes["fps"] = args.fps
    if args.output is not None:
        changes["output"] = args.output
    elif args.demo and args.config is None:
        changes["output"] = "window" if has_screen() else "terminal"
    if args.demo and config.display.timezone is None:
        changes["timezone"] = DEMO_ZONE
    # The same checks as the keys in a file: the bounds of fps, the form of a panel size.
    section: DisplaySection = with_overrides(config.display, changes, flags=FLAGS)
    if args.demo and args.config is None:
        from feed import DEMO_DEVICES, DeviceConfig, demo_centre_link

        device = DeviceConfig(id=DEMO_DEVICES["display"])
        return config.replace(display=section, device=device, centre=demo_centre_link("display"))
    return config.replace(display=section)


def open_content(
    config: DisplayConfig, demo: bool
) -> tuple[HeadlineSource, PlayRecorder | None, Path, Callable[[], None] | None]:
    """The headlines, the proof-of-play recorder, the cache directory, and the own sync's stop."""
    if demo:
        source, cache_dir = demo_source(config.device)
        return source, open_play_recorder(cache_dir, config.device), cache_dir, None
    if config.feed is None:
        raise ConfigError("the config has no [feed] section: where is the feed cache (cache_dir)?")
    stop_sync = start_own_sync(config.feed) if config.display.sync else None
    source = open_store(config.feed.cache_dir, config.device)
    recorder = open_play_recorder(config.feed.cache_dir, config.device)
    return source, recorder, config.feed.cache_dir, stop_sync


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    configure_logging(args.verbose)
    if args.frames is not None and args.frames < 1:
        print("hall-display: error: --frames must be at least 1", file=sys.stderr)
        return 2
    stop_sync: Callable[[], None] | None = None
    stop_uplink: Callable[[], None] | None = None
    stop = StopRequest()
    stop.install()  # before the window driver starts SDL, which would otherwise take SIGTERM
    notifier = ServiceNotifier()
    try:
        config = effective_config(args)
        section = config.display
        renderer = build_renderer(section)
        driver = make_driver(section.output, section)
        layout = renderer.layout
        driver.open(layout.width, layout.height, section.fps)  # a bad output fails before anything starts
        try:
            source, recorder, cache_dir, stop_sync = open_content(config, args.demo)
        except BaseException:
            driver.close()
            raise
        tally = PlayTally(durable=recorder)
        player = Player(
            source,
            section,
            renderer,
            driver,
            recorder=tally,
            output_open=True,
            stop=stop.event,
            heartbeat=notifier.frame,
        )
        if config.centre is not None:
            stop_uplink = start_uplink(
                config.centre, cache_dir, config.device, source, lambda: player.on_screen
            )
        stats = player.run(frames=args.frames, duration=args.duration)
        if stop.requested:
            notifier.stopping()
            log.info("stopping on %s", stop.signal_name)
    except ConfigError as exc:
        print(f"hall-display: error: {exc}", file=sys.stderr)
        return 2
    except FeedError as exc:
        # The store or the demo feed could not be opened: say why, without a traceback.
        print(f"hall-display: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        if stop_uplink is not None:
            stop_uplink()
        if stop_sync is not None:
            stop_sync()
        notifier.close()
    log.info(
        "%d frames, %d sent, %d send errors; %s",
        stats.ticks,
        stats.frames_sent,
        stats.send_errors,
        tally.summary(),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
