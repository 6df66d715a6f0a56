"""Links a kiosk signs offline so a citizen can finish a form on a phone (the kiosk has no IME).

The kiosk holds a per-device key (issued by `hall-centre devices form-key`); the link carries the
form's kind, its subject (a guide or item id, or none), the device, an expiry and a random nonce —
nothing personal — and an HMAC-SHA256 tag (truncated to 128 bits) over them. The centre, which holds
the same key, opens it: a tampered, unknown-device or expired link is refused, and it takes each
nonce once. The kiosk may be offline when the citizen scans: nothing here needs the network.

The centre serves the form at `<centre url>/p/<token>`. A token is
`BASE64URL(kind|device|subject|expires|nonce) "." BASE64URL(tag)`, about 80 characters for a typical
device id, so the QR code at the kiosk's size stays easy to scan.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from feed.errors import FeedError

FORM_LINK_MINUTES = 30
KEY_BYTES = 32
TAG_BYTES = 16
NONCE_BYTES = 6

# 意见建议 and 点题公开 continue a kiosk record on the phone; 依申请公开 (an application for government
# information) is made on the phone only, since the regulation requires the applicant's identity.
FormKind = Literal["suggestion", "disclosure_request", "disclosure_application"]
_KIND_CODES: dict[str, str] = {"suggestion": "s", "disclosure_request": "r", "disclosure_application": "a"}
_KINDS = {code: kind for kind, code in _KIND_CODES.items()}
_ID = re.compile(r"^[a-z0-9._-]{1,128}$")


class FormLinkError(FeedError):
    """A form link that cannot be used: `reason` is `malformed`, `forged` or `expired`."""

    def __init__(self, reason: Literal["malformed", "forged", "expired"]) -> None:
        super().__init__(f"form link {reason}")
        self.reason = reason


@dataclass(frozen=True)
class FormTicket:
    """What a form link says: which form, about what, from which device, until when (Unix seconds)."""

    kind: FormKind
    device_id: str
    subject: str  # a guide or item id; "" for none
    expires: int
    nonce: str


def new_form_key() -> str:
    """A new per-device form key (base64url text of 32 random bytes)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii").rstrip("=")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _tag(key: str, body: bytes) -> bytes:
    return hmac.new(_unb64(key), body, hashlib.sha256).digest()[:TAG_BYTES]


def sign_form_link(key: str, kind: FormKind, device_id: str, subject: str, now: datetime) -> str:
    """The token for a form link, valid `FORM_LINK_MINUTES` from `now` (aware). ValueError for an id
    that is not an id (lower-case letters, digits, `.`, `_`, `-`)."""
    if not _ID.match(device_id) or (subject and not _ID.match(subject)):
        raise ValueError("device id and subject must be ids (a-z, 0-9, . _ -)")
    expires = int((now + timedelta(minutes=FORM_LINK_MINUTES)).timestamp())
    nonce = _b64(secrets.token_bytes(NONCE_BYTES))
    body = f"{_KIND_CODES[kind]}|{device_id}|{subject}|{expires:x}|{nonce}".encode("ascii")
    return f"{_b64(body)}.{_b64(_tag(key, body))}"


def read_form_link(token: str) -> FormTicket:
    """What a token claims, unchecked (FormLinkError `malformed`): the centre needs the device id to
    find the key before `check_form_link`."""
    try:
        body_text, _tag_text = token.split(".")
        kind_code, device_id, subject, expires, nonce = _unb64(body_text).decode("ascii").split("|")
        ticket = FormTicket(_KINDS[kind_code], device_id, subject, int(expires, 16), nonce)  # type: ignore[arg-type]
    except (ValueError, KeyError, binascii.Error, UnicodeDecodeError):
        raise FormLinkError("malformed") from None
    if not _ID.match(device_id) or (subject and not _ID.match(subject)):
        raise FormLinkError("malformed")
    return ticket


def check_form_link(token: str, key: str, now: datetime) -> FormTicket:
    """The ticket of a token signed with `key`, unexpired at `now`; FormLinkError otherwise."""
    ticket = read_form_link(token)
    body_text, tag_text = token.split(".")
    try:
        given = _unb64(tag_text)
    except (ValueError, binascii.Error):
        raise FormLinkError("malformed") from None
    if not hmac.compare_digest(given, _tag(key, _unb64(body_text))):
        raise FormLinkError("forged")
    if now.timestamp() >= ticket.expires:
        raise FormLinkError("expired")
    return ticket
