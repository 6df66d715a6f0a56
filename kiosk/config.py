"""The kiosk's TOML configuration: `[feed]`, `[device]` and `[kiosk]` (a `[display]` table is ignored).

Loaded with `feed.config.load_config(path, KioskAppConfig)`, so a bad value reads as
`FILE: [kiosk] key: message`. Relative paths resolve against the config file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

import msgspec
from msgspec import Meta

from feed import (
    CentreLinkConfig,
    ConfigValueError,
    DeviceConfig,
    FeedConfig,
    Section,
    check_url,
    load_config,
    ui_font,
)
from kiosk.logic.admin import Corner, is_pin_hash
from kiosk.logic.qr import ascii_host_pattern
from kiosk.logic.usb_update import DEFAULT_USB_FEED_DIRS, check_usb_pattern

LayoutSetting = Literal["auto", "portrait", "landscape", "tablet"]

HotKeyword = Annotated[str, Meta(min_length=1, max_length=12)]

DEFAULT_TAP_PATTERN: tuple[Corner, ...] = ("top-left", "top-right", "top-left", "bottom-right")

NO_PIN_MESSAGE = (
    "required when fullscreen = true: make one with `hall-kiosk --hash-pin` (type the PIN, 4-12 digits)"
    " and paste the line it prints here; or set admin_screen = false for a kiosk without an admin screen"
)

UNSIGNED_IN_A_HALL_MESSAGE = (
    "must be false when [kiosk] fullscreen = true: a kiosk in a hall shows only a signed feed;"
    " set pubkey to the publisher's public key file (unsigned feeds are for tests and windowed demos)"
)


def _stripped_keywords(words: list[str]) -> list[str]:
    stripped = [word.strip() for word in words]
    if not all(stripped):
        raise ValueError("a hot keyword cannot be blank")
    return stripped


def _player(command: list[str]) -> list[str]:
    if "{wav}" not in command:
        raise ValueError('must name the file to play as "{wav}", e.g. ["play", "-q", "{wav}"]')
    return command


def _site_base(base: str | None) -> str | None:
    if base is None:
        return None
    link = check_url(base)  # UrlError is a ValueError: reported as FILE: [kiosk] phone_site_base: …
    if not link.endswith("/") or urlsplit(link).query or urlsplit(link).fragment:
        raise ValueError("must be the URL of the phone site's directory, ending in '/' (…/feed/m/)")
    return link


def _pin_hash(stored: str | None) -> str | None:
    if stored is not None and not is_pin_hash(stored):
        raise ValueError(
            "must look like pbkdf2_sha256$ITERATIONS$SALT$HASH (make one with `hall-kiosk --hash-pin`)"
        )
    return stored


class KioskSection(Section, frozen=True):
    """`[kiosk]`: how the touch app looks and behaves."""

    layout: LayoutSetting = "auto"  # auto picks from the window size
    fullscreen: bool = True  # fullscreen, borderless, no cursor (production)
    demo: bool = False  # show the 演示 badge
    idle_seconds: Annotated[float, Meta(ge=15, le=3600)] = 90.0  # no touch this long → attract
    idle_warning_seconds: Annotated[float, Meta(ge=3, le=600)] = 15.0  # countdown length
    attract_rotate_seconds: Annotated[float, Meta(ge=2, le=120)] = 8.0
    qr_allowed_hosts: Annotated[list[str], Meta(max_length=100)] = msgspec.field(default_factory=list)
    # The URL of the feed's phone site (its m/ directory): a record whose own link gets no code
    # gets one to its page there
    phone_site_base: str | None = None
    font: Path | None = None  # a fuller CJK font; default: the bundled subset
    admin_pin_hash: str | None = None  # from `hall-kiosk --hash-pin`
    admin_screen: bool = True  # false: no admin screen at all (the tap pattern does nothing)
    admin_idle_seconds: Annotated[float, Meta(ge=30, le=3600)] = 180.0  # staff screens time out too
    # where a USB stick carrying a feed is mounted, for the admin screen's 从U盘更新
    usb_feed_dirs: Annotated[list[str], Meta(max_length=20)] = msgspec.field(
        default_factory=lambda: list(DEFAULT_USB_FEED_DIRS)
    )
    admin_tap_pattern: Annotated[list[Corner], Meta(min_length=3)] = msgspec.field(
        default_factory=lambda: list(DEFAULT_TAP_PATTERN)
    )
    admin_tap_window_seconds: Annotated[float, Meta(ge=1, le=30)] = 6.0
    hot_keywords: Annotated[list[HotKeyword], Meta(max_length=24)] = msgspec.field(default_factory=list)
    search_limit: Annotated[int, Meta(ge=5, le=200)] = 30
    elderly_default: bool = False  # start every session in 长辈模式
    elderly_font_scale: Annotated[float, Meta(ge=1.0, le=1.6)] = 1.0  # enlarge 长辈模式 further

    field_checks: ClassVar[Mapping[str, Callable[[Any], Any]]] = {
        "qr_allowed_hosts": lambda hosts: [ascii_host_pattern(entry) for entry in hosts],
        "phone_site_base": _site_base,
        "hot_keywords": _stripped_keywords,
        "admin_pin_hash": _pin_hash,
        "usb_feed_dirs": lambda patterns: [check_usb_pattern(p) for p in patterns],
    }

    def check_together(self) -> None:
        if self.idle_warning_seconds >= self.idle_seconds:
            raise ConfigValueError(
                "idle_warning_seconds", f"must be shorter than idle_seconds ({self.idle_seconds:g})"
            )
        if self.idle_warning_seconds >= self.admin_idle_seconds:
            raise ConfigValueError(
                "idle_warning_seconds",
                f"must be shorter than admin_idle_seconds ({self.admin_idle_seconds:g})",
            )
        if self.fullscreen and self.admin_screen and self.admin_pin_hash is None:
            # Without a PIN the documented corner taps alone would open the exit button to anyone.
            raise ConfigValueError("admin_pin_hash", NO_PIN_MESSAGE)

    def font_path(self) -> Path:
        """The UI font to register with Kivy."""
        return self.font if self.font is not None else ui_font()


class PrinterSection(Section, frozen=True):
    """`[printer]`: the hall printer this kiosk prints guides, items and forms on (through CUPS).
    Without this section the kiosk shows no 打印 button."""

    queue: Annotated[str, Meta(pattern=r"^[A-Za-z0-9_.-]{1,127}$")]  # the CUPS queue (lpstat -p)
    server: str = "/run/cups/cups.sock"  # CUPS's socket, or host[:port]
    collect_at: Annotated[str, Meta(min_length=1, max_length=40)] = "本机下方出纸口"  # told to the citizen
    daily_pages: Annotated[int, Meta(ge=1, le=100_000)] = 300  # this kiosk's pages per day
    max_pages: Annotated[int, Meta(ge=1, le=500)] = 20  # a longer printout is refused (read it on the phone)
    job_timeout_seconds: Annotated[float, Meta(ge=5, le=600)] = 60.0  # then the citizen is told to ask staff


class SpeechSection(Section, frozen=True):
    """`[speech]`: 朗读 on guide and item pages, offline. Without this section there is no button."""

    engine: Literal["espeak-ng"] = "espeak-ng"  # the offline engine (kiosk/logic/speech.py)
    voice: Annotated[str, Meta(pattern=r"^[A-Za-z0-9_+-]{1,40}$")] = "cmn"  # espeak-ng's Mandarin
    words_per_minute: Annotated[int, Meta(ge=80, le=450)] = 150
    # The command that plays a WAV file; "{wav}" stands for the file
    player: Annotated[list[str], Meta(min_length=2, max_length=20)] = msgspec.field(
        default_factory=lambda: ["play", "-q", "{wav}"]
    )

    field_checks: ClassVar[Mapping[str, Callable[[Any], Any]]] = {"player": _player}


class KioskAppConfig(Section, frozen=True):
    """The whole kiosk config file."""

    feed: FeedConfig
    device: DeviceConfig = msgspec.field(default_factory=DeviceConfig)
    kiosk: KioskSection = msgspec.field(default_factory=KioskSection)
    centre: CentreLinkConfig | None = None  # where citizens' records and heartbeats go
    printer: PrinterSection | None = None  # the hall printer; none: no 打印 button
    speech: SpeechSection | None = None  # reading aloud; none: no 朗读 button
    # One demo TOML may configure both apps; the display's table is its own business.
    display: dict[str, Any] | None = None

    def check_together(self) -> None:
        if self.kiosk.fullscreen and self.feed.allow_unsigned:
            # A kiosk in a hall shows citizens only what the bureau signed.
            raise ConfigValueError("feed.allow_unsigned", UNSIGNED_IN_A_HALL_MESSAGE)


def demo_config(cache_dir: Path, *, centre: CentreLinkConfig | None = None) -> KioskAppConfig:
    """What `hall-kiosk --demo` runs with: `config/demo.toml` (a window following its size, 演示, no
    PIN, 45 s idle, QR codes for the demo's own domain), reading the demo feed synced into `cache_dir`
    by `feed.dev.demo.prepare_demo_cache` (built beside it in `feed/`, signed with the demo key), and
    sending to `centre` (`feed.dev.demo.demo_centre_link`) when the demo has one."""
    from feed import demo_config_file, demo_key_paths

    config = load_config(demo_config_file(), KioskAppConfig)
    feed = config.feed.replace(
        source=str(cache_dir.parent / "feed"), cache_dir=cache_dir, pubkey=demo_key_paths()[1]
    )
    return config.replace(feed=feed, centre=centre)
