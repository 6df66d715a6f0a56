"""Reading YAML with its line numbers, and mapping a path inside a document back to a source line.

The round-trip loader keeps the position of every key and list item. Timestamps are kept as the
strings they were written as, so the schema (not the YAML library) decides what a date means.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from feed.disk.files import open_binary

# A source YAML file larger than this is a mistake (or an attack on the parser), not content.
MAX_YAML_BYTES = 16 * 1024 * 1024


class _TextTimestampConstructor(RoundTripConstructor):
    """Round-trip constructor that leaves `2026-01-01` and friends as plain strings."""


def _timestamp_as_text(constructor: RoundTripConstructor, node: Any) -> str:
    return str(constructor.construct_scalar(node))


_TextTimestampConstructor.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


class YamlFileError(Exception):
    """A file could not be read or parsed; `line` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def read_yaml(path: Path) -> Any:
    """Parse one YAML document, keeping positions. Raises YamlFileError with a line to blame."""
    try:
        with open_binary(path) as handle:
            raw = handle.read(MAX_YAML_BYTES + 1)
    except OSError as exc:
        raise YamlFileError(1, f"cannot read file: {exc.strerror}") from exc
    if len(raw) > MAX_YAML_BYTES:
        raise YamlFileError(1, f"file is larger than {MAX_YAML_BYTES // (1024 * 1024)} MiB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlFileError(line, "file is not valid UTF-8") from exc
    yaml = YAML(typ="rt")
    yaml.Constructor = _TextTimestampConstructor
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        reason = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise YamlFileError(line, f"YAML error: {reason or exc.__class__.__name__}") from exc
    except YAMLError as exc:
        raise YamlFileError(1, f"YAML error: {exc}") from exc


def start_line(node: Any, default: int = 0) -> int:
    """0-based line where a mapping or list starts (`default` for a scalar)."""
    if isinstance(node, CommentedMap | CommentedSeq):
        return int(node.lc.line)
    return default


def line_of(node: Any, loc: Sequence[int | str], default: int = 0) -> int:
    """0-based line of the deepest part of `loc` that exists in `node`.

    Missing keys (a required field left out) and union tags in a validation path are skipped, so
    the line is that of the nearest enclosing key that the author did write.
    """
    line = start_line(node, default)
    current = node
    for part in loc:
        if isinstance(current, CommentedMap) and isinstance(part, str) and part in current:
            line = int(current.lc.key(part)[0])
            current = current[part]
        elif isinstance(current, CommentedSeq) and isinstance(part, int) and 0 <= part < len(current):
            line = int(current.lc.item(part)[0])
            current = current[part]
    return line


def to_plain(node: Any) -> Any:
    """Plain dicts, lists and built-in scalars, for validation and hashing."""
    if isinstance(node, dict):
        return {str(key): to_plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [to_plain(value) for value in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node
