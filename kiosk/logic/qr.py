"""QR codes for feed URLs: the allow-list that decides which hosts may become one, and the codes.

Feed content is untrusted: a code is drawn only for a link `feed.screen.links.check_url` accepts (the same
rule the builder applies: absolute http(s), an ASCII host a phone and Python read alike, non-ASCII
paths percent-encoded) whose host is on the configured list (an exact host, or `*.domain` for any
subdomain of it), and whose code fits the space at whole-pixel modules a phone can read
(`feed.screen.links.qr_fit`). Whatever is refused is listed, with its reason, on the admin screen
(`WithheldLinks`).

A guide or an item is never left without a code when the hall has a phone site (`phone_site_base`):
its original link when that is allowed, else its page on the phone site the feed carries
(`decide_record`).
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from cachetools import LRUCache, cached

from feed import (
    MIN_MODULE_PX,
    QUIET_ZONE_MODULES,
    SMALLEST_QR_SPACE_PX,
    UrlError,
    check_url,
    is_host_label,
    is_ip,
    phone_page_url,
    qr_fit,
    url_host,
)


@dataclass(frozen=True)
class QrDecision:
    allowed: bool
    reason: str  # shown on the admin screen when a code is withheld
    host: str | None = None  # the host the URL points at, when it could be read safely
    url: str = ""  # what the code encodes: the link as `check_url` returned it
    module_px: int = 0  # whole pixels per module in the space it was decided for
    # Set when the code shows the record's phone page: the decision on its own link, which was refused
    replaced: QrDecision | None = None

    @property
    def phone_page(self) -> bool:
        return self.replaced is not None


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
    if not is_ip(name) and not all(is_host_label(label) for label in name.split(".")):
        raise ValueError(f"{entry!r} is not a host name or a '*.domain' pattern")
    if wildcard and (is_ip(name) or "." not in name):
        raise ValueError(f"{entry!r}: a wildcard needs a domain with at least two labels")
    return f"*.{name}" if wildcard else name


class QrPolicy:
    """Decides whether a URL may be offered as a QR code, and at what module size.

    Allow-list entries may be written in Unicode (they are compared in punycode); URLs themselves
    must carry ASCII (punycode) hosts, because phones and Python disagree on some IDNA mappings.
    """

    def __init__(self, allowed_hosts: Sequence[str], phone_site_base: str | None = None) -> None:
        self._phone_site_base = phone_site_base
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
        return not is_ip(host) and any(host.endswith(suffix) for suffix in self._suffixes)

    def decide(self, url: str | None, space_px: float = SMALLEST_QR_SPACE_PX) -> QrDecision:
        """Whether `url` becomes a code in a square of `space_px` (the layout's smallest code space)."""
        return self._decide(url, space_px, trusted=False)

    def decide_record(
        self, url: str | None, kind: str, record_id: str, space_px: float = SMALLEST_QR_SPACE_PX
    ) -> QrDecision:
        """The code of a guide or item: its own link `url` when `decide` allows it, else its page on the
        hall's phone site (`feed.screen.links.phone_page_url`; the configured base is the hall's own,
        so its host need not be on the allow-list, but the code must still fit), else the refusal of
        `url`."""
        own = self.decide(url, space_px)
        if own.allowed or self._phone_site_base is None:
            return own
        page_url = phone_page_url(self._phone_site_base, kind, record_id)
        page = self._decide(page_url, space_px, trusted=True)
        return replace(page, replaced=own) if page.allowed else own

    def _decide(self, url: str | None, space_px: float, *, trusted: bool) -> QrDecision:
        if not url:
            return QrDecision(False, "没有链接")
        try:
            link = check_url(url)
        except UrlError as exc:
            return QrDecision(False, exc.chinese)
        host = url_host(link)
        if not trusted and not self._host_allowed(host):
            return QrDecision(False, f"主机 {host} 不在允许列表中", host)
        fit = qr_fit(link, space_px)
        if not fit.fits:
            return QrDecision(
                False,
                f"二维码过密：{fit.modules or '超过177'}个模块，在{fit.space_px}像素内每个模块不足"
                f"{MIN_MODULE_PX}像素，手机难以识别（请缩短链接）",
                host,
            )
        return QrDecision(True, "允许", host, link, fit.module_px)

    def allows(self, url: str | None) -> bool:
        return self.decide(url).allowed


MAX_WITHHELD = 20


class WithheldLinks:
    """The links a code was refused for and why, for the admin screen: at most `limit`, the one
    refused longest ago dropped first; a link refused again counts as new."""

    def __init__(self, limit: int = MAX_WITHHELD) -> None:
        self._reasons: OrderedDict[str, str] = OrderedDict()
        self._limit = limit

    def note(self, url: str, reason: str) -> None:
        self._reasons[url] = reason
        self._reasons.move_to_end(url)
        while len(self._reasons) > self._limit:
            self._reasons.popitem(last=False)

    def reason(self, url: str) -> str | None:
        """Why `url` got no code, if it is still listed."""
        return self._reasons.get(url)

    def newest_first(self) -> list[tuple[str, str]]:
        """(url, reason) pairs, the latest refusal first."""
        return list(reversed(self._reasons.items()))


@cached(cache=LRUCache(maxsize=128), lock=threading.Lock())
def qr_png(url: str, box_size: int = 8, border: int = QUIET_ZONE_MODULES) -> bytes:
    """A PNG of the QR code for `url` (error correction M), `box_size` px per module; recent codes
    are cached. Call only for URLs the policy allowed (`QrDecision.url`)."""
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
