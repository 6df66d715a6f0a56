"""QR codes for feed URLs, and the allow-list that decides which URLs may become one.

Feed content is untrusted: a code is drawn only for an http(s) URL whose host is on the configured
list (an exact host, or `*.domain` for its subdomains). Userinfo (`https://good@evil`), odd ports
are fine but credentials, IP-literal tricks and non-ASCII look-alike hosts are judged on the host
the phone would actually contact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class QrDecision:
    allowed: bool
    reason: str  # human-readable, shown on the admin screen when a code is withheld
    host: str | None = None  # the normalised (ASCII) host the URL points at, when it has one


class QrPolicy:
    """Decides whether a URL may be offered as a QR code."""

    def __init__(self, allowed_hosts: Sequence[str]) -> None:
        raise NotImplementedError

    def decide(self, url: str | None) -> QrDecision:
        raise NotImplementedError

    def allows(self, url: str | None) -> bool:
        return self.decide(url).allowed


def qr_png(url: str, box_size: int = 8, border: int = 4) -> bytes:
    """A PNG of the QR code for `url` (error correction M); recent codes are cached.

    Call only for URLs the policy allowed.
    """
    raise NotImplementedError
