"""The kiosk's TOML configuration: `[feed]`, `[device]` and `[kiosk]` (a `[display]` table is ignored).

Loaded with `feed.config.load_config(path, KioskAppConfig)`, so a bad value reads as
`FILE: [kiosk] key: message`. Relative paths resolve against the config file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from feed.assets import ui_font
from feed.config import DeviceConfig, FeedConfig, Section, base_dir_of, resolve_path
from kiosk.logic.admin import Corner, is_pin_hash
from kiosk.logic.qr import ascii_host_pattern

LayoutSetting = Literal["auto", "portrait", "landscape", "tablet"]

HotKeyword = Annotated[str, StringConstraints(min_length=1, max_length=12, strip_whitespace=True)]

DEFAULT_TAP_PATTERN: tuple[Corner, ...] = ("top-left", "top-right", "top-left", "bottom-right")


class KioskSection(Section):
    """`[kiosk]`: how the touch app looks and behaves."""

    layout: LayoutSetting = Field(default="auto", description="auto picks from the window size")
    fullscreen: bool = Field(default=True, description="fullscreen, borderless, no cursor (production)")
    demo: bool = Field(default=False, description="show the 演示 badge")
    idle_seconds: float = Field(default=90.0, ge=15, le=3600, description="no touch this long → attract")
    idle_warning_seconds: float = Field(
        default=15.0, ge=3, le=600, validate_default=True, description="countdown length"
    )
    attract_rotate_seconds: float = Field(default=8.0, ge=2, le=120)
    qr_allowed_hosts: list[str] = Field(default_factory=list, max_length=100)
    font: Path | None = Field(default=None, description="a fuller CJK font; default: the bundled subset")
    admin_pin_hash: str | None = Field(
        default=None, description="from `python -m kiosk.logic.admin hash-pin`"
    )
    admin_tap_pattern: list[Corner] = Field(default_factory=lambda: list(DEFAULT_TAP_PATTERN), min_length=3)
    admin_tap_window_seconds: float = Field(default=6.0, ge=1, le=30)
    hot_keywords: list[HotKeyword] = Field(default_factory=list, max_length=24)
    search_limit: int = Field(default=30, ge=5, le=200)
    elderly_default: bool = Field(default=False, description="start every session in 长辈模式")
    elderly_font_scale: float = Field(default=1.0, ge=1.0, le=1.6, description="enlarge 长辈模式 further")

    @field_validator("qr_allowed_hosts")
    @classmethod
    def _host_patterns(cls, value: list[str]) -> list[str]:
        return [ascii_host_pattern(entry) for entry in value]

    @field_validator("font")
    @classmethod
    def _font_relative_to_config_file(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        return None if value is None else resolve_path(value, base_dir_of(info))

    @field_validator("admin_pin_hash")
    @classmethod
    def _pin_hash_format(cls, value: str | None) -> str | None:
        if value is not None and not is_pin_hash(value):
            raise ValueError("must look like pbkdf2_sha256$ITERATIONS$SALT$HASH (make one with hash-pin)")
        return value

    @field_validator("idle_warning_seconds")
    @classmethod
    def _warning_inside_timeout(cls, value: float, info: ValidationInfo) -> float:
        idle = info.data.get("idle_seconds")
        if idle is not None and value >= idle:
            raise ValueError(f"must be shorter than idle_seconds ({idle:g})")
        return value

    def font_path(self) -> Path:
        """The UI font to register with Kivy."""
        return self.font if self.font is not None else ui_font()


class KioskAppConfig(BaseModel):
    """The whole kiosk config file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    feed: FeedConfig
    device: DeviceConfig = Field(default_factory=DeviceConfig)
    kiosk: KioskSection = Field(default_factory=KioskSection)
    # One demo TOML may configure both apps; the display's table is its own business.
    display: dict[str, Any] | None = None


DEMO_ALLOWED_HOSTS = ("qinghe.example", "*.qinghe.example")


def demo_config(
    cache_dir: Path,
    *,
    source: str | Path,
    pubkey: Path | None = None,
    allow_unsigned: bool = False,
    layout: LayoutSetting = "tablet",
    idle_seconds: float = 45.0,
) -> KioskAppConfig:
    """The config `hall-kiosk --demo` runs with: windowed tablet layout, short idle, no admin PIN."""
    return KioskAppConfig(
        feed=FeedConfig(
            source=str(source), cache_dir=cache_dir, pubkey=pubkey, allow_unsigned=allow_unsigned
        ),
        device=DeviceConfig(id="demo-kiosk"),
        kiosk=KioskSection(
            layout=layout,
            fullscreen=False,
            demo=True,
            idle_seconds=idle_seconds,
            idle_warning_seconds=min(10.0, idle_seconds / 3),
            qr_allowed_hosts=list(DEMO_ALLOWED_HOSTS),
            admin_pin_hash=None,
            hot_keywords=["不动产", "社保", "营业执照", "户籍", "公积金", "医保", "入学", "养老"],
        ),
    )
