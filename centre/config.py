"""The centre's TOML configuration: the `[centre]` section (see `config/centre.toml`).

Loaded with `feed.config.load_config(path, CentreConfig)`, so a bad value reads as
`FILE: [centre] key: message`. A relative SQLite path in `database_url` resolves against the config
file's folder, like every other path in the project's configs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, ClassVar, Self
from zoneinfo import ZoneInfo

import msgspec
from msgspec import Meta

from centre.rules.disclosure import APPLICATION_WORKING_DAYS
from feed import Section, known_time_zone, load_config, resolve_path

DEFAULT_CONFIG = Path("/etc/hall-centre/centre.toml")
SQLITE_PREFIX = "sqlite:///"
SUPPORTED_DATABASES = ("sqlite:///", "postgresql+psycopg://")


def _database_url(url: str) -> str:
    if not url.startswith(SUPPORTED_DATABASES):
        raise ValueError(
            "must start with sqlite:/// (a file) or postgresql+psycopg:// (PostgreSQL through psycopg 3)"
        )
    if url == SQLITE_PREFIX or url.startswith(SQLITE_PREFIX + ":memory:"):
        raise ValueError("needs a database file: sqlite:///PATH (an in-memory database loses everything)")
    return url


class CentreSection(Section, frozen=True):
    """`[centre]`: where the records are kept and when a device counts as behind, stale or silent."""

    database_url: str = "sqlite:///centre.db"
    timezone: str = "Asia/Shanghai"  # the bureau's wall clock: reference days, reports
    host: str = "127.0.0.1"
    port: Annotated[int, Meta(ge=1, le=65535)] = 8700
    workers: Annotated[int, Meta(ge=1, le=64)] = 1
    # Addresses of reverse proxies whose X-Forwarded-For / -Proto headers are believed.
    forwarded_allow_ips: list[str] = msgspec.field(default_factory=lambda: ["127.0.0.1"])
    # Expected heartbeat interval of a device that has not said its own.
    heartbeat_seconds: Annotated[float, Meta(ge=5, le=86_400)] = 60.0
    silent_after_intervals: Annotated[int, Meta(ge=2, le=100)] = 3
    behind_after_minutes: Annotated[float, Meta(ge=1, le=10_080)] = 15.0
    backlog_after_minutes: Annotated[float, Meta(ge=1, le=10_080)] = 60.0
    heartbeat_retention_days: Annotated[int, Meta(ge=1, le=3650)] = 30
    # The desk: deadlines in working days after the day of receipt (centre.rules.working_days).
    follow_up_working_days: Annotated[int, Meta(ge=0, le=60)] = 1  # a 差评's follow-up
    reply_working_days: Annotated[int, Meta(ge=0, le=60)] = 3  # 意见建议 and 点题公开 answers
    # 依申请公开: the statutory 20 at most (a bureau may promise less); extendable once by 20.
    application_working_days: Annotated[int, Meta(ge=1, le=APPLICATION_WORKING_DAYS)] = (
        APPLICATION_WORKING_DAYS
    )
    publisher: Annotated[str, Meta(min_length=1, max_length=200)] = "政务服务中心"  # of published replies
    reply_node: str = "replies"  # catalogue node of a published reply whose record names none
    holiday_file: Path | None = None  # holidays for years chinese-calendar does not know yet
    # A feed cache kept current with `hall-feed sync --cache`: names the catalogue nodes citizens
    # chose at a kiosk on the desk and the phone form (centre.catalogue); without it, their ids.
    feed_cache: Path | None = None
    # Signs the desk's session cookies; created (owner-only) by `serve` when missing.
    session_secret_file: Path = Path("session.secret")
    cookie_secure: bool = False  # send the session cookie over HTTPS only (set behind TLS)
    session_hours: Annotated[float, Meta(gt=0, le=24 * 30)] = 12.0
    sign_in_attempts: Annotated[int, Meta(ge=1, le=100)] = 5  # failures allowed per window
    sign_in_window_minutes: Annotated[float, Meta(ge=1, le=1440)] = 15.0

    field_checks: ClassVar[Mapping[str, Callable[[Any], Any]]] = {
        "database_url": _database_url,
        "timezone": known_time_zone,
    }

    def anchored(self, base_dir: Path) -> Self:
        section = super().anchored(base_dir)
        if section.holiday_file is not None:
            section = section.replace(holiday_file=resolve_path(section.holiday_file, base_dir))
        if section.feed_cache is not None:
            section = section.replace(feed_cache=resolve_path(section.feed_cache, base_dir))
        if not section.database_url.startswith(SQLITE_PREFIX):
            return section
        path = resolve_path(Path(section.database_url.removeprefix(SQLITE_PREFIX)), base_dir)
        return section.replace(database_url=SQLITE_PREFIX + str(path))

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def working_days(self, queue: str) -> int:
        """The deadline of a desk queue (`centre.rules.work.QUEUES`), in working days, before any
        extension."""
        if queue == "reviews":
            return self.follow_up_working_days
        if queue == "applications":
            return self.application_working_days
        return self.reply_working_days


class CentreConfig(Section, frozen=True):
    """The whole centre config file."""

    centre: CentreSection


def load_centre_config(path: Path) -> CentreConfig:
    """Read and check a centre config file; raises feed.errors.ConfigError with every bad key."""
    return load_config(path, CentreConfig)
