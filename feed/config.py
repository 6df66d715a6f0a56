"""Loading TOML configuration into validated models, with messages a technician can act on.

Each app defines its own top-level model; the `[feed]` and `[device]` sections are shared and defined
here. A bad value is reported as `FILE: [section] key: what is allowed`, never as a traceback.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from feed.errors import ConfigError

ModelT = TypeVar("ModelT", bound=BaseModel)

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,127}$")]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeedConfig(Section):
    """Where the feed comes from, how it is trusted, and where the offline cache lives."""

    source: str = Field(description="http(s) URL of the feed root, or a directory path")
    cache_dir: Path
    pubkey: Path | None = Field(default=None, description="Ed25519 public key file (ed25519-public:…)")
    allow_unsigned: bool = Field(default=False, description="accept unsigned manifests (tests only)")
    poll_seconds: float = Field(default=60.0, ge=5, le=86_400)
    timeout_seconds: float = Field(default=20.0, gt=0, le=600)
    max_connections: int = Field(default=8, ge=1, le=64)

    @field_validator("cache_dir", "pubkey")
    @classmethod
    def _relative_to_config_file(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        return None if value is None else resolve_path(value, base_dir_of(info))

    @field_validator("source")
    @classmethod
    def _directory_source_relative_to_config_file(cls, value: str, info: ValidationInfo) -> str:
        if value.startswith(("http://", "https://")):
            return value
        if "://" in value:
            raise ValueError("source must be an http(s) URL or a directory path")
        return str(resolve_path(Path(value), base_dir_of(info)))


class DeviceConfig(Section):
    """Who this device is: records targeted at other halls or groups are not shown."""

    id: Identifier = "kiosk-1"
    hall: Identifier | None = None
    groups: list[Identifier] = Field(default_factory=list)


def _location(loc: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in loc]
    if not parts:
        return "(top level)"
    if len(parts) == 1:
        return parts[0]
    return f"[{'.'.join(parts[:-1])}] {parts[-1]}"


def explain(error: ValidationError, origin: str) -> str:
    """Turn a pydantic error into lines of `origin: [section] key: message`."""
    lines = []
    for problem in error.errors(include_url=False):
        where = _location(tuple(problem["loc"]))
        message = problem["msg"]
        if problem["type"] == "extra_forbidden":
            message = "unknown key (check the spelling; see config/*.toml for the allowed keys)"
        elif problem["type"] == "missing":
            message = "required key is missing"
        lines.append(f"{origin}: {where}: {message}")
    return "\n".join(lines)


def load_config(path: Path, model: type[ModelT]) -> ModelT:
    """Read `path` as TOML and validate it into `model`; relative paths resolve against the file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from exc
    try:
        data: dict[str, Any] = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: config is not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    try:
        return model.model_validate(data, context={"base_dir": path.resolve().parent})
    except ValidationError as exc:
        raise ConfigError(explain(exc, str(path))) from exc


def base_dir_of(info: ValidationInfo) -> Path:
    """The directory of the config file being loaded (the working directory when built in code)."""
    context = info.context or {}
    base = context.get("base_dir")
    return base if isinstance(base, Path) else Path.cwd()


def resolve_path(value: Path, base_dir: Path) -> Path:
    """Config paths are relative to the config file, so a config directory can move as a unit."""
    expanded = value.expanduser()
    return expanded if expanded.is_absolute() else (base_dir / expanded).resolve()
