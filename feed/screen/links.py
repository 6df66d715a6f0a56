"""Links a citizen takes away as a QR code: one rule for the builder, the sync and the kiosk.

`check_url` is the whole syntax rule: the schema's `Url` type calls it (so `hall-feed build`, `verify`
and the sync all refuse the same links with the same message) and the kiosk calls it again before it
draws a code, on whatever the store holds. A link must be absolute http(s) with an ASCII host name a
phone and Python read the same way; non-ASCII characters in its path, query or fragment are
percent-encoded as UTF-8 (RFC 3986), as a browser's address bar does.

`qr_fit` decides whether the code for a link can be drawn in a square of a given size with every
module the same whole number of pixels, at least MIN_MODULE_PX: not the link's length, which says
little about the code's density. The kiosk decides with its layout's smallest code space; the
builder warns with the smallest space of any layout (SMALLEST_QR_SPACE_PX).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, urlsplit, urlunsplit

MIN_MODULE_PX = 2
"""Smallest module drawn: 2 whole pixels are 1 mm on a 43-inch 1080p kiosk (what phones read from
arm's length) and 0.34 mm on a 10-inch 1280×800 tablet (read from a hand's width). Below that, and
at fractional scales, the LCD's pixel grid merges neighbouring modules: a 1,200-character link drew
unequal 1.4-px modules that no phone read. Whole pixels keep every module the same size."""

QUIET_ZONE_MODULES = 4  # the light margin ISO/IEC 18004 asks for around a QR code
SMALLEST_QR_SPACE_PX = 150  # the smallest square any kiosk layout gives a code (tablet: 3/4 of 200 dp)

_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", re.IGNORECASE)
_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\\]")
# Everything printable in ASCII stays as written (existing %XX escapes included); only the rest is
# encoded.
_ASCII_PRINTABLE = "".join(chr(code) for code in range(0x21, 0x7F))


class UrlError(ValueError):
    """A link that cannot become a QR code; `english` for publishers, `chinese` for the admin screen."""

    def __init__(self, english: str, chinese: str) -> None:
        super().__init__(english)
        self.english = english
        self.chinese = chinese


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def is_host_label(label: str) -> bool:
    """A DNS label of letters, digits and inner hyphens (punycode `xn--` labels included)."""
    return bool(_LABEL.match(label))


def url_host(url: str) -> str:
    """The host of a link `check_url` accepted, lower case, without a trailing dot or IPv6 brackets."""
    return (urlsplit(url).hostname or "").rstrip(".")


def check_url(url: str) -> str:
    """The link as a phone should receive it: `url` with non-ASCII characters of its path, query and
    fragment percent-encoded (UTF-8); everything else unchanged.

    Raises UrlError for anything but an absolute http(s) link whose host is an ASCII name or an IP
    literal: spaces, control characters, backslashes, user information (`https://good@evil/`), a
    bad port, a non-ASCII host (write it in punycode, `xn--…`) or a malformed one.
    """
    if _UNSAFE.search(url):
        raise UrlError(
            "must not contain spaces, backslashes or control characters", "链接含有空白、反斜杠或控制字符"
        )
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UrlError("must be an absolute http(s) URL with a host", f"不支持的协议：{parts.scheme or '无'}")
    if "@" in parts.netloc:
        raise UrlError(
            "must not carry user information (@) before the host", "链接含有用户信息（@），可能伪装主机名"
        )
    try:
        parts.port  # noqa: B018 (raises on a malformed port)
    except ValueError:
        raise UrlError("has an invalid port", "端口无效") from None
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UrlError("must be an absolute http(s) URL with a host", "链接没有主机名")
    if not host.isascii():
        raise UrlError(
            f"host {host!r} must be ASCII: write an internationalised name in punycode (xn--…)",
            "主机名含有非ASCII字符",
        )
    if parts.netloc.startswith("["):
        if not is_ip(host):
            raise UrlError(f"host {host!r} is not an IP address", "主机地址无效")
    elif not all(is_host_label(label) for label in host.split(".")) and not is_ip(host):  # names: cheaper
        raise UrlError(f"host {host!r} is not a valid host name", "主机名含有不允许的字符")
    if url.isascii():
        return url
    path, query, fragment = (
        quote(part, safe=_ASCII_PRINTABLE) for part in (parts.path, parts.query, parts.fragment)
    )
    return urlunsplit((parts.scheme, parts.netloc, path, query, fragment))


@dataclass(frozen=True)
class QrFit:
    """How the code of a link fills a square of `space_px`: `modules` per side including the quiet
    zone, `module_px` whole pixels each (0 when not even one pixel fits)."""

    version: int
    modules: int
    space_px: int
    module_px: int

    @property
    def fits(self) -> bool:
        return self.module_px >= MIN_MODULE_PX

    @property
    def needs_px(self) -> int:
        """The smallest square in which this code fits at MIN_MODULE_PX."""
        return self.modules * MIN_MODULE_PX


@lru_cache(maxsize=512)
def qr_version(url: str) -> int:
    """The smallest QR version (1-40) holding `url` at error correction M; ValueError when none does."""
    # Imported here: the attract screen shows no code, and qrcode costs tens of ms to import.
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M
    from qrcode.exceptions import DataOverflowError

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
    code.add_data(url)
    try:
        return int(code.best_fit())
    except DataOverflowError:
        raise ValueError("the link is too long for any QR code") from None


def qr_fit(url: str, space_px: float) -> QrFit:
    """How the code of `url` (as `check_url` returned it) fits a square of `space_px` pixels."""
    try:
        version = qr_version(url)
    except ValueError:
        return QrFit(version=0, modules=0, space_px=int(space_px), module_px=0)
    modules = 17 + 4 * version + 2 * QUIET_ZONE_MODULES
    return QrFit(version, modules, int(space_px), int(space_px) // modules)


# The phone site the feed carries (`hall-feed build` writes it under PHONE_SITE_DIR, docs/feed-protocol.md
# section 17): one page per guide and item, at a path that stays the same across publications.
PHONE_SITE_DIR = "m"
_PAGE_DIRS = {"guide": "g", "item": "i"}


def phone_page(kind: str, record_id: str) -> str:
    """The page of a guide or item relative to the phone site's root: 'g/<id>.html', 'i/<id>.html'.
    Record ids are lower-case ASCII without '/' (`feed.format.patterns.ID_PATTERN`), so the path is
    safe as written. Raises KeyError for a kind without pages."""
    return f"{_PAGE_DIRS[kind]}/{record_id}.html"


def phone_page_url(base: str, kind: str, record_id: str) -> str:
    """The address a phone opens for a record: the hall's configured phone-site `base` (the URL of
    the feed's `m/` directory, ending in '/') followed by `phone_page(kind, record_id)`."""
    return base + phone_page(kind, record_id)
