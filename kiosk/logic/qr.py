"""QR codes for feed URLs, and the allow-list that decides which URLs may become one.

Feed content is untrusted: a code is drawn only for an http(s) URL whose host is on the configured
list (an exact host, or `*.domain` for any subdomain of it). The decision is made on the host a
phone would actually contact, so anything that browsers parse differently from Python (userinfo as
in `https://good.example@evil.com`, backslashes, percent-encoded or non-ASCII host names) is refused
outright rather than interpreted.
"""

from __future__ import annotations

import io
import ipaddress
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from cachetools import LRUCache, cached

MAX_URL_CHARS = 2048
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_UNSAFE = re.compile(r"[\x00-\x20\x7f\\]")


@dataclass(frozen=True)
class QrDecision:
    allowed: bool
    reason: str  # shown on the admin screen when a code is withheld
    host: str | None = None  # the host the URL points at, when it could be read safely


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def ascii_host_pattern(entry: str) -> str:
    """Normalise an allow-list entry: lower case, no trailing dot, Unicode labels as punycode.

    Raises ValueError for an entry that is neither a host name nor `*.domain`.
    """
    host = entry.strip().lower().rstrip(".")
    wildcard = host.startswith("*.")
    name = host[2:] if wildcard else host
    if not name.isascii():
        try:
            name = name.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise ValueError(f"{entry!r} is not a valid internationalised host name") from exc
    if not _is_ip(name) and not all(_LABEL.match(label) for label in name.split(".")):
        raise ValueError(f"{entry!r} is not a host name or a '*.domain' pattern")
    if wildcard and (_is_ip(name) or "." not in name):
        raise ValueError(f"{entry!r}: a wildcard needs a domain with at least two labels")
    return f"*.{name}" if wildcard else name


class QrPolicy:
    """Decides whether a URL may be offered as a QR code.

    Allow-list entries may be written in Unicode (they are compared in punycode); URLs themselves
    must carry ASCII (punycode) hosts, because phones and Python disagree on some IDNA mappings.
    """

    def __init__(self, allowed_hosts: Sequence[str]) -> None:
        exact: set[str] = set()
        suffixes: list[str] = []
        for entry in allowed_hosts:
            host = ascii_host_pattern(entry)
            if host.startswith("*."):
                suffixes.append(host[1:])  # keep the dot: "*.a.b" matches "x.a.b", not "xa.b"
            elif host:
                exact.add(host)
        self._exact = frozenset(exact)
        self._suffixes = tuple(suffixes)

    def _host_allowed(self, host: str) -> bool:
        if host in self._exact:
            return True
        return not _is_ip(host) and any(host.endswith(suffix) for suffix in self._suffixes)

    def decide(self, url: str | None) -> QrDecision:
        if not url:
            return QrDecision(False, "没有链接")
        if len(url) > MAX_URL_CHARS:
            return QrDecision(False, f"链接过长（超过{MAX_URL_CHARS}个字符）")
        if _UNSAFE.search(url) or not url.isascii():
            return QrDecision(False, "链接含有空白、反斜杠或非ASCII字符")
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            return QrDecision(False, f"不支持的协议：{parts.scheme or '无'}")
        if "@" in parts.netloc:
            return QrDecision(False, "链接含有用户信息（@），可能伪装主机名")
        try:
            parts.port  # noqa: B018 (raises on a malformed port)
        except ValueError:
            return QrDecision(False, "端口无效")
        host = (parts.hostname or "").rstrip(".")
        if not host:
            return QrDecision(False, "链接没有主机名")
        if parts.netloc.startswith("["):
            if not _is_ip(host):
                return QrDecision(False, "主机地址无效")
        elif not _is_ip(host) and not all(_LABEL.match(label) for label in host.split(".")):
            return QrDecision(False, "主机名含有不允许的字符", host)
        if not self._host_allowed(host):
            return QrDecision(False, f"主机 {host} 不在允许列表中", host)
        return QrDecision(True, "允许", host)

    def allows(self, url: str | None) -> bool:
        return self.decide(url).allowed


@cached(cache=LRUCache(maxsize=128), lock=threading.Lock())
def qr_png(url: str, box_size: int = 8, border: int = 4) -> bytes:
    """A PNG of the QR code for `url` (error correction M); recent codes are cached.

    Call only for URLs the policy allowed.
    """
    # Imported here: qrcode and Pillow cost tens of ms, and the attract screen shows no code.
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M
    from qrcode.image.pil import PilImage

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    code.add_data(url)
    code.make(fit=True)
    image = code.make_image(image_factory=PilImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
