"""Turning the configured source string into a Source: an http(s) URL, a file:// URL or a directory."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from feed.errors import ConfigError
from feed.sync.dir_source import DirSource
from feed.sync.http_source import HttpSource
from feed.sync.transport import Source


def open_source(source: str, *, timeout: float, max_connections: int) -> Source:
    parts = urlsplit(source)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not parts.hostname:
            raise ConfigError(f"feed source {source!r} has no host")
        return HttpSource(source, timeout=timeout, max_connections=max_connections)
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise ConfigError(f"feed source {source!r}: file:// URLs must name a local path")
        return DirSource(Path(unquote(parts.path)))
    if "://" in source:
        raise ConfigError(f"feed source {source!r}: use an http(s) URL, a file:// URL or a directory")
    return DirSource(Path(source))
