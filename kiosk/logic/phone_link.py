"""The centre's phone form behind a kiosk's QR code: "扫码在手机上继续填写" after a 意见建议 or 点题公开,
and the 依申请公开 application, which is made on the phone only (the regulation asks for the
applicant's identity, which the kiosk cannot take). Signed here offline with the device's form key
(`feed.sign_form_link`), so it works while the kiosk is offline."""

from __future__ import annotations

import logging
from datetime import datetime

from feed import CentreLinkConfig, sign_form_link

log = logging.getLogger(__name__)

PHONE_KINDS = ("suggestion", "disclosure_request", "disclosure_application")


def phone_form_url(
    centre: CentreLinkConfig | None, device_id: str, kind: str, subject: str, now: datetime
) -> str | None:
    """`<centre url>p/<token>` for a form of `kind` about `subject` (a catalogue node or guide id, or
    ""); None when there is no centre or form key, the key cannot be read, or the kind has no phone
    form (the screen then offers the hall's portal)."""
    if centre is None or centre.form_key_file is None or kind not in PHONE_KINDS:
        return None
    try:
        key = centre.form_key_file.read_text(encoding="ascii").strip()
        token = sign_form_link(key, kind, device_id, subject, now)  # type: ignore[arg-type]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        log.warning("no phone-form link: %s", exc)
        return None
    return centre.url.rstrip("/") + "/p/" + token
