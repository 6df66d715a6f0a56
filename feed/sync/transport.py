"""What the sync engine asks of a feed source, whatever carries it (HTTP, a directory, a USB stick).

A source hands back whole bodies that were read with a byte bound, so a hostile or broken server can
never make the client buffer more than the limit for that kind of file.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime
from typing import Protocol

from feed.errors import FeedRejectedError, SourceError

# RFC 9110 §8.8.3 entity-tag, without obs-text (a non-ASCII byte cannot be sent back in a header),
# and short: a value that is stored is sent with every poll, and servers refuse long request heads.
_ETAG = re.compile(r'(W/)?"[\x21\x23-\x7e]{0,200}"')
_MAX_DATE_CHARS = 64


@dataclass(frozen=True)
class Validators:
    """Cache validators of the manifest held, sent as If-None-Match / If-Modified-Since.

    Built only through `checked`: whatever a server sent (or an older client stored), a value that
    is not a well-formed ETag or HTTP-date is dropped, so it can never break a later request."""

    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def checked(cls, etag: str | None, last_modified: str | None) -> Validators:
        return cls(
            etag if etag is not None and _ETAG.fullmatch(etag) else None,
            _http_date(last_modified) if last_modified is not None else None,
        )


def _http_date(text: str) -> str | None:
    """The date `text` names, written afresh as an IMF-fixdate (`Tue, 01 Jan 2030 00:00:00 GMT`), or
    None when it names none. Never the server's own text: the date parser is lenient, and what it
    forgives (a repeated header joined into `<date>, `, odd spacing) a later request could not send."""
    if len(text) > _MAX_DATE_CHARS or not (text.isascii() and text.isprintable()):
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:  # "-0000": a UTC time of unknown origin
        moment = moment.replace(tzinfo=UTC)
    try:
        return format_datetime(moment.astimezone(UTC), usegmt=True)
    except (ValueError, OverflowError):
        return None


@dataclass(frozen=True)
class Fetched:
    """A body read in full, or `body is None` when the source answered 304 Not Modified; with the
    answer's validators, checked (see `Validators.checked`)."""

    body: bytes | None
    validators: Validators = Validators()


class SourceUnavailableError(SourceError):
    """The source asked us to come back later (429/503), possibly saying when."""

    def __init__(self, message: str, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class OversizedError(FeedRejectedError):
    """A body is larger than the limit for its kind (detected without reading it all)."""


class TransferStats:
    """Requests made and body bytes received; shared by the worker threads of one sync."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0
        self.bytes = 0

    def count_request(self) -> None:
        with self._lock:
            self.requests += 1

    def count_bytes(self, n: int) -> None:
        with self._lock:
            self.bytes += n


class Source(Protocol):
    """A feed root. Paths are relative to it, e.g. `manifest.json` or `objects/ab/abcd…`."""

    stats: TransferStats

    def fetch(self, path: str, *, max_bytes: int, validators: Validators | None = None) -> Fetched:
        """Read `path` in full, raising OversizedError past `max_bytes`, SourceError when unreachable."""
        ...

    def close(self) -> None: ...


def describe_path(path: str) -> str:
    """A short name for messages: `manifest.json`, or `object 1a2b3c4d5e6f` for a content object."""
    name = path.rsplit("/", 1)[-1]
    return f"object {name[:12]}" if path.startswith("objects/") else name
