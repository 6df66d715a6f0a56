"""Loading TOML configuration into checked, frozen sections, with messages a technician can act on.

Each app defines its own top-level section; the `[feed]` and `[device]` sections are shared and
defined here. A bad value is reported as `FILE: [section] key: what is allowed`, never as a
traceback, and every bad key of a file is reported at once, not only the first.

Sections are msgspec structs rather than pydantic models: the kiosk validates its config before it
opens its window, and msgspec imports in a few milliseconds where pydantic takes a quarter of a second
on a kiosk PC. The feed's record schema stays with pydantic; it is not needed for the first frame.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from types import NoneType, UnionType
from typing import Annotated, Any, ClassVar, Literal, Self, TypeVar, Union, get_args, get_origin

import msgspec

from feed.disk.files import read_regular
from feed.errors import ConfigError
from feed.format.patterns import ID_PATTERN

Identifier = Annotated[str, msgspec.Meta(pattern=ID_PATTERN)]


class Section(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """One TOML table: typed keys with defaults, plus checks the types cannot express."""

    # key → function that returns the value to keep (normalised) or raises ValueError. The loader
    # runs them per key, so each bad key is reported; __post_init__ runs them for sections built in code.
    field_checks: ClassVar[Mapping[str, Callable[[Any], Any]]] = {}

    def __post_init__(self) -> None:
        for key, check in self.field_checks.items():
            try:
                value = check(getattr(self, key))
            except ValueError as exc:
                raise ConfigValueError(key, str(exc)) from exc
            msgspec.structs.force_setattr(self, key, value)
        self.check_together()

    def check_together(self) -> None:
        """Checks that involve several keys; raise ConfigValueError naming the key to change."""

    def replace(self, **changes: Any) -> Self:
        return msgspec.structs.replace(self, **changes)

    def anchored(self, base_dir: Path) -> Self:
        """This section with relative paths resolved against `base_dir` (the config file's folder)."""
        changes: dict[str, Any] = {}
        for name in self.__struct_fields__:
            value = getattr(self, name)
            if isinstance(value, Path):
                changes[name] = resolve_path(value, base_dir)
            elif isinstance(value, Section):
                changes[name] = value.anchored(base_dir)
        return self.replace(**changes) if changes else self


SectionT = TypeVar("SectionT", bound=Section)


class ConfigValueError(ValueError):
    """A value has the right type but is not acceptable; `key` is the field at fault (`table.key`
    for a key of a nested table, when a whole file's check finds it)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def _is_http_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def _url_or_directory(source: str) -> str:
    if "://" in source and not _is_http_url(source):
        raise ValueError("must be an http(s) URL or a directory path")
    return source


class FeedConfig(Section, frozen=True):
    """Where the feed comes from, how it is trusted, and where the offline cache lives."""

    source: str  # http(s) URL of the feed root, or a directory path
    cache_dir: Path
    pubkey: Path | None = None  # Ed25519 public key file (ed25519-public:…)
    allow_unsigned: bool = False  # accept unsigned manifests (tests only)
    poll_seconds: Annotated[float, msgspec.Meta(ge=5, le=86_400)] = 60.0
    timeout_seconds: Annotated[float, msgspec.Meta(gt=0, le=600)] = 20.0
    max_connections: Annotated[int, msgspec.Meta(ge=1, le=64)] = 8

    field_checks: ClassVar[Mapping[str, Callable[[Any], Any]]] = {"source": _url_or_directory}

    def anchored(self, base_dir: Path) -> Self:
        section = super().anchored(base_dir)
        if _is_http_url(section.source):
            return section
        return section.replace(source=str(resolve_path(Path(section.source), base_dir)))


class DeviceConfig(Section, frozen=True):
    """Who this device is: records targeted at other halls or groups are not shown."""

    id: Identifier = "kiosk-1"
    hall: Identifier | None = None
    groups: list[Identifier] = msgspec.field(default_factory=list)


def _http_url(url: str) -> str:
    if not _is_http_url(url):
        raise ValueError("must be an http(s) URL, e.g. https://centre.example/")
    return url if url.endswith("/") else url + "/"


class CentreLinkConfig(Section, frozen=True):
    """`[centre]` on a device: where what citizens give back, proof of play and heartbeats go.

    Without this section nothing is sent: records stay in the outbox until it is configured.
    """

    url: str  # the centre's root, e.g. https://centre.qinghe.example/
    token_file: Path  # the device token from `hall-centre devices add` (keep it 0600)
    send_seconds: Annotated[float, msgspec.Meta(ge=1, le=3600)] = 30.0  # between deliveries
    heartbeat_seconds: Annotated[float, msgspec.Meta(ge=5, le=3600)] = 60.0
    timeout_seconds: Annotated[float, msgspec.Meta(gt=0, le=600)] = 20.0  # one request, whole
    batch_records: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 200
    retention_days: Annotated[int, msgspec.Meta(ge=1, le=3650)] = 30  # delivered rows kept
    max_outbox_mb: Annotated[float, msgspec.Meta(ge=1, le=100_000)] = 64.0  # disk budget
    # The key `hall-centre devices form-key` printed (0600): signs the "continue on your phone" links.
    form_key_file: Path | None = None

    field_checks: ClassVar[Mapping[str, Callable[[Any], Any]]] = {"url": _http_url}


def known_time_zone(zone: str | None) -> str | None:
    """A field check: an IANA time-zone name this machine knows (e.g. Asia/Shanghai), or None."""
    if zone is not None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {zone!r} (use an IANA name like Asia/Shanghai)") from exc
    return zone


MAX_CONFIG_BYTES = 1024 * 1024


def load_config(path: Path, model: type[SectionT]) -> SectionT:
    """Read `path` as TOML and check it against `model`; relative paths resolve against the file."""
    try:
        raw = read_regular(path, MAX_CONFIG_BYTES)  # a FIFO or device is refused, not waited on
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from exc
    try:
        data: dict[str, Any] = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: config is not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    return validate(data, model, origin=str(path), base_dir=path.resolve().parent)


def validate(
    data: Mapping[str, Any], model: type[SectionT], *, origin: str, base_dir: Path | None = None
) -> SectionT:
    """Check `data` against `model`; raises ConfigError listing every problem as `origin: where: what`."""
    problems: list[str] = []
    section = _build(model, data, (), problems)
    if section is None or problems:
        raise ConfigError("\n".join(f"{origin}: {problem}" for problem in problems))
    return section.anchored(base_dir if base_dir is not None else Path.cwd())


def with_overrides(section: SectionT, overrides: Mapping[str, Any], *, flags: Mapping[str, str]) -> SectionT:
    """`section` with `overrides` (key → value, e.g. from the command line) over its keys, each
    checked exactly as the same key in a file is. ConfigError lists every problem, named by the
    flag that gave the value (`flags`: key → "--flag"): `--fps: expected float <= 240.0`."""
    data: dict[str, Any] = msgspec.to_builtins(section, enc_hook=str)  # paths, times: as in a file
    data.update(overrides)
    problems: list[str] = []
    built = _build(type(section), data, (), problems)
    if built is None or problems:
        lines = []
        for problem in problems:
            key, _, message = problem.partition(": ")
            lines.append(f"{flags[key]}: {message}" if key in flags else problem)
        raise ConfigError("\n".join(lines))
    return built


def resolve_path(value: Path, base_dir: Path) -> Path:
    """Config paths are relative to the config file, so a config directory can move as a unit."""
    expanded = value.expanduser()
    return expanded if expanded.is_absolute() else (base_dir / expanded).resolve()


# ------------------------------------------------------------------------------------- checking


def _build(
    model: type[SectionT], data: Any, where: tuple[str | int, ...], problems: list[str]
) -> SectionT | None:
    if not isinstance(data, Mapping):
        problems.append(f"{_location(where)}: must be a table")
        return None
    fields = {field.name: field for field in msgspec.structs.fields(model)}
    found = len(problems)
    if model.__struct_config__.forbid_unknown_fields:
        for key in data:
            if key not in fields:
                problems.append(
                    f"{_location((*where, key))}: unknown key"
                    " (check the spelling; see config/*.toml for the allowed keys)"
                )
    values: dict[str, Any] = {}
    for name, field in fields.items():
        if name not in data:
            if field.required:
                problems.append(f"{_location((*where, name))}: required key is missing")
            elif field.default_factory is not msgspec.NODEFAULT:
                # A table left out takes its defaults, which must pass its checks as well.
                try:
                    values[name] = field.default_factory()
                except ConfigValueError as exc:
                    problems.append(f"{_location((*where, name, exc.key))}: {exc}")
            continue
        nested = _section_type(field.type)
        if nested is not None and isinstance(data[name], Mapping):
            values[name] = _build(nested, data[name], (*where, name), problems)
            continue
        try:
            value = msgspec.convert(data[name], field.type, dec_hook=_decode_path)
        except msgspec.ValidationError as exc:
            problems.append(_explain(exc, field.type, (*where, name)))
            continue
        check = model.field_checks.get(name)
        try:
            values[name] = check(value) if check is not None else value
        except ValueError as exc:
            problems.append(f"{_location((*where, name))}: {exc}")
    if len(problems) > found:
        return None
    try:
        return model(**values)
    except ConfigValueError as exc:  # a key of a nested table is named "table.key"
        problems.append(f"{_location((*where, *exc.key.split('.')))}: {exc}")
    except (ValueError, TypeError) as exc:
        problems.append(f"{_location(where)}: {exc}")
    return None


def _section_type(annotation: Any) -> type[Section] | None:
    """The Section class of a field typed `SomeSection` or `SomeSection | None`."""
    options = get_args(annotation) if get_origin(annotation) in (Union, UnionType) else (annotation,)
    sections = [t for t in options if isinstance(t, type) and issubclass(t, Section)]
    others = [t for t in options if t is not NoneType and t not in sections]
    return sections[0] if len(sections) == 1 and not others else None


def _decode_path(kind: type, value: Any) -> Any:
    if kind is not Path:
        raise TypeError(f"{kind.__name__} is not a config type")
    if not isinstance(value, str | Path):
        raise TypeError(f"expected a path (a string), got {type(value).__name__}")
    return Path(value)


_PATH_STEP = re.compile(r"\[(\d+)\]|\.([^.\[]+)")


def _explain(error: msgspec.ValidationError, annotation: Any, where: tuple[str | int, ...]) -> str:
    """msgspec says `Expected int >= 1 - at $[2]`; this says `[section.key] 2: expected int >= 1`."""
    message, _, path = str(error).partition(" - at `$")
    for index, key in _PATH_STEP.findall(path.rstrip("`")):
        where = (*where, int(index) if index else key)
    allowed = _literal_values(annotation)
    if allowed and message.startswith("Invalid enum value"):
        message = f"{message}; allowed: {', '.join(map(str, allowed))}"
    return f"{_location(where)}: {message[:1].lower()}{message[1:]}"


def _literal_values(annotation: Any) -> tuple[Any, ...]:
    while get_origin(annotation) in (Annotated, list):
        annotation = get_args(annotation)[0]
    return get_args(annotation) if get_origin(annotation) is Literal else ()


def _location(where: tuple[str | int, ...]) -> str:
    parts = [str(part) for part in where]
    if not parts:
        return "(top level)"
    if len(parts) == 1:
        return parts[0]
    return f"[{'.'.join(parts[:-1])}] {parts[-1]}"
